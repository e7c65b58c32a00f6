"""Records as search shows them: one per ``translation_key``, its live public pages, facets and
order, read from the database.

A record is what a reader finds: a practice, method or report with its translations. Its
source is its oldest live public page; a reader of a language sees their translation, else
the source (``Record.page_for``). Both search paths read records from here: the database path
holds all of them in its per-process snapshot (``search.catalogue``); the engine path puts each
record's fields into every one of its page documents (``engine_fields``), so the engine folds,
filters, counts and sorts records itself and a worker holds none.
"""

import threading
from collections import defaultdict
from contextlib import contextmanager
from dataclasses import dataclass, field

from django.contrib.contenttypes.models import ContentType
from django.utils import timezone
from wagtail.models import Page

from practices.models import CONTENT_PAGE_MODELS
from practices.visibility import public

from .analysis import LANGUAGES
from .documents import IndexDocument
from .facets import FACETS
from .models import RecordFacet


@dataclass
class Record:
    key: int  # the translation_key as an integer
    type: str
    source_id: int
    source_language: str
    published: object
    start_date: object = None
    checked: object = None  # last updated or confirmed by its owner (a date)
    pages: dict = field(default_factory=dict)  # language -> page id
    facets: dict = field(default_factory=dict)  # facet -> frozenset of values
    newest_order: tuple = field(init=False, compare=False, repr=False)  # newest first

    def __post_init__(self):
        started = self.start_date.toordinal() if self.start_date else 0
        published = self.published.timestamp() if self.published else 0.0
        # The latest start first, then the latest published.
        self.newest_order = (-started, -published, -self.source_id)

    def page_for(self, language):
        """The page a reader of ``language`` sees: their translation, else the source."""
        return self.pages.get(language, self.source_id)


def content_pages():
    """Live content pages, public or not."""
    types = ContentType.objects.get_for_models(*CONTENT_PAGE_MODELS).values()
    return Page.objects.live().filter(content_type__in=list(types))


def searchable_pages():
    """The pages search may show: live, public content pages."""
    return public(content_pages())


def record_rows(translation_keys=None):
    """(page rows, {page id: (start date, checked date)}, facet rows) of all records or of
    some."""
    pages = searchable_pages()
    facets = RecordFacet.objects.all()
    if translation_keys is not None:
        pages = pages.filter(translation_key__in=translation_keys)
        facets = facets.filter(translation_key__in=translation_keys)
    rows = pages.values_list(
        "id", "translation_key", "locale__language_code", "title", "first_published_at"
    )
    page_dates = {}
    for model in CONTENT_PAGE_MODELS:
        live = model.objects.live()
        if translation_keys is not None:
            live = live.filter(translation_key__in=translation_keys)
        for page_id, started, published, reviewed in live.values_list(
            "id", "start_date", "last_published_at", "last_reviewed"
        ):
            page_dates[page_id] = (started, _checked(published, reviewed))
    return list(rows), page_dates, facets.values_list("translation_key", "facet", "value")


def _checked(published, reviewed):
    """As ``practices.freshness.checked_on``, from the two values."""
    published = timezone.localdate(published) if published else None
    days = [day for day in (published, reviewed) if day]
    return max(days) if days else None


def build_records(rows, page_dates, facet_rows):
    """(records, page_records, page_languages, titles) from ``record_rows``."""
    records, page_records, page_languages, titles = {}, {}, {}, {}
    grouped = defaultdict(list)
    for page_id, translation_key, language, title, published in rows:
        key = translation_key.int  # ints hash much faster than UUIDs
        grouped[key].append((page_id, language, published))
        page_records[page_id] = key
        page_languages[page_id] = language
        titles[page_id] = title
    facet_values = defaultdict(lambda: defaultdict(set))
    for key, facet, value in facet_rows:
        facet_values[key.int][facet].add(value)
    for key, pages in grouped.items():
        pages.sort()
        source_id, source_language, published = pages[0]
        values = facet_values.get(key, {})
        record_type = next(iter(values.get("type", ())), "")
        records[key] = Record(
            key=key,
            type=record_type,
            source_id=source_id,
            source_language=source_language,
            published=published,
            start_date=page_dates.get(source_id, (None, None))[0],
            checked=page_dates.get(source_id, (None, None))[1],
            pages={language: page_id for page_id, language, _ in reversed(pages)},
            facets={name: frozenset(values.get(name, ())) for name in FACETS},
        )
    return records, page_records, page_languages, titles


def read_records(translation_keys=None):
    """{translation key (as int): Record} of every searchable record, or of some."""
    return build_records(*record_rows(translation_keys))[0]


# The engine's fields of a record (``engine_fields``), in every page document of it. Facet
# fields are named ``record_<facet>``: no other field may take such a name.
FACET_FIELD = "record_{}"  # a keyword field per facet: record_type, record_year, ...
TRANSLATIONS_TEXT = "record_translations_text"
ENGINE_FIELDS = {
    # Global ordinals (what aggregations on a keyword count with) built when the index
    # refreshes, not by the first search after each publish.
    **{
        FACET_FIELD.format(facet): {"type": "keyword", "eager_global_ordinals": True}
        for facet in FACETS
    },
    # The page search counts and lists the record by when no text is searched: its source.
    "record_lead": {"type": "boolean"},
    # The languages whose readers see this page of the record (``Record.page_for``).
    "record_shown_in": {"type": "keyword"},
    # Newest first: the latest start, then the latest published, then the newest source.
    "record_start": {"type": "integer"},
    "record_published": {"type": "double"},
    "record_source": {"type": "integer"},
    # Recently checked first (sort=checked): the day it was last updated or confirmed (not
    # "record_checked": that is the keyword field of the "checked" facet, its year).
    "record_checked_day": {"type": "integer"},
    # ["sv:12", "en:14"]: the page a result shows, read from the hit (not searched). A list,
    # not an object: a partial update replaces a list but merges an object's keys.
    "record_pages": {"type": "keyword", "index": False, "doc_values": False},
    # In the record's lead page only: the text of its other pages (its translations), so that
    # the lead page matches a text query whenever any page of the record does, and a search
    # counts records as lead pages (``record_query``). Analysed in every language (the
    # engine's mapping adds a sub-field per language analyser).
    TRANSLATIONS_TEXT: {"type": "text"},
}
UNLISTED = {
    **{name: [] for name in ENGINE_FIELDS if name.startswith("record_")},
    "record_lead": False,
    "record_start": 0,
    "record_published": 0.0,
    "record_source": 0,
    "record_checked_day": 0,
    "record_pages": [],
    TRANSLATIONS_TEXT: "",
}


def engine_fields(record, page_id):
    """The fields of ``record`` in the document of its page ``page_id``; ``record`` None (the
    page is not searchable: private, or its record not synchronised yet) lists it nowhere."""
    if record is None:
        return dict(UNLISTED)
    fields = {FACET_FIELD.format(facet): sorted(record.facets.get(facet, ())) for facet in FACETS}
    started = record.start_date.toordinal() if record.start_date else 0
    published = record.published.timestamp() if record.published else 0.0
    fields.update(
        record_lead=page_id == record.source_id,
        record_shown_in=[
            language for language in LANGUAGES if record.page_for(language) == page_id
        ],
        record_start=started,
        record_published=published,
        record_source=record.source_id,
        record_checked_day=record.checked.toordinal() if record.checked else 0,
        record_pages=[f"{language}:{pk}" for language, pk in sorted(record.pages.items())],
    )
    fields[TRANSLATIONS_TEXT] = ""  # the lead page's: ``fields_by_page``
    return fields


def fields_by_page(translation_keys):
    """{page id: engine fields} for the live content pages of these records (public or not:
    a private page gets fields that list it nowhere); each lead page with its translations'
    text."""
    records = read_records(translation_keys)
    pages = content_pages().filter(translation_key__in=translation_keys)
    fields = {
        page_id: engine_fields(records.get(key.int), page_id)
        for page_id, key in pages.values_list("id", "translation_key")
    }
    for source_id, text in translations_text(records.values()).items():
        if source_id in fields:
            fields[source_id][TRANSLATIONS_TEXT] = text
    return fields


def translations_text(records):
    """{source page id: the title and text of the record's other shown pages} of ``records``
    that have translations."""
    source_of = {
        page_id: record.source_id
        for record in records
        for page_id in record.pages.values()
        if page_id != record.source_id
    }
    if not source_of:
        return {}
    texts = defaultdict(list)
    for model in CONTENT_PAGE_MODELS:
        for page in model.objects.filter(pk__in=list(source_of)).select_related("locale"):
            texts[source_of[page.pk]] += [page.title, IndexDocument(page).text]
    return {source_id: "\n".join(parts) for source_id, parts in texts.items()}


_batch = threading.local()


@contextmanager
def prefetched(pages):
    """Within the block, the engine fields of ``pages`` are read in one go (a bulk index
    update: a record read per page would cost several queries each)."""
    if getattr(_batch, "fields", None) is not None:
        yield
        return
    keys = {page.translation_key for page in pages}
    _batch.fields = fields_by_page(keys) if keys else {}
    try:
        yield
    finally:
        _batch.fields = None


def page_fields(page):
    """The engine fields of ``page``'s record in its document."""
    cached = getattr(_batch, "fields", None)
    if cached is not None and page.pk in cached:
        return cached[page.pk]
    return fields_by_page([page.translation_key]).get(page.pk, dict(UNLISTED))
