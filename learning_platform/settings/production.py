"""Production settings: PostgreSQL from DATABASE_URL, Redis cache, HTTPS only, hardened cookies.

Refuses to start without SECRET_KEY, ALLOWED_HOSTS and REDIS_URL.
"""

import os

from django.core.exceptions import ImproperlyConfigured

from .base import *  # noqa: F403

DEBUG = False

SECRET_KEY = os.environ.get("SECRET_KEY", "")
if not SECRET_KEY:
    raise ImproperlyConfigured("Set the SECRET_KEY environment variable for production.")
if not os.environ.get("ALLOWED_HOSTS"):
    raise ImproperlyConfigured("Set ALLOWED_HOSTS (comma-separated host names) for production.")

if not os.environ.get("REDIS_URL"):
    raise ImproperlyConfigured(
        "Set REDIS_URL (e.g. redis://127.0.0.1:6379/0) for production: the page cache and the "
        "contact form's limit are shared through it."
    )

if not os.environ.get("SITE_URL"):
    raise ImproperlyConfigured(
        "Set SITE_URL (e.g. https://kunskap.example.se) for production: links in emails, "
        "hreflang and feeds use it, and `manage.py setup_roles` gives the Wagtail Site its "
        "host name and port."
    )

# Persistent database connections, checked before reuse.
DATABASES["default"]["CONN_MAX_AGE"] = int(os.environ.get("DB_CONN_MAX_AGE", "60"))  # noqa: F405

STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}
# HTTPS only, behind a reverse proxy that terminates TLS and sets X-Forwarded-Proto (and only
# then: the header must not come from clients).
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = os.environ.get("SECURE_SSL_REDIRECT", "1") == "1"
SECURE_HSTS_SECONDS = int(os.environ.get("SECURE_HSTS_SECONDS", str(365 * 24 * 3600)))
SECURE_HSTS_INCLUDE_SUBDOMAINS = os.environ.get("SECURE_HSTS_INCLUDE_SUBDOMAINS", "1") == "1"
# Preloading puts the domain in the browsers' own HTTPS-only list: a commitment for every
# subdomain, made by whoever owns the domain, so it is on only when asked for.
SECURE_HSTS_PRELOAD = os.environ.get("SECURE_HSTS_PRELOAD", "0") == "1"
if not SECURE_HSTS_PRELOAD:
    SILENCED_SYSTEM_CHECKS = ["security.W021"]
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "strict-origin-when-cross-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
EMAIL_BACKEND = os.environ.get("EMAIL_BACKEND", "django.core.mail.backends.smtp.EmailBackend")
