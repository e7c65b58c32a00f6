"""``update_index``: search's facet rows, then Wagtail's index rebuild (each page document
carries its record's facets: ``search.records``).

Replaces Wagtail's command of the same name (the ``search`` app comes first in
INSTALLED_APPS) so that one command rebuilds everything search reads.
"""

import gc
from contextlib import contextmanager

from django.conf import settings
from django.utils import timezone
from modelsearch.backends import get_search_backend
from modelsearch.management.commands.rebuild_modelsearch_index import Command as RebuildCommand

from search import breaker, facets, rebuild
from search.documents import shared_term_labels
from search.models import PendingIndexUpdate

# The garbage collector's thresholds during a rebuild. It allocates millions of objects (page
# objects, documents, word forms) of which few form cycles, and the default thresholds ran a
# collection every 700 allocations, a full one over every object the process holds (the word
# forms' caches) every 70,000: a fifth of a rebuild's Python time (1,000 records: 1.6 -> 1.3 s).
COLLECTOR_THRESHOLDS = (100_000, 50, 1000)


@contextmanager
def fewer_collections():
    thresholds = gc.get_threshold()
    gc.set_threshold(*COLLECTOR_THRESHOLDS)
    try:
        yield
    finally:
        gc.set_threshold(*thresholds)


class Command(RebuildCommand):
    help = "Recompute the search facets of every record, then " + RebuildCommand.help.lower()

    def add_arguments(self, parser):
        super().add_arguments(parser)
        parser.add_argument(
            "--workers",
            type=int,
            default=None,
            help=(
                "Processes that build and send an engine's documents (default: "
                "SEARCH_INDEX_WORKERS, one per core). The database backends are rebuilt in "
                "this process."
            ),
        )

    def handle(self, **options):
        self.workers = options.get("workers") or settings.SEARCH_INDEX_WORKERS
        with fewer_collections():
            self._handle(**options)

    def _handle(self, **options):
        started = timezone.now()
        records = facets.rebuild()
        if options.get("verbosity", 1):
            self.stdout.write(f"Search facets rebuilt for {records} records.")
        with shared_term_labels():
            super().handle(**options)
        # Everything is in the index now: what was pending before the rebuild is sent.
        PendingIndexUpdate.objects.filter(since__lt=started).delete()
        breaker.reset()

    def update_backend(self, backend_name, schema_only=False, chunk_size=rebuild.TASK_SIZE):
        """An engine's rebuild in ``workers`` processes (``search.rebuild``) where they would
        see this process's rows; otherwise, and for the database backends, stock's."""
        workers = getattr(self, "workers", 1)
        engine = getattr(get_search_backend(backend_name), "is_engine", False)
        if schema_only or workers < 2 or not engine or not rebuild.parallel_possible():
            super().update_backend(backend_name, schema_only=schema_only, chunk_size=chunk_size)
            return
        self.write("Updating backend: " + backend_name)
        rebuild.rebuild_backend(backend_name, workers=workers, task_size=chunk_size, log=self.write)
