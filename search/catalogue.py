"""A per-process snapshot of what search may show: live, public records and their facets.

The backend says which pages match a query and how well; the snapshot turns those pages into
records (one per ``translation_key``), drops anything not live and public, filters and counts
facets, and sorts, all in memory. It is reloaded when ``SearchState.version`` changes, which
publishing, unpublishing, deleting and view-restriction changes do (``search.signals``).
"""

import threading
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from itertools import chain

from django.contrib.contenttypes.models import ContentType
from wagtail.models import Page

from practices.models import ActivityType, Municipality, Region, TargetGroup

from .analysis import tokens
from .facets import FACETS, content_page_models
from .models import RecordFacet, SearchState


@dataclass
class Record:
    key: int  # the translation_key as an integer
    type: str
    source_id: int
    source_language: str
    published: object
    start_date: object = None
    pages: dict = field(default_factory=dict)  # language -> page id
    facets: dict = field(default_factory=dict)  # facet -> frozenset of values

    @property
    def facet_pairs(self):
        """[(facet, value), ...] of every facet value, for counting."""
        pairs = self.__dict__.get("_facet_pairs")
        if pairs is None:
            pairs = [(facet, value) for facet, values in self.facets.items() for value in values]
            self.__dict__["_facet_pairs"] = pairs
        return pairs

    @property
    def newest_order(self):
        """Sort key, newest first: the latest start, then the latest published."""
        order = self.__dict__.get("_newest_order")
        if order is None:
            started = self.start_date.toordinal() if self.start_date else 0
            published = self.published.timestamp() if self.published else 0.0
            order = self.__dict__["_newest_order"] = (-started, -published, -self.source_id)
        return order

    def page_for(self, language):
        """The page a reader of ``language`` sees: their translation, else the source."""
        return self.pages.get(language, self.source_id)


@dataclass
class Catalogue:
    version: int
    records: dict  # translation_key (as int) -> Record
    page_records: dict  # page id -> translation_key (as int)
    page_languages: dict  # page id -> language code
    titles: dict  # page id -> title
    vocabulary: frozenset = frozenset()  # normalised words of titles, labels and places
    activity_labels: dict = field(default_factory=dict)  # slug -> {language: label}
    target_labels: dict = field(default_factory=dict)  # slug -> {language: label}
    municipalities: list = field(default_factory=list)  # [(code, name)]
    regions: dict = field(default_factory=dict)  # code -> name

    @property
    def region_codes(self):
        return frozenset(self.regions)

    def title_words(self):
        """{page id: the normalised words of its title}, computed on first use."""
        words = self.__dict__.get("_title_words")
        if words is None:
            words = {page_id: tuple(tokens(title)) for page_id, title in self.titles.items()}
            self.__dict__["_title_words"] = words
        return words

    def facet_totals(self):
        """Counter of (facet, value) over every record, computed on first use."""
        totals = self.__dict__.get("_facet_totals")
        if totals is None:
            totals = Counter(
                chain.from_iterable(record.facet_pairs for record in self.records.values())
            )
            self.__dict__["_facet_totals"] = totals
        return totals

    def record_of(self, page_id):
        key = self.page_records.get(page_id)
        return self.records.get(key) if key is not None else None


def searchable_pages():
    """The pages search may show: live, public content pages."""
    types = ContentType.objects.get_for_models(*content_page_models()).values()
    return Page.objects.live().public().filter(content_type__in=list(types))


def load(version):
    rows = searchable_pages().values_list(
        "id", "translation_key", "locale__language_code", "title", "first_published_at"
    )
    start_dates = {}
    for model in content_page_models():
        start_dates.update(model.objects.live().values_list("id", "start_date"))
    records, page_records, page_languages, titles = {}, {}, {}, {}
    grouped = defaultdict(list)
    for page_id, translation_key, language, title, published in rows:
        key = translation_key.int  # ints hash much faster than UUIDs
        grouped[key].append((page_id, language, published))
        page_records[page_id] = key
        page_languages[page_id] = language
        titles[page_id] = title
    facet_values = defaultdict(lambda: defaultdict(set))
    for key, facet, value in RecordFacet.objects.values_list("translation_key", "facet", "value"):
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
            start_date=start_dates.get(source_id),
            pages={language: page_id for page_id, language, _ in reversed(pages)},
            facets={name: frozenset(values.get(name, ())) for name in FACETS},
        )
    activity_labels = _labels(ActivityType)
    target_labels = _labels(TargetGroup)
    places = list(Municipality.objects.values_list("code", "name"))
    regions = dict(Region.objects.values_list("code", "name"))
    words = list(titles.values())
    words += [label for labels in activity_labels.values() for label in labels.values()]
    words += [label for labels in target_labels.values() for label in labels.values()]
    words += [name for _code, name in places]
    vocabulary = frozenset(word for text in words for word in tokens(text))
    return Catalogue(
        version,
        records,
        page_records,
        page_languages,
        titles,
        vocabulary,
        activity_labels,
        target_labels,
        places,
        regions,
    )


def _labels(model):
    """{slug: {language: label}} for a vocabulary."""
    labels = defaultdict(dict)
    for slug, language, name in model.objects.values_list("slug", "locale__language_code", "name"):
        labels[slug][language] = name
    return dict(labels)


_lock = threading.Lock()
_current = None


def get_catalogue():
    """The snapshot for the current ``SearchState.version``, reloaded when it changed."""
    global _current
    version = SearchState.current()
    snapshot = _current
    if snapshot is not None and snapshot.version == version:
        return snapshot
    with _lock:
        if _current is None or _current.version != version:
            _current = load(version)
        return _current


def clear():
    global _current
    _current = None
