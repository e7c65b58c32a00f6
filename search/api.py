"""The public JSON search API, built like Wagtail 8's API v3: django-ninja with an OpenAPI schema.

``GET /api/search/`` and ``GET /api/search/autocomplete/``; the schema is at
``/api/openapi.json`` and readable documentation at ``/api/docs/``. Errors are RFC 7807
``application/problem+json`` (as Wagtail's API v3 answers), with status 400 for any parameter
the search cannot use: the ``detail`` says which and why.
"""

from django.conf import settings
from django.http import HttpRequest
from django.utils import translation
from ninja import NinjaAPI, Schema
from ninja.errors import ValidationError as NinjaValidationError
from wagtail.api.v3.errors import ProblemDetail, problem_response

from . import autocomplete, presenters, service
from .facets import FACETS
from .labels import get_labels
from .models import SearchState
from .params import (
    MAX_PAGE,
    MAX_PAGE_SIZE,
    MAX_QUERY_LENGTH,
    SearchParameterError,
    clean_query,
    openapi_parameters,
)
from .params import parse as parse_params

api = NinjaAPI(
    title="Kunskapsplattformen search API",
    version="1.0.0",
    description=(
        "Search the practices, methods and project reports that Swedish municipalities, regions "
        "and organisations publish on Kunskapsplattformen. Each record appears once, in the "
        "requested language where it is translated, else in its source language. Filters are "
        "repeatable: values of one filter are OR-ed, different filters AND-ed."
    ),
    urls_namespace="search_api",
    openapi_url="/openapi.json",
    docs_url="/docs/",
)


class SearchHit(Schema):
    external_id: str
    type: str
    locale: str
    title: str
    summary: str
    url: str
    highlight: str
    languages: list[str]


class SearchResponse(Schema):
    query: str
    lang: str
    count: int
    page: int
    page_size: int
    results: list[SearchHit]
    facets: dict[str, dict[str, int]]
    degraded: bool


class Suggestion(Schema):
    label: str
    kind: str
    url: str


class AutocompleteResponse(Schema):
    query: str
    lang: str
    suggestions: list[Suggestion]


def _bad_request(parameter, message):
    return problem_response(
        status=400,
        detail=message,
        errors=[{"loc": ["query", parameter], "msg": message}],
    )


@api.exception_handler(SearchParameterError)
def search_parameter_error(request, error):
    return _bad_request(error.parameter, error.message)


@api.exception_handler(NinjaValidationError)
def validation_error(request, error):
    first = error.errors[0] if error.errors else {}
    location = [str(part) for part in first.get("loc", [])]
    parameter = location[-1] if location else "query"
    return problem_response(
        status=400,
        detail=f"{parameter}: {first.get('msg', 'invalid value')}",
        errors=error.errors,
    )


SEARCH_DESCRIPTION = (
    f"Full-text search with facets. `q` at most {MAX_QUERY_LENGTH} characters; `page` 1 to "
    f"{MAX_PAGE}; `page_size` 1 to {MAX_PAGE_SIZE}; filters ({', '.join(FACETS)}) take known "
    "values only (activity-type and target-group slugs, region and municipality codes, years, "
    "language codes); `sort` is `relevance`, `newest` or `checked` (last updated or confirmed "
    "current by its owner, latest first)."
)


@api.get(
    "/search/",
    response={200: SearchResponse, 400: ProblemDetail, 503: ProblemDetail},
    summary="Search records",
    description=SEARCH_DESCRIPTION,
    operation_id="search",
    tags=["search"],
    openapi_extra={"parameters": openapi_parameters()},
)
def search(request: HttpRequest):
    # The parameters are read once, by the same parser as the search page's; the decorator
    # documents them (``openapi_parameters``).
    versions = SearchState.versions()  # read once for the labels and the snapshot
    params = parse_params(request.GET, get_labels(versions))
    with translation.override(params.language):
        # Not logged: the editors' "popular searches" report is about what people type into
        # the site's search box, not what other systems query.
        outcome = service.run(params, versions=versions)
        if outcome.failed:
            return problem_response(
                status=503, detail="Search is unavailable at the moment. Try again shortly."
            )
        return presenters.api_response(outcome, request)


@api.get(
    "/search/autocomplete/",
    response={200: AutocompleteResponse, 400: ProblemDetail},
    summary="Suggestions for a search box",
    description=(
        "Titles, activity types and municipalities with a word starting with the last word of "
        f"`q` (at least {autocomplete.MIN_PREFIX} characters), in `lang`."
    ),
    operation_id="search_autocomplete",
    tags=["search"],
)
def search_autocomplete(request: HttpRequest, q: str = "", lang: str = "sv", limit: int = 8):
    query = clean_query(q)
    if lang not in dict(settings.LANGUAGES):
        raise SearchParameterError("lang", f"Unknown language: {lang[:20]}.")
    if not 1 <= limit <= autocomplete.MAX_LIMIT:
        raise SearchParameterError(
            "limit", f"limit must be between 1 and {autocomplete.MAX_LIMIT}."
        )
    with translation.override(lang):
        suggestions = autocomplete.suggest(get_labels(), query, lang, limit)
    return {
        "query": query,
        "lang": lang,
        "suggestions": [
            {"label": item.label, "kind": item.kind, "url": item.url} for item in suggestions
        ],
    }
