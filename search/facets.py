"""Facet values per record, stored in ``RecordFacet`` and kept in step with publishing.

A record's facets come from its source page (taxonomy, places and dates are synchronised to
its translations); its ``language`` facet lists the languages it can be read in: its source
language and the live translations whose text is all translated (a page still partly in
Swedish does not count as Arabic; ``translation.status.readable_languages``).
"""

from collections import defaultdict

from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from wagtail.models import Page

from practices.freshness import checked_on
from practices.models import CONTENT_PAGE_MODELS
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


def live_record_pages(translation_keys=None):
    """Live content pages (specific), optionally only those of some records, oldest first."""
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
        queryset = model.objects.live().select_related("locale")
        if translation_keys is not None:
            queryset = queryset.filter(translation_key__in=translation_keys)
        pages.extend(
            queryset.prefetch_related(
                "activity_types", "target_groups", "regions", "municipalities__region"
            )
        )
    pages.sort(key=lambda page: page.pk)
    return pages


def facet_values(source, languages):
    """{facet: set of values} for a record whose source page is ``source``."""
    municipalities = list(source.municipalities.all())
    regions = {region.code for region in source.regions.all()}
    regions.update(municipality.region.code for municipality in municipalities)
    values = {
        "type": {source.interchange_type},
        "activity_type": {term.slug for term in source.activity_types.all()},
        "target_group": {term.slug for term in source.target_groups.all()},
        "region": regions,
        "municipality": {municipality.code for municipality in municipalities},
        # SKR's group of each municipality (A1 … C9): "municipalities like mine".
        "municipality_group": {m.group for m in municipalities if m.group},
        "year": {str(source.start_date.year)} if source.start_date else set(),
        # The year it was last updated or confirmed current by its owner.
        "checked": {str(checked.year)} if (checked := checked_on(source)) else set(),
        "language": set(languages),
    }
    return values


def _rows(pages):
    by_record = defaultdict(list)
    for page in pages:
        by_record[page.translation_key].append(page)
    readable = readable_languages(by_record)
    rows = []
    for key, record_pages in by_record.items():
        languages = {page.locale.language_code for page in record_pages} & readable.get(key, set())
        for facet, values in facet_values(record_pages[0], languages).items():
            rows.extend(RecordFacet(translation_key=key, facet=facet, value=v) for v in values)
    return rows


def sync_records(translation_keys):
    """Recompute the facet rows of some records from their live pages."""
    keys = list(set(translation_keys))
    if not keys:
        return
    with transaction.atomic():
        RecordFacet.objects.filter(translation_key__in=keys).delete()
        RecordFacet.objects.bulk_create(_rows(live_record_pages(keys)), batch_size=2000)
    SearchState.bump(keys)


def rebuild():
    """Recompute every record's facet rows; returns the number of records."""
    pages = live_record_pages()
    with transaction.atomic():
        RecordFacet.objects.all().delete()
        RecordFacet.objects.bulk_create(_rows(pages), batch_size=2000)
    SearchState.bump()
    return len({page.translation_key for page in pages})
