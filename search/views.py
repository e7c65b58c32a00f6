"""The search page: parse the query string, call the service, render."""

from dataclasses import replace

from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.translation import get_language

from . import presenters, service
from .labels import get_labels
from .params import parse


def search_page(request):
    labels = get_labels()
    language = get_language()
    params, problems = parse(request.GET, labels, language=language, strict=False)
    # The page's language is its URL's; the API takes ``lang`` instead.
    params = replace(params, language=language)
    outcome = service.run(params, log=True)
    context = presenters.page_context(outcome, labels, reverse("search"), problems)
    return TemplateResponse(request, "search/search_page.html", context)
