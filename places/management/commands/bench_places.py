"""Time, queries and size of the place pages and a record page with "like mine", in-process.

    DATABASE_URL=postgres://… DJANGO_SETTINGS_MODULE=learning_platform.settings.bench \\
        python manage.py bench_places [--runs 5] [--path /sv/places/0180/ …]

Reads only (GET requests, page cache off). The first request of each page is reported apart
("cold": the process's fragment cache is empty for it); the others give the median and the
slowest. Prints one line per page.
"""

import statistics
import time

from django.core.cache import caches
from django.core.management.base import BaseCommand
from django.db import connection
from django.test import Client, override_settings
from django.test.utils import CaptureQueriesContext

from practices.models import PracticePage
from practices.visibility import visible

PATHS = ("/sv/places/01/", "/sv/places/13/", "/sv/places/1315/", "/sv/places/2101/")


def _record_with_like_mine():
    """A live Swedish practice naming Hylte (1315): its page shows "like mine"."""
    page = (
        visible(PracticePage.objects)
        .filter(municipalities__code="1315", locale__language_code="sv")
        .order_by("pk")
        .first()
    )
    return page.url if page is not None else None


class Command(BaseCommand):
    help = "Measure the place pages (and a record page's 'like mine') in-process."

    def add_arguments(self, parser):
        parser.add_argument("--runs", type=int, default=5)
        parser.add_argument("--path", action="append", dest="paths")

    def handle(self, *args, runs, paths, **options):
        paths = list(paths or PATHS)
        record = _record_with_like_mine()
        if record and not options.get("paths"):
            paths.append(record)
        client = Client(HTTP_HOST="127.0.0.1")
        with override_settings(PAGE_CACHE_ENABLED=False):
            caches["default"].clear()
            for path in paths:
                timings, queries, size = [], [], 0
                for _ in range(runs + 1):
                    with CaptureQueriesContext(connection) as captured:
                        start = time.perf_counter()
                        response = client.get(path)
                        timings.append((time.perf_counter() - start) * 1000)
                    queries.append(len(captured))
                    size = len(response.content)
                    if response.status_code != 200:
                        self.stdout.write(f"{path}: status {response.status_code}")
                        break
                warm = timings[1:] or timings
                self.stdout.write(
                    f"{path}: cold {timings[0]:.0f} ms / {queries[0]} queries; "
                    f"warm median {statistics.median(warm):.0f} ms, max {max(warm):.0f} ms, "
                    f"{queries[-1]} queries; {size / 1024:.0f} kB"
                )
