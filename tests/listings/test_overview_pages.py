"""The reuse overview a page at a time: the ranking by organisations is counted in the
database over every method, the page links keep the filters, bad filters are named."""

from http import HTTPStatus

import pytest

from reuse import adoptions
from tests.helpers import module_data, record, run_import

pytestmark = pytest.mark.django_db

URL = "/en/reuse/"
ORGANISATIONS = ["Sunne kommun", "Lerums kommun", "Föreningen Bryggan", "Hylte kommun"]
# Method number -> how many organisations' practices applied it (m5: none).
USERS = {1: 4, 2: 3, 3: 2, 4: 1, 5: 0}


@pytest.fixture(scope="module")
def methods(django_db_setup, django_db_blocker):
    from home.site_tree import ensure_site_tree

    with module_data(django_db_blocker):
        ensure_site_tree()
        items = []
        for n, users in USERS.items():
            activity = ["mentorship"] if n % 2 else ["internship"]
            items.append(
                record(
                    external_id=f"m{n}",
                    type="method",
                    title=f"Metod {n}",
                    activity_types=activity,
                )
            )
            for user in range(users):
                items.append(
                    record(
                        external_id=f"p{n}-{user}",
                        title=f"Praktik {n}-{user}",
                        organisation=ORGANISATIONS[user],
                        # The first organisation's practice runs in Värmland, the others in
                        # Västra Götaland.
                        municipalities=["1766" if user == 0 else "1441"],
                        methods=[f"m{n}"],
                    )
                )
        result = run_import(*items)
        assert " 0 rejected" in result.summary, result.summary
        yield


@pytest.fixture
def two_a_page(monkeypatch):
    monkeypatch.setattr(adoptions, "PER_PAGE", 2)


def listed(response):
    return [
        (item.method.title, item.organisation_count)
        for item in response.context["overview"].methods
    ]


def test_pages_continue_the_ranking(client, methods, two_a_page):
    response = client.get(URL)
    assert listed(response) == [("Metod 1", 4), ("Metod 2", 3)]
    html = response.content.decode()
    assert "5 methods" in html
    assert 'href="?page=2"' in html
    response = client.get(URL, {"page": 2})
    assert listed(response) == [("Metod 3", 2), ("Metod 4", 1)]
    html = response.content.decode()
    assert "<td>3</td>" in html and "<td>4</td>" in html  # the ranks go on
    assert listed(client.get(URL, {"page": 3})) == [("Metod 5", 0)]
    # A page past the end, or not a number, is the nearest page there is.
    assert listed(client.get(URL, {"page": 99})) == [("Metod 5", 0)]
    assert listed(client.get(URL, {"page": "x"})) == [("Metod 1", 4), ("Metod 2", 3)]


def test_a_new_user_moves_a_method_up_across_pages(client, methods, two_a_page):
    run_import(
        *(
            record(
                external_id=f"extra-{n}",
                title=f"Extra {n}",
                organisation=f"Föreningen nummer {n}",
                methods=["m5"],
            )
            for n in range(5)
        )
    )
    assert listed(client.get(URL)) == [("Metod 5", 5), ("Metod 1", 4)]


def test_filters_apply_to_every_page_and_the_links_keep_them(client, methods, two_a_page):
    response = client.get(URL, {"activity_type": "mentorship"})  # methods 1, 3, 5
    assert listed(response) == [("Metod 1", 4), ("Metod 3", 2)]
    assert 'href="?activity_type=mentorship&amp;page=2"' in response.content.decode()
    assert listed(client.get(URL, {"activity_type": "mentorship", "page": 2})) == [("Metod 5", 0)]

    # In Värmland only the first organisation's practices: methods 1 to 4, one each (method
    # 5, used nowhere, is left out).
    response = client.get(URL, {"region": "17"})
    assert listed(response) == [("Metod 1", 1), ("Metod 2", 1)]
    assert "4 methods" in response.content.decode()
    assert 'href="?region=17&amp;page=2"' in response.content.decode()
    assert listed(client.get(URL, {"region": "17", "page": 2})) == [("Metod 3", 1), ("Metod 4", 1)]
    # Västra Götaland: the others, ranked by how many there.
    response = client.get(URL, {"region": "14", "activity_type": "mentorship"})
    assert listed(response) == [("Metod 1", 3), ("Metod 3", 1)]


def test_bad_filters_are_named_and_every_method_is_still_ranked(client, methods, two_a_page):
    response = client.get(URL, {"activity_type": "juggling", "region": "99", "page": 2})
    assert response.status_code == HTTPStatus.BAD_REQUEST
    html = response.content.decode()
    assert "There is no activity type “juggling”." in html
    assert "There is no region with the code “99”." in html
    assert listed(response) == [("Metod 3", 2), ("Metod 4", 1)]
