"""The search engine's circuit breaker and the resync of what it missed (issue: "search engine
black-holed: after the breaker opens, search answers within 2 x its usual time, and pages
published meanwhile are in the engine within a minute of it coming back").

The engine is a fake at elasticsearch-py's HTTP boundary (``test_elasticsearch_http``) that
can be black-holed: every request hangs for a while, then times out.
"""

import io
import time

import elastic_transport
import pytest
from django.core.management import call_command
from django.http import QueryDict

from practices.models import PracticePage
from search import breaker, catalogue, facets, resync, service
from search.models import PendingIndexUpdate
from search.params import parse
from tests.helpers import record, run_import

from .test_elasticsearch_http import RecordingNode, es_params

pytestmark = pytest.mark.django_db

HANG = 0.25  # seconds a black-holed request hangs before it times out
# Long enough never to pass by itself during a test, however busy the machine:
# ``cool_down_passes`` ends it when a test wants the trial request.
COOLDOWN = 600


class Engine(RecordingNode):
    """The fake engine; ``black_hole`` makes every request hang, then time out."""

    black_hole = False

    def perform_request(self, method, target, body=None, headers=None, request_timeout=None):
        if type(self).black_hole:
            type(self).requests.append((method, target))
            time.sleep(HANG)
            raise elastic_transport.ConnectionTimeout("no answer")
        return super().perform_request(method, target, body, headers, request_timeout)


@pytest.fixture
def engine(site_tree, settings):
    node = type("Node", (Engine,), {"requests": []})
    settings.WAGTAILSEARCH_BACKENDS = {
        "default": es_params(node),
        "database": settings.DATABASE_SEARCH_BACKEND,
    }
    settings.SEARCH_ENGINE_FAILURES = 3
    settings.SEARCH_ENGINE_COOLDOWN = COOLDOWN
    service.reset_backends()
    catalogue.clear()
    yield node
    service.reset_backends()


def search(words="språkcafé"):
    params = parse(QueryDict(f"q={words}&lang=sv"), catalogue.get_catalogue())
    started = time.monotonic()
    outcome = service.run(params)
    return outcome, time.monotonic() - started


def publish_cafe(external_id="t-cafe", title="Språkcafé i Sunne"):
    assert not run_import(record(external_id=external_id, title=title)).rejections
    facets.rebuild()
    return PracticePage.objects.get(external_id=external_id)


def open_the_breaker():
    """Search the black-holed engine until the breaker opens (at most the failures allowed)."""
    for _ in range(3):
        if breaker.is_open():
            return
        search()
    assert breaker.is_open()


def cool_down_passes(settings):
    """The cool-down is over: the next request is the trial. (The breaker reads its cool-down
    from the settings at each call and compares it with the time it opened.)"""
    settings.SEARCH_ENGINE_COOLDOWN = 0


def bulk_ids(node):
    """The ids of the documents sent in ``_bulk`` requests."""
    return {
        action["index"]["_id"]
        for request in node.requests
        if not isinstance(request, tuple) and request.path.endswith("/_bulk")
        for action in request.body[::2]
    }


def test_after_failures_the_engine_is_skipped_and_search_answers_at_once(engine):
    page = publish_cafe()
    breaker.reset()
    engine.black_hole = True
    for _ in range(3):
        outcome, took = search()
        assert outcome.degraded and [r.page.pk for r in outcome.results] == [page.pk]
        assert took >= HANG  # each waited for the engine's timeout
    assert breaker.is_open()
    asked = len(engine.requests)
    outcome, took = search()
    # Not asked at all: the database answers, well within the time the engine took.
    assert len(engine.requests) == asked
    assert took < HANG
    assert outcome.degraded and [r.page.pk for r in outcome.results] == [page.pk]


def test_pages_published_while_it_was_away_reach_it_when_it_answers(engine, settings):
    engine.black_hole = True
    page = publish_cafe()  # its index update fails: it is pending
    open_the_breaker()
    pending = set(PendingIndexUpdate.objects.values_list("object_id", flat=True))
    assert str(page.pk) in pending
    # Published while the breaker is open: not even tried.
    asked = len(engine.requests)
    other = publish_cafe("t-kurs", "Kurs i svenska")
    assert len(engine.requests) == asked
    assert str(other.pk) in set(PendingIndexUpdate.objects.values_list("object_id", flat=True))

    engine.black_hole = False
    cool_down_passes(settings)
    outcome, _took = search()  # the trial request: the engine answers, the breaker closes
    assert not outcome.degraded
    assert not breaker.is_open()
    assert {str(page.pk), str(other.pk)} <= bulk_ids(engine)
    assert PendingIndexUpdate.objects.count() == 0


def test_a_failed_trial_opens_it_again_and_keeps_the_pending_updates(engine, settings):
    engine.black_hole = True
    page = publish_cafe()
    open_the_breaker()
    cool_down_passes(settings)
    outcome, took = search()  # the trial: still no answer
    assert outcome.degraded and took >= HANG
    settings.SEARCH_ENGINE_COOLDOWN = COOLDOWN
    assert breaker.is_open()
    asked = len(engine.requests)
    outcome, took = search()  # open again: not asked
    assert len(engine.requests) == asked and took < HANG
    assert PendingIndexUpdate.objects.filter(object_id=str(page.pk)).exists()


def test_resync_stops_when_the_engine_fails_again(engine):
    engine.black_hole = True
    publish_cafe()
    count = PendingIndexUpdate.objects.count()
    assert count
    breaker.reset()
    assert resync.resync() == 0
    assert PendingIndexUpdate.objects.count() == count


def test_the_command_sends_what_is_pending(engine):
    engine.black_hole = True
    page = publish_cafe()
    engine.black_hole = False
    breaker.reset()
    out = io.StringIO()
    call_command("search_resync", stdout=out)
    assert "0 still pending" in out.getvalue()
    assert str(page.pk) in bulk_ids(engine)


def test_the_command_says_when_there_is_no_engine(settings):
    settings.WAGTAILSEARCH_BACKENDS = {"default": settings.DATABASE_SEARCH_BACKEND}
    out = io.StringIO()
    call_command("search_resync", stdout=out)
    assert "No search engine is configured" in out.getvalue()
