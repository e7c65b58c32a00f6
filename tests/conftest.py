import os
from pathlib import Path

import pytest
from django.conf import settings
from django.utils import translation

REPO = Path(__file__).resolve().parent.parent
SHARED = REPO.parent / "shared"
DEV_CORPUS = SHARED / "eval" / "search-dev" / "corpus.jsonl"
DEMO_FILE = REPO / "interchange" / "demo" / "demo_content.jsonl"


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    """The test database, migrated, with the site tree (homes and index pages in the four
    languages) built once for the session: most tests need it and building it costs 0.5 s.

    Every test runs in a transaction rolled back at its end, so this baseline stays; tests that
    commit (browser tests) restore it from its serialized copy when they start.
    """
    from django.db import connections

    from home.site_tree import ensure_site_tree

    with django_db_blocker.unblock():
        ensure_site_tree()
        for connection in connections.all():
            if hasattr(connection, "_test_serialized_contents"):
                connection._test_serialized_contents = connection.creation.serialize_db_to_string()


@pytest.fixture(autouse=True)
def reader_language():
    """Each test starts in the site's language; a request's language does not leak into the
    next test (the locale middleware leaves it active in the thread)."""
    translation.activate(settings.LANGUAGE_CODE)
    yield
    translation.activate(settings.LANGUAGE_CODE)


@pytest.fixture(autouse=True)
def fresh_search_state():
    """Each test starts with no search snapshot cached in the process: a test's database is
    rolled back at its end, so the next one may reach the same snapshot version with other
    pages."""
    from search import catalogue, labels, service

    catalogue.clear()
    labels.clear()
    service.reset_backends()
    yield


@pytest.fixture(autouse=True)
def fresh_caches():
    """Each test starts with empty caches and the locales read again: a test's rows are rolled
    back at its end, so fragments, tag versions and locales it cached would describe rows that
    no longer exist (or other rows with the same ids) in the next test."""
    from django.core.cache import caches

    from practices import locales
    from practices.models.outcomes import forget_indicator_terms

    for alias in ("default", "pages"):
        caches[alias].clear()
    locales.clear()
    forget_indicator_terms()  # the indicators' labels, kept a minute per process
    yield


@pytest.fixture(scope="session")
def redis_url():
    """A real Redis for the tests that need one (.ci/services starts it on 127.0.0.1:6379).

    Skipped where none answers, unless CI requires it (REQUIRE_SERVICES=1): there, a missing
    Redis fails the test instead of hiding it.
    """
    import redis

    url = os.environ.get("TEST_REDIS_URL", "redis://127.0.0.1:6379/15")
    try:
        redis.Redis.from_url(url, socket_connect_timeout=1).ping()
    except redis.RedisError as error:
        if os.environ.get("REQUIRE_SERVICES") == "1":
            pytest.fail(f"Redis at {url} does not answer: {error}")
        pytest.skip(f"Redis at {url} does not answer")
    return url


@pytest.fixture
def site_tree(db):
    from home.site_tree import ensure_site_tree

    return ensure_site_tree()


# Fixtures that build data once per module (tests.helpers.module_data).
MODULE_DATA_FIXTURES = {"corpus", "reuse_site", "demo"}


@pytest.hookimpl(trylast=True)
def pytest_collection_modifyitems(config, items):
    # Browser tests commit the demo content to the test database (tests/browser/conftest.py):
    # they run after every other test, and those that write through the live server (and
    # empty the database when they end) after every other browser test. In each module, the
    # tests that use the module's shared data run after those that do not, so those start from
    # the bare site.
    first_seen = {}
    for position, item in enumerate(items):
        first_seen.setdefault(item.path, position)
    items.sort(
        key=lambda item: (
            "browser" in item.keywords,
            "writes_demo" in item.keywords,
            first_seen[item.path],
            bool(MODULE_DATA_FIXTURES & set(item.fixturenames)),
        )
    )
    if not DEV_CORPUS.exists():
        skip = pytest.mark.skip(reason=f"{DEV_CORPUS} is not available")
        for item in items:
            if "dev_corpus" in item.keywords:
                item.add_marker(skip)
