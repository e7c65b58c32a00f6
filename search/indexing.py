"""Batch search-index updates during bulk writes.

Wagtail updates the search index on every ``post_save``; publishing one imported page saves it
three or four times. ``deferred_indexing()`` collects those updates and indexes each object
once when the block ends. Meant for management commands (imports), not request handling.
"""

from contextlib import contextmanager

from django.apps import apps
from modelsearch import index, signal_handlers


class _Collector:
    def __init__(self):
        self.pending = {}

    def enqueue(self, app_label, model_name, pk):
        self.pending[(app_label, model_name, pk)] = None


@contextmanager
def deferred_indexing():
    original = signal_handlers.insert_or_update_object_task
    collector = _Collector()
    signal_handlers.insert_or_update_object_task = collector
    try:
        yield
    finally:
        signal_handlers.insert_or_update_object_task = original
    for app_label, model_name, pk in collector.pending:
        model = apps.get_model(app_label, model_name)
        instance = model.objects.filter(pk=pk).first()
        if instance is not None:
            index.insert_or_update_object(instance)
