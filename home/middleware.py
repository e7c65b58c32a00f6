"""What responses go through on their way out: problem+json for every error of the JSON API,
the 503 answer when the database is down or hung (rendered without it, like the 500 page), and
the Permissions-Policy header."""

from http import HTTPStatus

from django.conf import settings
from django.http import HttpResponse, JsonResponse
from django.template.loader import render_to_string
from django.utils import translation

from . import page_cache
from .admin_scripts import allowed_hashes

API_PREFIX = "/api/"
# Where an API view keeps its own 404 answer for ``ApiProblemMiddleware``.
API_NOT_FOUND = "api_not_found"
ADMIN_PREFIX = "/admin/"
RETRY_AFTER_SECONDS = 30
# Browser features the site never uses, switched off for every page (the admin included).
PERMISSIONS_POLICY = ", ".join(
    f"{feature}=()"
    for feature in (
        "accelerometer",
        "autoplay",
        "camera",
        "display-capture",
        "geolocation",
        "gyroscope",
        "magnetometer",
        "microphone",
        "midi",
        "payment",
        "usb",
        "interest-cohort",
    )
)


def problem(status, detail):
    """An RFC 7807 problem+json response, as the search API answers its own errors."""
    status = HTTPStatus(status)
    return JsonResponse(
        {"type": "about:blank", "title": status.phrase, "status": status.value, "detail": detail},
        status=status.value,
        content_type="application/problem+json",
    )


def unavailable(request):
    """503: the site cannot reach its database. In the reader's language, no database used."""
    if request.path.startswith(API_PREFIX):
        response = problem(503, "The service is unavailable at the moment. Try again shortly.")
    else:
        language = translation.get_language_from_path(request.path) or settings.LANGUAGE_CODE
        with translation.override(language):
            response = HttpResponse(render_to_string("503.html"), status=503)
    response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    response["Cache-Control"] = "no-store"
    return response


class ApiProblemMiddleware:
    """Every error of the JSON API as problem+json, Django's own 404 and 405 pages included
    (the 500 and 503 ones come from ``home.views.server_error``)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if not request.path.startswith(API_PREFIX):
            return response
        if response.status_code in (301, 302) and response.get("Location", "").endswith(
            request.get_full_path()
        ):
            # The locale middleware sends a path nothing answers to its language-prefixed
            # twin (/sv/api/…), where the pages live; under /api/ it is simply not there.
            # An API view's own 404 (an unknown record) was replaced the same way: it kept
            # its answer on the request (``API_NOT_FOUND``).
            own = getattr(request, API_NOT_FOUND, None)
            if own is not None:
                return own
            return problem(404, "No such API endpoint. The API is described at /api/docs/.")
        if response.status_code >= 400 and not response.get("Content-Type", "").startswith(
            ("application/problem+json", "application/json")
        ):
            # Django's own 404 and 405 pages, for paths or methods the API does not have.
            return problem(response.status_code, HTTPStatus(response.status_code).phrase + ".")
        return response


class PermissionsPolicyMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        response.setdefault("Permissions-Policy", PERMISSIONS_POLICY)
        return response


class AdminScriptsMiddleware:
    """Adds the hashes of the admin page's known inline initialisers to its policy
    (``home.admin_scripts``); runs before django-csp writes the header."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if (
            request.path.startswith(ADMIN_PREFIX)
            and not response.streaming
            and response.get("Content-Type", "").startswith("text/html")
        ):
            hashes = allowed_hashes(response.content.decode(response.charset or "utf-8"))
            if hashes:
                update = dict(getattr(response, "_csp_update", None) or {})
                update["script-src"] = [*update.get("script-src", []), *hashes]
                response._csp_update = update
        return response


class PageCacheMiddleware:
    """Answers readers from the page cache, and keeps what it can (``home.page_cache``)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if not page_cache.cacheable_request(request):
            return self.get_response(request)
        cached = page_cache.fetch(request)
        if cached is not None:
            return cached
        return page_cache.store(request, self.get_response(request))
