"""python manage.py bench_index --pages N: what indexing costs on the benchmark's corpus.

The corpus and its snapshot are ``bench_search``'s (``benchmarks.runner``: the same seeded
records, the same ``--reuse`` snapshots, SQLite or PostgreSQL from ``DATABASE_URL``), without
the requests. Printed: ``update_index`` in records/s and pages/s (facet rows and the database
index, the engine's too when one is configured), the facet rebuild alone, and what publishing
one more page costs: the publish (which indexes the page, syncs its record's facet rows and
writes its ``SearchChange`` row), indexing the page alone, syncing its facet rows alone, and
the queries the publish makes, which must not grow with the corpus.
"""

import cProfile
import hashlib
import io
import os
import pstats
import statistics
import time
from pathlib import Path

from django.core.management import call_command
from django.core.management.base import BaseCommand
from django.db import connection
from django.test.utils import CaptureQueriesContext, override_settings
from modelsearch import index as search_index
from modelsearch.conf import get_app_config
from wagtail.models import Locale

from benchmarks import corpus
from benchmarks.runner import (
    Benchmark,
    Options,
    _new_page,
    corpus_counts,
    make_store,
    reset_caches,
    time_update_index,
    using_database,
)
from home.site_tree import ensure_site_tree
from practices.models import ActivityType, Municipality, Region, TargetGroup
from search import facets
from search.models import RecordFacet


def _references():
    return {
        "locales": {locale.language_code: locale for locale in Locale.objects.all()},
        "municipalities": {m.code: m for m in Municipality.objects.all()},
        "regions": {r.code: r for r in Region.objects.all()},
        "activity_types": {
            t.slug: t for t in ActivityType.objects.filter(locale__language_code="sv")
        },
        "target_groups": {
            t.slug: t for t in TargetGroup.objects.filter(locale__language_code="sv")
        },
    }


def time_one_more_page(size, samples):
    """Medians (ms) of publishing a new page, indexing it alone and syncing its facet rows
    alone, and the publish's query counts (all of them the same when it is O(the record))."""
    tree = ensure_site_tree()
    references = _references()
    publish, reindex, sync, queries = [], [], [], []
    for record in corpus.generate(size + samples, start=size):
        page, parent = _new_page(record, tree, references)
        with CaptureQueriesContext(connection) as captured:
            started = time.perf_counter()
            parent.add_child(instance=page)
            page.save_revision().publish()
            publish.append(time.perf_counter() - started)
        queries.append(len(captured))
        started = time.perf_counter()
        search_index.insert_or_update_object(page)
        reindex.append(time.perf_counter() - started)
        started = time.perf_counter()
        facets.sync_records([page.translation_key])
        sync.append(time.perf_counter() - started)
    return {
        "publish": statistics.median(publish) * 1000,
        "index": statistics.median(reindex) * 1000,
        "sync": statistics.median(sync) * 1000,
        "queries": sorted(set(queries)),
    }


def index_digest():
    """A digest of what search reads after a rebuild: every index entry (its vectors or texts
    and title norm) and every facet row, in a fixed order. Equal digests before and after a
    change to indexing mean it writes the same index."""
    if connection.vendor == "postgresql":
        sql = (
            "SELECT content_type_id, object_id, title::text, autocomplete::text, body::text, "
            "title_norm, title_text, body_text FROM {table} "
            "ORDER BY content_type_id, object_id"
        )
    else:
        sql = (
            "SELECT content_type_id, object_id, title, autocomplete, body, title_norm "
            "FROM {table} ORDER BY content_type_id, object_id"
        )
    digest = hashlib.sha256()
    with connection.cursor() as cursor:
        cursor.execute(sql.format(table=get_app_config().get_model("IndexEntry")._meta.db_table))
        for row in cursor.fetchall():
            digest.update(repr(row).encode())
    entries = digest.hexdigest()[:16]
    digest = hashlib.sha256()
    for row in RecordFacet.objects.order_by("translation_key", "facet", "value").values_list(
        "translation_key", "facet", "value"
    ):
        digest.update(repr(row).encode())
    return entries, digest.hexdigest()[:16]


def server_cpu():
    """CPU seconds the PostgreSQL backend serving this connection has used (it runs on this
    machine in the benchmark), or None elsewhere."""
    if connection.vendor != "postgresql":
        return None
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        pid = cursor.fetchone()[0]
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return None
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def timed_update_index():
    """(wall seconds, CPU seconds of this process, CPU seconds of its database backend)."""
    connection.ensure_connection()
    server = server_cpu()
    cpu = time.process_time()
    seconds = time_update_index()
    cpu = time.process_time() - cpu
    if server is not None:
        after = server_cpu()
        server = after - server if after is not None else None
    return seconds, cpu, server


def empty_index():
    """Remove every index entry and facet row (for ``--empty``: a first build)."""
    tables = [get_app_config().get_model("IndexEntry")._meta.db_table, RecordFacet._meta.db_table]
    with connection.cursor() as cursor:
        for table in tables:
            cursor.execute(f"DELETE FROM {table}")  # noqa: S608 - model table names only
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("VACUUM ANALYZE")


class Command(BaseCommand):
    help = (
        "Time update_index (records/s, pages/s), the facet rebuild and publishing one more "
        "page on bench_search's synthetic corpus of N records, in a scratch database."
    )

    def add_arguments(self, parser):
        defaults = Options()
        parser.add_argument("--pages", type=int, default=defaults.size, help="Records.")
        parser.add_argument(
            "--loader",
            choices=("auto", "import", "bulk"),
            default=defaults.loader,
            help="How a missing corpus snapshot is written (see bench_search).",
        )
        parser.add_argument(
            "--publishes", type=int, default=10, help="New pages published one at a time."
        )
        parser.add_argument(
            "--runs", type=int, default=1, help="update_index runs (the best is reported)."
        )
        parser.add_argument(
            "--profile",
            default="",
            metavar="FILE",
            help="Write a cProfile of the first update_index run to FILE and print its top.",
        )
        parser.add_argument(
            "--empty",
            action="store_true",
            help="Empty the index and the facet rows before each update_index run (a first "
            "build rather than a rebuild of an index already up to date).",
        )
        parser.add_argument("--dir", type=Path, default=defaults.directory)

    def handle(self, *args, **options):
        settings = Options(
            size=options["pages"],
            loader=options["loader"],
            reuse=True,
            directory=options["dir"],
        )
        settings.directory.mkdir(parents=True, exist_ok=True)
        with override_settings(DEBUG=False):
            self.run(settings, options)

    def run(self, settings, options):
        write = self.stdout.write
        store = make_store(settings)
        if not store.has_snapshot():
            Benchmark(settings, write).build(store)
        work = store.restore()
        try:
            with using_database(work):
                call_command("migrate", verbosity=0, interactive=False)
                records, pages, _languages = corpus_counts()
                write(f"{store.describe()}: {records:,} records, {pages:,} pages")
                started = time.perf_counter()
                facets.rebuild()
                write(f"facet rebuild alone: {time.perf_counter() - started:.2f} s")
                runs = []
                for run in range(options["runs"]):
                    if options["empty"]:
                        empty_index()
                    reset_caches()
                    if run == 0 and options["profile"]:
                        profiler = cProfile.Profile()
                        seconds, cpu, server = profiler.runcall(timed_update_index)
                        profiler.dump_stats(options["profile"])
                        out = io.StringIO()
                        stats = pstats.Stats(profiler, stream=out)
                        stats.sort_stats("cumulative").print_stats(40)
                        write(out.getvalue())
                    else:
                        seconds, cpu, server = timed_update_index()
                    runs.append(seconds)
                    database = f", database {server:.1f} s" if server is not None else ""
                    write(
                        f"update_index: {seconds:.1f} s, {records / seconds:.0f} records/s, "
                        f"{pages / seconds:.0f} pages/s (CPU: Python {cpu:.1f} s{database})"
                    )
                entries, facet_rows = index_digest()
                write(f"digest: index entries {entries}, facet rows {facet_rows}")
                best = min(runs)
                state = "from an empty index" if options["empty"] else "index up to date"
                write(
                    f"update_index ({state}, best of {len(runs)}): {records / best:.0f} records/s, "
                    f"{pages / best:.0f} pages/s"
                )
                figures = time_one_more_page(settings.size, options["publishes"])
                write(
                    "one more page (median of {n}): publish {publish:.1f} ms, index it "
                    "{index:.1f} ms, sync its facet rows {sync:.1f} ms; queries per publish "
                    "{queries}".format(n=options["publishes"], **figures)
                )
        finally:
            store.drop()
