"""``search_resync``: send the search engine the changes it missed while it was down.

The site does this by itself when the engine answers again (``search.resync``); this command
is for cron, or for an operator who brought the engine back: it reports what it sent and what
is still pending (the engine failed again).
"""

from django.core.management.base import BaseCommand

from search import resync


class Command(BaseCommand):
    help = "Send the search engine the index updates it missed while it was down."

    def handle(self, **options):
        if not resync.engines():
            self.stdout.write("No search engine is configured (ELASTICSEARCH_URL): nothing to do.")
            return
        sent = resync.resync()
        left = resync.pending_count()
        self.stdout.write(f"Sent {sent} pending updates; {left} still pending.")
        if left:
            self.stderr.write("The search engine failed again: run this command later.")
