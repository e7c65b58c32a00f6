"""A per-process snapshot of what search may show: live, public records and their facets.

The backend says which pages match a query and how well; the snapshot turns those pages into
records (one per ``translation_key``), drops anything not live and public, filters and counts
facets, and sorts, all in memory. It is refreshed when ``SearchState.version`` changes, which
publishing, unpublishing, deleting and view-restriction changes do (``search.signals``): the
records named in the ``SearchChange`` rows written since are read again, the rest is kept; a
change to view restrictions, or many changes at once, reloads it whole.
"""

import threading
from collections import defaultdict
from dataclasses import dataclass, field, replace
from datetime import datetime, timedelta

from django.utils import timezone

from practices.models import ActivityType, Municipality, Region, TargetGroup

from .analysis import tokens
from .bitsets import RecordIndex
from .labels import read_promotions, vocabulary_labels
from .models import CHANGES_KEPT, SearchChange, SearchState
from .records import (  # noqa: F401 - Record, content_pages, searchable_pages: used from here
    Record,
    build_records,
    content_pages,
    record_rows,
    searchable_pages,
)

# After a publish, a process reads the changed records again rather than everything (2 s at
# 10,000 records), unless more than this many changed since its snapshot.
INCREMENTAL_LIMIT = 500
CHANGE_WINDOW_LIMIT = 5000  # change rows read at most; more means a bulk import: reload
# Change rows are read from this long before the snapshot, in case one commits late.
CHANGE_GRACE = timedelta(minutes=10)


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
    refreshed_at: datetime | None = None  # when the changes it holds were read
    applied_changes: frozenset = frozenset()  # ids of the recent SearchChange rows it holds
    promotions_version: int = 0  # the SearchState.promotions_version of ``promotions()``

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

    def title_prefixes(self):
        """(the distinct title words, sorted; {word: page ids}), computed on first use.

        Autocomplete finds the words a prefix starts by bisecting the sorted list.
        """
        prefixes = self.__dict__.get("_title_prefixes")
        if prefixes is None:
            pages = defaultdict(list)
            for page_id, words in self.title_words().items():
                for word in set(words):
                    pages[word].append(page_id)
            prefixes = self.__dict__["_title_prefixes"] = (sorted(pages), dict(pages))
        return prefixes

    def shown_pages(self, language):
        """The page of each record a reader of ``language`` sees, as a set; cached."""
        shown = self.__dict__.setdefault("_shown_pages", {})
        pages = shown.get(language)
        if pages is None:
            pages = shown[language] = frozenset(
                record.page_for(language) for record in self.records.values()
            )
        return pages

    def index(self):
        """The records as bitsets (``search.bitsets``), built on first use (90 ms at 10,000)."""
        index = self.__dict__.get("_index")
        if index is None:
            index = self.__dict__["_index"] = RecordIndex(self.records.values())
        return index

    def promotions(self):
        """{normalised query: [(page id, description)]} of the editors' search promotions,
        in their order; read on first use."""
        promoted = self.__dict__.get("_promotions")
        if promoted is None:
            promoted = self.__dict__["_promotions"] = read_promotions()
        return promoted

    def with_promotions_version(self, promotions_version):
        """This snapshot for another promotions version: what it computed is kept, except
        the promotions, read again on first use."""
        updated = replace(self, promotions_version=promotions_version)
        kept = {name: value for name, value in self.__dict__.items() if name.startswith("_")}
        kept.pop("_promotions", None)
        updated.__dict__.update(kept)
        return updated

    def carry_over(self, previous, removed, added):
        """Update the derived tables ``previous`` had computed for the records changed.

        The record index is not carried over: positions follow the newest-first order, which
        a changed record can move in, and building it again takes less than updating it.
        """
        cached = previous.__dict__
        if "_title_words" in cached:
            words = dict(cached["_title_words"])
            for record in removed:
                for page_id in record.pages.values():
                    words.pop(page_id, None)
            for record in added:
                for page_id in record.pages.values():
                    words[page_id] = tuple(tokens(self.titles[page_id]))
            self.__dict__["_title_words"] = words
        if "_alphabet" in cached:  # set by search.service for typo corrections
            new_chars = {char for word in self.vocabulary - previous.vocabulary for char in word}
            self.__dict__["_alphabet"] = sorted(set(cached["_alphabet"]) | new_chars)

    def record_of(self, page_id):
        key = self.page_records.get(page_id)
        return self.records.get(key) if key is not None else None


def _words(texts):
    return frozenset(word for text in texts for word in tokens(text))


def load(version):
    """The whole snapshot, read from the database."""
    refreshed_at = timezone.now()
    applied = frozenset(
        SearchChange.objects.filter(created__gte=refreshed_at - CHANGE_GRACE).values_list(
            "id", flat=True
        )
    )
    records, page_records, page_languages, titles = build_records(*record_rows())
    activity_labels = vocabulary_labels(ActivityType)
    target_labels = vocabulary_labels(TargetGroup)
    places = list(Municipality.objects.values_list("code", "name"))
    regions = dict(Region.objects.values_list("code", "name"))
    words = list(titles.values())
    words += [label for labels in activity_labels.values() for label in labels.values()]
    words += [label for labels in target_labels.values() for label in labels.values()]
    words += [name for _code, name in places]
    return Catalogue(
        version,
        records,
        page_records,
        page_languages,
        titles,
        _words(words),
        activity_labels,
        target_labels,
        places,
        regions,
        refreshed_at=refreshed_at,
        applied_changes=applied,
    )


def refresh(snapshot, version):
    """``snapshot`` with the records changed since it was taken read again, or None.

    None when a whole reload is needed: a change to anything (view restrictions), more than
    ``INCREMENTAL_LIMIT`` changed records, a snapshot older than the change rows kept, or one
    whose version this database has no change row for.
    Change rows are read from ``CHANGE_GRACE`` before the snapshot on, and those already
    applied skipped, so a change that commits a little after a later one is not missed.
    Reading a record again is idempotent, so reading one twice does no harm.
    """
    now = timezone.now()
    if snapshot.refreshed_at is None or snapshot.refreshed_at < now - CHANGES_KEPT + CHANGE_GRACE:
        return None
    if not SearchChange.objects.filter(version=snapshot.version).exists():
        return None  # not a state this database has been in
    window = list(
        SearchChange.objects.filter(created__gte=snapshot.refreshed_at - CHANGE_GRACE)
        .order_by("id")
        .values_list("id", "translation_key")[: CHANGE_WINDOW_LIMIT + 1]
    )
    if len(window) > CHANGE_WINDOW_LIMIT:
        return None
    changed = {key for change_id, key in window if change_id not in snapshot.applied_changes}
    if None in changed or len(changed) > INCREMENTAL_LIMIT:
        return None
    fresh, fresh_pages, fresh_languages, fresh_titles = build_records(*record_rows(changed))
    records = dict(snapshot.records)
    page_records = dict(snapshot.page_records)
    page_languages = dict(snapshot.page_languages)
    titles = dict(snapshot.titles)
    removed = [records.pop(key.int) for key in changed if key.int in records]
    for record in removed:
        for page_id in record.pages.values():
            page_records.pop(page_id, None)
            page_languages.pop(page_id, None)
            titles.pop(page_id, None)
    records.update(fresh)
    page_records.update(fresh_pages)
    page_languages.update(fresh_languages)
    titles.update(fresh_titles)
    # Words of titles no longer shown stay in the vocabulary: they only make a typo
    # correction less likely, and the next whole reload drops them.
    updated = replace(
        snapshot,
        version=version,
        records=records,
        page_records=page_records,
        page_languages=page_languages,
        titles=titles,
        vocabulary=snapshot.vocabulary | _words(fresh_titles.values()),
        refreshed_at=now,
        applied_changes=frozenset(change_id for change_id, _key in window),
    )
    updated.carry_over(snapshot, removed, fresh.values())
    return updated


_lock = threading.Lock()
_current = None


def get_catalogue():
    """The snapshot for the current ``SearchState``: reloaded (or refreshed) when its version
    changed, its promotions read again when theirs did."""
    global _current
    version, promotions_version = SearchState.versions()
    snapshot = _current
    if (
        snapshot is not None
        and snapshot.version == version
        and snapshot.promotions_version == promotions_version
    ):
        return snapshot
    with _lock:
        if _current is None:
            _current = load(version)
        elif _current.version != version:
            _current = refresh(_current, version) or load(version)
        if _current.promotions_version != promotions_version:
            _current = _current.with_promotions_version(promotions_version)
        return _current


def clear():
    global _current
    _current = None
