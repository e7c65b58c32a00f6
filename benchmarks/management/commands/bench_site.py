"""python manage.py bench_site --pages N: every public page type through gunicorn, as the site
grows (``benchmarks.site``)."""

from pathlib import Path

from django.core.management.base import BaseCommand
from django.test.utils import override_settings

from benchmarks.site import SiteBenchmark, SiteOptions


class Command(BaseCommand):
    help = (
        "Build (or, with --reuse, restore) the benchmark corpus of N records in a scratch "
        "database, link methods, practices and adoptions, time update_index and publishing, "
        "count each public page type's SQL queries, then serve it with gunicorn (page cache "
        "off) and time every page type and the HTML search page at concurrency 1, 2 and 8; "
        "report p50/p95, response sizes, worker memory and the growth against runs at other "
        "sizes."
    )

    def add_arguments(self, parser):
        defaults = SiteOptions()
        parser.add_argument(
            "--pages", type=int, default=defaults.size, help="Records (source pages)."
        )
        parser.add_argument(
            "--requests",
            type=int,
            default=defaults.requests,
            help="Timed requests per page type and concurrency.",
        )
        parser.add_argument(
            "--concurrency",
            type=int,
            nargs="+",
            default=list(defaults.concurrency),
            help="Concurrent clients, one run each (default: 1 2 8).",
        )
        parser.add_argument(
            "--workers", type=int, default=defaults.workers, help="gunicorn workers."
        )
        parser.add_argument(
            "--publishes",
            type=int,
            default=defaults.publishes,
            help="New pages published one at a time (publish and snapshot costs).",
        )
        parser.add_argument(
            "--loader",
            choices=("auto", "import", "bulk"),
            default=defaults.loader,
            help="How a new corpus is written (as bench_search; auto: bulk above 10,000).",
        )
        parser.add_argument(
            "--reuse",
            action="store_true",
            help="Use the saved corpus snapshot (shared with bench_search) if there is one.",
        )
        parser.add_argument(
            "--no-index",
            action="store_true",
            help="Do not time update_index: search the index the snapshot was saved with.",
        )
        parser.add_argument(
            "--redis",
            default="",
            help=(
                "A Redis database for the workers' caches, emptied first (e.g. "
                "redis://127.0.0.1:6379/15), shared as in production; without it each worker "
                "has its own local memory cache."
            ),
        )
        parser.add_argument("--keep", action="store_true", help="Keep the scratch database.")
        parser.add_argument(
            "--dir",
            type=Path,
            default=defaults.directory,
            help="Where snapshots, the gunicorn log and the figures (site_N_vendor.json) go.",
        )

    def handle(self, *args, **options):
        settings = SiteOptions(
            size=options["pages"],
            redis=options["redis"],
            requests=options["requests"],
            concurrency=tuple(options["concurrency"]),
            workers=options["workers"],
            publishes=options["publishes"],
            loader=options["loader"],
            reuse=options["reuse"],
            keep=options["keep"],
            index=not options["no_index"],
            directory=options["dir"],
        )
        settings.directory.mkdir(parents=True, exist_ok=True)
        with override_settings(DEBUG=False):
            SiteBenchmark(settings, self.stdout.write).run()
