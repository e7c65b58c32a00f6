"""An engine's full rebuild with the documents built in several processes.

Building a page's document (its text in each language's forms, labels, record fields) is
Python, bound to one core by the interpreter's lock, and at 100,000 records it took as long
as the engine's own indexing (140 s of CPU each), so one process kept the rebuild at about
390 records/s however many cores the machine had. Here the pages of a model are split into
chunks by primary key, and ``workers`` forked processes each read a chunk from the database,
build its documents and send them to the new index in bulk (``EngineIndexMixin.add_items``),
while the parent only counts. The rebuild stays atomic: the workers write into the index
the rebuilder made, which searches do not read until the alias moves to it.

A forked worker sees what is committed, so a rebuild inside a transaction (a test's, or a
caller's ``atomic`` block) or on an in-memory SQLite database (which a new process cannot
open) runs in this process, as stock does.
"""

import multiprocessing

from django.apps import apps
from django.db import connection, connections
from modelsearch.backends import get_search_backend
from modelsearch.index import get_indexed_models
from modelsearch.management.commands.rebuild_modelsearch_index import group_models_by_index

# Pages per task a worker takes: big enough that its queries and bulk requests are few, small
# enough that both workers finish close together.
TASK_SIZE = 1000


def parallel_possible():
    """Whether forked processes would see the rows this process sees."""
    if connection.in_atomic_block:
        return False
    return not (connection.vendor == "sqlite" and connection.is_in_memory_db())


def rebuild_backend(backend_name, *, workers, task_size=TASK_SIZE, log=None):
    """Rebuild every index of the engine backend ``backend_name`` as modelsearch's command
    does (a new index per index, filled, then the alias moved by the rebuilder), the objects
    added by ``workers`` processes; {index name: objects indexed}."""
    backend = get_search_backend(backend_name)
    counts = {}
    for index, models in group_models_by_index(backend, get_indexed_models()).items():
        rebuilder = backend.rebuilder_class(index)
        new_index = rebuilder.start()
        for model in models:
            new_index.add_model(model)
        indexed = 0
        for model in models:
            queryset = model.get_indexed_objects()
            indexed += add_in_parallel(
                backend_name, new_index, model, queryset, workers=workers, task_size=task_size
            )
        rebuilder.finish()
        counts[index.name] = indexed
        if log is not None:
            log(f"{backend_name}: {indexed} objects into {index.name}, {workers} processes")
    return counts


def add_in_parallel(backend_name, index, model, queryset, *, workers, task_size=TASK_SIZE):
    """Index every object of ``queryset`` (``model``'s indexed objects) into ``index`` (of the
    backend ``backend_name``), ``task_size`` a task, in ``workers`` processes (in this one
    where they would not see its rows: ``parallel_possible``); the number indexed. An error in
    a worker is raised here."""
    pks = list(queryset.order_by("pk").values_list("pk", flat=True))
    tasks = [
        (backend_name, index.name, model._meta.label, pks[start : start + task_size])
        for start in range(0, len(pks), task_size)
    ]
    if workers < 2 or len(tasks) < 2 or not parallel_possible():
        return sum(_index_task(task) for task in tasks)
    # A forked process must not share this one's database connections (nor their sockets).
    connections.close_all()
    context = multiprocessing.get_context("fork")
    with context.Pool(min(workers, len(tasks)), initializer=_start_worker) as pool:
        return sum(pool.imap_unordered(_index_task, tasks))


def _start_worker():
    # The connections objects came with the fork; their sockets are closed in the parent
    # (``close_all`` before forking), so each worker opens its own on first use.
    for alias in connections:
        connections[alias].connection = None


def _index_task(task):
    backend_name, index_name, label, pks = task
    model = apps.get_model(label)
    backend = get_search_backend(backend_name)
    index = backend.index_class(backend, index_name)
    objects = list(model.get_indexed_objects().filter(pk__in=pks).order_by("pk"))
    index.add_items(model, objects)
    return len(objects)
