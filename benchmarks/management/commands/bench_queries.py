"""python manage.py bench_queries: SQL queries per page with the page cache off, first request
(empty caches) and the next, on the site's own database (load the demo content first:
``make run`` or ``manage.py load_demo``). Only the caches are touched."""

from django.core.cache import caches
from django.core.management.base import BaseCommand, CommandError
from django.db import connection
from django.test import Client, override_settings
from django.test.utils import CaptureQueriesContext

from benchmarks.pages import PAGES, label, url_of

WARM_MAX = 15
COLD_MAX = 50


class Command(BaseCommand):
    help = (
        "Count the SQL queries of home, index and record pages in the four languages with the "
        "page cache off: cold (caches emptied) and warm (the next request), with PASS/FAIL "
        f"against <= {WARM_MAX} warm and <= {COLD_MAX} cold."
    )

    def handle(self, **options):
        write = self.stdout.write
        client = Client(HTTP_HOST="localhost")
        failed = False
        write(f"{'page':28} {'url':52} {'cold':>5} {'warm':>5}")
        with override_settings(PAGE_CACHE_ENABLED=False, ALLOWED_HOSTS=["localhost"]):
            for kind, model, language in PAGES:
                url = url_of(kind, model, language)
                if url is None:
                    raise CommandError(
                        f"No live {model.__name__} in {language}: load the demo content first "
                        "(manage.py load_demo)."
                    )
                counts = []
                for run in ("cold", "warm"):
                    if run == "cold":
                        caches["pages"].clear()
                        caches["default"].clear()
                    with CaptureQueriesContext(connection) as queries:
                        response = client.get(url)
                    if response.status_code != 200:
                        raise CommandError(f"{url} answered {response.status_code}")
                    counts.append(len(queries.captured_queries))
                failed |= counts[0] > COLD_MAX or counts[1] > WARM_MAX
                write(
                    f"{label(kind, model, language):28} {url[:52]:52} {counts[0]:5} {counts[1]:5}"
                )
        write(f"{'FAIL' if failed else 'PASS'}  warm <= {WARM_MAX}, cold <= {COLD_MAX}")
        if failed:
            raise SystemExit(1)
