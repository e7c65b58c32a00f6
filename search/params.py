"""Search parameters: parsed and checked once (``parse``), for the search page, its filter form
and the JSON API alike; ``openapi_parameters`` documents the same parameters for the API's
OpenAPI schema, so the API does not declare (and parse) them a second time."""

import unicodedata
from dataclasses import dataclass, field

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from practices.models import MunicipalityGroup

from .analysis import LANGUAGES
from .facets import FACETS

MAX_QUERY_LENGTH = 200
MAX_PAGE = 1000
MAX_PAGE_SIZE = 50
DEFAULT_PAGE_SIZE = 10
MAX_FILTER_VALUES = 50
SORTS = {
    "relevance": gettext_lazy("Relevance"),
    "newest": gettext_lazy("Newest"),
    # Last updated or confirmed current by its owner, the latest first.
    "checked": gettext_lazy("Recently checked"),
}
TYPES = ("practice", "method", "report")


class SearchParameterError(ValueError):
    """A parameter the search cannot use; ``parameter`` names it, the message says why."""

    def __init__(self, parameter, message):
        super().__init__(message)
        self.parameter = parameter
        self.message = message


@dataclass(frozen=True)
class SearchParams:
    query: str = ""
    language: str = "sv"
    filters: dict = field(default_factory=dict)  # facet -> frozenset of values
    sort: str = "relevance"
    page: int = 1
    page_size: int = DEFAULT_PAGE_SIZE

    def without(self, facet, value=None):
        """The same search with one filter value (or a whole facet) removed, from page 1."""
        filters = dict(self.filters)
        if value is None:
            filters.pop(facet, None)
        else:
            remaining = filters.get(facet, frozenset()) - {value}
            if remaining:
                filters[facet] = remaining
            else:
                filters.pop(facet, None)
        return SearchParams(self.query, self.language, filters, self.sort, 1, self.page_size)

    def as_query_items(self, page=None):
        """(name, value) pairs for a URL to this search, filters sorted for stable URLs."""
        items = [("q", self.query)] if self.query else []
        for facet in FACETS:
            for value in sorted(self.filters.get(facet, ())):
                items.append((facet, value))
        if self.sort != "relevance":
            items.append(("sort", self.sort))
        if page and page > 1:
            items.append(("page", str(page)))
        if self.page_size != DEFAULT_PAGE_SIZE:
            items.append(("page_size", str(self.page_size)))
        return items


def clean_query(raw):
    if len(raw) > MAX_QUERY_LENGTH:
        raise SearchParameterError(
            "q",
            _("The search text is too long: at most %(max)d characters.")
            % {"max": MAX_QUERY_LENGTH},
        )
    for char in raw:
        if unicodedata.category(char) == "Cc" and char not in "\t\n\r":
            raise SearchParameterError("q", _("The search text contains control characters."))
    return " ".join(raw.split())


def _integer(data, name, default, minimum, maximum):
    raw = data.get(name)
    if raw in (None, ""):
        return default
    try:
        value = int(raw)
    except (TypeError, ValueError):
        raise SearchParameterError(
            name, _("%(name)s must be a whole number.") % {"name": name}
        ) from None
    if not minimum <= value <= maximum:
        raise SearchParameterError(
            name,
            _("%(name)s must be between %(min)d and %(max)d.")
            % {"name": name, "min": minimum, "max": maximum},
        )
    return value


def known_values(catalogue):
    """The values each facet accepts."""
    years = {str(year) for year in range(1900, 2101)}
    return {
        "type": set(TYPES),
        "activity_type": set(catalogue.activity_labels),
        "target_group": set(catalogue.target_labels),
        "region": set(catalogue.region_codes),
        "municipality": {code for code, _name in catalogue.municipalities},
        "municipality_group": set(MunicipalityGroup.values),
        "year": years,
        "checked": years,
        "language": set(LANGUAGES),
    }


def parse(data, catalogue, language=None, strict=True):
    """SearchParams from a query dict (``getlist`` for repeatable filters).

    ``strict`` raises SearchParameterError on the first bad parameter (the API). Otherwise bad
    filter values are dropped and reported (the search page): returns (params, problems).
    """
    problems = []

    def fail(error):
        if strict:
            raise error
        problems.append(error)

    try:
        query = clean_query(data.get("q", "") or "")
    except SearchParameterError as error:
        fail(error)
        query = ""
    lang = data.get("lang") or language or "sv"
    if lang not in LANGUAGES:
        fail(SearchParameterError("lang", _("Unknown language: %(value)s.") % {"value": lang}))
        lang = language or "sv"
    known = known_values(catalogue)
    filters = {}
    for facet in FACETS:
        values = [value for value in data.getlist(facet) if value != ""]
        if len(values) > MAX_FILTER_VALUES:
            fail(SearchParameterError(facet, _("Too many values for %(name)s.") % {"name": facet}))
            values = values[:MAX_FILTER_VALUES]
        unknown = [value for value in values if value not in known[facet]]
        if unknown:
            fail(
                SearchParameterError(
                    facet,
                    _("Unknown value for %(name)s: %(value)s.")
                    % {"name": facet, "value": unknown[0][:80]},
                )
            )
        values = frozenset(value for value in values if value in known[facet])
        if values:
            filters[facet] = values
    sort = data.get("sort") or "relevance"
    if sort not in SORTS:
        fail(SearchParameterError("sort", _("sort must be relevance, newest or checked.")))
        sort = "relevance"
    try:
        page = _integer(data, "page", 1, 1, MAX_PAGE)
    except SearchParameterError as error:
        fail(error)
        page = 1
    try:
        page_size = _integer(data, "page_size", DEFAULT_PAGE_SIZE, 1, MAX_PAGE_SIZE)
    except SearchParameterError as error:
        fail(error)
        page_size = DEFAULT_PAGE_SIZE
    params = SearchParams(query, lang, filters, sort, page, page_size)
    return params if strict else (params, problems)


FILTER_DESCRIPTIONS = {
    "type": "Content type: practice, method or report.",
    "activity_type": "Activity-type slug (e.g. mentorship).",
    "target_group": "Target-group slug (e.g. new-arrivals).",
    "region": "Two-digit region (län) code.",
    "municipality": "Four-digit municipality code.",
    "municipality_group": "SKR municipality group of the record's municipalities: A1 to C9.",
    "year": "Start year.",
    "checked": "Year the record was last updated or confirmed current by its owner.",
    "language": "A language the record can be read in: sv, en, ar or fa.",
}


def openapi_parameters():
    """The parameters ``parse`` reads, as OpenAPI 3 query parameters."""

    def parameter(name, description, schema, **extra):
        return {
            "name": name,
            "in": "query",
            "required": False,
            "description": description,
            "schema": schema,
            **extra,
        }

    return [
        parameter(
            "q",
            "The search text.",
            {"type": "string", "maxLength": MAX_QUERY_LENGTH, "default": ""},
        ),
        parameter(
            "lang",
            "The reader's language: each record is shown in it where translated.",
            {"type": "string", "enum": list(LANGUAGES), "default": "sv"},
        ),
        *(
            parameter(
                facet,
                f"{FILTER_DESCRIPTIONS[facet]} Repeatable: values are OR-ed.",
                {"type": "array", "items": {"type": "string"}, "maxItems": MAX_FILTER_VALUES},
                style="form",
                explode=True,
            )
            for facet in FACETS
        ),
        parameter(
            "sort",
            "Order of the results.",
            {"type": "string", "enum": list(SORTS), "default": "relevance"},
        ),
        parameter(
            "page",
            "Page of results.",
            {"type": "integer", "minimum": 1, "maximum": MAX_PAGE, "default": 1},
        ),
        parameter(
            "page_size",
            "Results per page.",
            {
                "type": "integer",
                "minimum": 1,
                "maximum": MAX_PAGE_SIZE,
                "default": DEFAULT_PAGE_SIZE,
            },
        ),
    ]
