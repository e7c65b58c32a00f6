"""``flush_search_hits``: write the searches counted in the cache to Wagtail's query log.

Run it from cron every minute (web processes also flush after a response, at most once a
minute: ``search.query_log``). With a per-process cache (no ``REDIS_URL``) each web process
counts and flushes its own searches, and this command finds nothing.
"""

from django.core.management.base import BaseCommand

from search import query_log


class Command(BaseCommand):
    help = "Write the search hits counted in the cache to the query log (cron, every minute)."

    def handle(self, **options):
        written = query_log.flush()
        if written is None:
            self.stdout.write("Another process is writing the search hits, or the cache is down.")
        else:
            self.stdout.write(f"Wrote {written} search hits.")
