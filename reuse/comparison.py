"""Outcome comparison: the measured outcomes of the practices and reports behind a method or an
activity type, side by side, for the table, the bar charts and the CSV download.

Each indicator key gets one column per unit, so people and percent are never mixed in a
column ("In work (people)", "In work (%)"). One row per record (a practice or report and its
translations), in the reader's language where a translation is live.
"""

import re
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from django.core.paginator import Paginator
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from caching import fragments
from practices.models import (
    IndicatorKey,
    IndicatorUnit,
    MethodAdoption,
    PracticeIndicator,
    PracticePage,
    ProjectReportPage,
)
from practices.visibility import visible

from .outcome_records import OutcomeRecords, batches, method_sources, pages_of

STANDARD_KEYS = list(IndicatorKey.values)
UNIT_ORDER = [IndicatorUnit.COUNT, IndicatorUnit.PERCENT]
MODELS = (PracticePage, ProjectReportPage)


@dataclass(frozen=True)
class Column:
    """An indicator column: one key in one unit."""

    key: str
    unit: str
    name: str  # the indicator's name in the reader's language

    @property
    def id(self):
        return f"{self.key}.{self.unit}"

    @property
    def is_percent(self):
        return self.unit == IndicatorUnit.PERCENT

    @property
    def label(self):
        if self.is_percent:
            return _("%(indicator)s (%%)") % {"indicator": self.name}
        return _("%(indicator)s (people)") % {"indicator": self.name}

    @property
    def order(self):
        standard = (
            STANDARD_KEYS.index(self.key) if self.key in STANDARD_KEYS else len(STANDARD_KEYS)
        )
        return (standard, self.key, UNIT_ORDER.index(self.unit))


@dataclass
class Row:
    """One practice or report and its indicator values by column id."""

    page: object
    cells: dict = field(default_factory=dict)  # column id -> OutcomeIndicator

    @property
    def title(self):
        return self.page.title

    @property
    def type_label(self):
        return self.page._meta.verbose_name

    @property
    def organisation(self):
        return self.page.organisation.name if self.page.organisation else ""

    @property
    def places(self):
        return ", ".join(place.name for place in self.page.places)

    @property
    def start_date(self):
        return self.page.start_date

    @property
    def end_date(self):
        return self.page.end_date

    @property
    def targets_set(self):
        return sum(1 for cell in self.cells.values() if cell.target is not None)

    @property
    def targets_met(self):
        return sum(1 for cell in self.cells.values() if cell.target_met)

    def cell_list(self, columns):
        """The row's indicators in column order (None where it measured nothing)."""
        return [self.cells.get(column.id) for column in columns]


# Sortable columns besides the indicator columns: id -> (label, value for sorting).
BASE_SORTS = {
    "title": (gettext_lazy("Practice or report"), lambda row: row.title.lower()),
    "organisation": (gettext_lazy("Organisation"), lambda row: row.organisation.lower() or None),
    "place": (gettext_lazy("Where"), lambda row: row.places.lower() or None),
    "period": (gettext_lazy("Period"), lambda row: row.start_date),
    "targets": (
        gettext_lazy("Targets met"),
        lambda row: (row.targets_met / row.targets_set) if row.targets_set else None,
    ),
}
DEFAULT_SORT = "title"  # in memory (``compare``)
# A comparison page's order when the reader chose none: the most recent first.
PAGE_SORT = "-period"


@dataclass
class Bar:
    """One row's bar in a chart: its value and target as shares (0–100) of the chart's scale."""

    row: Row
    indicator: object
    width: float  # 0–100, share of the chart's scale
    target_at: float | None = None  # where the target stands, 0–100; None without a target

    @property
    def rtl_x(self):
        """Where the bar starts when the chart is drawn right to left."""
        return round(100 - self.width, 2)

    @property
    def target_x(self):
        """The target marker's place in a chart drawn left to right."""
        return self.target_at

    @property
    def rtl_target_x(self):
        return None if self.target_at is None else round(100 - self.target_at, 2)

    @property
    def met(self):
        """True or False against the target, None without one."""
        return self.indicator.target_met


@dataclass
class Chart:
    column: Column
    bars: list

    @property
    def has_targets(self):
        return any(bar.target_at is not None for bar in self.bars)


@dataclass
class Comparison:
    """What the comparison page, its chart and its CSV show."""

    rows: list
    columns: list
    sort: str = DEFAULT_SORT
    descending: bool = False
    # A page of a whole set (``compare_records``): the Paginator's page, and the set's size.
    page_obj: object = None
    total: int | None = None

    @property
    def charts(self):
        """One bar chart per indicator column, every bar of a chart on the same scale: percent
        0–100 (further if a figure exceeds 100), people 0 to the column's largest value or
        target, so that a bar and its target marker are comparable down the chart."""
        charts = []
        for column in self.columns:
            measured = [(row, row.cells[column.id]) for row in self.rows if column.id in row.cells]
            figures = [indicator.value for _, indicator in measured]
            figures += [i.target for _, i in measured if i.target is not None]
            largest = max(figures, default=Decimal(0))
            scale = max(largest, Decimal(100)) if column.is_percent else largest
            bars = [
                Bar(
                    row,
                    indicator,
                    _share(indicator.value, scale),
                    None if indicator.target is None else _share(indicator.target, scale),
                )
                for row, indicator in measured
            ]
            charts.append(Chart(column, bars))
        return charts

    def headers(self):
        """Every sortable column with its label, id and the state of the current sort."""
        headers = [(key, label) for key, (label, _key) in BASE_SORTS.items()]
        headers[4:4] = [(column.id, column.label) for column in self.columns]
        return [
            {
                "id": key,
                "label": label,
                "sorted": key == self.sort,
                "descending": key == self.sort and self.descending,
                "next": f"-{key}" if key == self.sort and not self.descending else key,
            }
            for key, label in headers
        ]


def _share(value, scale):
    if not scale or value <= 0:
        return 0.0
    return round(float(min(value / scale, 1) * 100), 2)


def parse_sort(value, columns):
    """``"in_work.percent"`` or ``"-period"`` -> (id, descending); unknown ids sort by title."""
    value = (value or "").strip()
    descending = value.startswith("-")
    key = value[1:] if descending else value
    known = set(BASE_SORTS) | {column.id for column in columns}
    if key not in known:
        return DEFAULT_SORT, False
    return key, descending


def _sort_rows(rows, key, descending, columns):
    if key in BASE_SORTS:
        value_of = BASE_SORTS[key][1]
    else:

        def value_of(row):
            cell = row.cells.get(key)
            return cell.value if cell is not None else None

    present = [row for row in rows if value_of(row) is not None]
    missing = [row for row in rows if value_of(row) is None]
    present.sort(key=lambda row: row.title.lower())
    present.sort(key=value_of, reverse=descending)
    # Rows without a value come last whichever way the column is sorted.
    return present + sorted(missing, key=lambda row: row.title.lower())


def _row(page):
    row = Row(page)
    # One value per column: a page that measured the same thing twice shows the latest.
    measured = sorted(page.indicators.all(), key=lambda i: i.measured_on or date.min)
    for indicator in measured:
        row.cells[indicator_column(indicator).id] = indicator
    return row


def indicator_column(indicator):
    return Column(indicator.key, indicator.unit, str(indicator.display_label))


def rows_of(pages):
    """A row per page that measured something, in the order of ``pages``."""
    return [row for row in map(_row, pages) if row.cells]


def compare(pages, sort=None):
    """The comparison of ``pages`` (live pages in the reader's language), sorted by ``sort``
    in memory: for a handful of pages (the database sorts a whole set: ``compare_records``)."""
    rows = rows_of(pages)
    columns = {}
    for row in rows:
        for indicator in row.cells.values():
            column = indicator_column(indicator)
            columns.setdefault(column.id, column)
    ordered_columns = sorted(columns.values(), key=lambda column: column.order)
    key, descending = parse_sort(sort, ordered_columns)
    rows = _sort_rows(rows, key, descending, ordered_columns)
    return Comparison(rows, ordered_columns, key, descending)


def columns_of(records):
    """The indicator columns of the whole set of ``records`` (``OutcomeRecords``), in order."""
    return columns_from(records.columns())


def columns_from(raw):
    """``Column``s in order from ``[(key, unit, label)]`` (``OutcomeRecords.columns``)."""
    columns = {}
    for key, unit, label in raw:
        indicator = PracticeIndicator(key=key, label=label)  # unsaved: for its label
        columns.setdefault(f"{key}.{unit}", Column(key, unit, str(indicator.display_label)))
    return sorted(columns.values(), key=lambda column: column.order)


def outcome_counts(method_keys):
    """{method translation key: how many records its comparison shows} for ``method_keys``:
    live, public practices and reports with measured outcomes that applied the method, or
    whose practice an organisation linked when it recorded adopting it (as
    ``pages_for_method``). A method absent from the result has nothing to compare."""
    applied = [
        visible(
            model.objects.filter(
                method_links__method__translation_key__in=method_keys,
                indicators__isnull=False,
            )
        )
        .order_by()
        .values_list("method_links__method__translation_key", "translation_key")
        for model in MODELS
    ]
    adopted = (
        MethodAdoption.objects.filter(
            method__translation_key__in=method_keys,
            method__live=True,
            practice__in=visible(PracticePage.objects.filter(indicators__isnull=False)),
        )
        .order_by()
        .values_list("method__translation_key", "practice__translation_key")
    )
    records = defaultdict(set)
    for method_key, key in applied[0].union(*applied[1:], adopted):  # one query
        records[method_key].add(key)
    return {method_key: len(keys) for method_key, keys in records.items()}


def pages_for_method(method, locale):
    """Every live practice and report with measured outcomes that applied ``method`` (any
    translation) or whose practice an organisation linked when it recorded adopting it, in
    ``locale`` where live, by title (the printable guide compares them all)."""
    records = OutcomeRecords(method_sources(method), locale)
    return [page for batch in batches(records.ordered("title", False)) for page in batch]


# How many rows a comparison page shows; the rest are on the following pages (and in the
# downloads, whole).
PER_PAGE = 50


# What a comparison's figures depend on: its records (any publish of a practice or report
# moves ``list:…`` and ``reuse``), adoptions (``reuse``), organisations, terms, restrictions.
FIGURE_TAGS = ("reuse", "list:practice", "list:report", "orgs", "taxonomy", "restrictions")


def compare_records(records, sort_key, descending, page_number=None, per_page=None):
    """One page of the comparison of ``records`` (``OutcomeRecords``, the whole set): sorted
    in the database over the whole set, ``per_page`` rows read; the columns are the whole
    set's. ``sort_key`` must be a known id (``sort_choices``).

    What reads the whole set (its columns, its count, which rows the page shows) is kept in
    the fragment cache under ``FIGURE_TAGS`` when the set has a ``key``: computed once per
    change of what it shows, then a comparison page reads only its own rows."""
    per_page = per_page or PER_PAGE

    def figures():
        paginator = Paginator(records.ordered(sort_key, descending), per_page)
        page_obj = paginator.get_page(page_number)
        rows = [tuple(row[:2]) for row in page_obj.object_list]
        return records.columns(), paginator.count, page_obj.number, rows

    if records.key is None:
        raw_columns, count, number, rows = figures()
    else:
        key = f"comparison:{records.key}:{sort_key}:{int(descending)}:{per_page}:{page_number}"
        raw_columns, count, number, rows = fragments.cached(key, FIGURE_TAGS, figures)
    page_obj = Paginator(KnownPage(count, rows), per_page).page(number)
    return Comparison(
        rows_of(pages_of(rows)), columns_from(raw_columns), sort_key, descending, page_obj, count
    )


class KnownPage:
    """A set already counted and sliced: ``Paginator`` asks it for the one page it holds."""

    def __init__(self, count, rows):
        self._count = count
        self.rows = rows
        self.ordered = True

    def count(self):
        return self._count

    def __len__(self):
        return self._count

    def __getitem__(self, index):
        return self.rows


INDICATOR_SORT = re.compile(
    r"[a-z0-9_-]{1,64}\.(%s)" % "|".join(re.escape(unit) for unit in IndicatorUnit.values)
)


def sort_from(value):
    """``"in_work.percent"`` or ``"-period"`` -> (id, descending); None for a value that names
    no column there could be (an indicator column the set lacks sorts every row as missing)."""
    descending = value.startswith("-")
    key = value[1:] if descending else value
    if key in BASE_SORTS or INDICATOR_SORT.fullmatch(key):
        return key, descending
    return None
