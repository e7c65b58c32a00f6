"""Who uses a method: explicit adoptions merged with practices that list it as applied.

One list per method record (all translations of a method share a ``translation_key``), one
entry per organisation, in the reader's language: linked practices are shown in the reader's
translation where it is live, and only live, public practices are linked or counted.

An organisation's explicit record (``MethodAdoption``) wins over what a practice implies: its
status, start date and "what we changed" are used, and the practice is kept as its link when
the record names none.
"""

from collections import defaultdict
from dataclasses import dataclass, field

from django.conf import settings
from django.utils import timezone

from practices.models import (
    ActivityType,
    AdoptionStatus,
    MethodAdoption,
    MethodPage,
    PracticeMethod,
    PracticePage,
    Region,
)
from practices.records import records_for_reader
from practices.visibility import visible

from . import comparison

# Most advanced first: a running adoption is the strongest sign that a method travels.
STATUS_ORDER = {AdoptionStatus.RUNNING: 0, AdoptionStatus.FINISHED: 1, AdoptionStatus.PLANNED: 2}


@dataclass
class Adoption:
    """One organisation's use of a method, as a reader sees it."""

    organisation: object  # Organisation, or None for a practice that names none
    status: str
    start_date: object = None
    changes: str = ""
    changes_language: str = ""  # language code of ``changes``: the platform's source language
    practice: PracticePage | None = None
    recorded: bool = False  # True when the organisation recorded it (``MethodAdoption``)

    @property
    def status_label(self):
        return AdoptionStatus(self.status).label

    @property
    def end_date(self):
        """When a finished adoption ended: its practice's end date, if it has one."""
        if self.status != AdoptionStatus.FINISHED or self.practice is None:
            return None
        return self.practice.end_date

    @property
    def regions(self):
        """The regions it runs in: the practice's places, else the organisation's seat."""
        regions = set()
        if self.practice is not None:
            regions.update(m.region for m in self.practice.municipalities.all())
            regions.update(self.practice.regions.all())
        if not regions and self.organisation is not None:
            seat = self.organisation.region or (
                self.organisation.municipality.region if self.organisation.municipality else None
            )
            if seat is not None:
                regions.add(seat)
        return regions

    @property
    def places(self):
        """Place names for reading: where the practice ran, else the organisation's seat."""
        if self.practice is not None and self.practice.places:
            return [place.name for place in self.practice.places]
        if self.organisation is not None:
            seat = self.organisation.municipality or self.organisation.region
            if seat is not None:
                return [seat.name]
        return []

    @property
    def has_outcomes(self):
        return self.practice is not None and bool(self.practice.indicators.all())

    @property
    def sort_key(self):
        name = self.organisation.name if self.organisation else ""
        return (STATUS_ORDER.get(self.status, 9), name.lower())


@dataclass
class MethodReuse:
    """A method and the organisations that use it."""

    method: MethodPage
    adoptions: list = field(default_factory=list)
    # Practices and reports with measured outcomes that its comparison shows (0: nothing to
    # compare, so no "Compare" link).
    outcome_count: int = 0

    @property
    def organisation_count(self):
        return len({a.organisation.pk for a in self.adoptions if a.organisation is not None})

    @property
    def region_count(self):
        return len(self.regions)

    @property
    def regions(self):
        return {region for adoption in self.adoptions for region in adoption.regions}

    def in_region(self, region):
        """The same method with only the adoptions in ``region``."""
        kept = [adoption for adoption in self.adoptions if region in adoption.regions]
        return MethodReuse(self.method, kept, self.outcome_count)


def status_from_period(page, today=None):
    """What a practice's period says about how far it has come."""
    today = today or timezone.localdate()
    if page.start_date and page.start_date > today:
        return AdoptionStatus.PLANNED
    if page.end_date and page.end_date < today:
        return AdoptionStatus.FINISHED
    return AdoptionStatus.RUNNING


def _practice_queryset():
    return PracticePage.objects.select_related(
        "locale", "organisation__region", "organisation__municipality__region"
    ).prefetch_related("municipalities__region", "regions", "indicators")


def _explicit_rows(method_keys):
    """Explicit adoptions per method key, ``{translation_key: {organisation_id: row}}``.

    Adoptions are stored on a method's source page, one per organisation.
    """
    rows = MethodAdoption.objects.filter(
        method__translation_key__in=method_keys, method__live=True
    ).select_related(
        "method",
        "practice",
        "organisation__region",
        "organisation__municipality__region",
    )
    chosen = defaultdict(dict)
    for row in rows:
        chosen[row.method.translation_key][row.organisation_id] = row
    return chosen


def reuse_for_methods(methods, locale):
    """``{translation_key: MethodReuse}`` for the given method pages, read in ``locale``."""
    methods = list(methods)
    keys = [method.translation_key for method in methods]
    explicit = _explicit_rows(keys)
    outcome_counts = comparison.outcome_counts(keys)

    implicit_pairs = list(
        PracticeMethod.objects.filter(method__translation_key__in=keys, page__live=True)
        .values_list("method__translation_key", "page__translation_key")
        .distinct()
    )
    linked_practice_keys = {
        row.practice.translation_key
        for rows in explicit.values()
        for row in rows.values()
        if row.practice_id
    }
    practice_keys = {practice_key for _, practice_key in implicit_pairs} | linked_practice_keys
    practices = {
        page.translation_key: page
        for page in records_for_reader(_practice_queryset(), list(practice_keys), locale)
    }

    implicit = defaultdict(list)
    for method_key, practice_key in implicit_pairs:
        if practice_key in practices:
            implicit[method_key].append(practices[practice_key])

    result = {}
    for method in methods:
        key = method.translation_key
        entries = {}
        for practice in sorted(implicit[key], key=lambda page: page.title.lower()):
            owner = ("organisation", practice.organisation_id)
            if practice.organisation_id is None:
                owner = ("practice", practice.translation_key)
            entries.setdefault(
                owner,
                Adoption(
                    organisation=practice.organisation,
                    status=status_from_period(practice),
                    start_date=practice.start_date,
                    practice=practice,
                ),
            )
        for organisation_id, row in explicit[key].items():
            owner = ("organisation", organisation_id)
            linked = practices.get(row.practice.translation_key) if row.practice_id else None
            implied = entries.get(owner)
            entries[owner] = Adoption(
                organisation=row.organisation,
                status=row.status,
                start_date=row.start_date or (implied.start_date if implied else None),
                changes=row.changes,
                changes_language=settings.LANGUAGE_CODE,
                practice=linked or (implied.practice if implied else None),
                recorded=True,
            )
        result[key] = MethodReuse(
            method,
            sorted(entries.values(), key=lambda a: a.sort_key),
            outcome_counts.get(key, 0),
        )
    return result


def method_reuse(method, locale):
    """Who uses ``method`` (any translation of it), read in ``locale``."""
    return reuse_for_methods([method], locale)[method.translation_key]


def based_on_methods(practice, locale):
    """The methods a practice is based on: its "methods applied" rows and the methods whose
    adoptions name it, one per method record, in the reader's language where live."""
    keys = list(
        dict.fromkeys(
            list(practice.method_links.values_list("method__translation_key", flat=True))
            + list(
                MethodAdoption.objects.filter(
                    practice__translation_key=practice.translation_key, method__live=True
                ).values_list("method__translation_key", flat=True)
            )
        )
    )
    return records_for_reader(MethodPage.objects.all(), keys, locale)


@dataclass
class Overview:
    """The reuse overview: methods ranked by how many organisations use them."""

    methods: list
    activity_type: ActivityType | None = None
    region: Region | None = None


def reuse_overview(locale, activity_type=None, region=None):
    """Live methods ranked by organisations, then regions, then title.

    ``activity_type`` (a source-language term) keeps the methods tagged with it; ``region``
    keeps only the adoptions in that region and drops methods with none there.
    """
    methods = visible(MethodPage.objects)
    if activity_type is not None:
        methods = methods.filter(activity_types=activity_type)
    keys = list(methods.values_list("translation_key", flat=True).distinct())
    readable = records_for_reader(
        MethodPage.objects.select_related("locale").prefetch_related("activity_types"),
        keys,
        locale,
    )
    reuse = reuse_for_methods(readable, locale).values()
    if region is not None:
        reuse = [item.in_region(region) for item in reuse]
        reuse = [item for item in reuse if item.adoptions]
    ranked = sorted(
        reuse,
        key=lambda item: (-item.organisation_count, -item.region_count, item.method.title.lower()),
    )
    return Overview(ranked, activity_type=activity_type, region=region)
