"""The outcome comparison over a whole set: a page of rows, sorted and filtered in the
database over every record, the whole set in the streamed downloads, bad input named."""

import csv
import io
from http import HTTPStatus

import pytest
from django.db import connection
from django.test import TestCase
from django.test.utils import CaptureQueriesContext
from openpyxl import load_workbook

from reuse import comparison
from tests.helpers import module_data, record, run_import

pytestmark = pytest.mark.django_db

URL = "/en/compare/method/t-method/"
ACTIVITY_URL = "/en/compare/activity/mentorship/"

# (external id, start year, in work %, organisation, municipality): seven practices that
# applied the method; the oldest ones have the highest figures, so the most recent page and
# the best-figures page differ.
PRACTICES = [
    ("p1", 2015, 90, "Sunne kommun", "1766"),
    ("p2", 2016, 80, "Lerums kommun", "1441"),
    ("p3", 2017, 70, "Föreningen Bryggan", "1441"),
    ("p4", 2018, 60, "Sunne kommun", "1766"),
    ("p5", 2019, 50, "Lerums kommun", "1441"),
    ("p6", 2020, 40, "Föreningen Bryggan", "1766"),
    ("p7", 2021, None, "Sunne kommun", "1766"),  # measured people, not percent
]


def practice(external_id, year, in_work, organisation, municipality):
    indicators = [{"key": "participants", "value": 10 + year % 100, "unit": "count"}]
    if in_work is not None:
        indicators.append({"key": "in_work", "value": in_work, "unit": "percent", "target": 55})
    return record(
        external_id=external_id,
        title=f"Praktik {external_id}",
        organisation=organisation,
        municipalities=[municipality],
        activity_types=["mentorship"],
        methods=["t-method"],
        start_date=f"{year}-03-01",
        end_date=f"{year + 1}-02-01",
        indicators=indicators,
    )


@pytest.fixture(scope="module")
def whole_set(django_db_setup, django_db_blocker):
    from home.site_tree import ensure_site_tree

    with module_data(django_db_blocker):
        ensure_site_tree()
        method = record(external_id="t-method", type="method", title="Mentorskap")
        result = run_import(method, *(practice(*row) for row in PRACTICES))
        assert result.summary.startswith("imported: 8 created"), result.summary
        yield


@pytest.fixture
def three_a_page(monkeypatch):
    monkeypatch.setattr(comparison, "PER_PAGE", 3)


def titles(response):
    return [row.title for row in response.context["comparison"].rows]


def read_csv(response, delimiter=","):
    assert response.streaming
    text = b"".join(response.streaming_content).decode("utf-8")
    assert text.startswith("\ufeff")
    return list(csv.reader(io.StringIO(text[1:]), delimiter=delimiter))


def test_the_page_shows_the_most_recent_and_says_how_many_there_are(
    client, whole_set, three_a_page
):
    response = client.get(URL)
    assert response.status_code == HTTPStatus.OK
    assert titles(response) == ["Praktik p7", "Praktik p6", "Praktik p5"]
    assert response.context["comparison"].total == 7
    html = response.content.decode()
    assert "Showing 1–3 of 7, the most recent first." in html
    assert "7 practices and reports with measured outcomes" in html
    # The next page keeps the order; the chart follows the rows shown.
    assert 'href="?sort=-period&amp;page=2"' in html
    chart = next(
        c for c in response.context["comparison"].charts if c.column.id == "in_work.percent"
    )
    assert [bar.row.title for bar in chart.bars] == ["Praktik p6", "Praktik p5"]
    assert titles(client.get(URL, {"page": 3})) == ["Praktik p1"]


def test_a_column_sorts_the_whole_set_not_only_the_page_shown(client, whole_set, three_a_page):
    response = client.get(URL, {"sort": "-in_work.percent"})
    # The best figures are the oldest records, beyond the first page of the most recent.
    assert titles(response) == ["Praktik p1", "Praktik p2", "Praktik p3"]
    assert "in the order of the column you chose" in response.content.decode()
    # A record that measured nothing in the column comes last, whichever way it is sorted.
    assert titles(client.get(URL, {"sort": "-in_work.percent", "page": 3})) == ["Praktik p7"]
    assert titles(client.get(URL, {"sort": "in_work.percent"})) == [
        "Praktik p6",
        "Praktik p5",
        "Praktik p4",
    ]
    assert titles(client.get(URL, {"sort": "in_work.percent", "page": 3})) == ["Praktik p7"]


@pytest.mark.parametrize(
    ("sort", "first"),
    [
        ("title", ["Praktik p1", "Praktik p2", "Praktik p3"]),
        ("-title", ["Praktik p7", "Praktik p6", "Praktik p5"]),
        ("period", ["Praktik p1", "Praktik p2", "Praktik p3"]),
        # Lerum's two, then Bryggan's two (lower case sorts as the title would).
        ("organisation", ["Praktik p3", "Praktik p6", "Praktik p2"]),
        # Targets met (in work >= 55): p1–p4 met 1 of 1; p5, p6 0 of 1; p7 set none (last).
        ("-targets", ["Praktik p1", "Praktik p2", "Praktik p3"]),
        ("targets", ["Praktik p5", "Praktik p6", "Praktik p1"]),
        ("-participants.count", ["Praktik p7", "Praktik p6", "Praktik p5"]),
        ("place", ["Praktik p2", "Praktik p3", "Praktik p5"]),  # Lerum before Sunne
    ],
)
def test_every_column_sorts_in_the_database(client, whole_set, three_a_page, sort, first):
    assert titles(client.get(URL, {"sort": sort})) == first


def test_filters_narrow_the_set_and_the_page_links_keep_them(client, whole_set, three_a_page):
    response = client.get(URL, {"region": "14"})  # Västra Götaland: Lerum
    assert titles(response) == ["Praktik p5", "Praktik p3", "Praktik p2"]
    assert response.context["comparison"].total == 3
    assert not response.context["page_obj"].has_other_pages()

    response = client.get(URL, {"region": "17", "sort": "title"})  # Värmland: Sunne
    assert response.context["comparison"].total == 4
    html = response.content.decode()
    assert 'href="?region=17&amp;sort=title&amp;page=2"' in html
    # The column headings keep the filters too.
    assert 'href="?region=17&amp;sort=-title"' in html

    # Running in 2019: p5 (2019–2020) and p4 (2018-03 to 2019-02).
    assert titles(client.get(URL, {"year": "2019"})) == ["Praktik p5", "Praktik p4"]
    response = client.get(URL, {"organisation_kind": "civil_society"})
    assert titles(response) == ["Praktik p6", "Praktik p3"]
    assert titles(client.get(URL, {"organisation_kind": "municipality", "region": "14"})) == [
        "Praktik p5",
        "Praktik p2",
    ]
    response = client.get(URL, {"year": "2030"})
    assert response.status_code == HTTPStatus.OK
    assert "No practice or report with measured outcomes matches these filters." in (
        response.content.decode()
    )


def test_bad_input_is_named_with_a_400_and_the_rest_still_applies(client, whole_set):
    response = client.get(URL, {"sort": "nonsense", "region": "14"})
    assert response.status_code == HTTPStatus.BAD_REQUEST
    html = response.content.decode()
    assert "The table cannot be sorted by “nonsense”." in html
    assert 'role="alert"' in html
    # The region still applies, in the page's own order.
    assert titles(response) == ["Praktik p5", "Praktik p3", "Praktik p2"]

    response = client.get(URL, {"region": "99", "year": "last year", "sort": "title"})
    assert response.status_code == HTTPStatus.BAD_REQUEST
    html = response.content.decode()
    assert "There is no region with the code “99”." in html
    assert "Enter a year as four digits, for example 2024." in html
    assert titles(response)[:2] == ["Praktik p1", "Praktik p2"]  # all seven, by title

    response = client.get(URL, {"organisation_kind": "pirates", "page": "many"})
    assert response.status_code == HTTPStatus.BAD_REQUEST
    assert "There is no kind of organisation “pirates”." in response.content.decode()
    assert len(titles(response)) == 7

    # A download is the whole set as asked, or nothing: a wrong filter is a plain 400.
    response = client.get(URL + "download/csv/", {"region": "99"})
    assert response.status_code == HTTPStatus.BAD_REQUEST
    assert "There is no region with the code “99”." in response.content.decode()


def test_the_csv_streams_the_whole_set_in_the_tables_order(client, whole_set, three_a_page):
    rows = read_csv(client.get(URL + "download/csv/", {"sort": "-in_work.percent"}))
    header = rows[0]
    assert [row[0] for row in rows[1:]] == [f"Praktik p{n}" for n in range(1, 8)]
    column = header.index("In work (%): achieved")
    assert [row[column] for row in rows[1:]] == ["90", "80", "70", "60", "50", "40", ""]
    assert rows[1][column + 2] == "met" and rows[6][column + 2] == "not met"
    assert all(row[-1].startswith("http://testserver/") for row in rows[1:])
    # Filters apply to the download as to the page.
    rows = read_csv(client.get(URL + "download/excel-csv/", {"region": "14"}), delimiter=";")
    assert [row[0] for row in rows[1:]] == ["Praktik p5", "Praktik p3", "Praktik p2"]


def test_the_csv_is_read_in_batches(client, whole_set, monkeypatch, django_assert_max_num_queries):
    from reuse import outcome_records

    monkeypatch.setattr(outcome_records, "BATCH", 2)
    seen = []
    pages_of = outcome_records.pages_of

    def counting(rows):
        seen.append(len(rows))
        return pages_of(rows)

    monkeypatch.setattr(outcome_records, "pages_of", counting)
    rows = read_csv(client.get(URL + "csv/"))
    assert len(rows) == 8
    assert seen == [2, 2, 2, 1]


def test_the_workbook_holds_the_whole_set(client, whole_set, three_a_page):
    response = client.get(URL + "download/xlsx/", {"sort": "title"})
    assert response.status_code == HTTPStatus.OK
    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert [row[0] for row in rows[1:]] == [f"Praktik p{n}" for n in range(1, 8)]
    assert all(cell.font.bold for cell in sheet[1])
    assert sheet.freeze_panes == "B2"


def test_the_activity_type_comparison_pages_too(client, whole_set, three_a_page):
    response = client.get(ACTIVITY_URL, {"sort": "-in_work.percent", "page": "2"})
    assert response.status_code == HTTPStatus.OK
    assert titles(response) == ["Praktik p4", "Praktik p5", "Praktik p6"]
    rows = read_csv(client.get(ACTIVITY_URL + "csv/"))
    assert len(rows) == 8


def test_the_filters_are_labelled_and_the_page_reads_right_to_left(client, whole_set):
    response = client.get("/ar/compare/method/t-method/", {"region": "17"})
    assert response.status_code == HTTPStatus.OK
    html = response.content.decode()
    assert 'dir="rtl"' in html
    for field in ("region", "year", "organisation_kind"):
        assert f'<label for="id_{field}">' in html
        assert f'id="id_{field}"' in html
    assert '<option value="17" selected>' in html
    # The chosen order travels with the filters, in a hidden field.
    assert '<input type="hidden" name="sort" value="-period">' in html


def whole_set_reads(queries):
    """The queries that read every record of a set (its records' keys, ``shown_pages``; not
    the lookup of the method itself, one row)."""
    return [
        q["sql"]
        for q in queries.captured_queries
        if 'SELECT DISTINCT "wagtailcore_page"."translation_key"' in q["sql"]
        and "LIMIT" not in q["sql"]
    ]


@pytest.mark.parametrize("url", [URL, ACTIVITY_URL])
def test_a_cached_comparison_reads_nothing_of_the_whole_set(whole_set, client, url):
    """Once its figures are cached, a comparison page reads only the rows it shows: nothing
    that grows with the set (at 100,000 records, reading the keys alone took seconds)."""
    with CaptureQueriesContext(connection) as first:
        client.get(url, {"page": "2"})
    assert whole_set_reads(first), "the first request computes the figures"
    with CaptureQueriesContext(connection) as again:
        response = client.get(url, {"page": "2"})
    assert response.status_code == HTTPStatus.OK
    assert not whole_set_reads(again)
    assert len(again.captured_queries) < len(first.captured_queries)


def test_the_whole_sets_figures_are_read_once_per_change(whole_set, client):
    """The columns, the count and the page's rows read the whole set: once per change of what
    the comparison shows (then from the fragment cache), and a new record is there at once."""
    assert client.get(URL).context["comparison"].total == 7
    with CaptureQueriesContext(connection) as queries:
        again = client.get(URL)
    assert again.context["comparison"].total == 7
    assert titles(again)[:3] == ["Praktik p7", "Praktik p6", "Praktik p5"]
    assert not [q for q in queries.captured_queries if "COUNT(" in q["sql"]]
    assert not whole_set_reads(queries)

    with TestCase.captureOnCommitCallbacks(execute=True):
        run_import(practice("p8", 2022, 30, "Sunne kommun", "1766"))
    after = client.get(URL)
    assert after.context["comparison"].total == 8
    assert titles(after)[0] == "Praktik p8"
