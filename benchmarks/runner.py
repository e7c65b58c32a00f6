"""The search benchmark: corpus, indexing figures, request latencies, floor and report.

``Benchmark(options, write).run()`` does, in order:

1. **Corpus.** Imports ``corpus.generate(size)`` into a freshly migrated scratch database
   (``evaluate_search``'s ``scratch_database``), the way ``import_content`` does, and keeps a
   snapshot keyed by size and ``corpus.VERSION``: a file copy on SQLite, a template database on
   PostgreSQL. ``reuse`` takes an existing snapshot instead of importing again. Each run works
   on a fresh copy of the snapshot (``<name>_bench_<size>``), dropped at the end unless ``keep``.
2. **Indexing.** Times ``update_index`` over the whole corpus (records/s, pages/s), then
   publishes new pages one at a time (page save and publish, which indexes the page and updates
   its facets) and reports the median, plus the time to index one page alone, to refresh the
   searchable-record snapshot after a publish (the changed record only) and to reload it whole.
   Then ``VACUUM ANALYZE`` (PostgreSQL) or ``ANALYZE`` (SQLite).
3. **Requests.** Serves the site with gunicorn (``learning_platform.settings.bench``) on a free
   port and times a fixed mix of searches, autocomplete and a minimal Django view with plain
   ``http.client`` requests, classes interleaved, at concurrency 1 and 2.
4. **Floor.** For every search class, a hand-written SQL query doing the same work on the same
   connection: the top 10 records by rank and the facet counts of the matching set, through the
   full-text index (PostgreSQL: ``@@`` on ``title || body`` with the GIN index of migration
   ``search/0002`` and ``ts_rank``, the faster of the planner's plan and the index forced;
   SQLite: FTS5 ``MATCH`` with ``bm25``), facet counts from ``search_recordfacet``. Also
   ``search.service.run`` in this process (no HTTP, no JSON), to show where request time goes.
5. **Report.** Percentiles per class, ratios to the floor and the minimal view, and PASS/FAIL
   against the targets, which are defined at 10,000 records; optionally a cProfile of
   ``service.run`` for one class.
"""

import http.client
import io
import json
import math
import os
import queue
import shutil
import socket
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
from collections import Counter
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection
from django.http import QueryDict
from django.test.utils import override_settings
from django.utils import translation
from modelsearch import index as search_index
from modelsearch.backends import get_search_backend
from modelsearch.management.commands.rebuild_modelsearch_index import Command as RebuildCommand
from wagtail.models import Locale
from wagtail.signal_handlers import disable_reference_index_auto_update

from benchmarks import vectors
from benchmarks.bulk_load import BulkLoader, BulkLoadError
from benchmarks.evaluation import scratch_database
from home.site_tree import ensure_site_tree
from interchange import spec
from interchange.importer import Importer
from interchange.markdown import from_markdown
from practices.models import CONTENT_PAGE_MODELS, ActivityType, Municipality, Region, TargetGroup
from search import catalogue as search_catalogue
from search import rebuild, service
from search.documents import shared_term_labels
from search.models import SearchState
from search.params import parse as parse_params
from search.signals import deferred_sync
from semantic.models import PassageVector, VectorState

from . import corpus

SETTINGS_MODULE = "learning_platform.settings.bench"
WARMUP = 20
REQUEST_TIMEOUT = 30.0
SERVER_START_TIMEOUT = 90.0
SERVICE_SAMPLES = 50  # in-process service.run timings per class (a breakdown, not a target)
IMPORT_CHUNK = 500  # records per import run; facet rows are synchronised after each
BULK_FROM = 10_000  # larger corpora are bulk-loaded by default (the importer: 3-5 records/s)
TARGET_SIZE = 10_000
P95_TARGETS = {"postgresql": 100.0, "sqlite": 300.0}  # ms, at TARGET_SIZE records
RATIO_TARGET = 2.0  # search p50 <= 2 x (floor p50 + minimal view p50), PostgreSQL only
SEARCH_PATH = "/api/search/"
AUTOCOMPLETE_PATH = "/api/search/autocomplete/"
MINIMAL_PATH = "/bench/minimal/"


@dataclass
class Options:
    size: int = 1000
    requests: int = 200
    concurrency: tuple = (1, 2)
    workers: int = 2
    publishes: int = 20
    keep: bool = False
    reuse: bool = False
    build_only: bool = False
    conn_max_age: int = 60
    profile: str = ""  # a query class to profile service.run for, after the report
    loader: str = "auto"  # "import", "bulk" or "auto" (see ``loader_for``)
    floor_samples: int = 0  # timings of the SQL floor per class (0: as many as ``requests``)
    vectors: int = -1  # pages embedded for real before the requests (-1: no semantic search)
    # Time update_index (False: the database index the snapshot was saved with; an engine's
    # indexes are still rebuilt, and timed, from the restored database).
    index: bool = True
    directory: Path = field(
        default_factory=lambda: Path(tempfile.gettempdir()) / "kunskapsplattformen-bench"
    )


@dataclass(frozen=True)
class QueryClass:
    name: str
    path: str
    params: tuple = ()  # (name, value) pairs
    kind: str = "search"  # "search", "autocomplete" or "minimal"

    @property
    def url(self):
        return self.path + ("?" + urllib.parse.urlencode(self.params) if self.params else "")

    def query_dict(self):
        data = QueryDict(mutable=True)
        for name, value in self.params:
            data.appendlist(name, value)
        return data


def query_mix():
    """The fixed mix: Swedish head, torso and tail terms, two terms, no hits, filters, facet
    browsing, English, Arabic and Persian, autocomplete, and the minimal view."""

    def search(name, *params):
        return QueryClass(name, SEARCH_PATH, params)

    return [
        search("head sv", ("q", corpus.HEAD_TERM), ("lang", "sv")),
        search("torso sv", ("q", corpus.TORSO_TERM), ("lang", "sv")),
        search("tail sv", ("q", corpus.TAIL_TERM), ("lang", "sv")),
        search("two terms sv", ("q", corpus.TWO_TERMS), ("lang", "sv")),
        search("no hits sv", ("q", corpus.NO_HIT_TERM), ("lang", "sv")),
        search(
            "head + 2 filters",
            ("q", corpus.HEAD_TERM),
            ("lang", "sv"),
            ("activity_type", "language-training"),
            ("target_group", "young-people"),
        ),
        search("browse facet", ("lang", "sv"), ("activity_type", "internship")),
        search("head en", ("q", corpus.EN_TERM), ("lang", "en")),
        search("head ar", ("q", corpus.AR_TERM), ("lang", "ar")),
        search("head fa", ("q", corpus.FA_TERM), ("lang", "fa")),
        QueryClass(
            "autocomplete",
            AUTOCOMPLETE_PATH,
            (("q", corpus.AUTOCOMPLETE_PREFIX), ("lang", "sv")),
            "autocomplete",
        ),
        QueryClass("minimal view", MINIMAL_PATH, (), "minimal"),
    ]


# Figures ---------------------------------------------------------------------------------


def percentile(values, fraction):
    """Linear-interpolated percentile of ``values`` (``fraction`` 0..1); NaN when empty."""
    if not values:
        return math.nan
    ordered = sorted(values)
    position = (len(ordered) - 1) * fraction
    low = math.floor(position)
    high = min(low + 1, len(ordered) - 1)
    return ordered[low] + (ordered[high] - ordered[low]) * (position - low)


def summary(values):
    return {
        "n": len(values),
        "p50": percentile(values, 0.50),
        "p95": percentile(values, 0.95),
        "p99": percentile(values, 0.99),
    }


def load_average():
    try:
        return " ".join(f"{value:.2f}" for value in os.getloadavg())
    except OSError:
        return "n/a"


# Databases -------------------------------------------------------------------------------


class build_database(scratch_database):  # noqa: N801 - a context manager like its parent
    """``scratch_database``, on a file for SQLite so that the snapshot can be copied."""

    def __init__(self, sqlite_path=None):
        self.sqlite_path = sqlite_path

    def __enter__(self):
        test_settings = connection.settings_dict.setdefault("TEST", {})
        self.saved_test_name = test_settings.get("NAME")
        if self.sqlite_path is not None:
            test_settings["NAME"] = str(self.sqlite_path)
        return super().__enter__()

    def __exit__(self, *exc_info):
        try:
            return super().__exit__(*exc_info)
        finally:
            connection.settings_dict["TEST"]["NAME"] = self.saved_test_name


def reset_caches():
    scratch_database._reset_caches()
    ContentType.objects.clear_cache()


@contextmanager
def using_database(name):
    """Point the default connection at database ``name`` for the block."""
    old_name = connection.settings_dict["NAME"]
    connection.close()
    connection.settings_dict["NAME"] = name
    reset_caches()
    try:
        yield
    finally:
        connection.close()
        connection.settings_dict["NAME"] = old_name
        reset_caches()


class SQLiteStore:
    vendor = "sqlite"

    def __init__(self, size, directory, variant=""):
        directory.mkdir(parents=True, exist_ok=True)
        self.snapshot = directory / f"bench_{size}_v{corpus.VERSION}{variant}.snapshot.sqlite3"
        self.work = directory / f"bench_{size}.sqlite3"
        self.build_path = directory / f"build_{size}_{os.getpid()}.sqlite3"

    def building(self):
        return build_database(self.build_path)

    def prepare_build(self):
        # Each record is several transactions; not waiting for the disk on each is safe for a
        # throw-away file and does not change what ends up in it.
        with connection.cursor() as cursor:
            cursor.execute("PRAGMA synchronous = OFF")

    def has_snapshot(self):
        return self.snapshot.exists()

    def save_snapshot(self):
        connection.close()
        partial = self.snapshot.with_suffix(".partial")
        shutil.copyfile(self.build_path, partial)
        os.replace(partial, self.snapshot)

    def restore(self):
        self.drop()
        shutil.copyfile(self.snapshot, self.work)
        return str(self.work)

    def drop(self):
        for suffix in ("", "-journal", "-wal", "-shm"):
            Path(f"{self.work}{suffix}").unlink(missing_ok=True)

    def database_url(self):
        return f"sqlite:///{self.work}"

    def analyze(self):
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")

    def describe(self):
        return f"SQLite {sqlite3.sqlite_version}, {self.work}"

    def snapshot_label(self):
        return str(self.snapshot)


class PostgresStore:
    vendor = "postgresql"

    def __init__(self, size, base_name, variant=""):
        self.snapshot = f"{base_name}_benchsnap_{size}_v{corpus.VERSION}{variant}"
        self.work = f"{base_name}_bench_{size}"
        self.build_name = None

    def building(self):
        return build_database()

    def prepare_build(self):
        self.build_name = connection.settings_dict["NAME"]

    def _admin(self, sql, params=None):
        with connection._nodb_cursor() as cursor:
            cursor.execute(sql, params)
            return cursor.fetchall() if cursor.description else None

    def _quote(self, name):
        return connection.ops.quote_name(name)

    def has_snapshot(self):
        return bool(self._admin("SELECT 1 FROM pg_database WHERE datname = %s", [self.snapshot]))

    def _copy(self, source, target):
        # FILE_COPY (PostgreSQL 15+) copies a large template much faster than logging it.
        version = int(self._admin("SHOW server_version_num")[0][0])
        strategy = " STRATEGY = FILE_COPY" if version >= 150000 else ""
        self._admin(f"DROP DATABASE IF EXISTS {self._quote(target)} WITH (FORCE)")
        self._admin(
            f"CREATE DATABASE {self._quote(target)} TEMPLATE {self._quote(source)}{strategy}"
        )

    def save_snapshot(self):
        connection.close()
        self._copy(self.build_name, self.snapshot)

    def restore(self):
        self._copy(self.snapshot, self.work)
        return self.work

    def drop(self):
        self._admin(f"DROP DATABASE IF EXISTS {self._quote(self.work)} WITH (FORCE)")

    def database_url(self):
        raw = os.environ.get("DATABASE_URL", "")
        parts = urllib.parse.urlsplit(raw)
        return urllib.parse.urlunsplit(parts._replace(path="/" + self.work))

    def analyze(self):
        with connection.cursor() as cursor:
            cursor.execute("VACUUM ANALYZE")

    def describe(self):
        with connection.cursor() as cursor:
            cursor.execute("SHOW server_version")
            version = cursor.fetchone()[0]
        return f"PostgreSQL {version}, database {self.work}"

    def snapshot_label(self):
        return f"database {self.snapshot}"


def loader_for(options):
    """How the corpus is written: ``import`` (``import_content``'s importer, record by record,
    as editors' publishes write it) up to ``BULK_FROM`` records, ``bulk`` above (the importer's
    pages in multi-row inserts, ``benchmarks.bulk_load``), unless chosen."""
    if options.loader != "auto":
        return options.loader
    return "bulk" if options.size > BULK_FROM else "import"


def make_store(options):
    # A bulk-loaded corpus has no translation memory (see bulk_load): its own snapshot.
    variant = "_bulk" if loader_for(options) == "bulk" else ""
    if connection.vendor == "sqlite":
        return SQLiteStore(options.size, options.directory, variant)
    if connection.vendor == "postgresql":
        return PostgresStore(options.size, connection.settings_dict["NAME"], variant)
    raise CommandError(f"bench_search supports SQLite and PostgreSQL, not {connection.vendor}.")


# Indexing --------------------------------------------------------------------------------


@contextmanager
def bulk_import():
    """Import the corpus without the per-page work that the build redoes in bulk afterwards.

    Search indexing is switched off (``AUTO_UPDATE: False``; ``update_index`` indexes the whole
    corpus once it is in), facet rows are synchronised once per chunk rather than per record
    (``search.signals.deferred_sync``), and Wagtail's reference index, which search never reads,
    is not kept. Pages, revisions and translations are written exactly as ``import_content``
    writes them.
    """

    backends = {
        name: {**config, "AUTO_UPDATE": False}
        for name, config in settings.WAGTAILSEARCH_BACKENDS.items()
    }
    with (
        override_settings(WAGTAILSEARCH_BACKENDS=backends),
        disable_reference_index_auto_update(),
    ):
        yield deferred_sync


def corpus_counts():
    """(records, pages, pages per language) of the live content pages."""
    pages = search_catalogue.searchable_pages()
    languages = Counter(pages.values_list("locale__language_code", flat=True))
    records = pages.values("translation_key").distinct().count()
    return records, sum(languages.values()), languages


def time_update_index():
    started = time.perf_counter()
    call_command("update_index", verbosity=0, stdout=io.StringIO(), stderr=io.StringIO())
    return time.perf_counter() - started


def time_engine_rebuild():
    """Seconds to rebuild the engine's indexes alone (what ``update_index`` does for the
    ``default`` backend, in ``SEARCH_INDEX_WORKERS`` processes, without the facet rows and the
    database fallback)."""
    started = time.perf_counter()
    with shared_term_labels():
        if settings.SEARCH_INDEX_WORKERS > 1 and rebuild.parallel_possible():
            rebuild.rebuild_backend("default", workers=settings.SEARCH_INDEX_WORKERS)
        else:
            RebuildCommand(stdout=io.StringIO(), stderr=io.StringIO()).handle(
                backend_name="default", verbosity=0, schema_only=False, chunk_size=1000
            )
    return time.perf_counter() - started


def _new_page(record, tree, references):
    """An unsaved page for an interchange record (source text and shared fields only)."""

    model = spec.PAGE_MODELS[record["type"]]
    page = model(
        locale=references["locales"][record["locale"]],
        title=record["title"],
        draft_title=record["title"],
        slug=record["external_id"],
        summary=record["summary"],
        body=from_markdown(record.get("body", "")),
        external_id=record["external_id"],
        start_date=record.get("start_date"),
        end_date=record.get("end_date"),
    )
    page.municipalities = [
        references["municipalities"][code] for code in record.get("municipalities", [])
    ]
    page.regions = [references["regions"][code] for code in record.get("regions", [])]
    page.activity_types = [references["activity_types"][s] for s in record["activity_types"]]
    page.target_groups = [references["target_groups"][s] for s in record["target_groups"]]
    return page, tree[record["locale"]][spec.INDEX_MODELS[record["type"]]]


def time_publishing(size, samples):
    """Median ms to publish one new page, to index one page, to refresh the search snapshot
    after it (what each worker's next search does) and to reload the snapshot whole."""

    tree = ensure_site_tree()
    references = {
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
    publish, reindex, refreshes = [], [], []
    search_catalogue.get_catalogue()
    # Records after the corpus's own: never imported, so every one is a new page.
    for record in corpus.generate(size + samples, start=size):
        page, parent = _new_page(record, tree, references)
        started = time.perf_counter()
        parent.add_child(instance=page)
        page.save_revision().publish()
        publish.append(time.perf_counter() - started)
        started = time.perf_counter()
        search_index.insert_or_update_object(page)
        reindex.append(time.perf_counter() - started)
        started = time.perf_counter()
        search_catalogue.get_catalogue()  # what each worker's next search does after a publish
        refreshes.append(time.perf_counter() - started)
    reloads = []
    for _ in range(3):
        started = time.perf_counter()
        search_catalogue.load(SearchState.current())
        reloads.append(time.perf_counter() - started)
    return {
        "publish": statistics.median(publish) * 1000,
        "index": statistics.median(reindex) * 1000,
        "reload": statistics.median(reloads) * 1000,
        "refresh": statistics.median(refreshes) * 1000,
        "samples": samples,
    }


# Serving and timing requests ---------------------------------------------------------------


def free_port():
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def fetch(port, url, timeout=REQUEST_TIMEOUT):
    """(status, seconds, body) of one GET on a new connection, as a browser's first request."""
    client = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout)
    try:
        started = time.perf_counter()
        client.request("GET", url)
        response = client.getresponse()
        body = response.read()
        elapsed = time.perf_counter() - started
        return response.status, elapsed, body
    finally:
        client.close()


def engine_prefix_environment():
    """``OPENSEARCH_INDEX_PREFIX``/``ELASTICSEARCH_INDEX_PREFIX`` naming the scratch prefix the
    default backend has now, so that the served site searches the benchmark's index."""
    config = settings.WAGTAILSEARCH_BACKENDS["default"]
    if "INDEX_PREFIX" not in config:
        return {}
    return {
        "OPENSEARCH_INDEX_PREFIX": config["INDEX_PREFIX"],
        "ELASTICSEARCH_INDEX_PREFIX": config["INDEX_PREFIX"],
    }


def bench_environment(database_url, conn_max_age):
    """The environment gunicorn serves the benchmark's scratch site with."""
    return {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": SETTINGS_MODULE,
        "DATABASE_URL": database_url,
        "DB_CONN_MAX_AGE": str(conn_max_age),
        "PYTHONUNBUFFERED": "1",
        # The scratch index of an engine (scratch_database gives it a prefix of its own).
        **engine_prefix_environment(),
    }


class Server:
    """gunicorn serving the site with ``environment`` on a free port, started and stopped by a
    benchmark (``bench_search``, ``loadtest``); ready once ``ready_path`` answers 200."""

    def __init__(self, environment, workers, log_path, ready_path=MINIMAL_PATH, timeout=120):
        self.environment = environment
        self.workers = workers
        self.log_path = Path(log_path)
        self.ready_path = ready_path
        self.timeout = timeout
        self.process = None
        self.port = None
        self.log = None

    def worker_rss(self, field="VmRSS:", name="status"):
        """Resident memory (bytes) of each gunicorn worker now (Linux /proc)."""
        sizes = []
        for child in (
            Path(f"/proc/{self.process.pid}/task/{self.process.pid}/children").read_text().split()
        ):
            status = Path(f"/proc/{child}/{name}")
            if status.exists():
                for line in status.read_text().splitlines():
                    if line.startswith(field):
                        sizes.append(int(line.split()[1]) * 1024)
        return sizes

    def worker_pss(self):
        """Each worker's proportional share of memory (bytes): pages shared by the workers
        (the mapped vector store, the model file) count once across them."""
        return self.worker_rss(field="Pss:", name="smaps_rollup")

    def start(self):
        self.port = free_port()
        command = [
            sys.executable,
            "-m",
            "gunicorn",
            "learning_platform.wsgi:application",
            "--workers",
            str(self.workers),
            "--bind",
            f"127.0.0.1:{self.port}",
            "--chdir",
            str(settings.BASE_DIR),
            "--log-level",
            "warning",
            "--timeout",
            str(self.timeout),
        ]
        self.log = open(self.log_path, "w")  # noqa: SIM115 - closed in stop()
        self.process = subprocess.Popen(  # noqa: S603 - our own interpreter and arguments
            command,
            stdout=self.log,
            stderr=subprocess.STDOUT,
            env=self.environment,
            cwd=settings.BASE_DIR,
        )
        deadline = time.monotonic() + SERVER_START_TIMEOUT
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise CommandError(f"gunicorn exited early:\n{self.log_tail()}")
            try:
                status, _elapsed, _body = fetch(self.port, self.ready_path, timeout=2)
                if status == 200:
                    return
            except OSError:
                pass
            time.sleep(0.2)
        raise CommandError(f"gunicorn did not answer within {SERVER_START_TIMEOUT:.0f} s")

    def log_tail(self, lines=30):
        try:
            return "\n".join(self.log_path.read_text().splitlines()[-lines:])
        except OSError:
            return ""

    def stop(self):
        if self.process is not None and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(timeout=10)
        self.process = None
        if self.log is not None:
            self.log.close()
            self.log = None


@dataclass
class Sample:
    cls: QueryClass
    seconds: float
    ok: bool


def run_requests(port, plan, concurrency):
    """Send every QueryClass in ``plan`` (in order) from ``concurrency`` threads."""
    work = queue.SimpleQueue()
    for cls in plan:
        work.put(cls)
    samples, lock = [], threading.Lock()

    def worker():
        while True:
            try:
                cls = work.get_nowait()
            except queue.Empty:
                return
            try:
                status, elapsed, _body = fetch(port, cls.url)
                sample = Sample(cls, elapsed, status == 200)
            except OSError:
                sample = Sample(cls, REQUEST_TIMEOUT, False)
            with lock:
                samples.append(sample)

    threads = [threading.Thread(target=worker) for _ in range(concurrency)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return samples


def describe_responses(port, classes):
    """{class name: what the first answer held (records found, suggestions)}."""
    found = {}
    for cls in classes:
        status, _elapsed, body = fetch(port, cls.url)
        if status != 200:
            found[cls.name] = f"HTTP {status}"
        elif cls.kind == "search":
            found[cls.name] = str(json.loads(body)["count"])
        elif cls.kind == "autocomplete":
            found[cls.name] = f"{len(json.loads(body)['suggestions'])} sugg."
        else:
            found[cls.name] = ""
    return found


# The floor ---------------------------------------------------------------------------------


# A matching record (``hits`` row ``h``) has one of the values of a facet filter.
FILTER_SQL = (
    "EXISTS (SELECT 1 FROM search_recordfacet f WHERE f.translation_key = h.translation_key "
    "AND f.facet = %s AND f.value IN ({placeholders}))"
)


class Floor:
    """Hand-written SQL for a search class: top 10 records by rank plus facet counts.

    Uses the words the service would search for (``service.query_terms``: forms, stems,
    compound parts, spelling candidates) and the class's filters; a plain ``ts_rank`` or
    ``bm25`` per page, the best page's score per record. Facet counts are the number
    of matching records per facet value; the service's counts leave each facet's own filter out,
    which takes a little more work, so this is a lower bound.
    """

    def __init__(self):
        self.vendor = connection.vendor
        self.catalogue = search_catalogue.get_catalogue()
        types = ContentType.objects.get_for_models(*CONTENT_PAGE_MODELS).values()
        self.content_types = sorted(content_type.pk for content_type in types)
        if self.vendor == "postgresql":
            backend = service.backend()
            self.configs = list(getattr(backend, "query_configs", ("simple",)))

    def statement(self, cls):
        params = parse_params(cls.query_dict(), self.catalogue)
        found, _corrections = service.query_terms(params, self.catalogue)
        # The forms to look for, flat (query_terms may group them per query word).
        terms = tuple(
            dict.fromkeys(
                term for item in found for term in ((item,) if isinstance(item, str) else item)
            )
        )
        filters = sorted((facet, sorted(values)) for facet, values in params.filters.items())
        if params.query and not terms:
            return None
        if self.vendor == "postgresql":
            return self._postgres(terms, filters)
        return self._sqlite(terms, filters)

    def _in(self, values):
        return ", ".join(["%s"] * len(values)), list(values)

    def _filters(self, filters):
        clauses, params = [], []
        for facet, values in filters:
            placeholders, values = self._in(values)
            clauses.append(FILTER_SQL.format(placeholders=placeholders))
            params += [facet, *values]
        return (" AND ".join(clauses) or "1 = 1"), params

    def _tail(self, filters, order):
        where, params = self._filters(filters)
        sql = f"""
            matching AS (SELECT * FROM hits h WHERE {where})
            SELECT 'hit', CAST(translation_key AS text), score FROM (
                SELECT translation_key, score FROM matching ORDER BY {order} LIMIT 10
            ) AS top
            UNION ALL
            SELECT f.facet, f.value, count(*) FROM search_recordfacet f
            JOIN matching m ON m.translation_key = f.translation_key
            GROUP BY f.facet, f.value
        """  # noqa: S608 - only placeholders and fixed SQL are formatted in
        return sql, params

    def _browse_hits(self):
        types, params = self._in(self.content_types)
        sql = f"""
            hits AS (
                SELECT p.translation_key, 0.0 AS score, max(p.first_published_at) AS published
                FROM wagtailcore_page p
                WHERE p.live AND p.content_type_id IN ({types})
                GROUP BY p.translation_key
            ),
        """  # noqa: S608 - only placeholders and fixed SQL are formatted in
        return sql, params

    def _postgres(self, terms, filters):
        if not terms:
            hits, params = self._browse_hits()
            order = "published DESC"
        else:
            expression = " || ".join(["to_tsquery(%s::regconfig, %s)"] * len(self.configs))
            query_params = []
            words = " | ".join(
                "'" + term.replace("'", "''").replace("\\", "") + "'" for term in terms
            )
            for config in self.configs:
                query_params += [config, words]
            types, type_params = self._in(self.content_types)
            hits = f"""
                query AS (SELECT {expression} AS q),
                hits AS (
                    SELECT p.translation_key, max(ts_rank(e.title || e.body, query.q)) AS score,
                           max(p.first_published_at) AS published
                    FROM wagtailsearch_indexentry e
                    CROSS JOIN query
                    JOIN wagtailcore_page p ON p.id = e.object_id::integer
                    WHERE (e.title || e.body) @@ query.q
                      AND e.content_type_id IN ({types}) AND p.live
                    GROUP BY p.translation_key
                ),
            """  # noqa: S608 - only placeholders and fixed SQL are formatted in
            params = query_params + type_params
            order = "score DESC, published DESC"
        tail, tail_params = self._tail(filters, order)
        return "WITH " + hits + tail, params + tail_params

    def _sqlite(self, terms, filters):
        if not terms:
            hits, params = self._browse_hits()
            order = "published DESC"
        else:
            match = "{title body} : (" + " OR ".join(f'"{term}"' for term in terms) + ")"
            types, type_params = self._in(self.content_types)
            hits = f"""
                ranked AS MATERIALIZED (
                    SELECT rowid AS entry_id,
                           bm25(wagtailsearch_indexentry_fts, 0.0, 1.0, 4.0) AS rank
                    FROM wagtailsearch_indexentry_fts
                    WHERE wagtailsearch_indexentry_fts MATCH %s
                ),
                hits AS (
                    SELECT p.translation_key, max(-r.rank) AS score,
                           max(p.first_published_at) AS published
                    FROM ranked r
                    JOIN wagtailsearch_indexentry e ON e.id = r.entry_id
                    JOIN wagtailcore_page p ON p.id = CAST(e.object_id AS INTEGER)
                    WHERE e.content_type_id IN ({types}) AND p.live
                    GROUP BY p.translation_key
                ),
            """  # noqa: S608 - only placeholders and fixed SQL are formatted in
            params = [match] + type_params
            order = "score DESC, published DESC"
        tail, tail_params = self._tail(filters, order)
        return "WITH " + hits + tail, params + tail_params

    def time(self, cls, samples):
        """(seconds per run, whether the index was forced) for ``samples`` runs.

        On PostgreSQL the planner may scan the table rather than use the GIN index when it
        expects many matches; the floor is the faster of its own plan and the index forced
        (``enable_seqscan = off``), compared on the median.
        """
        statement = self.statement(cls)
        if statement is None:
            return [0.0] * samples, False
        timings = self._run(statement, samples)
        if self.vendor != "postgresql":
            return timings, False
        with connection.cursor() as cursor:
            cursor.execute("SET enable_seqscan = off")
        try:
            forced = self._run(statement, samples)
        finally:
            with connection.cursor() as cursor:
                cursor.execute("RESET enable_seqscan")
        if statistics.median(forced) < statistics.median(timings):
            return forced, True
        return timings, False

    @staticmethod
    def _run(statement, samples):
        sql, params = statement
        timings = []
        with connection.cursor() as cursor:
            for number in range(WARMUP + samples):
                started = time.perf_counter()
                cursor.execute(sql, params)
                cursor.fetchall()
                elapsed = time.perf_counter() - started
                if number >= WARMUP:
                    timings.append(elapsed)
        return timings


def time_service(cls, samples):
    """Seconds per ``service.run`` for a search class, in this process, as the API calls it."""

    params = parse_params(cls.query_dict(), search_catalogue.get_catalogue())
    timings = []
    with translation.override(params.language):
        for number in range(WARMUP + samples):
            started = time.perf_counter()
            service.run(params, log=True)
            elapsed = time.perf_counter() - started
            if number >= WARMUP:
                timings.append(elapsed)
    return timings


def profile_service(cls, runs, limit=30):
    """Lines of a cProfile of ``service.run`` for one class, by cumulative time."""
    import cProfile
    import pstats
    import sysconfig

    params = parse_params(cls.query_dict(), search_catalogue.get_catalogue())
    with translation.override(params.language):
        for _ in range(3):
            service.run(params, log=True)
        profiler = cProfile.Profile()
        profiler.enable()
        for _ in range(runs):
            service.run(params, log=True)
        profiler.disable()
    buffer = io.StringIO()
    pstats.Stats(profiler, stream=buffer).sort_stats("cumulative").print_stats(limit)
    lines = buffer.getvalue().splitlines()
    start = next((i for i, line in enumerate(lines) if "ncalls" in line), 0)
    prefixes = (sysconfig.get_paths()["purelib"] + "/", str(settings.BASE_DIR) + "/")
    shown = []
    for line in lines[start:]:
        for prefix in prefixes:
            line = line.replace(prefix, "")
        if line.strip():
            shown.append(line)
    return [f"profile of service.run for {cls.name!r}, {runs} runs, by cumulative time:", *shown]


# The benchmark -----------------------------------------------------------------------------


class Benchmark:
    def __init__(self, options, write):
        self.options = options
        self.write = write
        self.figures = {}

    def log(self, message):
        self.write(f"[{time.strftime('%H:%M:%S')}] {message}")

    def run(self):
        options = self.options
        if options.size < 1:
            raise CommandError("--pages must be at least 1.")
        store = make_store(options)
        if options.reuse and store.has_snapshot():
            self.log(f"reusing the snapshot {store.snapshot_label()}")
            self.figures["import"] = None
        else:
            self.build(store)
        if options.build_only:
            self.log(f"snapshot ready: {store.snapshot_label()}")
            return
        work_name = store.restore()
        server = None
        try:
            with using_database(work_name):
                call_command("migrate", verbosity=0, interactive=False)
                self.measure_indexing(store)
                self.prepare_vectors()
                server = Server(
                    bench_environment(store.database_url(), options.conn_max_age),
                    options.workers,
                    options.directory / f"gunicorn_{options.size}_{store.vendor}.log",
                )
                self.measure_requests(server)
                server.stop()
                server = None
                self.measure_floor()
                self.figures["database"] = store.describe()
            self.report(store)
        finally:
            if server is not None:
                server.stop()
            if options.keep:
                self.log(f"kept the scratch database: {store.database_url()}")
            else:
                store.drop()

    # 1. Corpus -----------------------------------------------------------------------------

    def build(self, store):
        size = self.options.size
        self.log(f"generating {size:,} records (corpus v{corpus.VERSION}, seed {corpus.SEED})")
        records = list(corpus.generate(size))
        pages = corpus.page_count(records)
        loader = loader_for(self.options)
        self.log(f"writing {size:,} records ({pages:,} pages) into a scratch database ({loader})")

        with store.building():
            store.prepare_build()
            started = time.perf_counter()

            def progress(done):
                rate = done / (time.perf_counter() - started)
                self.log(f"  {done:,}/{size:,} records, {rate:.1f} records/s")

            with bulk_import() as deferred_sync:
                if loader == "bulk":
                    try:
                        BulkLoader().load(records, progress=progress)
                    except BulkLoadError as error:
                        raise CommandError(f"the corpus cannot be bulk-loaded: {error}") from error
                else:
                    self._import(records, deferred_sync, progress)
            elapsed = time.perf_counter() - started
            self.log("indexing the corpus (update_index)")
            time_update_index()
            store.save_snapshot()
        self.figures["import"] = (elapsed, size, pages, loader)
        self.log(
            f"imported in {elapsed:.0f} s ({size / elapsed:.1f} records/s, "
            f"{pages / elapsed:.1f} pages/s); snapshot {store.snapshot_label()}"
        )

    @staticmethod
    def _import(records, deferred_sync, progress):
        rejections = []
        for first in range(0, len(records), IMPORT_CHUNK):
            chunk = records[first : first + IMPORT_CHUNK]
            with deferred_sync():
                rejections += Importer().run(corpus.lines(chunk)).rejections
            progress(first + len(chunk))
        if rejections:
            raise CommandError(
                f"the corpus has {len(rejections)} rejected records, e.g. {rejections[0]}"
            )

    # 2. Indexing ---------------------------------------------------------------------------

    def measure_indexing(self, store):
        records, pages, languages = corpus_counts()
        self.figures["corpus"] = (records, pages, languages)
        if self.options.index:
            self.log(f"update_index over {records:,} records ({pages:,} pages)")
            self.figures["update_index"] = time_update_index()
        if getattr(get_search_backend("default"), "is_engine", False):
            self.log("rebuilding the engine's indexes alone")
            self.figures["engine_rebuild"] = time_engine_rebuild()
        store.analyze()
        self.log(f"publishing {self.options.publishes} new pages one at a time")
        self.figures["publishing"] = time_publishing(self.options.size, self.options.publishes)
        store.analyze()
        reset_caches()

    def prepare_vectors(self):
        """Without ``--vectors``, no page has vectors: the search is lexical only."""
        PassageVector.objects.all().delete()
        VectorState.bump()
        if self.options.vectors < 0:
            return
        self.log(f"passage vectors: {self.options.vectors} pages embedded, the rest random")
        self.figures["vectors"] = vectors.fill(self.options.vectors, self.log)

    # 3. Requests ---------------------------------------------------------------------------

    def measure_requests(self, server):
        options = self.options
        classes = query_mix()
        self.log(f"starting gunicorn ({options.workers} workers)")
        server.start()
        self.figures["load_before"] = load_average()
        self.figures["hits"] = describe_responses(server.port, classes)
        warmup = [cls for _ in range(WARMUP) for cls in classes]
        failed = [s for s in run_requests(server.port, warmup, 1) if not s.ok]
        if failed:
            raise CommandError(
                f"{len(failed)} warm-up requests failed (first: {failed[0].cls.url}); "
                f"gunicorn log:\n{server.log_tail()}"
            )
        results = {}
        for concurrency in options.concurrency:
            plan = [cls for _ in range(options.requests) for cls in classes]
            self.log(f"timing {len(plan):,} requests at concurrency {concurrency}")
            started = time.perf_counter()
            samples = run_requests(server.port, plan, concurrency)
            elapsed = time.perf_counter() - started
            results[concurrency] = (samples, elapsed)
        self.figures["requests"] = results
        self.figures["load_after"] = load_average()
        self.figures["worker_rss"] = server.worker_rss()
        self.figures["worker_pss"] = server.worker_pss()

    # 4. Floor ------------------------------------------------------------------------------

    def measure_floor(self):
        self.log("timing the hand-written SQL floor and service.run in this process")
        floor = Floor()
        timings, forced, in_process = {}, {}, {}
        service_samples = min(self.options.requests, SERVICE_SAMPLES)
        for cls in query_mix():
            if cls.kind == "search":
                samples = self.options.floor_samples or self.options.requests
                timings[cls.name], forced[cls.name] = floor.time(cls, samples)
                in_process[cls.name] = time_service(cls, service_samples)
        self.figures["floor"] = timings
        self.figures["floor_forced"] = forced
        self.figures["service"] = in_process
        self.figures["service_samples"] = service_samples
        if self.options.profile:
            classes = {cls.name: cls for cls in query_mix() if cls.kind == "search"}
            if self.options.profile not in classes:
                raise CommandError(f"--profile takes one of: {', '.join(classes)}")
            self.log(f"profiling service.run for {self.options.profile!r}")
            self.figures["profile"] = profile_service(classes[self.options.profile], 20)

    # 5. Report -----------------------------------------------------------------------------

    def report(self, store):
        options, figures, out = self.options, self.figures, self.write
        records, pages, languages = figures["corpus"]
        by_language = ", ".join(f"{lang} {count:,}" for lang, count in sorted(languages.items()))
        out("")
        out(f"== bench_search: {options.size:,} records, corpus v{corpus.VERSION} ==")
        out(
            f"corpus     {records:,} records, {pages:,} pages ({by_language}), written by "
            f"{loader_for(options)}"
        )
        out(f"database   {figures['database']}")
        out(f"code       {code_version()}")
        backend = settings.WAGTAILSEARCH_BACKENDS["default"]["BACKEND"]
        out(
            f"server     gunicorn, {options.workers} sync workers, DB_CONN_MAX_AGE="
            f"{options.conn_max_age}, search backend {backend}, {os.cpu_count()} CPUs"
        )
        load = f"{figures['load_before']} (start of requests), {figures['load_after']} (end)"
        out(f"load avg   {load}")
        if figures.get("vectors"):
            for line in vectors.describe(figures["vectors"]):
                out(line)
        rss = figures.get("worker_rss") or []
        if rss:
            out(
                f"worker RSS {', '.join(f'{size / 2**20:.0f}' for size in rss)} MB after the "
                "requests (each worker holds what it loaded to answer them)"
            )
        pss = figures.get("worker_pss") or []
        if pss:
            out(
                f"worker PSS {', '.join(f'{size / 2**20:.0f}' for size in pss)} MB (pages the "
                "workers share, such as the mapped vector store, counted once across them)"
            )
        if figures.get("import"):
            elapsed, size, import_pages, loader = figures["import"]
            how = (
                "multi-row inserts without translation memory, see benchmarks.bulk_load"
                if loader == "bulk"
                else "the importer without per-page indexing, see bulk_import"
            )
            out(
                f"import     {elapsed:.0f} s: {size / elapsed:.1f} records/s, "
                f"{import_pages / elapsed:.1f} pages/s (corpus built this run: {how})"
            )
        seconds = figures.get("update_index")
        if seconds:
            out(
                f"indexing   update_index {seconds:.1f} s: {records / seconds:.0f} records/s, "
                f"{pages / seconds:.0f} pages/s"
            )
        seconds = figures.get("engine_rebuild")
        if seconds:
            out(
                f"engine     rebuild of the engine's indexes alone {seconds:.1f} s: "
                f"{records / seconds:.0f} records/s, {pages / seconds:.0f} pages/s (bulk indexing, "
                f"{settings.SEARCH_INDEX_WORKERS} processes)"
            )
        publishing = figures["publishing"]
        out(
            f"one more   publish one new page (save + publish + index + facets): median "
            f"{publishing['publish']:.0f} ms (n={publishing['samples']})"
        )
        out(
            f"           index one page alone: {publishing['index']:.1f} ms; refresh of the "
            f"search snapshot after a publish (each worker, once): {publishing['refresh']:.1f} ms; "
            f"whole reload: {publishing['reload']:.0f} ms"
        )
        floor = {name: [s * 1000 for s in values] for name, values in figures["floor"].items()}
        in_process = {name: [s * 1000 for s in v] for name, v in figures["service"].items()}
        verdicts = []
        for concurrency, (samples, elapsed) in figures["requests"].items():
            verdicts.append(self._request_table(concurrency, samples, elapsed, floor, in_process))
        out("")
        out(
            "  found: records (or suggestions) in the answer; service: search.service.run in "
            f"the benchmark's process, n={figures['service_samples']}, no HTTP, no JSON; floor: "
            "hand-written SQL, top 10 + facet counts"
            + (
                ", * = GIN index forced (faster than the planner's plan)"
                if store.vendor == "postgresql"
                else ""
            )
            + "; ratio: p50 / (floor p50 + minimal view p50)."
        )
        out("")
        self._targets(store, verdicts)
        for line in figures.get("profile", ()):
            out(line)

    def _request_table(self, concurrency, samples, elapsed, floor, in_process):
        out = self.write
        by_class, errors = {}, Counter()
        for sample in samples:
            by_class.setdefault(sample.cls.name, []).append(sample.seconds * 1000)
            if not sample.ok:
                errors[sample.cls.name] += 1
        minimal = summary(by_class.get("minimal view", []))
        forced = self.figures.get("floor_forced", {})
        out("")
        out(
            f"requests, concurrency {concurrency}: {len(samples):,} in {elapsed:.1f} s "
            f"({len(samples) / elapsed:.0f} req/s), {self.options.requests} per class; ms"
        )
        out(
            f"  {'class':<18}{'found':>9}{'p50':>8}{'p95':>8}{'p99':>8}{'service':>9}"
            f"{'floor':>9}{'ratio':>7}{'errors':>7}"
        )
        search_all, floor_all, service_all = [], [], []
        for cls in query_mix():
            values = by_class.get(cls.name, [])
            stats = summary(values)
            service_p50 = floor_p50 = ratio = ""
            if cls.kind == "search":
                search_all += values
                floor_all += floor.get(cls.name, [])
                service_all += in_process.get(cls.name, [])
                floor_value = percentile(floor.get(cls.name, []), 0.5)
                service_p50 = f"{percentile(in_process.get(cls.name, []), 0.5):.1f}"
                floor_p50 = f"{floor_value:.1f}" + ("*" if forced.get(cls.name) else " ")
                ratio = f"{stats['p50'] / (floor_value + minimal['p50']):.1f}"
            out(
                f"  {cls.name:<18}{self.figures['hits'].get(cls.name, ''):>9}"
                f"{stats['p50']:>8.1f}{stats['p95']:>8.1f}{stats['p99']:>8.1f}"
                f"{service_p50:>9}{floor_p50:>9}{ratio:>7}{errors[cls.name]:>7}"
            )
        pooled = summary(search_all)
        floor_p50 = percentile(floor_all, 0.5)
        ratio = pooled["p50"] / (floor_p50 + minimal["p50"])
        search_errors = sum(
            count for name, count in errors.items() if name not in ("autocomplete", "minimal view")
        )
        out(
            f"  {'/api/search/ all':<18}{'':>9}{pooled['p50']:>8.1f}{pooled['p95']:>8.1f}"
            f"{pooled['p99']:>8.1f}{percentile(service_all, 0.5):>9.1f}{floor_p50:>8.1f} "
            f"{ratio:>7.1f}{search_errors:>7}"
        )
        out(
            f"  search p50 / (floor p50 + minimal view p50) = {pooled['p50']:.1f} / "
            f"({floor_p50:.2f} + {minimal['p50']:.2f}) = {ratio:.2f}"
        )
        return {
            "concurrency": concurrency,
            "p50": pooled["p50"],
            "p95": pooled["p95"],
            "ratio": ratio,
            "errors": search_errors,
        }

    def _targets(self, store, verdicts):
        out = self.write
        size = self.options.size
        note = (
            "" if size == TARGET_SIZE else f" (the targets are set at {TARGET_SIZE:,}; informative)"
        )
        out(f"targets at {size:,} records on {store.vendor}{note}:")
        p95_target = P95_TARGETS[store.vendor]
        for verdict in verdicts:
            label = f"concurrency {verdict['concurrency']}"
            passed = verdict["p95"] <= p95_target and not verdict["errors"]
            failed_requests = f", {verdict['errors']} failed requests" if verdict["errors"] else ""
            out(
                f"  {'PASS' if passed else 'FAIL'}  {label}: search p95 {verdict['p95']:.1f} ms "
                f"<= {p95_target:.0f} ms{failed_requests}"
            )
            if store.vendor == "postgresql":
                passed = verdict["ratio"] <= RATIO_TARGET
                out(
                    f"  {'PASS' if passed else 'FAIL'}  {label}: search p50 <= "
                    f"{RATIO_TARGET:.0f} x (floor p50 + minimal view p50): "
                    f"{verdict['ratio']:.2f} x"
                )


def code_version():
    """The commit checked out, and whether search/ has changes not committed."""
    try:
        head = subprocess.run(  # noqa: S603 - fixed arguments
            ["git", "rev-parse", "--short", "HEAD"],  # noqa: S607
            capture_output=True,
            text=True,
            cwd=settings.BASE_DIR,
            check=True,
        ).stdout.strip()
        changed = subprocess.run(  # noqa: S603
            ["git", "status", "--porcelain", "--", "search", "practices"],  # noqa: S607
            capture_output=True,
            text=True,
            cwd=settings.BASE_DIR,
            check=True,
        ).stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        return "unknown (no git)"
    return f"commit {head}" + (" + uncommitted changes in search/ or practices/" if changed else "")
