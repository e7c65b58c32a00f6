"""``bench_reload``: each gunicorn worker's next search after a change (``benchmarks.reload``).

It changes the database it is given (publishes a page, adds and removes a view restriction,
marks records changed): run it on a scratch copy, e.g. ``createdb -T <bench snapshot> copy``.
"""

import os
import tempfile
import time
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand

from benchmarks.reload import CHANGES, time_next_request_after_publish
from benchmarks.runner import Server
from search import catalogue
from search.models import SearchState


class Command(BaseCommand):
    help = (
        "Serve this database with gunicorn (with the site's gunicorn.conf.py, and without it "
        "as before), change it (publish, view restriction, bulk) and time each worker's next "
        "search. Writes to the database: use a scratch copy."
    )

    def add_arguments(self, parser):
        parser.add_argument("--workers", type=int, default=2)
        parser.add_argument("--changes", nargs="+", choices=CHANGES, default=list(CHANGES))
        parser.add_argument("--settle", type=float, default=5.0)
        parser.add_argument(
            "--modes",
            nargs="+",
            choices=("background", "in-request"),
            default=["background", "in-request"],
        )

    def handle(self, **options):
        started = time.perf_counter()
        snapshot = catalogue.load(SearchState.current())
        loaded = time.perf_counter() - started
        self.stdout.write(
            f"whole snapshot load in this process: {loaded * 1000:.0f} ms "
            f"({len(snapshot.records)} records)"
        )
        workdir = Path(tempfile.mkdtemp(prefix="bench-reload-"))
        empty_config = workdir / "no-hooks.conf.py"
        empty_config.write_text("")
        for mode in options["modes"]:
            environment = {
                **os.environ,
                "DJANGO_SETTINGS_MODULE": "learning_platform.settings.bench",
                "PYTHONUNBUFFERED": "1",
            }
            if mode == "in-request":
                environment["GUNICORN_CMD_ARGS"] = f"--config {empty_config}"
            server = Server(environment, options["workers"], workdir / f"gunicorn-{mode}.log")
            server.start()
            try:
                for change in options["changes"]:
                    figures = time_next_request_after_publish(
                        server.port, options["workers"], change, options["settle"]
                    )
                    nexts = ", ".join(
                        f"{seconds * 1000:.0f}" for seconds in sorted(figures["next"].values())
                    )
                    self.stdout.write(
                        f"{mode:<11} {change:<12} search before: {figures['before'] * 1000:.0f} ms;"
                        f" each worker's next search after: {nexts} ms"
                    )
            finally:
                server.stop()
        self.stdout.write(f"database: {settings.DATABASES['default']['NAME']}")
