"""The maps on the demo site: the health-school method page in Swedish and Arabic shows where
the method is used on a map and in a table saying the same; the reuse overview maps every
method; a place map highlights its place and fills its records' kommuner."""

import pytest
from django.template import Context, Template
from django.test import Client
from django.utils import translation
from lxml import html as lxml_html

from places.usage import method_usage, place_records_filled
from practices.models import MethodAdoption, MethodPage, Municipality, Organisation, Region
from tests.helpers import load_demo, module_data, record, run_import

SVG = "{http://www.w3.org/2000/svg}"
HEALTH_SCHOOL = "demo-method-health-school"
# Where the demo's practices that applied health schools ran: Integration Halland (six
# Halland kommuner, 2015–2018), Premiär Primär (five around Göteborg, ended 2017), Växjö,
# Luleå and Norrköping, all finished by now. (The evaluation report names three more
# kommuner, but a report is not an adoption.)
HALLAND = {"1315", "1380", "1381", "1382", "1383", "1384"}
PREMIAR = {"1401", "1402", "1441", "1481", "1489"}
EXPECTED = HALLAND | PREMIAR | {"0780", "2580", "0581"}


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker):
    with module_data(django_db_blocker):
        load_demo()  # with what its commits do: search's facet rows
        yield


@pytest.fixture
def client(demo, db):
    return Client()


def method(language):
    return MethodPage.objects.get(external_id=HEALTH_SCHOOL, locale__language_code=language)


def get_document(client, url):
    response = client.get(url)
    assert response.status_code == 200
    return lxml_html.fromstring(response.content)


def map_codes(section):
    return {
        path.get("data-code"): path.get("data-status")
        for path in section.xpath(".//*[local-name()='svg']/*[local-name()='path'][@data-status]")
    }


def table_rows(section):
    return [
        (
            row.get("data-code"),
            row.get("data-status"),
            [cell.text_content().strip() for cell in row],
        )
        for row in section.xpath(".//table[contains(@class, 'usage-table')]/tbody/tr")
    ]


def place_links(section, code):
    """The place-page links in the table row of kommun ``code``, in order."""
    (row,) = section.xpath(
        f".//table[contains(@class, 'usage-table')]/tbody/tr[@data-code='{code}']"
    )
    return [link.get("href") for link in row.xpath(".//a") if "/places/" in link.get("href")]


@pytest.mark.parametrize("language", ["sv", "ar"])
def test_the_health_school_page_shows_the_map_and_the_table(client, language):
    document = get_document(client, method(language).url)
    section = document.xpath("//section[@aria-labelledby='usage-map-heading']")[0]
    svg = section.xpath(".//*[local-name()='svg']")[0]
    assert svg.get("role") == "img" and svg.get("dir") == "ltr"
    with translation.override(language):
        title = translation.gettext("Map of the municipalities where “%(method)s” is used") % {
            "method": method(language).title
        }
        assert translation.gettext("Where the method is used") in section.text_content()
        finished = translation.gettext("Finished")
    assert svg.xpath("./*[local-name()='title']")[0].text == title
    filled = map_codes(section)
    assert set(filled) == EXPECTED
    assert set(filled.values()) == {"finished"}
    rows = table_rows(section)
    # The table says what the map shows: the same kommuner, each with its status.
    assert {code for code, _, _ in rows} == EXPECTED
    hylte = next(cells for code, _, cells in rows if code == "1315")
    assert hylte[0] == "Hylte" and hylte[1] == "Hallands län" and hylte[3] == finished
    # Each kommun and its län lead to their place page.
    assert place_links(section, "1315") == [f"/{language}/places/1315/", f"/{language}/places/13/"]
    assert "Källa: SCB" in section.text_content()


def test_a_recorded_adoption_fills_its_organisations_kommun(demo, db):
    organisation = Organisation.objects.create(
        name="Östersunds kommun (test)",
        kind="municipality",
        municipality=Municipality.objects.get(code="2380"),
    )
    MethodAdoption.objects.create(method=method("sv"), organisation=organisation, status="planned")
    usage = method_usage(method("ar"))
    assert usage.filled["2380"] == "planned"
    assert usage.filled["1315"] == "finished"
    row = next(row for row in usage.rows if row.municipality and row.municipality.code == "2380")
    assert row.organisation == organisation and row.region.code == "23"


def test_a_running_adoption_wins_over_a_finished_practice_in_the_same_kommun(demo, db):
    organisation = Organisation.objects.get(name="Växjö kommun")
    MethodAdoption.objects.update_or_create(
        method=method("sv"), organisation=organisation, defaults={"status": "running"}
    )
    assert method_usage(method("sv")).filled["0780"] == "running"


def test_the_reuse_overview_maps_every_methods_use(client):
    document = get_document(client, "/sv/reuse/")
    section = document.xpath("//section[@aria-labelledby='reuse-map-heading']")
    assert section, "the overview has a map"
    filled = map_codes(section[0])
    assert EXPECTED <= set(filled)
    assert {code for code, _, _ in table_rows(section[0])} == set(filled)
    assert place_links(section[0], "1315") == ["/sv/places/1315/", "/sv/places/13/"]


def test_the_place_map_highlights_the_place_and_fills_its_records(demo, db):
    filled = place_records_filled("13")
    assert HALLAND <= set(filled)
    with translation.override("sv"):
        html = Template("{% load places_maps %}{% place_map '1315' %}").render(Context())
    document = lxml_html.fromstring(html)
    places = document.xpath("//*[local-name()='path'][@class='map-place']")
    assert [p.get("data-code") for p in places] == ["1315"]
    assert HALLAND <= set(map_codes(document))
    # An unknown code is a plain map, not an error.
    with translation.override("sv"):
        html = Template("{% load places_maps %}{% place_map '9999' %}").render(Context())
    assert "map-place" not in html and "<svg" in html


def test_a_method_nobody_uses_says_so_without_a_map(client):
    result = run_import(
        record(external_id="t-method-unused", type="method", title="Läxhjälp på distans")
    )
    assert result.rejections == []
    page = MethodPage.objects.get(external_id="t-method-unused")
    document = get_document(client, page.url)
    reuse = document.xpath("//section[@aria-labelledby='reuse-heading']")[0]
    assert not reuse.xpath(".//*[local-name()='svg']")
    assert not reuse.xpath(".//section[@aria-labelledby='usage-map-heading']")


def test_adoptions_without_a_kommun_say_there_is_no_map(demo, db):
    organisation = Organisation.objects.create(
        name="Region Testland (test)", kind="region", region=Region.objects.get(code="25")
    )
    MethodAdoption.objects.create(method=method("sv"), organisation=organisation)
    unused = run_import(
        record(external_id="t-method-regional", type="method", title="Regional metod")
    )
    assert unused.rejections == []
    page = MethodPage.objects.get(external_id="t-method-regional")
    MethodAdoption.objects.create(method=page, organisation=organisation, status="running")
    usage = method_usage(page)
    assert usage.filled == {}
    assert [(row.municipality, row.region.code, row.status) for row in usage.rows] == [
        (None, "25", "running")
    ]
    with translation.override("sv"):
        html = Template("{% load places_maps %}{% usage_map page %}").render(
            Context({"page": page})
        )
        whole_county = translation.gettext("The whole county")
    document = lxml_html.fromstring(html)
    assert not document.xpath("//*[local-name()='svg']")
    assert document.xpath("//p")
    # The table still says where: in Norrbotten, as a whole.
    [row] = document.xpath("//table/tbody/tr")
    assert [cell.text_content() for cell in row][:2] == [whole_county, "Norrbottens län"]
