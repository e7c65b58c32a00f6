"""An engine's rebuild in several processes (``search.rebuild``): the pages split into tasks by
primary key, each task's documents built and sent in bulk, by forked workers where they see
this process's rows, else here; an error in a worker is raised to the command. (The live
rebuild on real nodes: ``tests/engine/test_cluster.py``; the rate: ``bench_search``.)"""

import json
import os
import time

import pytest
from django.db import transaction
from django.test import TestCase
from modelsearch.backends import get_search_backend

from home.site_tree import ensure_site_tree
from practices.models import PracticePage
from search import rebuild, service
from search.backends.engine import EngineBackendMixin
from tests.helpers import module_data, record, run_import

pytestmark = pytest.mark.django_db

RECORDS = 7  # each with an English translation: 14 pages
ENGINE = {
    "BACKEND": "search.backends.opensearch",
    "URLS": ["http://127.0.0.1:9"],  # never asked: the bulk requests are recorded
    "INDEX_PREFIX": "parallel_",
}


@pytest.fixture(scope="module")
def practices(django_db_setup, django_db_blocker):
    with module_data(django_db_blocker):
        ensure_site_tree()
        records = [
            record(
                external_id=f"parallel-{number}",
                title=f"Språkcafé nummer {number}",
                translations={"en": {"title": f"Language café {number}", "summary": "A café."}},
            )
            for number in range(RECORDS)
        ]
        with TestCase.captureOnCommitCallbacks(execute=True):
            assert run_import(*records).rejections == []
        yield


@pytest.fixture
def engine(settings):
    settings.WAGTAILSEARCH_BACKENDS = {
        "default": ENGINE,
        "database": settings.DATABASE_SEARCH_BACKEND,
    }
    service.reset_backends()
    backend = get_search_backend("default")
    yield backend, backend.index_class(backend, "parallel_pages_new")
    service.reset_backends()


def test_within_a_transaction_the_tasks_run_here_and_send_every_page_once(
    practices, engine, monkeypatch
):
    backend, index = engine
    sent = []

    def record_bulk(self, actions, index_name):
        sent.append((index_name, [action["_id"] for action in actions]))

    monkeypatch.setattr(EngineBackendMixin, "send_bulk", record_bulk)
    # A forked worker would not see the rows of this test's transaction.
    assert not rebuild.parallel_possible()
    queryset = PracticePage.get_indexed_objects()
    indexed = rebuild.add_in_parallel(
        "default", index, PracticePage, queryset, workers=2, task_size=3
    )
    mapping = backend.mapping_class(PracticePage)
    expected = [mapping.get_document_id(page) for page in queryset.order_by("pk")]
    assert indexed == len(expected) == 2 * RECORDS
    assert sorted(i for _name, ids in sent for i in ids) == sorted(expected)
    assert len(sent) == 5  # 14 pages, 3 a task, one bulk request each
    assert {name for name, _ids in sent} == {"parallel_pages_new"}


def test_parallel_only_outside_a_transaction():
    with transaction.atomic():
        assert not rebuild.parallel_possible()


class NoConnections:
    """The test's database connection stays open in its transaction: the recorded tasks below
    do not read the database."""

    def close_all(self):
        pass

    def __iter__(self):
        return iter(())


class RecordingTask:
    """A worker's task that writes what it was given to ``folder`` (a file per task, named by
    the process), or raises for the task holding ``failing_pk``."""

    def __init__(self, folder, failing_pk=None):
        self.folder, self.failing_pk = folder, failing_pk

    def __call__(self, task):
        _backend, index_name, label, pks = task
        if self.failing_pk in pks:
            raise ValueError(f"the engine refused page {self.failing_pk}")
        time.sleep(0.2)  # long enough that both workers take tasks
        path = self.folder / f"{os.getpid()}-{pks[0]}.json"
        path.write_text(json.dumps([index_name, label, pks]))
        return len(pks)


@pytest.fixture
def forking(monkeypatch):
    monkeypatch.setattr(rebuild, "parallel_possible", lambda: True)
    monkeypatch.setattr(rebuild, "connections", NoConnections())


def test_workers_take_the_tasks_and_the_parent_counts(
    practices, engine, forking, monkeypatch, tmp_path
):
    _backend, index = engine
    monkeypatch.setattr(rebuild, "_index_task", RecordingTask(tmp_path))
    queryset = PracticePage.get_indexed_objects()
    indexed = rebuild.add_in_parallel(
        "default", index, PracticePage, queryset, workers=2, task_size=3
    )
    written = [json.loads(path.read_text()) for path in tmp_path.iterdir()]
    pks = sorted(pk for _name, _label, task_pks in written for pk in task_pks)
    assert indexed == len(pks) == 2 * RECORDS
    assert pks == sorted(queryset.values_list("pk", flat=True))
    assert all(len(task_pks) <= 3 for _name, _label, task_pks in written)
    assert {(name, label) for name, label, _pks in written} == {
        ("parallel_pages_new", "practices.PracticePage")
    }
    workers = {path.name.split("-")[0] for path in tmp_path.iterdir()}
    assert len(workers) == 2 and str(os.getpid()) not in workers


def test_an_error_in_a_worker_is_raised_to_the_command(
    practices, engine, forking, monkeypatch, tmp_path
):
    _backend, index = engine
    queryset = PracticePage.get_indexed_objects()
    failing = queryset.order_by("pk").values_list("pk", flat=True)[7]
    monkeypatch.setattr(rebuild, "_index_task", RecordingTask(tmp_path, failing_pk=failing))
    with pytest.raises(ValueError, match=f"refused page {failing}"):
        rebuild.add_in_parallel("default", index, PracticePage, queryset, workers=2, task_size=3)
