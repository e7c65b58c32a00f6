"""The place pages: a kommun or a län, in the reader's language. Thin: find the place, ask
``places.pages`` what it shows, render."""

from django.http import Http404
from django.template.response import TemplateResponse

from home.page_cache import tag_request
from practices.locales import active_locale

from .pages import PAGE_TAGS, find_place, place_content, places_index


def place(request, code):
    """``/<lang>/places/<code>/``: a län (two digits) or a kommun (four digits); else 404."""
    tag_request(request, *PAGE_TAGS)
    found = find_place(code)
    if found is None:
        raise Http404("No such place.")
    context = {"place": found, "content": place_content(found, active_locale())}
    return TemplateResponse(request, "places/place.html", context)


def index(request):
    """``/<lang>/places/``: every län and its kommuner with content, each with its count."""
    tag_request(request, *PAGE_TAGS)
    return TemplateResponse(request, "places/index.html", {"regions": places_index()})
