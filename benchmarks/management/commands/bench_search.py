"""python manage.py bench_search --pages N: search latency and indexing figures on a synthetic
corpus, against a hand-written SQL floor and a minimal Django view (see benchmarks)."""

from pathlib import Path

from django.core.management.base import BaseCommand
from django.test.utils import override_settings

from benchmarks.runner import Benchmark, Options


class Command(BaseCommand):
    help = (
        "Import a deterministic synthetic corpus of N records (with translations) into a "
        "scratch database, time update_index and publishing one more page, serve the site with "
        "gunicorn and time a fixed mix of searches at concurrency 1 and 2, time a hand-written "
        "SQL floor and a minimal view in the same run, and print percentiles, ratios and "
        "PASS/FAIL against the targets. The site's own database is not touched."
    )

    def add_arguments(self, parser):
        defaults = Options()
        parser.add_argument(
            "--pages",
            type=int,
            default=defaults.size,
            help="Records (source pages) in the corpus; translations add pages.",
        )
        parser.add_argument(
            "--requests", type=int, default=defaults.requests, help="Timed requests per class."
        )
        parser.add_argument(
            "--concurrency",
            type=int,
            nargs="+",
            default=list(defaults.concurrency),
            help="Concurrent clients, one run each (default: 1 2).",
        )
        parser.add_argument(
            "--workers", type=int, default=defaults.workers, help="gunicorn worker processes."
        )
        parser.add_argument(
            "--publishes",
            type=int,
            default=defaults.publishes,
            help="New pages published one at a time to time indexing one more page.",
        )
        parser.add_argument(
            "--conn-max-age",
            type=int,
            default=defaults.conn_max_age,
            help="DB_CONN_MAX_AGE for gunicorn (0: a new database connection per request).",
        )
        parser.add_argument(
            "--vectors",
            type=int,
            default=defaults.vectors,
            metavar="N",
            help="Semantic search on: embed N pages with the model (the embedding figures) and "
            "give every other page random vectors of its real passages (timing and memory "
            "only, see benchmarks.vectors). Default: lexical only.",
        )
        parser.add_argument(
            "--reuse",
            action="store_true",
            help="Use the saved corpus snapshot for this size and corpus version if there is one.",
        )
        parser.add_argument(
            "--keep", action="store_true", help="Keep the scratch database after the run."
        )
        parser.add_argument(
            "--no-index",
            action="store_true",
            help=(
                "Do not time update_index: search the database index the snapshot was saved "
                "with (an engine's indexes are still rebuilt, and timed)."
            ),
        )
        parser.add_argument(
            "--build-only",
            action="store_true",
            help="Only build (or, with --reuse, check) the corpus snapshot.",
        )
        parser.add_argument(
            "--profile",
            default="",
            metavar="CLASS",
            help='Also print a cProfile of search.service.run for one query class, e.g. "head sv".',
        )
        parser.add_argument(
            "--loader",
            choices=("auto", "import", "bulk"),
            default=defaults.loader,
            help=(
                "How the corpus is written: the importer, record by record (3-5 records/s), or "
                "in bulk (about 150 records/s, no translation memory); auto: bulk above 10,000."
            ),
        )
        parser.add_argument(
            "--floor-samples",
            type=int,
            default=defaults.floor_samples,
            help="Timings of the SQL floor per class (default: --requests; a head word's floor "
            "takes about a second at 100,000 records).",
        )
        parser.add_argument(
            "--dir",
            type=Path,
            default=defaults.directory,
            help="Where SQLite snapshots, scratch files and the gunicorn log go.",
        )

    def handle(self, *args, **options):
        settings = Options(
            size=options["pages"],
            requests=options["requests"],
            concurrency=tuple(options["concurrency"]),
            workers=options["workers"],
            publishes=options["publishes"],
            keep=options["keep"],
            reuse=options["reuse"],
            build_only=options["build_only"],
            conn_max_age=options["conn_max_age"],
            directory=options["dir"],
            profile=options["profile"],
            loader=options["loader"],
            floor_samples=options["floor_samples"],
            vectors=options["vectors"],
            index=not options["no_index"],
        )
        settings.directory.mkdir(parents=True, exist_ok=True)
        # Query logging (DEBUG) would slow the import and the floor down.
        with override_settings(DEBUG=False):
            Benchmark(settings, self.stdout.write).run()
