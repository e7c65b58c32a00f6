"""Settings for the search benchmark's gunicorn (``manage.py bench_search``).

Production-like: the shared base with DEBUG off, the database from DATABASE_URL (the benchmark
points it at its scratch database), plus the minimal view at ``bench/minimal/``. Only for
127.0.0.1, with a throw-away key.
"""

from .base import *  # noqa: F403

# The benchmark and relevance evaluation commands (bench_search, evaluate_search): measuring
# tools, not part of the site, so production does not install them.
INSTALLED_APPS = [*INSTALLED_APPS, "benchmarks"]  # noqa: F405

DEBUG = False
SECRET_KEY = "bench-only-insecure-key-never-serve-the-site-with-this"  # noqa: S105
ALLOWED_HOSTS = ["127.0.0.1", "localhost"]
ROOT_URLCONF = "benchmarks.urls"
# Which worker answered (X-Worker-Pid): bench_reload times each worker's next search.
MIDDLEWARE = ["benchmarks.reload.WorkerPid", *MIDDLEWARE]  # noqa: F405
