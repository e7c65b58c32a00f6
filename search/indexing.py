"""Batch search-index updates during bulk writes, through the task backend (no patching).

Wagtail updates the search index on every ``post_save`` by enqueueing modelsearch's
``insert_or_update_object_task``; publishing one imported page saves it three or four times.
Tasks go through django-tasks, and ``BatchingBackend`` (``TASKS`` in settings) runs them at
once, as django-tasks' immediate backend does, except inside ``deferred_indexing()``: there the
index updates are collected and each object is indexed once when the block ends (not at all if
it ends with an error: its transaction is rolled back). Meant for management commands (imports),
not request handling.
"""

import threading
from contextlib import contextmanager

from django_tasks.backends.immediate import ImmediateBackend
from django_tasks.base import TaskResult, TaskResultStatus
from django_tasks.utils import get_random_id

# The task Wagtail's index updates go through (named: this module is loaded while modelsearch
# defines its tasks).
INDEX_TASK = "modelsearch.tasks.insert_or_update_object_task"
_state = threading.local()


def _pending():
    return getattr(_state, "pending", None)


class BatchingBackend(ImmediateBackend):
    """django-tasks' immediate backend, holding back index updates inside a batch."""

    def enqueue(self, task, args, kwargs):
        pending = _pending()
        if pending is None or task.module_path != INDEX_TASK:
            return super().enqueue(task, args, kwargs)
        self.validate_task(task)
        pending.setdefault((tuple(args), tuple(sorted(kwargs.items()))), (task, args, kwargs))
        return TaskResult(
            task=task,
            id=get_random_id(),
            status=TaskResultStatus.READY,
            enqueued_at=None,
            started_at=None,
            last_attempted_at=None,
            finished_at=None,
            args=args,
            kwargs=kwargs,
            backend=self.alias,
            errors=[],
            worker_ids=[],
        )


@contextmanager
def deferred_indexing():
    if _pending() is not None:  # already batching: the outer block indexes
        yield
        return
    _state.pending = {}
    try:
        yield
        pending = _state.pending
    finally:
        _state.pending = None
    for task, args, kwargs in pending.values():
        task.enqueue(*args, **kwargs)
