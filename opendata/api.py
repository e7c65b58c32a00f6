"""The open-data read API: ``GET /api/records/`` and ``GET /api/records/<external_id>/``,
added to the search API (its schema, docs and RFC 7807 errors) by
``learning_platform/urls.py``.

Thin: parse (``params``), ask ``records``, present. A bad parameter is a 400 naming it (the
search API's handler for ``SearchParameterError``), an unknown record a 404.
"""

from typing import Literal

from django.http import HttpRequest
from ninja import Router
from wagtail.api.v3.errors import ProblemDetail, problem_response

from home.middleware import API_NOT_FOUND
from search.params import MAX_PAGE, MAX_PAGE_SIZE

from . import params, records
from .schemas import RecordList, RecordOut

router = Router(tags=["records"])

LIST_DESCRIPTION = (
    "Every published practice, method and report in the interchange format "
    "(docs/interchange.md), with its translations, outcome indicators, funding, methods and, "
    "for a method, the organisations that use it; `last_updated` and `last_reviewed` say how "
    "fresh it is. Methods first, then practices, then reports, each by `external_id`. The "
    "filters are the search API's (repeatable: values of one filter OR-ed, filters AND-ed); "
    f"`page` 1 to {MAX_PAGE}, `page_size` 1 to {MAX_PAGE_SIZE}. To harvest, ask for "
    "`updated_since` your last harvest, or download everything at /open-data/records.jsonl. "
    "Licence: CC BY 4.0, attribution Kunskapsplattformen."
)


def _page_url(request, page):
    query = request.GET.copy()
    query["page"] = str(page)
    return request.build_absolute_uri(f"{request.path}?{query.urlencode()}")


@router.get(
    "/",
    response={200: RecordList, 400: ProblemDetail},
    summary="Published records (open data)",
    description=LIST_DESCRIPTION,
    operation_id="records",
    openapi_extra={"parameters": params.openapi_parameters()},
    exclude_unset=True,
)
def record_list(request: HttpRequest):
    query = params.parse(request.GET)
    count, sources = records.find(query)
    last_page = max(1, -(-count // query.page_size))
    return {
        "lang": query.language,
        "count": count,
        "page": query.page,
        "page_size": query.page_size,
        "updated_since": (
            query.updated_since.isoformat(timespec="seconds") if query.updated_since else None
        ),
        "next": _page_url(request, query.page + 1) if query.page < last_page else None,
        "previous": (
            _page_url(request, min(query.page - 1, last_page)) if query.page > 1 else None
        ),
        "results": records.serialise(sources, query.language, request),
    }


@router.get(
    "/{external_id}/",
    response={200: RecordOut, 400: ProblemDetail, 404: ProblemDetail},
    summary="One published record (open data)",
    description=(
        "The record `external_id` in the interchange format with the platform's fields, as "
        "in the list. 404 if no published record has it."
    ),
    operation_id="record",
    exclude_unset=True,
)
def record_detail(
    request: HttpRequest, external_id: str, lang: Literal["sv", "en", "ar", "fa"] = "sv"
):
    source = records.find_one(external_id)
    if source is None:
        response = problem_response(
            status=404,
            detail=f"No published record has the external id “{external_id[:200]}”.",
        )
        # Kept for home.middleware.ApiProblemMiddleware: the locale middleware replaces any
        # 404 under /api/ with a redirect to /sv/api/….
        setattr(request, API_NOT_FOUND, response)
        return response
    return records.serialise([source], lang, request)[0]
