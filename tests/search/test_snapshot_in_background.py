"""In a web process no reader's request builds the search snapshot (``search.catalogue``).

A worker loads its first snapshot when it starts serving, and after a publish, an unpublish,
a view-restriction change or a bulk change a thread builds the next one while requests go on
with the previous one; what the previous one still lists is checked against the database where
it is shown. Here the thread is replaced by ``threads.run()``, which does its work in the
test's own thread (and transaction) when the test says so: between the change and ``run()``
the snapshot is stale, as it is in a worker while the thread works.
"""

import runpy
import threading

import pytest
from wagtail.models import PageViewRestriction

from practices.models import PracticePage
from search import catalogue
from search.models import SearchState
from tests.conftest import REPO
from tests.helpers import record

from .conftest import RECORDS

WHOLE_LOAD = catalogue.load


class Threads:
    """The builds ``search.catalogue`` would start in threads, run when the test says."""

    def __init__(self):
        self.pending = []
        self.loads = 0  # whole loads, wherever they ran

    def run(self):
        while self.pending:
            catalogue.run_build(self.pending.pop(0))


@pytest.fixture
def threads(monkeypatch):
    threads = Threads()

    def counting_load(version):
        threads.loads += 1
        return WHOLE_LOAD(version)

    monkeypatch.setattr(catalogue, "_spawn", threads.pending.append)
    monkeypatch.setattr(catalogue, "load", counting_load)
    catalogue.clear()
    yield threads
    catalogue.clear()


@pytest.fixture
def serving(corpus, threads):
    """A worker that has started serving and loaded its first snapshot."""
    catalogue.serve_in_background()
    assert len(threads.pending) == 1, "the worker did not start loading when it started serving"
    threads.run()
    assert threads.loads == 1
    return threads


@pytest.fixture
def commit(django_capture_on_commit_callbacks):
    return lambda: django_capture_on_commit_callbacks(execute=True)


def found(client, query, language="sv"):
    """The external ids of the search page's results, and its ``Outcome``."""
    response = client.get(f"/{language}/search/", {"q": query})
    assert response.status_code == 200
    outcome = response.context["outcome"]
    return [result.external_id for result in outcome.results], outcome


def sv_page(external_id):
    return PracticePage.objects.get(external_id=external_id, locale__language_code="sv")


def test_the_first_snapshot_is_loaded_when_the_worker_starts_not_by_a_request(
    corpus, threads, client
):
    catalogue.serve_in_background()
    assert threads.loads == 0 and len(threads.pending) == 1
    threads.run()
    assert threads.loads == 1
    snapshot = catalogue._current
    assert "_index" in snapshot.__dict__, "the record index is left to the first search"
    assert found(client, "språkcafé")[0] == ["s-cafe"]
    assert threads.loads == 1 and not threads.pending


def test_after_a_publish_the_next_request_serves_the_previous_snapshot_then_the_new_one(
    serving, client, import_records
):
    before = catalogue._current
    import_records(
        record(
            external_id="s-new",
            title="Körkortsteori på lätt svenska i Sunne",
            summary="Nyanlända läser körkortsteori med studiehandledning.",
            municipalities=["1766"],
        )
    )
    assert SearchState.current() != before.version
    ids, _outcome = found(client, "körkortsteori")
    assert serving.loads == 1, "the request loaded the snapshot"
    assert catalogue._current is before, "the request built a snapshot itself"
    assert ids == [], "not in the previous snapshot yet"
    assert len(serving.pending) == 1, "no build was started for the new version"

    found(client, "körkortsteori")  # a second request meanwhile starts no second build
    assert len(serving.pending) == 1

    serving.run()
    assert serving.loads == 1, "a publish reloaded the whole snapshot"
    after = catalogue._current
    assert after is not before and after.version == SearchState.current()
    assert "_index" in after.__dict__, "the record index is left to the next search"
    assert found(client, "körkortsteori")[0] == ["s-new"]
    assert found(client, "språkcafé")[0] == ["s-cafe"]


def test_an_unpublished_page_is_never_shown_from_the_previous_snapshot(serving, client, commit):
    assert found(client, "hälsoskola")[0] == ["s-health"]
    with commit():
        sv_page("s-health").unpublish()
    ids, _outcome = found(client, "hälsoskola")
    assert ids == []
    assert serving.loads == 1 and len(serving.pending) == 1
    serving.run()
    ids, outcome = found(client, "hälsoskola")
    assert ids == [] and outcome.count == 0
    assert serving.loads == 1


def test_a_private_page_is_never_shown_and_only_the_thread_reloads(serving, client, commit):
    page = sv_page("s-health")
    with commit():
        PageViewRestriction.objects.create(page=page, restriction_type="login")
    for query in ("hälsoskola", ""):  # by its words, and in the list of every record
        ids, _outcome = found(client, query)
        assert "s-health" not in ids
    assert serving.loads == 1, "a view-restriction change reloaded in the request"
    serving.run()
    assert serving.loads == 2, "the thread reloads the whole snapshot"
    ids, outcome = found(client, "hälsoskola")
    assert ids == [] and outcome.count == 0
    assert page.pk not in catalogue._current.page_records


def test_a_bulk_change_is_reloaded_by_the_thread(serving, client, monkeypatch):
    monkeypatch.setattr(catalogue, "INCREMENTAL_LIMIT", 1)
    SearchState.bump([sv_page("s-health").translation_key, sv_page("s-cafe").translation_key])
    assert found(client, "språkcafé")[0] == ["s-cafe"]
    assert serving.loads == 1
    serving.run()
    assert serving.loads == 2
    assert found(client, "språkcafé")[0] == ["s-cafe"]


def test_a_translation_unpublished_meanwhile_shows_the_source(serving, client, commit):
    english = PracticePage.objects.get(external_id="s-cafe", locale__language_code="en")
    with commit():
        english.unpublish()
    ids, outcome = found(client, "karlstad", language="en")
    assert ids == ["s-cafe"]
    assert outcome.results[0].language == "sv", "the stale snapshot's English page was shown"
    assert serving.loads == 1


def test_a_promotion_change_needs_no_build(serving, client):
    SearchState.bump_promotions()
    found(client, "språkcafé")
    assert serving.pending == []
    assert catalogue._current.promotions_version == SearchState.versions()[1]


def test_a_request_before_the_first_load_waits_for_it_and_no_second_load_starts(
    corpus, threads, monkeypatch
):
    catalogue.serve_in_background()
    versions = SearchState.versions()
    # The waiting threads read the state as the test's transaction has it.
    monkeypatch.setattr(catalogue.SearchState, "versions", classmethod(lambda cls: versions))
    served = []
    waiting = [
        threading.Thread(target=lambda: served.append(catalogue.get_catalogue())) for _ in range(3)
    ]
    for thread in waiting:
        thread.start()
    for thread in waiting:
        thread.join(timeout=0.3)
    assert served == [], "a request without a snapshot went on without waiting"
    assert len(threads.pending) == 1, "a waiting request started a second load"
    threads.run()
    for thread in waiting:
        thread.join(timeout=10)
    assert len(served) == 3 and all(snapshot is catalogue._current for snapshot in served)
    assert threads.loads == 1


def test_a_failed_first_load_fails_the_waiting_request_and_the_next_one_tries_again(
    corpus, threads, monkeypatch
):
    catalogue.serve_in_background()
    monkeypatch.setattr(catalogue, "load", lambda version: 1 / 0)
    threads.run()
    monkeypatch.setattr(catalogue, "_spawn", lambda build: catalogue.run_build(build))
    with pytest.raises(catalogue.SnapshotUnavailable):
        catalogue.get_catalogue()
    monkeypatch.setattr(catalogue, "load", WHOLE_LOAD)
    snapshot = catalogue.get_catalogue()
    assert len(snapshot.records) == len(RECORDS)


def test_a_thread_whose_database_fails_at_once_still_ends_its_build(corpus, threads, monkeypatch):
    """The thread's own set-up failing (the database gone) must not leave a build that every
    later request waits for."""
    monkeypatch.setattr(catalogue.connections, "close_all", lambda: None)  # the test's connection

    def gone():
        raise ConnectionError("database gone")

    monkeypatch.setattr(catalogue, "_without_statement_timeout", gone)
    build = catalogue.start_build()
    catalogue._build_in_thread(threads.pending.pop())
    assert build.done.is_set() and isinstance(build.error, ConnectionError)
    assert catalogue._building is None
    assert catalogue._current is None and threads.loads == 0


def test_gunicorn_starts_the_first_load_in_each_worker(corpus, threads):
    hooks = runpy.run_path(str(REPO / "gunicorn.conf.py"))
    hooks["post_worker_init"](worker=None)
    assert catalogue._background
    assert len(threads.pending) == 1
