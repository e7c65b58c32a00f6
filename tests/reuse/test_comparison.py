"""Outcome comparison: columns per unit, sorting, the chart and the CSV download."""

import csv
import io
from http import HTTPStatus

import pytest

from practices.models import AdoptionStatus
from reuse.comparison import compare, parse_sort
from reuse.export import safe_text

from .conftest import adopt

pytestmark = pytest.mark.django_db

METHOD_URL = "/en/compare/method/t-method-mentoring/"
# The rows sorted by ?sort=-in_work.percent (the report measured nothing there: last).
BY_IN_WORK_PERCENT_DESCENDING = ["Praktik i Lerum", "Mentors in Sunne", "Slutrapport mentorskap"]


def read_csv(response):
    assert response.streaming  # the whole set, a batch at a time
    text = b"".join(response.streaming_content).decode("utf-8")
    assert text.startswith("\ufeff")
    return list(csv.reader(io.StringIO(text[1:])))


def test_units_are_never_mixed_in_one_column(client, reuse_site):
    response = client.get(METHOD_URL)
    assert response.status_code == HTTPStatus.OK
    comparison = response.context["comparison"]
    ids = [column.id for column in comparison.columns]
    assert ids[:3] == ["participants.count", "in_work.count", "in_work.percent"]
    labels = [column.label for column in comparison.columns]
    assert "In work (people)" in labels
    assert "In work (%)" in labels
    for row in comparison.rows:
        for column in comparison.columns:
            cell = row.cells.get(column.id)
            assert cell is None or cell.unit == column.unit


def test_rows_are_live_records_in_the_readers_language(client, reuse_site):
    response = client.get(METHOD_URL, {"sort": "title"})
    titles = [row.title for row in response.context["comparison"].rows]
    # English translation where live, Swedish otherwise; the report too; no drafts.
    assert titles == ["Mentors in Sunne", "Praktik i Lerum", "Slutrapport mentorskap"]
    html = response.content.decode()
    assert '<a href="%s">Mentors in Sunne</a>' % reuse_site.sunne_practice_en.url in html
    assert 'lang="sv">Praktik i Lerum</a>' in html


def test_target_and_achieved_are_shown_as_met_or_not_met(client, reuse_site):
    html = client.get(METHOD_URL).content.decode()
    assert "target 40 %" in html
    assert '<span class="not-met">not met</span>' in html  # Sunne: 30 % of 40 %
    assert '<span class="met">met</span>' in html  # Lerum: 55 % of 50 %
    assert "1 of 2" in html  # Sunne met one of its two targets


def test_sorting_by_a_column_with_aria_sort(client, reuse_site):
    response = client.get(METHOD_URL, {"sort": "-in_work.percent"})
    comparison = response.context["comparison"]
    assert [row.title for row in comparison.rows] == [
        "Praktik i Lerum",
        "Mentors in Sunne",
        "Slutrapport mentorskap",  # measured nothing in that column: last
    ]
    html = response.content.decode()
    assert '<th scope="col" aria-sort="descending">' in html
    assert html.count("aria-sort=") == 1
    assert 'href="?sort=in_work.percent"' in html

    response = client.get(METHOD_URL, {"sort": "in_work.percent"})
    assert [row.title for row in response.context["comparison"].rows] == [
        "Mentors in Sunne",
        "Praktik i Lerum",
        "Slutrapport mentorskap",
    ]
    assert 'aria-sort="ascending"' in response.content.decode()


def test_unknown_sort_falls_back_to_title():
    assert parse_sort("nonsense", []) == ("title", False)
    assert parse_sort("-period", []) == ("period", True)
    assert parse_sort("", []) == ("title", False)


def test_chart_has_text_values_and_a_caption(client, reuse_site):
    response = client.get(METHOD_URL, {"sort": "title"})
    charts = response.context["comparison"].charts
    percent = next(chart for chart in charts if chart.column.id == "in_work.percent")
    assert [bar.width for bar in percent.bars] == [30.0, 55.0]
    count = next(chart for chart in charts if chart.column.id == "participants.count")
    assert [bar.width for bar in count.bars] == [100.0, 62.5]  # 40 and 25 of 40
    html = response.content.decode()
    assert '<figcaption id="chart-1-caption">Participants (people) <span' in html
    assert "The line across a bar marks its target." in html
    assert '<span class="bar-chart__value">55 %' in html
    assert 'aria-hidden="true" focusable="false"><rect x="0" y="0" width="55.0"' in html


def test_bars_and_targets_share_one_scale_per_chart(client, reuse_site):
    charts = client.get(METHOD_URL, {"sort": "title"}).context["comparison"].charts
    count = next(chart for chart in charts if chart.column.id == "participants.count")
    # People: 0 to the largest value or target (40 achieved; Sunne's target 30).
    assert [(bar.width, bar.target_at) for bar in count.bars] == [(100.0, 75.0), (62.5, None)]
    percent = next(chart for chart in charts if chart.column.id == "in_work.percent")
    assert [(bar.width, bar.target_at, bar.met) for bar in percent.bars] == [
        (30.0, 40.0, False),
        (55.0, 50.0, True),
    ]


def test_a_target_above_every_value_sets_the_scale():
    """A count of 9 against a target of 12 no longer fills the chart: the target does."""

    class Indicator:
        key, unit, value, target, measured_on = "participants", "count", 9, 12, None
        display_label = "Participants"
        target_met = False

    class Page:
        title = "Nine of twelve"

        class indicators:  # noqa: N801 - stands in for the related manager
            @staticmethod
            def all():
                return [Indicator()]

    (chart,) = compare([Page()]).charts
    (bar,) = chart.bars
    assert (bar.width, bar.target_at, bar.met) == (75.0, 100.0, False)


def test_target_markers_are_drawn_with_met_or_not_met_colour_and_text(client, reuse_site):
    html = client.get(METHOD_URL).content.decode()
    assert 'class="bar-chart__bar bar-chart__bar--not-met"' in html  # Sunne 30 % of 40 %
    assert 'class="bar-chart__bar bar-chart__bar--met"' in html  # Lerum 55 % of 50 %
    assert '<line class="bar-chart__target" x1="40.0" x2="40.0"' in html
    assert '<span class="bar-chart__target-text">target 40 %</span> <span class="not-met">' in html
    arabic = client.get("/ar/compare/method/t-method-mentoring/").content.decode()
    assert '<line class="bar-chart__target" x1="60.0" x2="60.0"' in arabic  # from the right


def test_chart_is_drawn_from_the_right_in_right_to_left_languages(client, reuse_site):
    html = client.get("/ar/compare/method/t-method-mentoring/").content.decode()
    assert '<rect x="45.0" y="0" width="55.0"' in html


def test_csv_has_the_same_rows_and_columns(client, reuse_site):
    response = client.get(METHOD_URL + "csv/", {"sort": "-in_work.percent"})
    assert response.status_code == HTTPStatus.OK
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"] == (
        'attachment; filename="comparison-t-method-mentoring-en.csv"'
    )
    rows = read_csv(response)
    header = rows[0]
    assert header[:4] == ["Title", "Type", "Organisation", "Where"]
    assert "In work (%): achieved" in header
    assert "In work (people): achieved" in header
    assert [row[0] for row in rows[1:]] == BY_IN_WORK_PERCENT_DESCENDING
    sunne = rows[2]
    column = header.index("In work (%): achieved")
    assert sunne[column : column + 3] == ["30", "40", "not met"]
    assert sunne[header.index("Start date")] == "2016-06-01"
    assert sunne[-1] == "http://testserver" + reuse_site.sunne_practice_en.url
    # The same via ?format=csv
    again = client.get(METHOD_URL, {"format": "csv", "sort": "-in_work.percent"})
    assert read_csv(again) == rows


def test_csv_defuses_spreadsheet_formulas(client, reuse_site):
    rows = read_csv(client.get(METHOD_URL + "csv/"))
    header = rows[0]
    custom = [cell for cell in header if "HYPERLINK" in cell]
    assert custom and all(cell.startswith("'=") for cell in custom)
    assert safe_text("=1+1") == "'=1+1"
    assert safe_text("@SUM(A1)") == "'@SUM(A1)"
    assert safe_text("-2") == "'-2"
    assert safe_text("Lerum") == "Lerum"


def test_practice_linked_from_an_adoption_is_compared_too(client, reuse_site):
    other = reuse_site.matching
    adopt(
        other, reuse_site.lerum, status=AdoptionStatus.RUNNING, practice=reuse_site.lerum_practice
    )
    response = client.get("/sv/compare/method/t-method-matching/")
    assert [row.title for row in response.context["comparison"].rows] == ["Praktik i Lerum"]


def test_activity_type_comparison(client, reuse_site):
    response = client.get("/en/compare/activity/mentorship/")
    assert response.status_code == HTTPStatus.OK
    assert len(response.context["comparison"].rows) == 3
    csv_response = client.get("/en/compare/activity/mentorship/csv/")
    assert len(read_csv(csv_response)) == 4


def test_empty_comparison_says_so(client, reuse_site):
    response = client.get("/en/compare/activity/internship/")
    assert response.status_code == HTTPStatus.OK
    assert response.context["comparison"].rows == []
    assert "No practice or report here has recorded measured outcomes yet." in (
        response.content.decode()
    )


def test_unknown_method_or_activity_is_404(client, reuse_site):
    assert client.get("/en/compare/method/no-such-method/").status_code == HTTPStatus.NOT_FOUND
    assert client.get("/en/compare/activity/juggling/").status_code == HTTPStatus.NOT_FOUND
    assert client.get("/en/compare/method/t-practice-sunne/").status_code == HTTPStatus.NOT_FOUND


def test_unpublished_method_is_404(client, reuse_site):
    reuse_site.matching.unpublish()
    assert client.get("/en/compare/method/t-method-matching/").status_code == HTTPStatus.NOT_FOUND


def test_compare_with_no_pages_is_empty():
    result = compare([])
    assert result.rows == [] and result.columns == []


def test_csv_for_swedish_excel_uses_semicolons_and_a_decimal_comma(client, reuse_site):
    response = client.get(METHOD_URL + "download/excel-csv/", {"sort": "-in_work.percent"})
    assert response.status_code == HTTPStatus.OK
    assert response["Content-Disposition"] == (
        'attachment; filename="comparison-t-method-mentoring-en-excel.csv"'
    )
    text = b"".join(response.streaming_content).decode("utf-8")
    assert text.startswith("\ufeff")
    # Read as Swedish Excel reads it: semicolon-separated, comma as the decimal mark.
    rows = list(csv.reader(io.StringIO(text[1:]), delimiter=";"))
    machine = read_csv(client.get(METHOD_URL + "csv/", {"sort": "-in_work.percent"}))
    assert rows[0] == machine[0]
    assert [row[0] for row in rows] == [row[0] for row in machine]
    assert all(len(row) == len(rows[0]) for row in rows)
    column = rows[0].index("In work (%): achieved")
    assert rows[2][column : column + 3] == ["30", "40", "not met"]
    for excel_row, machine_row in zip(rows[1:], machine[1:], strict=True):
        for excel_cell, machine_cell in zip(excel_row, machine_row, strict=True):
            if machine_cell.replace(".", "", 1).isdigit():
                assert excel_cell == machine_cell.replace(".", ",")
                assert float(excel_cell.replace(",", ".")) == float(machine_cell)


def test_decimal_figures_get_a_decimal_comma_for_excel(reuse_site):
    from reuse.export import _csv_cell

    assert _csv_cell(12.5, decimal_comma=True) == "12,5"
    assert _csv_cell(12.5, decimal_comma=False) == "12.5"
    assert _csv_cell(40, decimal_comma=True) == "40"
    assert _csv_cell("=1+1", decimal_comma=True) == "'=1+1"


def test_xlsx_has_typed_numbers_a_header_row_and_widths(client, reuse_site):
    from openpyxl import load_workbook

    response = client.get(METHOD_URL + "download/xlsx/", {"sort": "-in_work.percent"})
    assert response.status_code == HTTPStatus.OK
    assert response["Content-Type"] == (
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    assert response["Content-Disposition"].endswith('-en.xlsx"')
    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    header = list(rows[0])
    assert header[:4] == ["Title", "Type", "Organisation", "Where"]
    assert all(cell.font.bold for cell in sheet[1])
    assert sheet.freeze_panes == "B2"
    assert [row[0] for row in rows[1:]] == BY_IN_WORK_PERCENT_DESCENDING
    sunne = rows[2]
    column = header.index("In work (%): achieved")
    assert sunne[column : column + 3] == (30, 40, "not met")
    assert isinstance(sunne[column], int)
    assert sunne[header.index("Start date")].date().isoformat() == "2016-06-01"
    assert sheet.column_dimensions["A"].width >= len("Slutrapport mentorskap")
    # A title that looks like a formula stays text.
    custom = [cell for cell in sheet[1] if "HYPERLINK" in str(cell.value)]
    assert custom and all(cell.data_type == "s" for cell in custom)
    assert not sheet.sheet_view.rightToLeft


def test_xlsx_reads_right_to_left_in_arabic(client, reuse_site):
    from openpyxl import load_workbook

    response = client.get("/ar/compare/method/t-method-mentoring/download/xlsx/")
    assert load_workbook(io.BytesIO(response.content)).active.sheet_view.rightToLeft


def test_an_unknown_download_is_not_found(client, reuse_site):
    assert client.get(METHOD_URL + "download/pdf/").status_code == HTTPStatus.NOT_FOUND


def test_the_page_offers_each_download_with_the_current_sort(client, reuse_site):
    html = client.get(METHOD_URL, {"sort": "-in_work.percent"}).content.decode()
    for form in ("xlsx", "excel-csv", "csv"):
        assert f'href="{METHOD_URL}download/{form}/?sort=-in_work.percent" download' in html
    # Without a chosen sort, the page's own order: the most recent first.
    default = client.get(METHOD_URL).content.decode()
    assert f'href="{METHOD_URL}download/xlsx/?sort=-period" download' in default
