"""The open-data API's parameters: search's own (``search.params``: the filters, ``lang``,
``page`` and ``page_size``, with the same names, values and messages) plus ``updated_since``.
Search's ``q`` and ``sort`` are not read: records come in a fixed order."""

from search.labels import get_labels
from search.params import openapi_parameters as search_parameters
from search.params import parse as parse_search

from .records import RecordQuery, parse_updated_since

NOT_READ = ("q", "sort")


def parse(data):
    """A ``RecordQuery`` from a query dict; ``SearchParameterError`` names a bad parameter."""
    data = data.copy()
    for name in NOT_READ:
        data.pop(name, None)
    params = parse_search(data, get_labels())
    return RecordQuery(
        language=params.language,
        filters=params.filters,
        updated_since=parse_updated_since(data.get("updated_since")),
        page=params.page,
        page_size=params.page_size,
    )


def openapi_parameters():
    """The parameters ``parse`` reads, as OpenAPI 3 query parameters."""
    parameters = [item for item in search_parameters() if item["name"] not in NOT_READ]
    parameters.append(
        {
            "name": "updated_since",
            "in": "query",
            "required": False,
            "description": (
                "For harvesting: only records published (in any language) or reviewed by their "
                "owner at or after this ISO 8601 date (its midnight, Swedish time) or date and "
                "time (Swedish time unless it has an offset, such as Z)."
            ),
            "schema": {"type": "string", "maxLength": 40},
        }
    )
    for item in parameters:
        if item["name"] == "lang":
            item["description"] = (
                "The reader's language: each record's `url` leads to its page in it where "
                "translated."
            )
    return parameters
