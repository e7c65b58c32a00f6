"""The site's root: send the reader to the home page in their language."""

from django.http import HttpResponseRedirect
from django.urls import reverse
from django.utils import translation
from django.utils.cache import patch_vary_headers

from .languages import language_for_request


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
