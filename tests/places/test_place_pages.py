"""Place pages (``/<lang>/places/<code>/``) on the demo content: a kommun and a län in three
languages, with their records, population and SKR group (Källa: SCB, SKR); links between a
kommun and its län; empty places suggest the nearest places with content; unknown codes are
a 404 page in the reader's language; a bounded number of queries; place names link here."""

import importlib
import io
import re

import pytest
from django.apps import apps
from django.contrib.auth.models import AnonymousUser
from django.core.cache import caches
from django.core.management import call_command
from django.test import Client, TestCase, override_settings
from django.utils import translation

from places.suggestions import suggested_methods
from places.wagtail_hooks import SimilarMethodsPanel
from practices.locales import active_locale
from practices.models import Organisation, PracticePage
from search.facets import sync_records
from search.models import RecordFacet
from tests.helpers import module_data, record, run_import

group_facet_migration = importlib.import_module("search.migrations.0009_municipality_group_facet")

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
    # The methods in use there, with who uses them and how far they have come.
    with translation.override("sv"):
        in_use = page[page.find(translation.gettext("Methods in use here")) :]
    assert "Gemensam lärplattform för flera kommuner" in in_use
    with translation.override("sv"):
        assert re.search(
            r"Integration Halland \(samverkansprojekt[^)]*\) (Avslutad|Pågår|Planerad)", in_use
        )
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
    torsby = PracticePage.objects.get(external_id="t-torsby", locale__language_code="sv")
    response = client.get(torsby.url)
    html = response.content.decode()
    section = html[html.find('id="like-mine-heading"') :]
    # Sunne is C8 as Torsby: its Connecting People practice comes first.
    assert "Connecting People" in section
    assert "Språkcafé i Torsby" not in section


def test_facts_boxes_link_place_names_to_place_pages(client):
    sunne = PracticePage.objects.get(
        external_id="demo-practice-sunne-connecting-people", locale__language_code="en"
    )
    html = client.get(sunne.url).content.decode()
    facts = html[html.find('id="facts-heading"') :]
    assert 'href="/en/places/1766/">Sunne</a>' in facts


# With the page cache off, after the first request: the place, the most recent records of
# each type (a query for the keys and total, one for the pages), the methods most used there
# and who uses them, the outcomes, the organisations, the map's statuses, the kommuner like it
# or the län's kommuner. The same with many records (tests/places/test_place_growth.py). Pages
# in the page cache run none.
PLACE_PAGE_MAX = 20


def test_the_places_index_lists_every_lan_and_only_the_kommuner_with_content(client):
    response = client.get("/sv/places/")
    assert response.status_code == 200
    html = response.content.decode()
    # Every län (21), each linking to its page; Värmland with its kommuner that have content.
    assert html.count('class="places-region"') == 21
    assert 'href="/sv/places/17/"' in html and 'href="/sv/places/01/"' in html
    for code in ("1766", "1737", "1730", "1765"):  # Sunne (demo), Torsby, Eda, Årjäng
        assert f'href="/sv/places/{code}/"' in html
    assert 'href="/sv/places/1715/"' not in html  # Kil: no record, left out
    # Counts: Torsby has one record here.
    with translation.override("sv"):
        one = translation.ngettext("%(counter)s record", "%(counter)s records", 1) % {"counter": 1}
    assert f"Torsby ({one})" in text(response)


def test_the_places_index_in_dari_is_right_to_left_and_linked_from_each_place(client):
    response = client.get("/fa/places/")
    assert response.status_code == 200
    html = response.content.decode()
    assert 'dir="rtl"' in html and 'lang="fa"' in html
    with translation.override("fa"):
        title = translation.gettext("Places")
    assert title != "Places" and f"<h1>{title}</h1>" in html
    assert 'href="/fa/places/"' in client.get("/fa/places/1315/").content.decode()


def test_the_places_index_runs_a_bounded_number_of_queries(client, django_assert_max_num_queries):
    client.get("/sv/places/")  # fills the shared counts
    with django_assert_max_num_queries(PLACE_PAGE_MAX):
        assert client.get("/ar/places/").status_code == 200


def test_a_place_page_runs_a_bounded_number_of_queries(client, django_assert_max_num_queries):
    client.get("/sv/places/13/")  # fills the shared fragments and the place index
    with django_assert_max_num_queries(PLACE_PAGE_MAX):
        assert client.get("/sv/places/1315/").status_code == 200
    with django_assert_max_num_queries(PLACE_PAGE_MAX):
        assert client.get("/ar/places/13/").status_code == 200


# Search: the municipality-group facet and "like my municipality" ---------------------------


def result_titles(response):
    return re.findall(r'class="card__title"><a [^>]*>([^<]+)</a>', response.content.decode())


def test_the_municipality_group_facet_filters_and_is_labelled(client):
    response = client.get("/sv/search/", {"municipality_group": "C8"})
    assert response.status_code == 200
    titles = result_titles(response)
    # Sunne's practice and report, and Torsby's café: the C8 kommuner with content.
    assert "Språkcafé i Torsby" in titles
    assert any("Connecting People" in title for title in titles)
    assert "Språkcafé i Eda" not in titles  # C9
    html = response.content.decode()
    assert 'name="municipality_group" value="C8"' in html
    with translation.override("sv"):
        label = translation.gettext("Rural municipalities")
    assert f"C8: {label}" in html
    # Results link their places to the place pages.
    assert 'href="/sv/places/1737/">Torsby</a>' in html


def test_an_unknown_group_is_left_out_with_a_message(client):
    response = client.get("/sv/search/", {"municipality_group": "Z9"})
    assert response.status_code == 200
    assert "Z9" in response.content.decode()  # named in the problems


def test_choosing_my_municipality_sets_a_cookie_with_only_its_code(client):
    response = client.get("/sv/search/", {"q": "språkcafé", "my_municipality": "1766"})
    assert response.status_code == 302
    assert "municipality_group=C8" in response["Location"]
    assert "q=spr" in response["Location"] and "my_municipality" not in response["Location"]
    cookie = response.cookies["my_municipality"]
    assert cookie.value == "1766"
    assert cookie["samesite"] == "Lax"
    assert cookie["max-age"] == 365 * 24 * 3600
    assert list(response.cookies) == ["my_municipality"]  # nothing else is stored

    narrowed = client.get(response["Location"])
    html = narrowed.content.decode()
    assert "Sunne" in html and "like-mine-notice" in html
    titles = result_titles(narrowed)
    assert "Språkcafé i Torsby" in titles and "Språkcafé i Eda" not in titles
    # A way back to all municipalities, keeping the search.
    all_url = re.search(r'like-mine-notice">.*?<a href="([^"]+)"', html, re.S).group(1)
    assert "municipality_group" not in all_url and "q=" in all_url
    everything = client.get(all_url.replace("&amp;", "&"))
    assert "Språkcafé i Eda" in result_titles(everything)
    # Later visits remember the kommun and offer the filter.
    later = client.get("/sv/search/").content.decode()
    assert "municipality_group=C8" in later and "like-mine-notice" not in later


def test_forgetting_my_municipality_deletes_the_cookie(client):
    client.cookies["my_municipality"] = "1766"
    response = client.get("/sv/search/", {"my_municipality": "", "municipality_group": "C8"})
    assert response.status_code == 302
    assert "municipality_group" not in response["Location"]
    assert response.cookies["my_municipality"].value == ""
    assert response.cookies["my_municipality"]["max-age"] == 0


@pytest.mark.parametrize("value", ["abc", "9999", "1766; other=1", "", "17660"])
def test_a_bad_cookie_value_is_ignored(client, value):
    client.cookies["my_municipality"] = value
    response = client.get("/sv/search/")
    assert response.status_code == 200
    html = response.content.decode()
    assert "municipality_group=" not in html.split('id="my-municipality-heading"')[1][:400]
    assert "like-mine-notice" not in html


def test_an_unknown_municipality_chosen_changes_nothing(client):
    client.cookies["my_municipality"] = "1766"
    response = client.get("/sv/search/", {"my_municipality": "9999"})
    assert response.status_code == 302
    assert "my_municipality" not in response.cookies
    assert "municipality_group" not in response["Location"]


def test_the_search_page_is_right_to_left_in_dari_with_the_control(client):
    html = client.get("/fa/search/").content.decode()
    assert 'dir="rtl"' in html and 'id="my-municipality"' in html
    assert '<option value="1315">Hylte</option>' in html


# The editors' dashboard -------------------------------------------------------------------


def test_editors_are_offered_methods_used_in_municipalities_like_theirs(client):
    sunne = Organisation.objects.get(name="Sunne kommun")
    with translation.override("sv"):
        found = suggested_methods([sunne.pk], active_locale())
    assert found and found[0].organisation == sunne
    for method, similar in found[0].items:
        assert method.interchange_type == "method"
        assert similar.municipality.code != "1766"
        assert similar.municipality.main_group == "C"


def test_the_dashboard_panel_shows_the_suggestions_with_their_reasons(client, rf):
    sunne = Organisation.objects.get(name="Sunne kommun")
    panel = SimilarMethodsPanel(AnonymousUser())
    with translation.override("en"):
        panel._suggestions = suggested_methods([sunne.pk], active_locale())
        html = panel.render_html({"request": rf.get("/admin/")})
    assert "Methods used in municipalities like yours" in html
    assert "Sunne kommun (Sunne)" in html
    assert "municipality, also in main group C" in html or "also a C8 municipality" in html


def test_place_pages_are_page_cached_and_a_publish_there_makes_them_stale(
    client, django_capture_on_commit_callbacks
):
    with override_settings(PAGE_CACHE_ENABLED=True):
        caches["pages"].clear()
        client.get("/sv/places/1737/")
        assert client.get("/sv/places/1737/")["X-Page-Cache"] == "hit"
        torsby = PracticePage.objects.get(external_id="t-torsby", locale__language_code="sv")
        torsby.title = "Språkcafé och läxhjälp i Torsby"
        with django_capture_on_commit_callbacks(execute=True):
            torsby.save_revision().publish()
        again = client.get("/sv/places/1737/")
        assert again["X-Page-Cache"] == "miss"
        assert "Språkcafé och läxhjälp i Torsby" in again.content.decode()
        caches["pages"].clear()


def test_the_migration_gives_existing_records_their_municipality_group_facet(client):
    expected = set(
        RecordFacet.objects.filter(facet="municipality_group").values_list(
            "translation_key", "value"
        )
    )
    assert ("C8" in {value for _key, value in expected}) and len(expected) > 10
    RecordFacet.objects.filter(facet="municipality_group").delete()
    group_facet_migration.add_group_rows(apps, None)
    found = set(
        RecordFacet.objects.filter(facet="municipality_group").values_list(
            "translation_key", "value"
        )
    )
    assert found == expected
    # And publishing keeps them: the facet comes from the record's municipalities' groups.
    sync_records([key for key, _value in expected])
    assert (
        set(
            RecordFacet.objects.filter(facet="municipality_group").values_list(
                "translation_key", "value"
            )
        )
        == expected
    )
