"""Where methods are used and where records ran, as map input: kommun codes with a status,
and the rows of the table that says the same in words.

A method's use comes from ``reuse.adoptions`` (the adoptions organisations recorded, merged
with the practices that applied the method): an adoption is placed in its practice's
kommuner, else in its organisation's seat. An adoption that names only a län (a practice
run across a whole region, an organisation seated in a region) has a table row but fills no
kommun: the map would claim more than is known.
"""

from dataclasses import dataclass, field

from django.db.models import Case, F, Value, When
from django.utils import timezone

from caching import fragments
from practices.locales import active_locale
from practices.models import AdoptionStatus, Municipality, PracticePage, ProjectReportPage, Region
from practices.visibility import visible
from reuse.adoptions import STATUS_ORDER, method_reuse
from search.models import RecordFacet

from .located import fetch, union_sql


@dataclass
class UsageRow:
    """One kommun (or a whole län) where an organisation uses a method."""

    municipality: Municipality | None
    region: Region | None
    organisation: object
    status: str
    status_label: str
    methods: list = field(default_factory=list)


@dataclass
class Usage:
    rows: list
    filled: dict  # {kommun code: most advanced status}

    @property
    def kommun_count(self):
        return len(self.filled)


def _advance(filled, code, status):
    """Keep the most advanced status per kommun (running, then finished, then planned)."""
    current = filled.get(code)
    if current is None or STATUS_ORDER.get(status, 9) < STATUS_ORDER.get(current, 9):
        filled[code] = status


def _places(adoption):
    """``(kommuner, län)`` of an adoption: its practice's places, else its organisation's
    seat."""
    practice, organisation = adoption.practice, adoption.organisation
    if practice is not None:
        municipalities = list(practice.municipalities.all())
        if municipalities:
            return municipalities, []
        regions = list(practice.regions.all())
        if regions:
            return [], regions
    if organisation is not None:
        if organisation.municipality is not None:
            return [organisation.municipality], []
        if organisation.region is not None:
            return [], [organisation.region]
    return [], []


def _row_key(row):
    return (
        row.region.code if row.region else "99",
        row.municipality.name.lower() if row.municipality else "",
        row.organisation.name.lower() if row.organisation else "",
    )


def usage_of_reuse(items):
    """The usage of the ``MethodReuse`` items (``reuse.adoptions``): one row per kommun (or
    län), organisation and method; the map's fill is each kommun's most advanced status."""
    rows, filled = [], {}
    for item in items:
        for adoption in item.adoptions:
            municipalities, regions = _places(adoption)
            for municipality in municipalities:
                _advance(filled, municipality.code, adoption.status)
                rows.append(
                    UsageRow(
                        municipality,
                        municipality.region,
                        adoption.organisation,
                        adoption.status,
                        adoption.status_label,
                        [item.method],
                    )
                )
            for region in regions:
                rows.append(
                    UsageRow(
                        None,
                        region,
                        adoption.organisation,
                        adoption.status,
                        adoption.status_label,
                        [item.method],
                    )
                )
    rows.sort(key=_row_key)
    return Usage(rows, filled)


def method_usage(method, locale=None):
    """Where ``method`` (any translation) is used, read in ``locale`` (default: the active
    language)."""
    return usage_of_reuse([method_reuse(method, locale or active_locale())])


@dataclass
class KommunUse:
    """A kommun on the map of all methods: the methods used there and its most advanced
    status."""

    municipality: Municipality
    status: str
    methods: list

    @property
    def status_label(self):
        return AdoptionStatus(self.status).label


def usage_by_kommun(usage):
    """The rows of ``usage`` grouped per kommun (län-only rows left out), in table order."""
    grouped = {}
    for row in usage.rows:
        if row.municipality is None:
            continue
        entry = grouped.setdefault(
            row.municipality.code,
            KommunUse(row.municipality, usage.filled[row.municipality.code], []),
        )
        for method in row.methods:
            if all(method.pk != known.pk for known in entry.methods):
                entry.methods.append(method)
    for entry in grouped.values():
        entry.methods.sort(key=lambda method: method.title.lower())
    return list(grouped.values())


def place_records_filled(code, today=None):
    """``{kommun code: status}`` of the live, public practices and reports that ran in the
    kommun or län ``code`` (every kommun they name, so a regional project shows its whole
    reach), each by its period: planned, running or finished. The statuses are worked out in
    the database: one query, a row per kommun and status whatever the number of records; kept
    in the fragment cache for the day until a record of either type, a restriction or the
    taxonomy changes."""
    today = today or timezone.localdate()
    return fragments.cached(
        f"place-records-filled:{code}:{today.isoformat()}",
        FILLED_TAGS,
        lambda: _filled(code, today),
    )


FILLED_TAGS = ("list:practice", "list:report", "restrictions", "taxonomy")


def _filled(code, today):
    facet = "region" if len(code) == 2 else "municipality"
    named = RecordFacet.objects.filter(facet=facet, value=code).values("translation_key")
    status = Case(
        When(start_date__gt=today, then=Value(AdoptionStatus.PLANNED)),
        When(end_date__lt=today, then=Value(AdoptionStatus.FINISHED)),
        default=Value(AdoptionStatus.RUNNING),
    )
    parts = [
        visible(model.objects)
        .filter(translation_key__in=named)
        .annotate(c=F("municipalities__code"), s=status)
        .values_list("c", "s")
        for model in (PracticePage, ProjectReportPage)
    ]
    sql, params = union_sql(parts)
    filled = {}
    rows = fetch(
        f"SELECT DISTINCT c, s FROM ({sql}) AS found WHERE c IS NOT NULL",  # noqa: S608 - our own compiled SQL
        params,
    )
    for municipality, period in rows:
        _advance(filled, municipality, period)
    return filled
