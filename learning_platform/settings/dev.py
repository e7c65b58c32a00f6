"""Settings for running the site on a laptop (``make run``)."""

import os

from .base import *  # noqa: F403

# The benchmark and relevance evaluation commands (bench_search, evaluate_search): measuring
# tools, not part of the site, so production does not install them.
INSTALLED_APPS = [*INSTALLED_APPS, "benchmarks"]  # noqa: F405

DEBUG = os.environ.get("DEBUG", "1") == "1"
# A key for local development only; production refuses to start without its own.
SECRET_KEY = os.environ.get("SECRET_KEY") or "dev-only-insecure-key-do-not-use-in-production"
EMAIL_BACKEND = "django.core.mail.backends.console.EmailBackend"

try:
    from .local import *  # noqa: F403
except ImportError:
    pass
