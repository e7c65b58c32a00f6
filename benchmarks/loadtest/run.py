"""The load and fault test: the site under production settings in gunicorn, readers from locust.

``LoadTest(options, write).run()``:

1. **Site.** A freshly migrated scratch database (``evaluate_search``'s ``scratch_database``:
   PostgreSQL from DATABASE_URL, else a SQLite file) with the demo content, the search index
   and facets built, static files collected into a scratch folder.
2. **Server.** gunicorn with ``learning_platform.settings.production`` on a free port:
   Redis from REDIS_URL (a database of its own, emptied first), persistent connections,
   WhiteNoise for static files; only ``SECURE_SSL_REDIRECT`` is off (no TLS proxy here).
3. **Load.** locust headless (``locustfile.py``): ``users`` readers for ``seconds`` seconds,
   no pause between requests. Optionally a fault in the middle: ``redis`` stops the Redis
   server for 14 s and starts it again.
4. **Report.** Per kind of URL: requests, requests/s, p50/p95/p99 (ms), errors and 5xx; then
   the issue's targets: no error, a cached page's median within 2 x the static file's.
"""

import csv
import os
import secrets
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

import redis
from django.conf import settings
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection

from benchmarks.evaluation import scratch_database
from benchmarks.runner import Server, fetch
from practices.models import PracticePage

LOCUSTFILE = Path(__file__).with_name("locustfile.py")
REDIS_DOWN_SECONDS = 14
ROWS = ("home", "practice page", "search page", "search API", "static file")
CACHED = ("home", "practice page")


@dataclass
class Options:
    users: int = 50
    seconds: int = 60
    workers: int = 3
    fault: str = "none"  # none | redis
    redis_url: str = "redis://127.0.0.1:6379/13"


@dataclass
class Row:
    name: str
    requests: int
    failures: int
    per_second: float
    p50: float
    p95: float
    p99: float
    server_errors: int = 0


class LoadTest:
    def __init__(self, options, write):
        self.options = options
        self.write = write
        self.workdir = Path(tempfile.mkdtemp(prefix="loadtest-"))

    def run(self):
        self._check_tools()
        if connection.vendor == "sqlite":
            # A file gunicorn's processes can open (the test machinery's default is in memory).
            connection.settings_dict.setdefault("TEST", {})["NAME"] = str(
                self.workdir / "loadtest.sqlite3"
            )
        try:
            with scratch_database():
                self._prepare_site()
                server = Server(
                    self._server_environment(),
                    self.options.workers,
                    self.workdir / "gunicorn.log",
                    ready_path="/static/css/site.css",
                    timeout=60,
                )
                server.start()
                try:
                    self._warm(server.port)
                    rows, elapsed = self._load(server.port)
                finally:
                    server.stop()
                self._report(rows, elapsed)
                return rows
        finally:
            shutil.rmtree(self.workdir, ignore_errors=True)

    # Steps -------------------------------------------------------------------------------

    def _check_tools(self):
        if shutil.which("locust", path=str(Path(sys.executable).parent)) is None:
            raise CommandError(
                "locust is not installed: pip install -r requirements-loadtest.txt "
                "(make loadtest does it)"
            )
        try:
            redis.Redis.from_url(self.options.redis_url, socket_connect_timeout=2).ping()
        except redis.RedisError as error:
            raise CommandError(
                f"Redis at {self.options.redis_url} does not answer ({error}): start it "
                "(.ci/services redis) or pass --redis-url"
            ) from None
        if self.options.fault == "redis" and shutil.which("redis-server") is None:
            raise CommandError("The redis fault stops and starts redis-server: it is not here.")

    def _prepare_site(self):
        self.write("Preparing the site: demo content, search index, static files …")
        call_command("setup_roles", verbosity=0)
        call_command("load_demo", verbosity=0)
        call_command("update_index", verbosity=0)
        static_root = self.workdir / "static"
        subprocess.run(  # noqa: S603 - our own interpreter and arguments
            [sys.executable, "manage.py", "collectstatic", "--no-input", "-v0"],
            cwd=settings.BASE_DIR,
            env={**self._server_environment(), "STATIC_ROOT": str(static_root)},
            check=True,
        )
        self.static_root = static_root
        redis.Redis.from_url(self.options.redis_url).flushdb()
        practice = PracticePage.objects.live().filter(locale__language_code="sv").first()
        self.practice_url = practice.url if practice else "/sv/"

    def _database_url(self):
        config = connection.settings_dict
        if connection.vendor == "sqlite":
            return f"sqlite:///{config['NAME']}"
        user = config.get("USER") or ""
        password = f":{config['PASSWORD']}" if config.get("PASSWORD") else ""
        credentials = f"{user}{password}@" if user else ""
        host = config.get("HOST") or "127.0.0.1"
        port = f":{config['PORT']}" if config.get("PORT") else ""
        return f"postgres://{credentials}{host}{port}/{config['NAME']}"

    def _server_environment(self):
        return {
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "learning_platform.settings.production",
            "DATABASE_URL": self._database_url(),
            "SECRET_KEY": secrets.token_urlsafe(50),
            "ALLOWED_HOSTS": "127.0.0.1,localhost",
            "REDIS_URL": self.options.redis_url,
            "SITE_URL": "http://127.0.0.1",
            "SECURE_SSL_REDIRECT": "0",
            "STATIC_ROOT": str(self.workdir / "static"),
            "PYTHONUNBUFFERED": "1",
        }

    def _warm(self, port):
        """One request per URL: the page cache and each worker's snapshot start warm, as on a
        site that has been up for a while."""
        for _ in range(self.options.workers * 2):
            for url in ("/sv/", self.practice_url, "/sv/search/?q=praktik"):
                fetch(port, url)

    def _load(self, port):
        self.write(
            f"Load: {self.options.users} readers for {self.options.seconds} s"
            + (
                f", Redis stopped for {REDIS_DOWN_SECONDS} s"
                if self.options.fault == "redis"
                else ""
            )
        )
        prefix = self.workdir / "locust"
        command = [
            str(Path(sys.executable).parent / "locust"),
            "-f",
            str(LOCUSTFILE),
            "--headless",
            "--users",
            str(self.options.users),
            "--spawn-rate",
            str(self.options.users),
            "--run-time",
            f"{self.options.seconds}s",
            "--host",
            f"http://127.0.0.1:{port}",
            "--csv",
            str(prefix),
            "--only-summary",
            "--loglevel",
            "WARNING",
        ]
        env = {
            **os.environ,
            "LOADTEST_PRACTICE": urlsplit(self.practice_url).path,
            "LOADTEST_QUERY": "praktik",
        }
        fault = None
        if self.options.fault == "redis":
            fault = threading.Thread(target=self._stop_redis_for_a_while, daemon=True)
            fault.start()
        started = time.monotonic()
        result = subprocess.run(  # noqa: S603 - our own locust and arguments
            command, env=env, capture_output=True, text=True, check=False
        )
        elapsed = time.monotonic() - started
        if fault is not None:
            fault.join()
        stats = Path(f"{prefix}_stats.csv")
        if not stats.exists():
            raise CommandError(f"locust wrote no statistics:\n{result.stderr[-3000:]}")
        return self._rows(stats, Path(f"{prefix}_failures.csv")), elapsed

    def _stop_redis_for_a_while(self):
        time.sleep(self.options.seconds / 4)
        parts = urlsplit(self.options.redis_url)
        port = str(parts.port or 6379)
        subprocess.run(  # noqa: S603 - Debian's redis-cli
            [shutil.which("redis-cli") or "/usr/bin/redis-cli", "-p", port, "shutdown", "nosave"],
            capture_output=True,
            check=False,
        )
        self.write(f"  Redis stopped at {self.options.seconds / 4:.0f} s")
        time.sleep(REDIS_DOWN_SECONDS)
        subprocess.run(  # noqa: S603 - as .ci/services starts it
            [
                shutil.which("redis-server") or "/usr/bin/redis-server",
                "--daemonize",
                "yes",
                "--bind",
                "127.0.0.1",
                "--port",
                port,
                "--save",
                "",
                "--appendonly",
                "no",
            ],
            capture_output=True,
            check=False,
        )
        self.write("  Redis started again")

    @staticmethod
    def _rows(stats_path, failures_path):
        server_errors = {}
        if failures_path.exists():
            with failures_path.open() as handle:
                for entry in csv.DictReader(handle):
                    error = entry["Error"]
                    if any(f"{code}" in error for code in range(500, 600)):
                        server_errors[entry["Name"]] = server_errors.get(entry["Name"], 0) + int(
                            entry["Occurrences"]
                        )
        rows = []
        with stats_path.open() as handle:
            for entry in csv.DictReader(handle):
                if entry["Name"] not in ROWS:
                    continue
                rows.append(
                    Row(
                        name=entry["Name"],
                        requests=int(entry["Request Count"]),
                        failures=int(entry["Failure Count"]),
                        per_second=float(entry["Requests/s"]),
                        p50=float(entry["50%"]),
                        p95=float(entry["95%"]),
                        p99=float(entry["99%"]),
                        server_errors=server_errors.get(entry["Name"], 0),
                    )
                )
        rows.sort(key=lambda row: ROWS.index(row.name))
        return rows

    def _report(self, rows, elapsed):
        write = self.write
        write("")
        write(
            f"{'URL':<15} {'requests':>9} {'req/s':>8} {'p50 ms':>8} {'p95 ms':>8} "
            f"{'p99 ms':>8} {'errors':>7} {'5xx':>5}"
        )
        for row in rows:
            write(
                f"{row.name:<15} {row.requests:>9} {row.per_second:>8.1f} {row.p50:>8.0f} "
                f"{row.p95:>8.0f} {row.p99:>8.0f} {row.failures:>7} {row.server_errors:>5}"
            )
        total = sum(row.requests for row in rows)
        write(f"{'all':<15} {total:>9} {total / max(elapsed, 1e-9):>8.1f}")
        by_name = {row.name: row for row in rows}
        static = by_name.get("static file")
        errors = sum(row.failures for row in rows)
        write("")
        write(f"{'PASS' if errors == 0 else 'FAIL'}  errors: {errors} (target 0)")
        if static is not None:
            for name in CACHED:
                row = by_name.get(name)
                if row is None:
                    continue
                ratio = row.p50 / max(static.p50, 1.0)
                verdict = "PASS" if row.p50 <= 2 * max(static.p50, 1.0) else "FAIL"
                write(
                    f"{verdict}  {name}: median {row.p50:.0f} ms = {ratio:.1f} x the static "
                    f"file's {static.p50:.0f} ms (target <= 2 x)"
                )
