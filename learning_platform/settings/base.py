"""Settings shared by every environment.

Everything that differs between a laptop and production is read from the environment:
``DATABASE_URL``, ``SECRET_KEY``, ``ALLOWED_HOSTS``, ``MEDIA_ROOT``, ``ELASTICSEARCH_URL``,
``SITE_URL``.
"""

import os
import tempfile
from pathlib import Path

import dj_database_url
from django.utils.translation import gettext_lazy as _

PROJECT_DIR = Path(__file__).resolve().parent.parent
BASE_DIR = PROJECT_DIR.parent


def env_list(name, default=""):
    """A comma-separated environment variable as a list of non-empty strings."""
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


SECRET_KEY = os.environ.get("SECRET_KEY", "")
DEBUG = False
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "localhost,127.0.0.1,[::1]")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")

# The project's own apps, each with one job. Imports point one way (tests/test_architecture.py):
# practices (the content model) <- translation <- search <- home <- organisations, interchange,
# reuse. The composition root (this package) wires them together.
INSTALLED_APPS = [
    "practices",
    "translation",
    "search",
    "semantic",
    "home",
    "organisations",
    "interchange",
    "reuse",
    "feeds",
    "opendata",
    "alerts",
    "guides",
    "places",
    "wagtail_localize",
    "wagtail_localize.locales",
    "wagtail.contrib.forms",
    "wagtail.contrib.redirects",
    "wagtail.contrib.table_block",
    "wagtail.contrib.search_promotions",
    "wagtail.contrib.settings",
    "wagtail.contrib.sitemaps",
    "wagtail.embeds",
    "wagtail.sites",
    "wagtail.users",
    "wagtail.snippets",
    "wagtail.documents",
    "wagtail.images",
    "wagtail.search",
    "wagtail.admin",
    "wagtail",
    "modelcluster",
    "taggit",
    "django_filters",
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django.contrib.sitemaps",
    # django-ninja's own templates and static files: /api/docs/ serves Swagger UI from this
    # site, not from a CDN.
    "ninja",
    # Login throttling for the admin and the login of restricted pages (django-axes).
    "axes",
]

MIDDLEWARE = [
    # Compressed HTML and JSON for readers on slow mobile connections. Django's GZipMiddleware
    # pads responses with random bytes against BREACH-style attacks on compressed secrets.
    "django.middleware.gzip.GZipMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    # Outside the locale middleware, which would send an unknown /api/ path to /sv/api/….
    "home.middleware.ApiProblemMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # Admin views that take a page id refuse other organisations' drafts before showing them.
    "organisations.middleware.HiddenDraftsMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # Content-Security-Policy (django-csp) and Permissions-Policy on every response.
    "csp.middleware.CSPMiddleware",
    # Inside django-csp: adds the hashes of the admin's known inline initialisers.
    "home.middleware.AdminScriptsMiddleware",
    "home.middleware.PermissionsPolicyMiddleware",
    # Conditional GETs (304) for the page cache's ETag and Last-Modified.
    "django.middleware.http.ConditionalGetMiddleware",
    # Public pages answered from the cache, inside the middleware that adds headers to every
    # response (home/page_cache.py).
    "home.middleware.PageCacheMiddleware",
    "wagtail.contrib.redirects.middleware.RedirectMiddleware",
    # Last, as django-axes asks: it answers locked-out logins.
    "axes.middleware.AxesMiddleware",
]

AUTHENTICATION_BACKENDS = [
    # First, as django-axes asks: it refuses logins that are locked out.
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]

ROOT_URLCONF = "learning_platform.urls"

# Access rules for practices, methods and reports, wired into the content model here so that
# the content app imports no other app: editors see and choose only their own organisation
# (organisations/forms.py) and page rights follow the page's organisation
# (organisations/permissions.py).
CONTENT_PAGE_FORM = "organisations.forms.ContentPageForm"
CONTENT_PAGE_PERMISSION_TESTER = "organisations.permissions.OrganisationPagePermissionTester"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.debug",
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "wagtail.contrib.settings.context_processors.settings",
                "feeds.context.feed_links",
            ],
        },
    },
]

WSGI_APPLICATION = "learning_platform.wsgi.application"

# SQLite in the project folder unless DATABASE_URL names another database
# (production: postgres://user:password@host:5432/name).
# An empty DATABASE_URL counts as unset.
DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL") or f"sqlite:///{BASE_DIR / 'db.sqlite3'}",
        conn_max_age=int(os.environ.get("DB_CONN_MAX_AGE", "0")),
    )
}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
# PostgreSQL gives up connecting after this many seconds, so a database that hangs answers
# requests with a fast 503 (home.views.server_error) instead of tying up every worker.
# Web processes (wsgi.py) also cap each statement (DB_STATEMENT_TIMEOUT_MS, default 5000).
if DATABASES["default"]["ENGINE"].endswith("postgresql"):
    DATABASES["default"].setdefault("OPTIONS", {})
    DATABASES["default"]["OPTIONS"]["connect_timeout"] = int(
        os.environ.get("DB_CONNECT_TIMEOUT", "4")
    )
    if int(os.environ.get("DB_STATEMENT_TIMEOUT_MS", "0")):
        DATABASES["default"]["OPTIONS"]["options"] = (
            f"-c statement_timeout={int(os.environ['DB_STATEMENT_TIMEOUT_MS'])}"
        )
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True

# Public pages cached whole and invalidated exactly on publish (home/page_cache.py).
PAGE_CACHE_ENABLED = os.environ.get("PAGE_CACHE_ENABLED", "1") == "1"
# Caches: "default" for counters and lookups, "pages" for the page cache. Without REDIS_URL,
# memory in each process; with it (production), Redis, surviving Redis being down
# (home/cache.py): counters fall back to the process's memory, pages go uncached.
REDIS_URL = os.environ.get("REDIS_URL", "")
if REDIS_URL:
    _redis_options = {"socket_connect_timeout": 0.5, "socket_timeout": 0.5}
    CACHES = {
        "default": {
            "BACKEND": "home.cache.ResilientRedisCache",
            "LOCATION": REDIS_URL,
            "OPTIONS": {**_redis_options, "FALLBACK": "local"},
        },
        "pages": {
            "BACKEND": "home.cache.ResilientRedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": "pages",
            "OPTIONS": {**_redis_options, "FALLBACK": None},
        },
    }
else:
    CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"},
        "pages": {
            "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
            "LOCATION": "pages",
        },
    }

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# Languages: Swedish is the source language; English, Arabic and Persian (Dari) are read too.
LANGUAGE_CODE = "sv"
LANGUAGES = [
    ("sv", _("Swedish")),
    ("en", _("English")),
    ("ar", _("Arabic")),
    ("fa", _("Dari / Persian")),
]
WAGTAIL_I18N_ENABLED = True
WAGTAIL_CONTENT_LANGUAGES = LANGUAGES
WAGTAILADMIN_PERMITTED_LANGUAGES = LANGUAGES
LOCALE_PATHS = [BASE_DIR / "locale"]
# Thousands grouping for Arabic and Persian, which Django's own formats leave out (home/formats).
FORMAT_MODULE_PATH = ["home.formats"]
TIME_ZONE = "Europe/Stockholm"
USE_I18N = True
USE_TZ = True

STATICFILES_FINDERS = [
    "django.contrib.staticfiles.finders.FileSystemFinder",
    "django.contrib.staticfiles.finders.AppDirectoriesFinder",
]
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = Path(os.environ.get("STATIC_ROOT", BASE_DIR / "staticfiles"))
STATIC_URL = "/static/"
# Files served at the site's root by WhiteNoise: /favicon.ico.
WHITENOISE_ROOT = BASE_DIR / "static" / "root"
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", BASE_DIR / "media"))
MEDIA_URL = "/media/"

STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}

# Wagtail's page editor can post many fields for pages with long stream fields.
DATA_UPLOAD_MAX_NUMBER_FIELDS = 10_000

WAGTAIL_SITE_NAME = "Kunskapsplattformen"
# The admin calls no outside service: no Gravatar avatars, no check for new Wagtail releases.
WAGTAIL_GRAVATAR_PROVIDER_URL = None
WAGTAIL_ENABLE_UPDATE_CHECK = False
# The public address of the site: links in emails, hreflang, feeds and the Wagtail Site's
# hostname and port (home.site_tree) come from it; the default is `make run`'s address.
SITE_URL = os.environ.get("SITE_URL", "").strip().rstrip("/") or "http://127.0.0.1:8000"
WAGTAILADMIN_BASE_URL = os.environ.get("WAGTAILADMIN_BASE_URL", "").strip() or SITE_URL
WAGTAILDOCS_EXTENSIONS = ["csv", "docx", "odt", "pdf", "pptx", "rtf", "txt", "xlsx", "zip"]
WAGTAILDOCS_MAX_UPLOAD_SIZE = 20 * 1024 * 1024
WAGTAILIMAGES_EXTENSIONS = ["gif", "jpg", "jpeg", "png", "webp", "avif"]
# An upload larger than this is refused with a message: every rendition of an 11,000 x 11,000
# image takes about 400 MB of memory. 40 megapixels is more than any camera photo needs.
WAGTAILIMAGES_MAX_IMAGE_PIXELS = 40_000_000
WAGTAILIMAGES_MAX_UPLOAD_SIZE = 20 * 1024 * 1024
WAGTAIL_ALLOW_UNICODE_SLUGS = False
# Search: our subclasses of Wagtail's database backends (see search/backends/), with one
# PostgreSQL text-search configuration per language. With ELASTICSEARCH_URL set, Elasticsearch
# answers searches and the database backend stays indexed as the fallback when it is down.
SEARCH_LANGUAGE_CONFIGS = {"sv": "swedish", "en": "english", "ar": "arabic", "fa": "simple"}
DATABASE_SEARCH_BACKEND = {
    "BACKEND": "search.backends.database",
    "LANGUAGE_CONFIGS": SEARCH_LANGUAGE_CONFIGS,
}
ELASTICSEARCH_URL = os.environ.get("ELASTICSEARCH_URL", "")
# OpenSearch 2 (search/backends/opensearch.py): comma-separated node URLs. Indexes get
# OPENSEARCH_SHARDS primary shards with OPENSEARCH_REPLICAS copies each on other nodes; the
# client tries the next node when one does not answer.
# Semantic search: the folder where the first process to read a version of the passage vectors
# writes them for the others to map (semantic.store); empty: each process keeps its own copy.
SEMANTIC_STORE_DIR = os.environ.get(
    "SEMANTIC_STORE_DIR", str(Path(tempfile.gettempdir()) / "kunskapsplattformen-vectors")
)

OPENSEARCH_URLS = env_list("OPENSEARCH_URL")
if OPENSEARCH_URLS:
    WAGTAILSEARCH_BACKENDS = {
        "default": {
            "BACKEND": "search.backends.opensearch",
            "URLS": OPENSEARCH_URLS,
            "INDEX_PREFIX": os.environ.get("OPENSEARCH_INDEX_PREFIX", "kunskapsplattformen_"),
            "TIMEOUT": float(os.environ.get("OPENSEARCH_TIMEOUT", "3")),
            "OPTIONS": {
                "max_retries": len(OPENSEARCH_URLS) - 1,
                "retry_on_timeout": False,
                # update_index sends two bulk requests at once (search.backends.engine)
                "pool_maxsize": 4,
            },
            "INDEX_SETTINGS": {
                "settings": {
                    "index": {
                        "number_of_shards": int(os.environ.get("OPENSEARCH_SHARDS", "1")),
                        "number_of_replicas": int(os.environ.get("OPENSEARCH_REPLICAS", "1")),
                    }
                }
            },
        },
        "database": DATABASE_SEARCH_BACKEND,
    }
elif ELASTICSEARCH_URL:
    WAGTAILSEARCH_BACKENDS = {
        "default": {
            "BACKEND": "search.backends.elasticsearch",
            "URLS": [ELASTICSEARCH_URL],
            "INDEX_PREFIX": os.environ.get("ELASTICSEARCH_INDEX_PREFIX", "kunskapsplattformen_"),
            "TIMEOUT": float(os.environ.get("ELASTICSEARCH_TIMEOUT", "3")),
            "OPTIONS": {"max_retries": 0, "retry_on_timeout": False},
        },
        "database": DATABASE_SEARCH_BACKEND,
    }
else:
    WAGTAILSEARCH_BACKENDS = {"default": DATABASE_SEARCH_BACKEND}
# Processes that build and send the documents of an engine's full rebuild (``update_index``,
# ``search.rebuild``): one per core of the machine that runs it. 1 builds them in the command's
# own process.
SEARCH_INDEX_WORKERS = int(os.environ.get("SEARCH_INDEX_WORKERS", str(os.cpu_count() or 1)))
# The engine's circuit breaker (search/breaker.py): after this many failures in a row, it is
# not asked for the cool-down (seconds); searches answer from the database meanwhile and index
# updates wait, then are sent when it answers again (search/resync.py).
SEARCH_ENGINE_FAILURES = int(os.environ.get("SEARCH_ENGINE_FAILURES", "3"))
SEARCH_ENGINE_COOLDOWN = float(os.environ.get("SEARCH_ENGINE_COOLDOWN", "30"))
# Background tasks (django-tasks): run at once, as its immediate backend does, but search-index
# updates can be batched during bulk imports (search/indexing.py).
TASKS = {"default": {"BACKEND": "search.indexing.BatchingBackend"}}
# Editorial access and review (practices/access): practices, methods and reports go live only
# after a coordinator approves them in the "Coordinator review" workflow; Wagtail emails the
# submitter and the reviewers (console backend in development, locmem in tests). Editor
# comments, revision history with compare, page locking and scheduled publishing
# (``manage.py publish_scheduled``, run every few minutes by cron) are on.
WAGTAIL_WORKFLOW_ENABLED = True
# An approved change edited again needs approval again.
WAGTAIL_WORKFLOW_REQUIRE_REAPPROVAL_ON_EDIT = True
WAGTAIL_WORKFLOW_CANCEL_ON_PUBLISH = True
WAGTAILADMIN_COMMENTS_ENABLED = True
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "kunskapsplattformen@localhost")
WAGTAILADMIN_NOTIFICATION_FROM_EMAIL = DEFAULT_FROM_EMAIL
WAGTAILADMIN_NOTIFICATION_USE_HTML = True
# Coordinators review; superusers are not sent every submission.
WAGTAILADMIN_NOTIFICATION_INCLUDE_SUPERUSERS = False
# The address readers write to about the platform itself (the about, accessibility and personal
# data pages are created with it; editors can change it on each page).
PLATFORM_CONTACT_EMAIL = os.environ.get("PLATFORM_CONTACT_EMAIL", "kunskapsplattformen@example.org")
# The editors' dashboard asks to check pages not updated for this many months.
CONTENT_REVIEW_AFTER_MONTHS = 18

# The "contact the owner" form (reuse.contact): attempts allowed per client address
# in a window of seconds, counted in the default cache. Behind a reverse proxy, name the
# request.META key holding the client's address (e.g. "HTTP_X_REAL_IP"); only do that when
# the proxy overwrites the header, or clients could pick their own.
CONTACT_RATE_LIMIT = {
    "requests": int(os.environ.get("CONTACT_RATE_LIMIT_REQUESTS", "5")),
    "seconds": int(os.environ.get("CONTACT_RATE_LIMIT_SECONDS", "3600")),
}
# Password reset mails (the admin's "forgotten password"): per address and per client.
PASSWORD_RESET_LIMIT = {"requests": 5, "seconds": 3600}
# Behind a reverse proxy: the request.META key holding the client's address
# (organisations/clients.py), for the contact form's limit and the login and reset limits.
CLIENT_IP_HEADER = os.environ.get("CLIENT_IP_HEADER") or os.environ.get(
    "CONTACT_CLIENT_IP_HEADER", ""
)

# Draftail features allowed in the body's paragraphs; the interchange format's Markdown
# maps onto exactly these.
RICH_TEXT_FEATURES = ["bold", "italic", "link", "ol", "ul", "h3", "h4"]

# Content-Security-Policy (django-csp): everything from this site, no inline script, no framing
# by others, no plugins. The admin's pages add the hashes of Wagtail's own inline initialisers
# (home/admin_scripts.py), nothing else. Inline style attributes are allowed: Wagtail's admin
# and its rich text editor set them (styles cannot run code). Tested in Chromium
# (tests/browser/test_csp.py: the public site, the admin's editor, the translation editor).
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'", "'unsafe-inline'"],
        "img-src": ["'self'", "data:", "blob:"],
        "font-src": ["'self'", "data:"],
        "connect-src": ["'self'"],
        "frame-src": ["'self'"],
        "frame-ancestors": ["'self'"],
        "form-action": ["'self'"],
        "base-uri": ["'self'"],
        "object-src": ["'none'"],
    }
}

# Login throttling (django-axes): after AXES_FAILURE_LIMIT wrong passwords a username is locked,
# and so is the address they came from (each on its own), until a coordinator unlocks them or
# the cool-off passes. Failed attempts are kept in the database.
AXES_FAILURE_LIMIT = int(os.environ.get("AXES_FAILURE_LIMIT", "10"))
AXES_LOCKOUT_PARAMETERS = ["username", "ip_address"]
AXES_COOLOFF_TIME = float(os.environ.get("AXES_COOLOFF_HOURS", "1"))
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "axes/locked_out.html"
AXES_CLIENT_IP_CALLABLE = "organisations.clients.client_ip"
AXES_VERBOSE = False

# Content translation (wagtail-localize). Page trees are not kept in sync with aliases
# (``wagtail_localize.synctree`` is not installed): a page exists in another language only
# once it is translated, so every /ar/ page is Arabic and search, the language switcher and
# hreflang see only real translations (README, "Content translation"). A page submitted for
# translation starts as an unpublished draft (by default wagtail-localize publishes the copy at
# once, still in Swedish, under /ar/); it goes live when the translator or a reviewer
# publishes it.
WAGTAILLOCALIZE_SYNC_LIVE_STATUS_ON_TRANSLATE = False
# Machine translation is off unless configured from the environment: DEEPL_API_KEY turns on
# DeepL; MACHINE_TRANSLATOR=dummy turns on wagtail-localize's dummy translator (reverses the
# words; for demonstrations and tests only). Machine-translated text is labelled on the public
# page until a person has edited or reviewed it.
if os.environ.get("DEEPL_API_KEY"):
    WAGTAILLOCALIZE_MACHINE_TRANSLATOR = {
        "CLASS": "wagtail_localize.machine_translators.deepl.DeepLTranslator",
        "OPTIONS": {
            "AUTH_KEY": os.environ["DEEPL_API_KEY"],
            "TIMEOUT": int(os.environ.get("DEEPL_TIMEOUT", "30")),
        },
    }
elif os.environ.get("MACHINE_TRANSLATOR", "").strip().lower() == "dummy":
    WAGTAILLOCALIZE_MACHINE_TRANSLATOR = {
        "CLASS": "wagtail_localize.machine_translators.dummy.DummyTranslator",
        "OPTIONS": {},
    }

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "WARNING")},
}
