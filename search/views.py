"""The search page: parse the query string, call the service, render. Also "like my
municipality": the reader's kommun, chosen once and remembered in a cookie that holds only
its four-digit code, narrows the results to its SKR group (the ``municipality_group`` filter)."""

import re
from dataclasses import dataclass, replace

from django.conf import settings
from django.http import HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import get_language

from . import presenters, service
from .labels import get_labels
from .models import SearchState
from .params import parse

# The reader's kommun: a functional cookie, only the code, for a year.
MY_MUNICIPALITY_COOKIE = "my_municipality"
MY_MUNICIPALITY_AGE = 365 * 24 * 3600
MUNICIPALITY_CODE = re.compile(r"\d{4}")


@dataclass(frozen=True)
class MyMunicipality:
    code: str
    name: str
    group: str


def my_municipality(code, labels):
    """The kommun with the four-digit ``code`` and an SKR group, else None (a bad or unknown
    cookie value is ignored); read from ``labels``, which hold every kommun."""
    if not MUNICIPALITY_CODE.fullmatch(code or "") or not labels.municipality_groups.get(code):
        return None
    name = dict(labels.municipalities)[code]
    return MyMunicipality(code, name, labels.municipality_groups[code])


def choose_municipality(request):
    """``?my_municipality=<code>``: remember the reader's kommun and show the results from
    kommuner like it (same SKR group); an empty value forgets it and drops that filter; an
    unknown one changes nothing. Redirects to the search without the parameter."""
    chosen = request.GET.get("my_municipality", "")
    data = request.GET.copy()
    data.pop("my_municipality", None)
    data.pop("page", None)
    municipality = my_municipality(chosen, get_labels())
    if municipality is not None:
        data.setlist("municipality_group", [municipality.group])
    elif chosen == "":
        data.pop("municipality_group", None)
    query = urlencode(list(data.lists()), doseq=True)
    response = HttpResponseRedirect(reverse("search") + (f"?{query}" if query else ""))
    if municipality is not None:
        response.set_cookie(
            MY_MUNICIPALITY_COOKIE,
            municipality.code,
            max_age=MY_MUNICIPALITY_AGE,
            samesite="Lax",
            secure=settings.SESSION_COOKIE_SECURE,
            httponly=True,
        )
    elif chosen == "":
        response.delete_cookie(MY_MUNICIPALITY_COOKIE, samesite="Lax")
    return response


def search_page(request):
    if "my_municipality" in request.GET:
        return choose_municipality(request)
    versions = SearchState.versions()  # read once for the labels and the snapshot
    labels = get_labels(versions)
    language = get_language()
    params, problems = parse(request.GET, labels, language=language, strict=False)
    # The page's language is its URL's; the API takes ``lang`` instead.
    params = replace(params, language=language)
    outcome = service.run(params, log=True, versions=versions)
    base_url = reverse("search")
    context = presenters.page_context(outcome, labels, base_url, problems)
    mine = my_municipality(request.COOKIES.get(MY_MUNICIPALITY_COOKIE), labels)
    context.update(presenters.my_municipality_context(mine, params, labels, base_url))
    return TemplateResponse(request, "search/search_page.html", context)
