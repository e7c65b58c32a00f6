"""``update_index``: search's facet rows, then Wagtail's index rebuild (each page document
carries its record's facets: ``search.records``).

Replaces Wagtail's command of the same name (the ``search`` app comes first in
INSTALLED_APPS) so that one command rebuilds everything search reads.
"""

from django.utils import timezone
from modelsearch.management.commands.rebuild_modelsearch_index import Command as RebuildCommand

from search import breaker, facets
from search.documents import shared_term_labels
from search.models import PendingIndexUpdate


class Command(RebuildCommand):
    help = "Recompute the search facets of every record, then " + RebuildCommand.help.lower()

    def handle(self, **options):
        started = timezone.now()
        records = facets.rebuild()
        if options.get("verbosity", 1):
            self.stdout.write(f"Search facets rebuilt for {records} records.")
        with shared_term_labels():
            super().handle(**options)
        # Everything is in the index now: what was pending before the rebuild is sent.
        PendingIndexUpdate.objects.filter(since__lt=started).delete()
        breaker.reset()
