"""Public pages cached whole, and invalidated exactly.

Every cached page records the *tags* of what it shows (its record, the records it links to,
its organisation, the lists it contains, the site's chrome) with the version each tag had when
the page was rendered. Publishing, unpublishing, moving or deleting a page, or changing a
taxonomy term, an organisation or an adoption, bumps the versions of the tags it touches
(``home.cache_invalidation``, versions in ``caching.tags``); a cached page any of whose tags
has moved on is stale and rendered again. A bump is one counter in the cache, whatever the
number of pages cached.

Tags:

- ``site``: the chrome every page shows (navigation, footer, skeleton pages' titles);
- ``taxonomy``: activity types, target groups, municipalities and regions, in every language;
- ``orgs``: any organisation's name (lists and comparisons show them);
- ``media``: images and documents (renditions and addresses change with their files);
- ``restrictions``: view restrictions (``practices.visibility``);
- ``record:<translation key>``: a practice, method, report or information page, in every
  language (a change to a record also bumps the records that link to it or that it links
  to: their pages show its title);
- ``list:<type>``: the listings of a type (index pages, home); ``reuse``: the reuse overview
  and the comparisons.

What is cached: GET and HEAD requests of readers without a session (editors who are signed in
always get fresh pages), answered 200 with HTML by a view that said which tags it depends on.
The CSRF token of a page's forms is stored as a placeholder and filled in per request. Cached
pages are kept in the ``pages`` cache (Redis in production; when Redis is down, nothing is
cached and pages are rendered every time).
"""

import hashlib
import re
import time

from django.conf import settings
from django.core.cache import caches
from django.http import HttpResponse
from django.middleware.csrf import get_token
from django.utils.http import http_date, quote_etag

from caching import tags

CSRF_VALUE = re.compile(rb'(name="csrfmiddlewaretoken" value=")[^"]*(")')
CSRF_PLACEHOLDER = b"__csrf_token_placeholder__"
TIMEOUT = 24 * 3600  # a page unseen for a day is dropped; invalidation does not wait for it
STORED_HEADERS = ("Content-Type", "Content-Language")


def pages():
    return caches["pages"]


def enabled():
    return getattr(settings, "PAGE_CACHE_ENABLED", True)


# Tags --------------------------------------------------------------------------------------

# The versions live in ``caching.tags``; pages, fragments and lookups share them.
bump = tags.bump
versions = tags.versions


def tag_request(request, *tags):
    """Say which tags the response to ``request`` depends on (makes it cacheable).

    Call it before reading what the response shows: the versions are read now, so a change
    committed while the page is being rendered leaves the stored page already stale, never
    stored as current.
    """
    if not enabled():
        return
    known = getattr(request, "page_cache_versions", {})
    new = [tag for tag in tags if tag not in known]
    request.page_cache_versions = {**known, **(versions(new) if new else {})}


# Requests and responses --------------------------------------------------------------------


def _key(request):
    digest = hashlib.sha256(request.get_full_path().encode()).hexdigest()
    return f"page:{digest}"


def cacheable_request(request):
    return (
        enabled()
        and request.method in ("GET", "HEAD")
        and settings.SESSION_COOKIE_NAME not in request.COOKIES
        and not request.path.startswith(("/admin/", "/django-admin/", "/api/", "/documents/"))
    )


def fetch(request):
    """The cached response for ``request``, if there is one and it is current."""
    entry = pages().get(_key(request))
    if entry is None:
        return None
    if versions(entry["versions"]) != entry["versions"]:
        return None
    content = entry["content"]
    if CSRF_PLACEHOLDER in content:
        content = content.replace(CSRF_PLACEHOLDER, get_token(request).encode())
    response = HttpResponse(content, status=200)
    for name, value in entry["headers"].items():
        response[name] = value
    _validators(response, entry)
    response["X-Page-Cache"] = "hit"
    return response


def store(request, response):
    """Keep ``response`` for later requests, when it may be kept."""
    tag_versions = getattr(request, "page_cache_versions", None)
    if (
        not tag_versions
        or response.status_code != 200
        or response.streaming
        or not response.get("Content-Type", "").startswith("text/html")
        or "no-store" in response.get("Cache-Control", "")
        or "private" in response.get("Cache-Control", "")
    ):
        return response
    content = CSRF_VALUE.sub(rb"\1" + CSRF_PLACEHOLDER + rb"\2", response.content)
    entry = {
        "versions": tag_versions,
        "content": content,
        "headers": {name: response[name] for name in STORED_HEADERS if name in response},
        "etag": hashlib.sha256(content + repr(sorted(tag_versions.items())).encode()).hexdigest(),
        "stored": time.time(),
    }
    pages().set(_key(request), entry, timeout=TIMEOUT)
    _validators(response, entry)
    response["X-Page-Cache"] = "miss"
    return response


def _validators(response, entry):
    """ETag and Last-Modified for conditional GETs; the browser asks again every time."""
    response["ETag"] = quote_etag(entry["etag"][:32])
    response["Last-Modified"] = http_date(entry["stored"])
    response["Cache-Control"] = "max-age=0, must-revalidate"
