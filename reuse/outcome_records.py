"""The records an outcome comparison covers, found, filtered, counted, sorted and paged in the
database, so that a comparison page costs the same at 100 records as at 100,000.

A record (a practice or a report and its translations) is shown once, in the reader's
language where that translation is live and public, else in its oldest live, public page (its
source), as ``practices.records.records_for_reader`` picks it; here the pick is a condition in
SQL (``shown_pages``), so that counting, sorting and slicing see the pages the reader sees.

``OutcomeRecords`` is the whole set of one comparison (a method's or an activity type's, with
the reader's filters); ``ordered(sort, descending)`` gives ``(kind, pk)`` pairs in the order
of any sortable column, for a ``Paginator`` or a download read in batches.
"""

from functools import cached_property

from django.db.models import (
    Case,
    Count,
    Exists,
    F,
    FloatField,
    IntegerField,
    OuterRef,
    Q,
    Subquery,
    Value,
    When,
)
from django.db.models.functions import Cast, Coalesce, Lower
from django.db.models.lookups import GreaterThan

from practices.models import MethodAdoption, PracticePage, ProjectReportPage
from practices.models.outcomes import indicator_terms
from practices.visibility import visible

MODELS = {"practice": PracticePage, "report": ProjectReportPage}
# Rows a download reads and renders at a time.
BATCH = 500


def indicator_model(model):
    return model.indicators.rel.related_model


def _through(model, field):
    """(through model, its column to the page, its column to the place) of an m2m field."""
    m2m = model._meta.get_field(field)
    return m2m.remote_field.through, m2m.m2m_field_name(), m2m.m2m_reverse_field_name()


def shown_pages(model, pages, locale):
    """One page per record of ``pages``: its live, public page in ``locale``, else its oldest
    live, public page."""
    # The records' keys are read first: as a subquery, PostgreSQL planned the reader's-page
    # conditions over every page of the type (0.3 s at 10,000 records for an empty set).
    keys = list(pages.order_by().values_list("translation_key", flat=True).distinct())
    in_locale = visible(
        model.objects.filter(translation_key=OuterRef("translation_key"), locale=locale)
    )
    oldest = (
        visible(model.objects.filter(translation_key=OuterRef("translation_key")))
        .order_by("pk")
        .values("pk")[:1]
    )
    return visible(model.objects.filter(translation_key__in=keys)).filter(
        Q(locale=locale) | (~Exists(in_locale) & Q(pk=Subquery(oldest)))
    )


def _measured(model):
    return Exists(indicator_model(model).objects.filter(page=OuterRef("pk")))


def in_region(model, region):
    """Records that ran in ``region`` (a kommun there or the län itself); a record that names
    no place is where its organisation is based (as on the place pages)."""
    munis, page_col, muni_col = _through(model, "municipalities")
    regions, _page, region_col = _through(model, "regions")
    named = Exists(munis.objects.filter(**{page_col: OuterRef("pk")})) | Exists(
        regions.objects.filter(**{_page: OuterRef("pk")})
    )
    there = Exists(
        munis.objects.filter(**{page_col: OuterRef("pk"), f"{muni_col}__region": region})
    ) | Exists(regions.objects.filter(**{_page: OuterRef("pk"), region_col: region}))
    seated = Q(organisation__region=region) | Q(organisation__municipality__region=region)
    return there | (~named & seated)


def _in_year(year):
    """Records whose period includes some of ``year`` (a record without a start date has no
    period to place in a year)."""
    return Q(start_date__year__lte=year) & (Q(end_date__isnull=True) | Q(end_date__year__gte=year))


# Sorting ------------------------------------------------------------------------------------


def _first_place_name(model):
    munis, page_col, muni_col = _through(model, "municipalities")
    regions, region_page_col, region_col = _through(model, "regions")
    first_muni = (
        munis.objects.filter(**{page_col: OuterRef("pk")})
        .order_by(f"{muni_col}__name")
        .values(f"{muni_col}__name")[:1]
    )
    first_region = (
        regions.objects.filter(**{region_page_col: OuterRef("pk")})
        .order_by(f"{region_col}__name")
        .values(f"{region_col}__name")[:1]
    )
    return Lower(Coalesce(Subquery(first_muni), Subquery(first_region)))


def _indicator_count(model, condition):
    rows = (
        indicator_model(model)
        .objects.filter(condition, page=OuterRef("pk"))
        .order_by()
        .values("page")
        .annotate(n=Count("pk"))
        .values("n")
    )
    return Coalesce(Subquery(rows, output_field=IntegerField()), 0)


def _target_met_q():
    """An indicator that reached its target (stayed under it where less is better)."""
    terms = indicator_terms()
    lower_is_better = [key for key, (_label, higher) in terms.items() if not higher]
    return Q(target__isnull=False) & (
        (Q(key__in=lower_is_better) & Q(value__lte=F("target")))
        | (~Q(key__in=lower_is_better) & Q(value__gte=F("target")))
    )


def _targets_share(model):
    targets_set = _indicator_count(model, Q(target__isnull=False))
    met = _indicator_count(model, _target_met_q())
    return Case(
        When(
            GreaterThan(targets_set, 0),
            then=Cast(met, FloatField()) / Cast(targets_set, FloatField()),
        ),
        default=None,
        output_field=FloatField(),
    )


def _indicator_value(model, column_id):
    """The value of the column's indicator (``key.unit``): the latest measured."""
    key, _dot, unit = column_id.partition(".")
    latest = (
        indicator_model(model)
        .objects.filter(page=OuterRef("pk"), key=key, unit=unit)
        .order_by(F("measured_on").desc(nulls_last=True), "-sort_order", "-pk")
        .values("value")[:1]
    )
    return Subquery(latest)


def sort_value(model, key):
    """The SQL expression a column sorts by (see ``comparison.BASE_SORTS``)."""
    if key == "title":
        return Lower("title")
    if key == "organisation":
        return Lower("organisation__name")
    if key == "place":
        return _first_place_name(model)
    if key == "period":
        return F("start_date")
    if key == "targets":
        return _targets_share(model)
    return _indicator_value(model, key)


class OutcomeRecords:
    """The records of one comparison, in the reader's locale, with the reader's filters."""

    def __init__(self, sources, locale, region=None, year=None, organisation_kind="", subject=None):
        """``sources``: {kind: queryset of pages (any translation, any state) of the
        comparison's subject}; ``subject``: what the comparison is of (e.g. ``"method:<id>"``),
        which with the locale and filters names this set in the fragment cache (``key``)."""
        self.key = None
        if subject is not None:
            region_code = region.code if region is not None else ""
            self.key = f"{subject}:{locale.language_code}:{region_code}:{year or ''}:"
            self.key += organisation_kind or ""
        self._sources = sources
        self._locale = locale
        self._filters = (region, year, organisation_kind)

    @cached_property
    def querysets(self):
        """{kind: queryset of the pages shown}, built on first use: a page whose figures come
        from the fragment cache (``key``) reads no record key at all."""
        region, year, organisation_kind = self._filters
        querysets = {}
        for kind, pages in self._sources.items():
            model = MODELS[kind]
            shown = shown_pages(model, pages, self._locale).filter(_measured(model))
            if region is not None:
                shown = shown.filter(in_region(model, region))
            if year is not None:
                shown = shown.filter(_in_year(year))
            if organisation_kind:
                shown = shown.filter(organisation__kind=organisation_kind)
            querysets[kind] = shown
        return querysets

    def count(self):
        return sum(queryset.count() for queryset in self.querysets.values())

    def columns(self):
        """``[(key, unit, label)]``: every indicator column the whole set measured."""
        found = {}
        for kind, queryset in self.querysets.items():
            rows = (
                indicator_model(MODELS[kind])
                .objects.filter(page__in=queryset.values("pk"))
                .order_by()
                .values_list("key", "unit", "label")
                .distinct()
            )
            for key, unit, label in rows:
                found.setdefault((key, unit), label)
        return [(key, unit, label) for (key, unit), label in found.items()]

    def ordered(self, key, descending):
        """``(kind, pk, …)`` rows of the whole set in the column's order: records without a
        value last, then by title (one query, ready to slice)."""
        parts = []
        for kind, queryset in self.querysets.items():
            parts.append(
                queryset.annotate(
                    kind=Value(kind),
                    sort_value=sort_value(MODELS[kind], key),
                    title_key=Lower("title"),
                )
                .annotate(
                    missing=Case(When(sort_value__isnull=True, then=1), default=0),
                )
                .order_by()
                .values_list("kind", "pk", "missing", "sort_value", "title_key")
            )
        if not parts:
            return PracticePage.objects.none().values_list("pk")
        combined = parts[0].union(*parts[1:], all=True) if len(parts) > 1 else parts[0]
        value = "-sort_value" if descending else "sort_value"
        return combined.order_by("missing", value, "title_key", "kind", "pk")


def pages_of(rows):
    """The pages of ``(kind, pk, …)`` rows, in their order, with what a row shows read in a
    few queries."""
    wanted = {}
    for row in rows:
        wanted.setdefault(row[0], []).append(row[1])
    found = {}
    for kind, pks in wanted.items():
        pages = (
            MODELS[kind]
            .objects.filter(pk__in=pks)
            .select_related("locale", "organisation")
            .prefetch_related("indicators", "municipalities", "regions")
        )
        found.update({(kind, page.pk): page for page in pages})
    return [found[(row[0], row[1])] for row in rows if (row[0], row[1]) in found]


def batches(rows, size=None):
    """``rows`` (an ordered queryset) read ``size`` at a time, as lists of pages: a download
    holds one batch in memory, whatever the size of the set."""
    size = size or BATCH
    batch = []
    for row in rows.iterator(chunk_size=size):
        batch.append(row)
        if len(batch) == size:
            yield pages_of(batch)
            batch = []
    if batch:
        yield pages_of(batch)


def method_sources(method):
    """{kind: pages} that applied ``method`` (any translation), or, for practices, that an
    organisation linked when it recorded adopting it."""
    key = method.translation_key
    adopted = MethodAdoption.objects.filter(
        method__translation_key=key, method__live=True, practice__isnull=False
    ).values("practice__translation_key")
    sources = {}
    for kind, model in MODELS.items():
        applied = model.objects.filter(method_links__method__translation_key=key)
        condition = Q(translation_key__in=applied.values("translation_key"))
        if model is PracticePage:
            condition |= Q(translation_key__in=adopted)
        sources[kind] = model.objects.filter(condition)
    return sources


def activity_type_sources(term):
    """{kind: pages} tagged with the activity type ``term`` (a source-language row)."""
    return {kind: model.objects.filter(activity_types=term) for kind, model in MODELS.items()}
