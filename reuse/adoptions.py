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
from django.core.paginator import Paginator
from django.db import connection
from django.db.models import Prefetch, Q
from django.db.models.functions import Lower
from django.utils import timezone

from caching import fragments
from practices.models import (
    ActivityType,
    AdoptionStatus,
    MethodAdoption,
    MethodPage,
    Municipality,
    PracticeMethod,
    PracticePage,
    Region,
)
from practices.records import records_for_reader
from practices.visibility import visible

from . import comparison
from .outcome_records import in_region, shown_pages

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


# What an adoption never shows of its practice: the long text (a body can be tens of kB, and a
# busy method has hundreds of practices).
PRACTICE_TEXT = ("body", "challenge", "results", "lessons_learned", "search_description")


def _practice_queryset():
    return (
        PracticePage.objects.defer(*PRACTICE_TEXT)
        .select_related("locale", "organisation__region", "organisation__municipality__region")
        .prefetch_related(
            # The kommuner with their län in one query, not a second one for the län.
            Prefetch("municipalities", queryset=Municipality.objects.select_related("region")),
            "regions",
            "indicators",
        )
    )


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


def reuse_for_methods(methods, locale, with_outcomes=True):
    """``{translation_key: MethodReuse}`` for the given method pages, read in ``locale``;
    without ``with_outcomes``, their ``outcome_count`` is left at 0 (a query saved where it is
    not shown)."""
    methods = list(methods)
    if not methods:
        return {}
    keys = [method.translation_key for method in methods]
    explicit = _explicit_rows(keys)
    outcome_counts = comparison.outcome_counts(keys) if with_outcomes and keys else {}

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
    """The reuse overview: methods ranked by how many organisations use them, a page of them
    (``page_obj``, a Paginator page of the ranking; ``methods``, that page's ``MethodReuse``)."""

    methods: list
    activity_type: ActivityType | None = None
    region: Region | None = None
    page_obj: object = None

    @property
    def total(self):
        return self.page_obj.paginator.count if self.page_obj is not None else len(self.methods)


# Methods a page of the overview shows.
PER_PAGE = 25


def _owners(method_keys, region=None):
    """(method translation key, organisation id) pairs, and (method key, practice key) pairs
    for practices that name no organisation: who uses each method, as querysets (the
    organisations of live, public practices that applied it, and of the recorded adoptions;
    with ``region``, only those there)."""
    practices = visible(PracticePage.objects)
    if region is not None:
        practices = practices.filter(in_region(PracticePage, region))
    applied = PracticeMethod.objects.filter(
        method__translation_key__in=method_keys, page__in=practices.values("pk")
    ).order_by()
    adopted = MethodAdoption.objects.filter(
        method__translation_key__in=method_keys, method__live=True
    ).order_by()
    if region is not None:
        linked_there = Q(practice__translation_key__in=practices.values("translation_key"))
        seated = Q(organisation__region=region) | Q(organisation__municipality__region=region)
        adopted = adopted.filter(linked_there | (Q(practice__isnull=True) & seated))
    organisations = (
        applied.filter(page__organisation__isnull=False)
        .values_list("method__translation_key", "page__organisation")
        .union(adopted.values_list("method__translation_key", "organisation"))
    )
    anonymous = applied.filter(page__organisation__isnull=True).values_list(
        "method__translation_key", "page__translation_key"
    )
    return organisations, anonymous


def _count_by_method(pairs):
    """{method key: how many distinct second values} of a queryset of pairs, counted in the
    database."""
    sql, params = pairs.query.sql_with_params()
    with connection.cursor() as cursor:
        # The inner query is Django's own, with its parameters.
        cursor.execute(
            f"WITH pairs (method_key, owner) AS ({sql}) "  # noqa: S608
            "SELECT method_key, COUNT(DISTINCT owner) FROM pairs GROUP BY method_key",
            params,
        )
        return {str(key).replace("-", ""): count for key, count in cursor.fetchall()}


def organisation_counts(method_keys, region=None):
    """{method translation key (hex): organisations using it}, counted in the database (a
    practice that names no organisation counts as one)."""
    organisations, anonymous = _owners(method_keys, region)
    counts = _count_by_method(organisations)
    for key, count in _count_by_method(anonymous).items():
        counts[key] = counts.get(key, 0) + count
    return counts


# What the overview's ranking depends on: methods and the practices and reports that apply
# them (``list:…``), adoptions (``reuse``), organisations, terms and restrictions.
RANKING_TAGS = (
    "reuse",
    "list:method",
    "list:practice",
    "list:report",
    "orgs",
    "taxonomy",
    "restrictions",
)


def _ranking(locale, activity_type, region):
    """The translation keys of the live methods, most organisations first, then by title."""
    methods = visible(MethodPage.objects)
    if activity_type is not None:
        methods = methods.filter(activity_types=activity_type)
    shown = shown_pages(MethodPage, methods, locale)
    keys = methods.values("translation_key")
    counts = organisation_counts(keys, region)
    ranking = [
        (-counts.get(key.hex, 0), title, key)
        for key, title in shown.annotate(title_key=Lower("title")).values_list(
            "translation_key", "title_key"
        )
        if region is None or counts.get(key.hex)
    ]
    ranking.sort()
    return [key for _count, _title, key in ranking]


def reuse_overview(locale, activity_type=None, region=None, page_number=None, per_page=None):
    """Live methods ranked by organisations, then title; one page of them.

    ``activity_type`` (a source-language term) keeps the methods tagged with it; ``region``
    keeps only the adoptions in that region and drops methods with none there. The ranking
    is counted in the database and kept in the fragment cache (per page shown) until what it
    counts changes (``RANKING_TAGS``); only the page's methods are read whole.
    """
    per_page = per_page or PER_PAGE

    def page_of_ranking():
        page_obj = Paginator(_ranking(locale, activity_type, region), per_page).get_page(
            page_number
        )
        return page_obj.paginator.count, page_obj.number, list(page_obj.object_list)

    key = ":".join(
        (
            "reuse-overview",
            locale.language_code,
            activity_type.slug if activity_type is not None else "",
            region.code if region is not None else "",
            str(per_page),
            str(page_number),
        )
    )
    count, number, page_keys = fragments.cached(key, RANKING_TAGS, page_of_ranking)
    page_obj = Paginator(comparison.KnownPage(count, page_keys), per_page).page(number)
    readable = records_for_reader(
        MethodPage.objects.select_related("locale").prefetch_related("activity_types"),
        page_keys,
        locale,
    )
    reuse = reuse_for_methods(readable, locale)
    ranked = [reuse[key] for key in page_keys if key in reuse]
    if region is not None:
        ranked = [item.in_region(region) for item in ranked]
    return Overview(ranked, activity_type=activity_type, region=region, page_obj=page_obj)
