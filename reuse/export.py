"""The comparison as downloads: the table's rows, in the table's order, for spreadsheets.

Three forms of the same cells:

- **CSV for machines** (``to_csv``): commas, numbers with a decimal point (20, 12.5);
- **CSV for Swedish Excel** (``to_csv(..., for_excel=True)``): semicolons and a decimal comma
  (12,5), which is what Excel with Swedish regional settings reads into columns and numbers;
- **Excel workbook** (``to_xlsx``, openpyxl): numbers as number cells, dates as date cells, a
  bold header row kept in view, column widths to fit, right to left for Arabic and Persian.

The CSVs are UTF-8 with a byte-order mark so that Excel reads å, ä, ö and Arabic script; text
cells that a spreadsheet would run as a formula are defused (in the workbook, every text cell
is written as text).
"""

import csv
import io
from datetime import date

from django.utils.text import capfirst
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

from practices.models.outcomes import number

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


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


def header(comparison):
    """The header row for a CSV (text a spreadsheet could run as a formula defused)."""
    return [safe_text(cell) for cell in header_values(comparison)]


def header_values(comparison):
    cells = [
        _("Title"),
        _("Type"),
        _("Organisation"),
        _("Where"),
        _("Start date"),
        _("End date"),
    ]
    for column in comparison.columns:
        cells += [
            _("%(indicator)s: achieved") % {"indicator": column.label},
            _("%(indicator)s: target") % {"indicator": column.label},
            _("%(indicator)s: target met?") % {"indicator": column.label},
        ]
    cells += [_("Targets met"), _("Targets set"), _("Web address")]
    return cells


def cells(comparison, absolute_url):
    """Each row's cells as values: text, numbers (int or float), dates or None."""
    for row in comparison.rows:
        values = [
            row.title,
            str(capfirst(row.type_label)),
            row.organisation,
            row.places,
            row.start_date,
            row.end_date,
        ]
        for indicator in row.cell_list(comparison.columns):
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


def rows(comparison, absolute_url, decimal_comma=False):
    """The CSV rows; ``absolute_url(page)`` gives a row's address."""
    for values in cells(comparison, absolute_url):
        yield [_csv_cell(value, decimal_comma) for value in values]


def to_csv(comparison, absolute_url, for_excel=False):
    """The whole CSV document as text, starting with a byte-order mark; ``for_excel``: with
    semicolons and decimal commas, as Excel with Swedish settings reads it."""
    buffer = io.StringIO()
    buffer.write("\ufeff")
    writer = csv.writer(buffer, delimiter=";" if for_excel else ",", lineterminator="\r\n")
    writer.writerow(header(comparison))
    writer.writerows(rows(comparison, absolute_url, decimal_comma=for_excel))
    return buffer.getvalue()


MAX_COLUMN_WIDTH = 60  # characters


def to_xlsx(comparison, absolute_url, title, right_to_left=False):
    """The comparison as an Excel workbook (bytes): one sheet named ``title``."""
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = _sheet_title(title)
    sheet.sheet_view.rightToLeft = right_to_left
    titles = [_sheet_text(cell) for cell in header_values(comparison)]
    sheet.append(titles)
    for cell in sheet[1]:
        cell.font = Font(bold=True)
        cell.data_type = "s"
    widths = [len(text) for text in titles]
    for values in cells(comparison, absolute_url):
        values = [_sheet_text(value) if isinstance(value, str) else value for value in values]
        sheet.append(values)
        for position, (cell, value) in enumerate(zip(sheet[sheet.max_row], values, strict=True)):
            if isinstance(value, str):
                cell.data_type = "s"  # never a formula, whatever the text starts with
            if isinstance(value, date):
                cell.number_format = "yyyy-mm-dd"
            widths[position] = max(widths[position], len(_csv_cell(value, False)))
    sheet.freeze_panes = "B2"
    for position, width in enumerate(widths, 1):
        letter = get_column_letter(position)
        sheet.column_dimensions[letter].width = min(width + 2, MAX_COLUMN_WIDTH)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _sheet_text(text):
    """Text a workbook can hold: control characters (which openpyxl refuses) dropped."""
    return ILLEGAL_CHARACTERS_RE.sub("", str(text))


def _sheet_title(title):
    """Excel's rules for a sheet name: at most 31 characters, none of []:*?/\\."""
    cleaned = "".join(" " if char in "[]:*?/\\" else char for char in str(title)).strip()
    return cleaned[:31] or "Comparison"
