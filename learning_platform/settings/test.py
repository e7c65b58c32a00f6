"""Settings for the test suite: fast hashing, no manifest, media in a temporary folder."""

import tempfile

from .base import *  # noqa: F403

# The benchmark and relevance evaluation commands (bench_search, evaluate_search): measuring
# tools, not part of the site, so production does not install them.
INSTALLED_APPS = [*INSTALLED_APPS, "benchmarks"]  # noqa: F405

DEBUG = False
SECRET_KEY = "test-only-secret-key"  # noqa: S105
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
MEDIA_ROOT = tempfile.mkdtemp(prefix="kunskap-test-media-")
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
SITE_URL = "http://localhost"  # the test site tree's Site: localhost, port 80
WAGTAILADMIN_BASE_URL = "http://testserver"
ALLOWED_HOSTS = ["testserver", "localhost", "127.0.0.1"]
# Tests never write to a real search cluster, even with ELASTICSEARCH_URL set;
# tests/search/test_elasticsearch_live.py configures its own backend under a unique prefix.
WAGTAILSEARCH_BACKENDS = {"default": DATABASE_SEARCH_BACKEND}  # noqa: F405
# Tests roll their database back but not the caches: the page cache would answer one test
# with another's page. Its own tests turn it on (tests/test_page_cache.py).
PAGE_CACHE_ENABLED = False
# Each test process keeps its caches in memory, whatever REDIS_URL says: tests clear them
# between tests (tests/conftest.py), which must not touch a shared Redis or another worker.
# The tests of the Redis cache itself configure their own (tests/test_resilience.py).
CACHES = {
    "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"},
    "pages": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "pages"},
}
# The search engine's missed updates are sent in the thread that sees it answer again (not a
# background thread, which would not see the test's transaction).
SEARCH_RESYNC_INLINE = True
# Search hits are not written after responses (a test that counts a request's queries would
# count a flush); the query log's tests flush themselves (tests/search/test_query_log.py).
SEARCH_HITS_FLUSH_EVERY = 0

# Each test's vectors are rolled back with it: no folder shared between processes (the tests of
# semantic.store turn it on with a folder of their own).
SEMANTIC_STORE_DIR = ""
