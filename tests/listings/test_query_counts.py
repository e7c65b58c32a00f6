"""Every public listing runs as many SQL queries with many cards as with few (no query per
card), on the first request (empty caches) and the next, and at most 20 on the next (the one a
reader meets: the first also fills the shared fragments): home, the three index pages, the
reuse overview, both comparisons and the place pages."""

import pytest
from django.contrib.contenttypes.models import ContentType
from django.core.cache import caches
from django.db import connection
from django.test import Client, override_settings
from django.test.utils import CaptureQueriesContext

from practices import locales
from practices.models.outcomes import forget_indicator_terms
from tests.helpers import record, run_import

MAX_QUERIES = 20
URLS = [
    "/sv/",
    "/sv/goda-exempel/",
    "/en/metoder/",
    "/ar/projektrapporter/",
    "/en/reuse/",
    "/sv/compare/method/t-method-0/",
    "/en/compare/activity/mentorship/",
    "/sv/places/14/",
    "/fa/places/1441/",
]
MUNICIPALITIES = ["1441", "1480", "1766", "1402"]


def records(start, stop):
    """Practices, methods and reports numbered ``start`` to ``stop``, each with its own
    organisation, places, a translation, outcomes and a method applied."""
    made = []
    for n in range(start, stop):
        shared = {
            "organisation": f"Föreningen nummer {n}",
            "municipalities": [MUNICIPALITIES[n % len(MUNICIPALITIES)]],
            "activity_types": ["mentorship"],
            "start_date": f"{2010 + n}-01-01",
            "translations": {"en": {"title": f"Record {n}", "summary": "In English."}},
        }
        made.append(
            record(external_id=f"t-method-{n}", type="method", title=f"Metod {n}", **shared)
        )
        outcome = [{"key": "in_work", "value": 10 + n, "unit": "percent", "target": 20}]
        made.append(
            record(
                external_id=f"t-practice-{n}",
                title=f"Praktik {n}",
                methods=["t-method-0", f"t-method-{n}"],
                indicators=outcome,
                **shared,
            )
        )
        made.append(
            record(
                external_id=f"t-report-{n}",
                type="report",
                title=f"Rapport {n}",
                methods=["t-method-0"],
                indicators=outcome,
                **shared,
            )
        )
    return made


def counts():
    """{url: (cold, warm)} query counts with the page cache off."""
    client = Client()
    found = {}
    for url in URLS:
        # Cold: the caches emptied, and what a process keeps (the locales, the indicators'
        # labels, the content types) read again.
        ContentType.objects.clear_cache()
        caches["default"].clear()
        caches["pages"].clear()
        locales.clear()
        forget_indicator_terms()
        runs = []
        for _run in ("cold", "warm"):
            with CaptureQueriesContext(connection) as queries:
                response = client.get(url)
            assert response.status_code == 200, url
            runs.append(len(queries.captured_queries))
        found[url] = tuple(runs)
    return found


@pytest.mark.django_db
@override_settings(PAGE_CACHE_ENABLED=False)
def test_listings_cost_the_same_with_few_and_many_cards(
    site_tree, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        result = run_import(*records(0, 3))
    assert result.summary.startswith("imported: 9 created"), result.summary
    few = counts()
    with django_capture_on_commit_callbacks(execute=True):
        result = run_import(*records(3, 12))
    assert result.summary.startswith("imported: 27 created"), result.summary
    many = counts()
    assert many == few, f"few: {few}, many: {many}"
    for url, (_cold, warm) in many.items():
        assert warm <= MAX_QUERIES, f"{url}: {warm} queries"
