"""The comparison as CSV: the table's rows, in the table's order, for spreadsheets.

UTF-8 with a byte-order mark so that Excel reads å, ä, ö and Arabic script; numbers as plain
numbers (20, 12.5); text cells that a spreadsheet would run as a formula are defused.
"""

import csv
import io

from django.utils.text import capfirst
from django.utils.translation import gettext as _

from practices.models.outcomes import number

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def safe_text(value):
    """Text a spreadsheet shows as text: a leading ``'`` stops ``=HYPERLINK(…)`` and the like."""
    text = "" if value is None else str(value)
    if text.startswith(FORMULA_STARTS):
        return "'" + text
    return text


def _figure(value):
    value = number(value)
    return "" if value is None else str(value)


def _met(indicator):
    if indicator is None or indicator.target_met is None:
        return ""
    return _("met") if indicator.target_met else _("not met")


def header(comparison):
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
    return [safe_text(cell) for cell in cells]


def rows(comparison, absolute_url):
    """The CSV rows; ``absolute_url(page)`` gives a row's address."""
    for row in comparison.rows:
        cells = [
            safe_text(row.title),
            safe_text(capfirst(row.type_label)),
            safe_text(row.organisation),
            safe_text(row.places),
            row.start_date.isoformat() if row.start_date else "",
            row.end_date.isoformat() if row.end_date else "",
        ]
        for indicator in row.cell_list(comparison.columns):
            if indicator is None:
                cells += ["", "", ""]
            else:
                cells += [_figure(indicator.value), _figure(indicator.target), _met(indicator)]
        cells += [str(row.targets_met), str(row.targets_set), safe_text(absolute_url(row.page))]
        yield cells


def to_csv(comparison, absolute_url):
    """The whole CSV document as text, starting with a byte-order mark."""
    buffer = io.StringIO()
    buffer.write("\ufeff")
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(header(comparison))
    writer.writerows(rows(comparison, absolute_url))
    return buffer.getvalue()
