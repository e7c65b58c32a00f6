"""``update_index``: Wagtail's index rebuild, then search's facet rows and record snapshot.

Replaces Wagtail's command of the same name (the ``search`` app comes first in
INSTALLED_APPS) so that one command rebuilds everything search reads.
"""

from modelsearch.management.commands.rebuild_modelsearch_index import Command as RebuildCommand

from search import facets


class Command(RebuildCommand):
    help = RebuildCommand.help + " Then recompute the search facets of every record."

    def handle(self, **options):
        super().handle(**options)
        records = facets.rebuild()
        if options.get("verbosity", 1):
            self.stdout.write(f"Search facets rebuilt for {records} records.")
