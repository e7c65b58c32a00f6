"""The page cache: readers get cached pages without a database query, and a change invalidates
exactly the pages that show it (the page, its listings, home, the reuse pages, the pages that
link to it), in every language."""

from http import HTTPStatus

import pytest
from django.core.cache import caches
from django.db import connection
from django.http import HttpResponse
from django.test import Client, override_settings
from django.test.utils import CaptureQueriesContext

from home import page_cache
from practices.models import ActivityType, MethodAdoption, MethodPage, Organisation, PracticePage
from tests.helpers import record, run_import

pytestmark = pytest.mark.django_db

METHOD = record(
    external_id="pc-method",
    type="method",
    title="Mentorskap i arbetslivet",
    summary="Nyanlända matchas med en mentor.",
    activity_types=["mentorship"],
)
PRACTICE = record(
    external_id="pc-practice",
    title="Mentorer i Sunne",
    summary="Tjugo mentorspar.",
    organisation="Sunne kommun",
    activity_types=["mentorship"],
    methods=["pc-method"],
    translations={"ar": {"title": "مرشدون في سونه", "summary": "عشرون ثنائيًا."}},
    contact={"name": "Ann Exempel", "email": "ann@example.org"},
)
OTHER = record(
    external_id="pc-other", title="Språkcafé i Lerum", summary="Samtal.", organisation="Lerum"
)


@pytest.fixture(autouse=True)
def cache_on():
    with override_settings(PAGE_CACHE_ENABLED=True):
        caches["pages"].clear()
        yield
        caches["pages"].clear()


@pytest.fixture
def site(site_tree, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        result = run_import(METHOD, PRACTICE, OTHER)
    assert result.rejections == []

    def page(model, external_id, language="sv"):
        return model.objects.get(external_id=external_id, locale__language_code=language)

    return page


def get(client, url, **headers):
    response = client.get(url, **headers)
    return response, response.get("X-Page-Cache")


def warm(client, *urls):
    for url in urls:
        assert get(client, url)[0].status_code == HTTPStatus.OK, url


def state(client, url):
    return get(client, url)[1]


def test_the_second_reader_gets_the_page_from_the_cache_without_a_query(client, site):
    url = site(PracticePage, "pc-practice").url
    first, source = get(client, url)
    assert source == "miss"
    with CaptureQueriesContext(connection) as queries:
        second, source = get(client, url)
    assert source == "hit"
    assert len(queries) == 0
    assert second.content.count(b"Mentorer i Sunne") == first.content.count(b"Mentorer i Sunne")
    assert "Content-Security-Policy" in second and "camera=()" in second["Permissions-Policy"]


def test_a_cached_form_carries_this_readers_csrf_token(client, site):
    page = site(PracticePage, "pc-practice")
    warm(client, page.url)
    reader = Client(enforce_csrf_checks=True)
    cached, source = get(reader, page.url)
    assert source == "hit"
    token = cached.content.decode().split('name="csrfmiddlewaretoken" value="')[1].split('"')[0]
    assert "placeholder" not in token
    posted = reader.post(
        f"/sv/contact/{page.pk}/",
        {"name": "Amina", "email": "a@example.org", "message": "Hur gick det till?", "website": ""},
        HTTP_X_CSRFTOKEN=token,
    )
    assert posted.status_code == HTTPStatus.FOUND  # the token and its cookie agree


def test_an_unchanged_page_answers_304_to_a_conditional_get(client, site):
    url = site(PracticePage, "pc-practice").url
    first, _ = get(client, url)
    again = client.get(url, HTTP_IF_NONE_MATCH=first["ETag"])
    assert again.status_code == HTTPStatus.NOT_MODIFIED
    assert first["Cache-Control"] == "max-age=0, must-revalidate"


def test_signed_in_editors_always_get_a_fresh_page(admin_client, site):
    url = site(PracticePage, "pc-practice").url
    warm(admin_client, url)
    assert state(admin_client, url) is None


def test_publishing_a_practice_invalidates_exactly_the_pages_that_show_it(
    client, site, django_capture_on_commit_callbacks
):
    practice = site(PracticePage, "pc-practice")
    arabic = site(PracticePage, "pc-practice", "ar")
    method = site(MethodPage, "pc-method")
    other = site(PracticePage, "pc-other")
    shows_it = [
        practice.url,
        arabic.url,
        practice.get_parent().url,
        arabic.get_parent().url,
        "/sv/",
        "/ar/",
        method.url,
        "/sv/reuse/",
        "/sv/compare/method/pc-method/",
    ]
    unrelated = [other.url, method.get_parent().url, "/sv/projektrapporter/"]
    warm(client, *shows_it, *unrelated)
    assert {state(client, url) for url in shows_it + unrelated} == {"hit"}

    practice.title = "Mentorer i Sunne och Torsby"
    with django_capture_on_commit_callbacks(execute=True):
        practice.save_revision().publish()

    for url in shows_it:
        assert state(client, url) == "miss", url
    assert b"Mentorer i Sunne och Torsby" in client.get(practice.url).content
    for url in unrelated:
        assert state(client, url) == "hit", url


def test_an_unpublished_page_is_never_served_from_the_cache(
    client, site, django_capture_on_commit_callbacks
):
    practice = site(PracticePage, "pc-practice")
    warm(client, practice.url)
    with django_capture_on_commit_callbacks(execute=True):
        practice.unpublish()
    assert client.get(practice.url).status_code == HTTPStatus.NOT_FOUND


def test_a_renamed_term_or_organisation_invalidates_the_pages_showing_it(
    client, site, django_capture_on_commit_callbacks
):
    practice = site(PracticePage, "pc-practice")
    warm(client, practice.url, "/sv/")
    term = ActivityType.objects.get(slug="mentorship", locale__language_code="sv")
    term.name = "Mentorskap och fadderskap"
    with django_capture_on_commit_callbacks(execute=True):
        term.save()
    assert state(client, practice.url) == "miss"
    assert b"Mentorskap och fadderskap" in client.get(practice.url).content

    warm(client, practice.url)
    organisation = Organisation.objects.get(name="Sunne kommun")
    organisation.name = "Sunne kommun (Värmland)"
    with django_capture_on_commit_callbacks(execute=True):
        organisation.save()
    assert state(client, practice.url) == "miss"


def test_an_adoption_invalidates_the_method_and_the_reuse_pages(
    client, site, django_capture_on_commit_callbacks
):
    method = site(MethodPage, "pc-method")
    other = site(PracticePage, "pc-other")
    warm(client, method.url, "/sv/reuse/", other.url)
    with django_capture_on_commit_callbacks(execute=True):
        MethodAdoption.objects.create(
            method=method, organisation=Organisation.objects.get(name="Lerum"), status="running"
        )
    assert state(client, method.url) == "miss"
    assert state(client, "/sv/reuse/") == "miss"
    assert state(client, other.url) == "hit"


def test_a_change_committed_while_a_page_renders_leaves_it_stale(rf):
    """The versions are read when the view says what it shows, before it reads the data."""
    request = rf.get("/sv/some-page/")
    page_cache.tag_request(request, "record:x")
    page_cache.bump("record:x")  # committed while the page was being rendered
    response = HttpResponse("<p>old</p>", content_type="text/html; charset=utf-8")
    page_cache.store(request, response)
    assert page_cache.fetch(rf.get("/sv/some-page/")) is None
    # Rendered again now, it is stored as current.
    again = rf.get("/sv/some-page/")
    page_cache.tag_request(again, "record:x")
    page_cache.store(again, HttpResponse("<p>new</p>", content_type="text/html; charset=utf-8"))
    assert page_cache.fetch(rf.get("/sv/some-page/")).content == b"<p>new</p>"
