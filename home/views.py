"""The site's root (send the reader to the home page in their language) and its error page."""

import logging
import sys

from django.conf import settings
from django.db import InterfaceError, OperationalError
from django.http import HttpResponseRedirect, HttpResponseServerError
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation
from django.utils.cache import patch_vary_headers

from .languages import language_for_request
from .middleware import API_PREFIX, problem, unavailable

logger = logging.getLogger(__name__)


def root_redirect(request):
    """``/`` → ``/<lang>/``, chosen from the language cookie, then Accept-Language, else sv.

    A temporary redirect (302) that varies on both headers, so that a shared cache never sends
    an Arabic reader to the Swedish home page.
    """
    language = language_for_request(request)
    with translation.override(language):
        home_url = reverse("wagtail_serve", args=[""])
    response = HttpResponseRedirect(home_url)
    patch_vary_headers(response, ("Accept-Language", "Cookie"))
    return response


def server_error(request):
    """The 500 page in the language of the URL's prefix (``/ar/…`` → Arabic), else Swedish;
    503 when the database is down or hung; problem+json under ``/api/``.

    Rendered from static templates without a request context: no database query, no context
    processor, so it still answers when the database is what failed.
    """
    error = sys.exc_info()[1]
    if isinstance(error, OperationalError | InterfaceError):
        logger.error("Database unavailable: %s", error)
        return unavailable(request)
    if request.path.startswith(API_PREFIX):
        return problem(500, "Something went wrong on our side.")
    language = translation.get_language_from_path(request.path) or settings.LANGUAGE_CODE
    with translation.override(language):
        html = render_to_string("500.html")
    return HttpResponseServerError(html)
