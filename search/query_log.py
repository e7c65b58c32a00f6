"""The query log (Wagtail's ``Query``/``QueryDailyHits``, the editors' "search terms" report),
counted in the cache and written in bulk.

Wagtail's ``Query.get(q).add_hit()`` UPDATEs one ``QueryDailyHits`` row per search: every
search for a popular word waits for the same row lock. Here a search only increments a
counter in the ``default`` cache (Redis in production; ``incr`` is atomic there), and the
counts are written to the database at most about once a minute, in one transaction, by
``flush()``: from the ``flush_search_hits`` command (cron, every minute) and after a response,
when this process has not tried for a minute (``SEARCH_HITS_FLUSH_EVERY`` seconds) and no
other process flushed within it (``flush_if_due``, on ``request_finished``).

The counters live in minute buckets. A query's first hit in a bucket registers its key in
the bucket's list (a numbered slot: the cache has no sets); ``flush()`` reads the buckets
that have closed (``GRACE`` seconds after their minute), adds their counts to the rows and
deletes them. One lock in the cache lets one process flush at a time.

When the cache does not answer (it raises, or Redis is being left alone after a failure:
``home.cache.ResilientRedisCache.available``), a search writes its hit directly, as Wagtail
does, and logs it once: nothing is counted in a place nobody flushes.
"""

import hashlib
import logging
import os
import time
from collections import defaultdict
from datetime import UTC, datetime

from django.conf import settings
from django.core.cache import caches
from django.db import transaction
from django.db.models import F
from wagtail.contrib.search_promotions.models import Query, QueryDailyHits
from wagtail.search.utils import normalise_query_string

logger = logging.getLogger(__name__)

PREFIX = "search-hits"
BUCKET_SECONDS = 60
GRACE = 5  # seconds after its minute before a bucket is read: a hit counted late still lands
KEPT = 24 * 3600  # a bucket no flush read within a day is dropped (the cache forgets it)
LOOKBACK = 24 * 60  # buckets read when the cache holds no "flushed up to" mark
FLUSH_EVERY = 60  # seconds between flushes after responses (SEARCH_HITS_FLUSH_EVERY; 0: none)
LOCK_SECONDS = 300  # the longest a flush may hold the lock (a crashed flusher's lock expires)

_next_try = 0.0  # monotonic time before which this process does not try to flush
_warned = False


def _cache():
    return caches["default"]


def _healthy(cache):
    """False while a resilient cache is answering from its per-process fallback."""
    return getattr(cache, "available", True)


def _key(*parts):
    return ":".join((PREFIX, *map(str, parts)))


def bucket_of(timestamp):
    return int(timestamp // BUCKET_SECONDS)


def record(query_string, now=None):
    """Count one search for ``query_string`` (normalised as Wagtail's query log does)."""
    normalised = normalise_query_string(query_string)
    if not normalised:
        return
    now = time.time() if now is None else now
    cache = _cache()
    problem = "it is left alone after a failure"
    if _healthy(cache):
        try:
            if _count(cache, normalised, now) and _healthy(cache):
                return
        except Exception as error:  # noqa: BLE001 - the query log must not break a search
            problem = repr(error)
    _warn_once(problem)
    _write({(normalised, _day(now)): 1})


def _count(cache, normalised, now):
    bucket = bucket_of(now)
    digest = hashlib.sha1(normalised.encode(), usedforsecurity=False).hexdigest()
    counter = _key(bucket, "q", digest)
    if cache.add(counter, 0, KEPT):
        # The first hit of this query in this bucket: register it in the bucket's list.
        slot = _incr(cache, _key(bucket, "n"))
        cache.set(_key(bucket, "slot", slot), (normalised, _day(now), counter), KEPT)
    return _incr(cache, counter) is not None


def _incr(cache, key):
    try:
        return cache.incr(key)
    except ValueError:  # not there yet (or expired between add and incr)
        if cache.add(key, 1, KEPT):
            return 1
        return cache.incr(key)


def _day(timestamp):
    """The (UTC) date Wagtail's ``add_hit`` would have given a hit at ``timestamp``."""
    return datetime.fromtimestamp(timestamp, tz=UTC).date()


def _warn_once(problem):
    global _warned
    if not _warned:
        _warned = True
        logger.warning(
            "The cache does not answer (%s): search hits are written to the database", problem
        )


def _write(counts):
    """Add ``{(normalised query, date): hits}`` to Wagtail's query log, in one transaction.

    Rows are created first (a conflict with another writer leaves theirs), then locked and
    added to: a direct write (the cache down) at the same time does not lose a hit.
    """
    if not counts:
        return
    strings = sorted({query for query, _day in counts})
    with transaction.atomic():
        Query.objects.bulk_create(
            [Query(query_string=query) for query in strings], ignore_conflicts=True
        )
        ids = dict(Query.objects.filter(query_string__in=strings).values_list("query_string", "id"))
        QueryDailyHits.objects.bulk_create(
            [QueryDailyHits(query_id=ids[query], date=day, hits=0) for query, day in counts],
            ignore_conflicts=True,
        )
        wanted = defaultdict(dict)
        for (query, day), hits in counts.items():
            wanted[day][ids[query]] = hits
        rows = []
        for day, hits_by_query in wanted.items():
            rows += QueryDailyHits.objects.select_for_update().filter(
                date=day, query_id__in=list(hits_by_query)
            )
        for row in rows:
            row.hits = F("hits") + wanted[row.date][row.query_id]
        QueryDailyHits.objects.bulk_update(rows, ["hits"], batch_size=500)


def flush(now=None):
    """Write the counts of the closed buckets to the database; returns the hits written, or
    None when another process holds the lock (or the cache does not answer)."""
    now = time.time() if now is None else now
    cache = _cache()
    if not _healthy(cache):
        return None
    token = f"{os.getpid()}-{time.monotonic_ns()}"
    lock = _key("lock")
    try:
        if not cache.add(lock, token, LOCK_SECONDS):
            return None
    except Exception:  # noqa: BLE001
        logger.exception("Could not take the search hits lock")
        return None
    try:
        return _flush_buckets(cache, now)
    finally:
        try:
            if cache.get(lock) == token:
                cache.delete(lock)
        except Exception:  # noqa: BLE001 - it expires by itself
            logger.exception("Could not release the search hits lock")


def _flush_buckets(cache, now):
    last_closed = bucket_of(now - GRACE) - 1
    mark = _key("flushed")
    flushed = cache.get(mark)
    first = (last_closed - LOOKBACK) if flushed is None else flushed + 1
    if first > last_closed:
        return 0
    buckets = range(max(first, last_closed - LOOKBACK), last_closed + 1)
    sizes = cache.get_many([_key(bucket, "n") for bucket in buckets])
    slots = [
        _key(bucket, "slot", slot)
        for bucket in buckets
        for slot in range(1, int(sizes.get(_key(bucket, "n"), 0)) + 1)
    ]
    entries = cache.get_many(slots) if slots else {}
    counters = cache.get_many([counter for _query, _day, counter in entries.values()])
    counts = defaultdict(int)
    for query, day, counter in entries.values():
        counts[(query, day)] += int(counters.get(counter, 0))
    if not _healthy(cache):
        return None  # the reads above came from a fallback: leave the buckets for later
    counts = {key: hits for key, hits in counts.items() if hits}
    _write(counts)
    # Written: move the mark first, so that a failure below cannot write these again.
    cache.set(mark, last_closed, KEPT)
    cache.delete_many([*slots, *counters, *sizes])
    return sum(counts.values())


def flush_if_due(**kwargs):
    """After a response (``request_finished``): flush when this process has not tried for
    ``FLUSH_EVERY`` seconds and no process did within them. Costs no cache call otherwise."""
    global _next_try
    every = getattr(settings, "SEARCH_HITS_FLUSH_EVERY", FLUSH_EVERY)
    moment = time.monotonic()
    if not every or moment < _next_try:
        return
    _next_try = moment + every
    cache = _cache()
    try:
        if not _healthy(cache) or not cache.add(_key("recent"), 1, every):
            return
        flush()
    except Exception:  # noqa: BLE001 - after the response: log, never raise
        logger.exception("Could not write the search hits")


def reset():
    """Forget this process's timer and warning (tests)."""
    global _next_try, _warned
    _next_try = 0.0
    _warned = False
