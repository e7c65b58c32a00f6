"""A per-process snapshot of what search may show: live, public records and their facets.

The backend says which pages match a query and how well; the snapshot turns those pages into
records (one per ``translation_key``), drops anything not live and public, filters and counts
facets, and sorts, all in memory. It is refreshed when ``SearchState.version`` changes, which
publishing, unpublishing, deleting and view-restriction changes do (``search.signals``): the
records named in the ``SearchChange`` rows written since are read again, the rest is kept; a
change to view restrictions, or many changes at once, reloads it whole.

In a web process (``serve_in_background()``, called by ``gunicorn.conf.py`` when a worker starts
serving) no request builds a snapshot: the first is loaded by a thread as the worker starts, and
after a change a thread builds the next one (refreshed, or reloaded whole) while requests go on
with the previous one, which is then swapped in at once. Only a request that finds no snapshot
at all (the worker's first, before the first load ends) waits, for the load already running.
What a stale snapshot still lists is checked against the database where it is shown
(``search.outcome``: the results and promotions of the page shown, live and public). Commands
and tests build it in the caller's thread, as before.
"""

import logging
import threading
from collections import defaultdict
from dataclasses import dataclass, field, replace
from datetime import datetime, timedelta

from django.db import connection, connections
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

logger = logging.getLogger(__name__)

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
        if "_alphabet" in cached:  # typo corrections try each letter (``alphabet``)
            new_chars = {char for word in self.vocabulary - previous.vocabulary for char in word}
            self.__dict__["_alphabet"] = sorted(set(cached["_alphabet"]) | new_chars)

    def alphabet(self):
        """The letters of the vocabulary, sorted (typo corrections try each), on first use."""
        alphabet = self.__dict__.get("_alphabet")
        if alphabet is None:
            alphabet = self.__dict__["_alphabet"] = sorted(
                {char for word in self.vocabulary for char in word}
            )
        return alphabet

    def warm(self, previous=None):
        """Compute what searches read from it (the record index, the alphabet), and what
        ``previous`` had computed for autocomplete, so that no request pays for it."""
        self.index()
        self.alphabet()
        cached = previous.__dict__ if previous is not None else {}
        if "_title_prefixes" in cached:
            self.title_prefixes()
        for language in cached.get("_shown_pages", {}):
            self.shown_pages(language)
        return self

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
_building = None  # the Build running, if any
_background = False  # set by serve_in_background(): builds run in a thread


class SnapshotUnavailable(RuntimeError):
    """No snapshot could be loaded (the database failed while the first one was read)."""


class Build:
    """One snapshot being built in a thread; requests with nothing to serve wait for it."""

    def __init__(self):
        self.done = threading.Event()
        self.error = None


def get_catalogue(versions=None):
    """The snapshot for the current ``SearchState``.

    In the caller's thread (commands, tests): reloaded or refreshed when its version changed,
    its promotions read again when theirs did. In a web process (``serve_in_background``): the
    snapshot there is, while a thread builds the one for the new version; a request waits only
    when there is none at all, for the build already running (never a second one).
    ``versions``: ``SearchState.versions()``, if the caller has read them.
    """
    global _current
    version, promotions_version = versions or SearchState.versions()
    snapshot = _current
    if (
        snapshot is not None
        and snapshot.version == version
        and snapshot.promotions_version == promotions_version
    ):
        return snapshot
    if not _background:
        with _lock:
            if _current is None:
                _current = load(version)
            elif _current.version != version:
                _current = refresh(_current, version) or load(version)
            if _current.promotions_version != promotions_version:
                _current = _current.with_promotions_version(promotions_version)
            return _current
    if snapshot is None or snapshot.version != version:
        build = start_build()
        if snapshot is not None:
            return snapshot  # the previous snapshot, until the thread swaps the new one in
        build.done.wait()
        if _current is None:
            raise SnapshotUnavailable("the search snapshot could not be loaded") from build.error
        return _current
    # Only the promotions changed: they are read again lazily, no build needed.
    with _lock:
        if _current is snapshot:
            _current = snapshot.with_promotions_version(promotions_version)
        return _current


def start_build():
    """The build running, or a new one started in a thread."""
    global _building
    with _lock:
        if _building is not None:
            return _building
        build = _building = Build()
    _spawn(build)
    return build


def _spawn(build):
    threading.Thread(
        target=_build_in_thread, args=(build,), name="search-snapshot", daemon=True
    ).start()


def _build_in_thread(build):
    try:
        run_build(build, before=_without_statement_timeout)
    finally:
        connections.close_all()  # this thread's connections, not the requests'


def _without_statement_timeout():
    if connection.vendor == "postgresql":
        # A web process caps each statement (wsgi.py); a whole load is not a request.
        with connection.cursor() as cursor:
            cursor.execute("SET statement_timeout = 0")


def run_build(build, before=None):
    """Build the snapshot for the current version (a refresh of the current one, else a whole
    reload), compute what searches read from it, and swap it in. Whatever fails, the build
    ends (``build.done``): requests waiting for it go on, and the next one starts another."""
    global _current, _building
    try:
        if before is not None:
            before()
        version, promotions_version = SearchState.versions()
        previous = _current
        if previous is not None and previous.version == version:
            fresh = previous
        else:
            fresh = (refresh(previous, version) if previous is not None else None) or load(version)
            fresh.warm(previous)
        if fresh.promotions_version != promotions_version:
            fresh = fresh.with_promotions_version(promotions_version)
        with _lock:
            _current = fresh
    except Exception as error:  # noqa: BLE001 - the next request starts another build
        build.error = error
        logger.exception("Could not build the search snapshot")
    finally:
        with _lock:
            if _building is build:
                _building = None
        build.done.set()


def serve_in_background(warm=True):
    """From now on this process builds its snapshots in a thread (``get_catalogue``); with
    ``warm``, the first one now. Called when a web worker starts serving."""
    global _background
    _background = True
    if warm:
        start_build()


def clear():
    """Forget the snapshot and go back to building in the caller's thread (tests)."""
    global _current, _background, _building
    _current = None
    _background = False
    _building = None
