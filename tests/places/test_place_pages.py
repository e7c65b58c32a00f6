"""Place pages (``/<lang>/places/<code>/``) on the demo content: a kommun and a län in three
languages, with their records, population and SKR group (Källa: SCB, SKR); links between a
kommun and its län; empty places suggest the nearest places with content; unknown codes are
a 404 page in the reader's language; a bounded number of queries; place names link here."""

import io
import re

import pytest
from django.core.management import call_command
from django.test import Client, TestCase
from django.utils import translation

from tests.helpers import module_data, record, run_import

# Three small records in Värmland, so that a C-group kommun (Sunne, C8) has neighbours in its
# own group (Torsby, C8) and in its main group only (Eda and Årjäng, C9).
EXTRA = [
    record(external_id="t-torsby", title="Språkcafé i Torsby", municipalities=["1737"]),
    record(external_id="t-eda", title="Språkcafé i Eda", municipalities=["1730"]),
    record(external_id="t-arjang", title="Språkcafé i Årjäng", municipalities=["1765"]),
]


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker):
    with module_data(django_db_blocker):
        # Search's facet rows (where each record is) are written when a transaction commits.
        with TestCase.captureOnCommitCallbacks(execute=True):
            call_command("load_demo", stdout=io.StringIO(), stderr=io.StringIO())
            report = run_import(*EXTRA)
        assert not report.rejections, report.rejections
        yield


@pytest.fixture
def client(demo, db):
    return Client()


def text(response):
    """The page's visible text, tags dropped and spaces (also no-break ones) collapsed."""
    html = response.content.decode()
    main = html[html.find("<main") :]
    return " ".join(re.sub(r"<[^>]+>", " ", main).replace("\xa0", " ").split())


def test_a_kommun_in_swedish_shows_its_records_population_and_group(client):
    response = client.get("/sv/places/1315/")
    assert response.status_code == 200
    page = text(response)
    assert "Hylte" in page
    # Integration Halland ran in Hylte and the five other Halland kommuner.
    assert "Integration Halland – sex kommuner bygger en gemensam lärplattform" in page
    assert "10 196" in page and "2024" in page
    assert "B5" in page and "Lågpendlingskommun nära större stad" in page
    # "Källa: SCB", "Källa: SKR" once the interface translations are compiled.
    with translation.override("sv"):
        assert translation.gettext("Source: SCB") in page
        assert translation.gettext("Source: SKR") in page
    # The kommun links to its län.
    assert 'href="/sv/places/13/"' in response.content.decode()


def test_a_lan_in_arabic_lists_its_kommuner_with_content_right_to_left(client):
    response = client.get("/ar/places/13/")
    assert response.status_code == 200
    html = response.content.decode()
    assert 'dir="rtl"' in html and 'lang="ar"' in html
    # Its kommuner with content link to their pages, Hylte among them.
    assert 'href="/ar/places/1315/"' in html
    assert 'href="/ar/places/1380/"' in html
    with translation.override("ar"):
        assert translation.gettext("County") in text(response)


def test_stockholm_in_dari_shows_its_practice_population_and_group(client):
    response = client.get("/fa/places/0180/")
    assert response.status_code == 200
    html = response.content.decode()
    assert 'dir="rtl"' in html
    page = text(response)
    # The mentors-for-graduates practice, in its Dari translation.
    assert 'href="/fa/' in html and "demo" not in page
    with translation.override("fa"):
        assert translation.gettext("Source: SCB") in page
        assert translation.gettext("Source: SKR") in page
        assert str(translation.gettext("Large cities")) in page
    # Population in Persian digits or Latin ones, grouped either way.
    assert re.search(r"(995|۹۹۵).(574|۵۷۴)", page)


@pytest.mark.parametrize("url", ["/sv/places/9999/", "/sv/places/abc/", "/sv/places/99/"])
def test_an_unknown_place_is_a_404_page_in_the_readers_language(client, url):
    response = client.get(url)
    assert response.status_code == 404
    with translation.override("sv"):
        expected = translation.gettext("Page not found")
    assert expected != "Page not found"  # Swedish, not the English msgid
    assert expected in response.content.decode()


def test_an_arabic_404_is_in_arabic(client):
    response = client.get("/ar/places/0000/")
    assert response.status_code == 404
    assert 'dir="rtl"' in response.content.decode()


def test_an_empty_kommun_says_so_and_suggests_the_nearest_places_with_content(client):
    # Ockelbo (2101, Gävleborg) has nothing; Gävle (2180) in the same län has.
    response = client.get("/sv/places/2101/")
    assert response.status_code == 200
    html = response.content.decode()
    with translation.override("sv"):
        assert translation.gettext("Nothing published here yet") in html
    nearest = html[html.find('id="empty-heading"') :]
    links = re.findall(r'href="/sv/places/(\d+)/"', nearest)
    assert links[0] == "2180"  # the same län first
    assert "2101" not in links


def test_a_kommun_lists_the_kommuner_like_it_with_the_reason_never_itself(client):
    response = client.get("/sv/places/1766/")  # Sunne, C8
    html = response.content.decode()
    section = html[html.find('id="place-like-mine-heading"') :]
    assert "Språkcafé i Torsby" in section
    # The same group first, with the reason.
    assert section.find("Språkcafé i Torsby") < section.find("Språkcafé i Eda")
    with translation.override("sv"):
        reason = translation.ngettext(
            "also a %(group)s municipality, about %(population)s inhabitant",
            "also a %(group)s municipality, about %(population)s inhabitants",
            11000,
        ) % {"group": "C8", "population": "11\xa0000"}
    assert f"Torsby</a>: {reason}" in section.replace("&nbsp;", "\xa0")
    assert 'href="/sv/places/1766/"' not in section


def test_a_practice_page_lists_records_from_kommuner_like_its_own(client):
    from practices.models import PracticePage

    torsby = PracticePage.objects.get(external_id="t-torsby", locale__language_code="sv")
    response = client.get(torsby.url)
    html = response.content.decode()
    section = html[html.find('id="like-mine-heading"') :]
    # Sunne is C8 as Torsby: its Connecting People practice comes first.
    assert "Connecting People" in section
    assert "Språkcafé i Torsby" not in section


def test_facts_boxes_link_place_names_to_place_pages(client):
    from practices.models import PracticePage

    sunne = PracticePage.objects.get(
        external_id="demo-practice-sunne-connecting-people", locale__language_code="en"
    )
    html = client.get(sunne.url).content.decode()
    facts = html[html.find('id="facts-heading"') :]
    assert 'href="/en/places/1766/">Sunne</a>' in facts


def test_a_place_page_runs_a_bounded_number_of_queries(client, django_assert_max_num_queries):
    client.get("/sv/places/13/")  # fills the shared fragments and the place index
    with django_assert_max_num_queries(20):
        assert client.get("/sv/places/1315/").status_code == 200
    with django_assert_max_num_queries(20):
        assert client.get("/ar/places/13/").status_code == 200
