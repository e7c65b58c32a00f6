"""The comparison as downloads: every row of the whole set (not only the page shown), in the
table's order, for spreadsheets. The rows come in batches of pages
(``reuse.outcome_records.batches``), so a download holds one batch in memory at a time.

Three forms of the same cells:

- **CSV for machines** (``csv_lines``): commas, numbers with a decimal point (20, 12.5),
  streamed line by line;
- **CSV for Swedish Excel** (``csv_lines(..., for_excel=True)``): semicolons and a decimal
  comma (12,5), which is what Excel with Swedish regional settings reads into columns and
  numbers;
- **Excel workbook** (``to_xlsx``, openpyxl's write-only mode): numbers as number cells, dates
  as date cells, a bold header row kept in view, right to left for Arabic and Persian.

The CSVs are UTF-8 with a byte-order mark so that Excel reads å, ä, ö and Arabic script; text
cells that a spreadsheet would run as a formula are defused (in the workbook, every text cell
is written as text).
"""

import csv
import functools
import io
from datetime import date

from django.utils.text import capfirst
from django.utils.translation import gettext as _

from practices.models.outcomes import number

from .comparison import rows_of

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


@functools.cache
def _openpyxl():
    """openpyxl, imported on the first workbook a process writes: it takes about 37 MB, which
    a web worker that never exports one does not need."""
    import openpyxl  # noqa: PLC0415 - see above
    import openpyxl.cell.cell  # noqa: PLC0415
    import openpyxl.styles  # noqa: PLC0415
    import openpyxl.utils  # noqa: PLC0415

    return openpyxl


def safe_text(value):
    """Text a spreadsheet shows as text: a leading ``'`` stops ``=HYPERLINK(…)`` and the like."""
    text = "" if value is None else str(value)
    if text.startswith(FORMULA_STARTS):
        return "'" + text
    return text


def _figure(value, decimal_comma=False):
    value = number(value)
    if value is None:
        return ""
    text = str(value)
    return text.replace(".", ",") if decimal_comma else text


def _met(indicator):
    if indicator is None or indicator.target_met is None:
        return ""
    return _("met") if indicator.target_met else _("not met")


def header(columns):
    """The header row for a CSV (text a spreadsheet could run as a formula defused)."""
    return [safe_text(cell) for cell in header_values(columns)]


def header_values(columns):
    cells = [
        _("Title"),
        _("Type"),
        _("Organisation"),
        _("Where"),
        _("Start date"),
        _("End date"),
    ]
    for column in columns:
        cells += [
            _("%(indicator)s: achieved") % {"indicator": column.label},
            _("%(indicator)s: target") % {"indicator": column.label},
            _("%(indicator)s: target met?") % {"indicator": column.label},
        ]
    cells += [_("Targets met"), _("Targets set"), _("Web address")]
    return cells


def cells(batches, columns, absolute_url):
    """Each row's cells as values: text, numbers (int or float), dates or None; ``batches``
    yields lists of pages (``reuse.outcome_records.batches``), one list held at a time."""
    for pages in batches:
        for row in rows_of(pages):
            values = [
                row.title,
                str(capfirst(row.type_label)),
                row.organisation,
                row.places,
                row.start_date,
                row.end_date,
            ]
            for indicator in row.cell_list(columns):
                if indicator is None:
                    values += [None, None, None]
                else:
                    values += [number(indicator.value), number(indicator.target), _met(indicator)]
            values += [row.targets_met, row.targets_set, absolute_url(row.page)]
            yield values


def _csv_cell(value, decimal_comma):
    if value is None:
        return ""
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, int | float):
        return _figure(value, decimal_comma)
    return safe_text(value)


class _Line:
    """A file-like object that hands back what the csv writer wrote."""

    def write(self, text):
        return text


def csv_lines(batches, columns, absolute_url, for_excel=False):
    """The CSV document line by line (for a ``StreamingHttpResponse``), starting with a
    byte-order mark; ``for_excel``: with semicolons and decimal commas, as Excel with Swedish
    settings reads it."""
    writer = csv.writer(_Line(), delimiter=";" if for_excel else ",", lineterminator="\r\n")
    yield "\ufeff" + writer.writerow(header(columns))
    for values in cells(batches, columns, absolute_url):
        yield writer.writerow([_csv_cell(value, for_excel) for value in values])


MAX_COLUMN_WIDTH = 60  # characters
MIN_COLUMN_WIDTH = 12  # a date, a figure
TEXT_WIDTH = 36  # the title, organisation and place columns


def to_xlsx(batches, columns, absolute_url, title, right_to_left=False):
    """The comparison as an Excel workbook (bytes): one sheet named ``title``, written in
    openpyxl's write-only mode (rows go to a temporary file as they come, not into memory).
    Column widths are set before the rows, so they fit the header and the dates, not the
    longest text below."""
    xl = _openpyxl()
    workbook = xl.Workbook(write_only=True)
    sheet = workbook.create_sheet(_sheet_title(title))
    sheet.sheet_view.rightToLeft = right_to_left
    sheet.freeze_panes = "B2"
    titles = [_sheet_text(cell) for cell in header_values(columns)]
    wide = {1: TEXT_WIDTH, 3: TEXT_WIDTH, 4: TEXT_WIDTH, len(titles): MAX_COLUMN_WIDTH}
    for position, text in enumerate(titles, 1):
        width = max(len(text), wide.get(position, MIN_COLUMN_WIDTH))
        sheet.column_dimensions[xl.utils.get_column_letter(position)].width = min(
            width + 2, MAX_COLUMN_WIDTH
        )
    sheet.append([_text_cell(sheet, text, bold=True) for text in titles])
    for values in cells(batches, columns, absolute_url):
        sheet.append([_sheet_cell(sheet, value) for value in values])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _text_cell(sheet, text, bold=False):
    xl = _openpyxl()
    cell = xl.cell.WriteOnlyCell(sheet, value=text)
    cell.data_type = "s"  # never a formula, whatever the text starts with
    if bold:
        cell.font = xl.styles.Font(bold=True)
    return cell


def _sheet_cell(sheet, value):
    if isinstance(value, str):
        return _text_cell(sheet, _sheet_text(value))
    cell = _openpyxl().cell.WriteOnlyCell(sheet, value=value)
    if isinstance(value, date):
        cell.number_format = "yyyy-mm-dd"
    return cell


def _sheet_text(text):
    """Text a workbook can hold: control characters (which openpyxl refuses) dropped."""
    return _openpyxl().cell.cell.ILLEGAL_CHARACTERS_RE.sub("", str(text))


def _sheet_title(title):
    """Excel's rules for a sheet name: at most 31 characters, none of []:*?/\\."""
    cleaned = "".join(" " if char in "[]:*?/\\" else char for char in str(title)).strip()
    return cleaned[:31] or "Comparison"
