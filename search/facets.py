"""Facet values per record, stored in ``RecordFacet`` and kept in step with publishing.

A record's facets come from its source page (taxonomy, places and dates are synchronised to
its translations); its ``language`` facet lists the languages it can be read in: its source
language and the live translations whose text is all translated (a page still partly in
Swedish does not count as Arabic; ``translation.status.readable_languages``).
"""

from collections import defaultdict
from dataclasses import dataclass

from django.contrib.contenttypes.models import ContentType
from django.db import connection, transaction
from django.db.models import Count
from wagtail.models import Page

from practices.freshness import checked_on
from practices.models import CONTENT_PAGE_MODELS, CONTENT_PAGE_TYPES
from translation.status import readable_languages

from .models import RecordFacet, SearchState

FACETS = (
    "type",
    "activity_type",
    "target_group",
    "region",
    "municipality",
    "municipality_group",
    "year",
    "checked",
    "language",
)


DELETE_BATCH = 10_000  # ids per DELETE (SQLite allows 32,766 parameters)
# What a facet row needs of a page, read as values rather than page objects: building a
# Wagtail page object and prefetching its relations through modelcluster was most of a rebuild.
PAGE_COLUMNS = (
    "pk",
    "translation_key",
    "locale__language_code",
    "start_date",
    "last_published_at",
    "last_reviewed",
)


@dataclass
class LivePage:
    """A live content page as the facets read it (``live_record_pages``)."""

    pk: int
    translation_key: object
    language_code: str
    start_date: object
    last_published_at: object
    last_reviewed: object
    interchange_type: str


def live_record_pages(translation_keys=None):
    """Live content pages (``LivePage``), optionally only those of some records, oldest first."""
    models = CONTENT_PAGE_MODELS
    if translation_keys is not None:
        # Query only the page types these records have (one record is one type).
        type_ids = set(
            Page.objects.filter(translation_key__in=translation_keys).values_list(
                "content_type_id", flat=True
            )
        )
        models = [
            model for model in models if ContentType.objects.get_for_model(model).pk in type_ids
        ]
    pages = []
    for model in models:
        queryset = model.objects.live()
        if translation_keys is not None:
            queryset = queryset.filter(translation_key__in=translation_keys)
        pages.extend(
            LivePage(*row, interchange_type=model.interchange_type)
            for row in queryset.order_by().values_list(*PAGE_COLUMNS)
        )
    pages.sort(key=lambda page: page.pk)
    return pages


def _relations(pages, every_page=False):
    """{page id: {facet: set of values}} of the taxonomy and places of ``pages``, read from
    the relation tables in one query per relation and page type (``every_page``: the whole
    tables, rather than a list of ten thousand ids)."""
    values = defaultdict(lambda: defaultdict(set))
    by_model = defaultdict(list)
    for page in pages:
        by_model[CONTENT_PAGE_TYPES[page.interchange_type]].append(page.pk)
    columns = {
        "activity_types": ("slug",),
        "target_groups": ("slug",),
        "regions": ("code",),
        "municipalities": ("code", "region__code", "group"),
    }
    for model, ids in by_model.items():
        for name, targets in columns.items():
            field = model._meta.get_field(name)
            source, target = field.m2m_field_name(), field.m2m_reverse_field_name()
            rows = field.remote_field.through.objects.all()
            if not every_page:
                rows = rows.filter(**{f"{source}_id__in": ids})
            rows = rows.values_list(f"{source}_id", *(f"{target}__{column}" for column in targets))
            for page_id, *row in rows:
                page = values[page_id]
                if name == "activity_types":
                    page["activity_type"].add(row[0])
                elif name == "target_groups":
                    page["target_group"].add(row[0])
                elif name == "regions":
                    page["region"].add(row[0])
                else:
                    code, region, group = row
                    page["municipality"].add(code)
                    page["region"].add(region)
                    if group:  # SKR's group of each municipality (A1 … C9)
                        page["municipality_group"].add(group)
    return values


def facet_values(source, languages, relations):
    """{facet: set of values} for a record whose source page is ``source`` (a ``LivePage``),
    with its relations' values (``_relations``)."""
    return {
        "type": {source.interchange_type},
        "activity_type": set(relations.get("activity_type", ())),
        "target_group": set(relations.get("target_group", ())),
        "region": set(relations.get("region", ())),
        "municipality": set(relations.get("municipality", ())),
        # SKR's group of each municipality (A1 … C9): "municipalities like mine".
        "municipality_group": set(relations.get("municipality_group", ())),
        "year": {str(source.start_date.year)} if source.start_date else set(),
        # The year it was last updated or confirmed current by its owner.
        "checked": {str(checked.year)} if (checked := checked_on(source)) else set(),
        "language": set(languages),
    }


def single_page_records(translation_keys=None):
    """Keys of the records (of ``translation_keys``, or all) whose translation group is one
    page that is not an alias.

    Such a page is its record's source (``translation.status``: the only page of a group is
    its source page), so the record is readable in that page's language and in no other: its
    ``language`` facet needs no translation status. Most records have no translation, and the
    statuses (several queries on wagtail-localize's tables per 500 records) were most of a
    facet rebuild's time.
    """
    queryset = Page.objects.filter(depth__gt=1)
    if translation_keys is not None:
        queryset = queryset.filter(translation_key__in=translation_keys)
    return set(
        queryset.order_by()  # Page's ordering (path) would join the grouping
        .values("translation_key")
        .annotate(pages=Count("id"), aliases=Count("alias_of"))
        .filter(pages=1, aliases=0)
        .values_list("translation_key", flat=True)
    )


def _rows(pages, translation_keys=None):
    """(translation key, facet, value) rows of the records of ``pages`` (live pages), which
    are all those of ``translation_keys`` if given, else all live ones."""
    by_record = defaultdict(list)
    for page in pages:
        by_record[page.translation_key].append(page)
    single = single_page_records(translation_keys)
    readable = readable_languages([key for key in by_record if key not in single])
    relations = _relations(
        [record_pages[0] for record_pages in by_record.values()],
        every_page=translation_keys is None,
    )
    rows = []
    for key, record_pages in by_record.items():
        languages = {page.language_code for page in record_pages}
        if key not in single:
            languages &= readable.get(key, set())
        source = record_pages[0]
        for facet, values in facet_values(source, languages, relations[source.pk]).items():
            rows.extend((key, facet, value) for value in values)
    return rows


def _insert(rows):
    """Write (translation key, facet, value) rows: on PostgreSQL in one statement from three
    arrays (Django's ``bulk_create`` compiled every row's values, half of a rebuild's time)."""
    if connection.vendor != "postgresql":
        RecordFacet.objects.bulk_create(
            (RecordFacet(translation_key=k, facet=name, value=value) for k, name, value in rows),
            batch_size=2000,
        )
        return
    if not rows:
        return
    keys, names, values = (list(column) for column in zip(*rows, strict=True))
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {RecordFacet._meta.db_table} (translation_key, facet, value) "  # noqa: S608
            "SELECT * FROM unnest(CAST(%s AS uuid[]), CAST(%s AS text[]), CAST(%s AS text[]))",
            [keys, names, values],
        )


def sync_records(translation_keys):
    """Recompute the facet rows of some records from their live pages."""
    keys = list(set(translation_keys))
    if not keys:
        return
    with transaction.atomic():
        RecordFacet.objects.filter(translation_key__in=keys).delete()
        _insert(_rows(live_record_pages(keys), keys))
    SearchState.bump(keys)


def rebuild():
    """Recompute every record's facet rows; returns the number of records.

    Only the rows that changed are written: a rebuild of facets already up to date deletes and
    inserts nothing (150,000 rows at 10,000 records)."""
    pages = live_record_pages()
    rows = set(_rows(pages))
    with transaction.atomic():
        existing = {
            (key, facet, value): pk
            for pk, key, facet, value in RecordFacet.objects.values_list(
                "pk", "translation_key", "facet", "value"
            )
        }
        stale = [pk for row, pk in existing.items() if row not in rows]
        if len(stale) > len(existing) // 2:
            # Most rows go: no need for Django's delete, which reads the rows first.
            RecordFacet.objects.all()._raw_delete(RecordFacet.objects.db)
            _insert(sorted(rows))
        else:
            for first in range(0, len(stale), DELETE_BATCH):
                batch = stale[first : first + DELETE_BATCH]
                RecordFacet.objects.filter(pk__in=batch)._raw_delete(RecordFacet.objects.db)
            _insert(sorted(row for row in rows if row not in existing))
    SearchState.bump()
    return len({page.translation_key for page in pages})
