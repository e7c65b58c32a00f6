"""The query log is counted in the cache and written in bulk (``search.query_log``): a search
UPDATEs no shared row, one flush writes many searches, a cache that does not answer loses
nothing, and one process flushes at a time."""

import logging
import threading
import time
from datetime import UTC, datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from wagtail.contrib.search_promotions.models import Query, QueryDailyHits

from search import query_log
from search.params import SearchParams

# Noon UTC on a day, so that a bucket and its grace never cross midnight in these tests.
NOON = datetime(2026, 12, 5, 12, 0, 0, tzinfo=UTC).timestamp()
LATER = NOON + 2 * query_log.BUCKET_SECONDS  # the bucket of NOON and the next have closed


@pytest.fixture(autouse=True)
def fresh_log():
    query_log.reset()
    yield
    query_log.reset()


def daily_hits():
    return {
        (row.query.query_string, row.date.isoformat()): row.hits
        for row in QueryDailyHits.objects.select_related("query")
    }


def test_searches_write_nothing_until_one_flush_writes_them_all(corpus, search):
    from search import service

    with CaptureQueriesContext(connection) as queries:
        for query in ["Språkcafé", "språkcafé", "  SPRÅKCAFÉ ", "mentor"]:
            service.run(SearchParams(query=query), log=True)
        service.run(SearchParams(query="mentor", page=2), log=True)  # not page 1: not logged
    written = [q["sql"] for q in queries if q["sql"].startswith(("INSERT", "UPDATE", "DELETE"))]
    assert written == [], "a search wrote the query log itself"
    assert daily_hits() == {}

    assert query_log.flush() == 0, "a bucket still open was flushed"
    assert query_log.flush(now=time.time() + 2 * query_log.BUCKET_SECONDS) == 4
    today = datetime.now(tz=UTC).date().isoformat()
    assert daily_hits() == {("språkcafé", today): 3, ("mentor", today): 1}
    assert Query.get("Språkcafé").hits == 3
    # Written once: the next flush finds nothing.
    assert query_log.flush(now=time.time() + 3 * query_log.BUCKET_SECONDS) == 0
    assert Query.get("mentor").hits == 1


def test_a_flush_adds_to_rows_already_there_and_keeps_days_apart(db):
    # A row written the old way (before this change, or while the cache was down).
    Query.get("tolk").add_hit(date=datetime.fromtimestamp(NOON, tz=UTC).date())
    for _ in range(5):
        query_log.record("tolk", now=NOON)
    query_log.record("tolk", now=NOON + 86400 - 3600)  # the next day, an hour before noon
    query_log.record("praktik", now=NOON + 30)
    query_log.flush(now=LATER)
    assert daily_hits() == {("tolk", "2026-12-05"): 6, ("praktik", "2026-12-05"): 1}
    query_log.flush(now=NOON + 86400)
    assert daily_hits() == {
        ("tolk", "2026-12-05"): 6,
        ("praktik", "2026-12-05"): 1,
        ("tolk", "2026-12-06"): 1,
    }


def test_a_flush_writes_many_queries_in_a_few_statements(db):
    for number in range(60):
        for _ in range(number % 3 + 1):
            query_log.record(f"fråga {number}", now=NOON)
    with CaptureQueriesContext(connection) as queries:
        assert query_log.flush(now=LATER) == sum(number % 3 + 1 for number in range(60))
    assert len(queries) <= 8, [q["sql"][:80] for q in queries]
    assert Query.objects.count() == 60
    assert Query.get("fråga 59").hits == 3


def test_empty_and_blank_queries_are_not_counted(db):
    query_log.record("   ")
    query_log.record("")
    assert query_log.flush(now=time.time() + 2 * query_log.BUCKET_SECONDS) == 0
    assert not Query.objects.exists()


class BrokenCache:
    """A cache whose server is gone: every call raises."""

    def __getattr__(self, name):
        def fail(*args, **kwargs):
            raise ConnectionError("cache server gone")

        return fail


class FallingBackCache:
    """``home.cache.ResilientRedisCache`` while it leaves Redis alone: it answers from a
    per-process memory nobody flushes."""

    available = False

    def __init__(self):
        self.calls = []

    def __getattr__(self, name):
        def call(*args, **kwargs):
            self.calls.append(name)
            return True

        return call


@pytest.mark.parametrize("cache", [BrokenCache(), FallingBackCache()], ids=["raises", "fallback"])
def test_with_the_cache_down_each_search_is_written_directly_and_logged_once(
    db, monkeypatch, caplog, cache
):
    monkeypatch.setattr(query_log, "_cache", lambda: cache)
    with caplog.at_level(logging.WARNING, logger="search.query_log"):
        for _ in range(3):
            query_log.record("Läxhjälp")
    assert Query.get("läxhjälp").hits == 3
    warnings = [r for r in caplog.records if r.name == "search.query_log"]
    assert len(warnings) == 1
    if isinstance(cache, FallingBackCache):
        assert cache.calls == [], "counted in a fallback no process flushes"
    # Flushing does nothing while the cache does not answer, and does not raise.
    assert query_log.flush() is None
    assert Query.get("läxhjälp").hits == 3


def test_a_flush_waits_for_the_lock_another_process_holds(db):
    query_log.record("lärling", now=NOON)
    cache = query_log._cache()
    cache.add(query_log._key("lock"), "another-process", query_log.LOCK_SECONDS)
    assert query_log.flush(now=LATER) is None
    assert not Query.objects.filter(query_string="lärling").exists()
    cache.delete(query_log._key("lock"))
    assert query_log.flush(now=LATER) == 1
    assert Query.get("lärling").hits == 1
    assert cache.get(query_log._key("lock")) is None, "the lock was not released"


def test_concurrent_flushes_write_each_hit_once(db, monkeypatch):
    """Eight threads flush at once: one writes the counts, the others find the lock taken
    (or, after it, nothing left)."""
    for _ in range(7):
        query_log.record("svenska", now=NOON)
    writes = []
    entered = threading.Event()

    def slow_write(counts):
        entered.set()
        time.sleep(0.2)  # hold the lock while the others try
        writes.append(dict(counts))

    monkeypatch.setattr(query_log, "_write", slow_write)
    start = threading.Barrier(8)
    results = []

    def flush():
        start.wait()
        results.append(query_log.flush(now=LATER))

    threads = [threading.Thread(target=flush) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=10)
    assert entered.is_set()
    assert writes == [{("svenska", datetime.fromtimestamp(NOON, tz=UTC).date()): 7}]
    assert results.count(7) == 1
    assert set(results) <= {7, 0, None}


def test_after_responses_one_flush_a_minute_across_processes(db, monkeypatch, settings):
    settings.SEARCH_HITS_FLUSH_EVERY = 60
    flushes = []
    monkeypatch.setattr(query_log, "flush", lambda: flushes.append(1))
    query_log.flush_if_due()
    assert flushes == [1]
    query_log.flush_if_due()  # the same process, within the minute: no cache call at all
    assert flushes == [1]
    query_log.reset()  # another process, within the minute: the cache says one flushed
    query_log.flush_if_due()
    assert flushes == [1]
    query_log._cache().delete(query_log._key("recent"))  # a minute later
    query_log.reset()
    query_log.flush_if_due()
    assert flushes == [1, 1]


def test_no_flush_after_responses_when_turned_off(db, monkeypatch, settings):
    settings.SEARCH_HITS_FLUSH_EVERY = 0
    monkeypatch.setattr(query_log, "flush", lambda: pytest.fail("flushed"))
    query_log.flush_if_due()


def test_the_search_page_counts_in_the_cache_and_the_report_shows_the_flushed_counts(
    corpus, client, django_user_model
):
    for _ in range(3):
        assert client.get("/sv/search/", {"q": "Språkcafé"}).status_code == 200
    assert not QueryDailyHits.objects.exists()
    query_log.flush(now=time.time() + 2 * query_log.BUCKET_SECONDS)
    admin = django_user_model.objects.create_superuser("admin", "a@example.org", "pw")
    client.force_login(admin)
    response = client.get(reverse("wagtailsearchpromotions:search_terms"))
    assert response.status_code == 200
    content = response.content.decode()
    assert "språkcafé" in content
    row = content[content.index("språkcafé") :][:400]
    assert ">3<" in row.replace(" ", "").replace("\n", ""), row


def test_the_command_flushes(db, capsys):
    from django.core.management import call_command

    query_log.record("jobbcoach", now=time.time() - 2 * query_log.BUCKET_SECONDS)
    call_command("flush_search_hits")
    assert "Wrote 1 search hits." in capsys.readouterr().out
    assert Query.get("jobbcoach").hits == 1
