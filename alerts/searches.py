"""The saved search: normalised from a query string as the search page reads it, described in
words, and asked again for what is new.

"Matching" means what the search page means: the search is parsed by ``search.params`` (the
strict way the API parses, so a search the page would refuse is refused here with the same
message) and answered by ``search.service``, records folded and filtered as on the page.
"""

from dataclasses import dataclass, replace

from django.http import QueryDict
from django.urls import reverse
from django.utils.http import urlencode

from search import service
from search.facets import FACETS
from search.labels import get_labels
from search.params import MAX_PAGE, MAX_PAGE_SIZE, SearchParameterError, parse
from search.presenters import FACET_LABELS, value_label
from search.records import searchable_pages

# What a saved search keeps of a query string: the text and the filters. Paging, page size and
# sort order are how one looks at results, not which results.
SEARCH_FIELDS = ("q", *FACETS)

__all__ = [
    "SEARCH_FIELDS",
    "SearchParameterError",  # what ``normalise`` and ``params_for`` raise
    "Criterion",
    "changed_pages",
    "describe",
    "new_results",
    "normalise",
    "params_for",
    "search_path",
]


def normalise(data, language):
    """The saved form of the search in the query dict ``data`` (``q`` and filters, in a
    stable order, URL-encoded): raises ``SearchParameterError`` for a search the page refuses."""
    kept = QueryDict(mutable=True)
    for name in SEARCH_FIELDS:
        values = data.getlist(name)
        if values:
            kept.setlist(name, values)
    params = parse(kept, get_labels(), language=language, strict=True)
    return urlencode(params.as_query_items())


def params_for(search, language, **changes):
    """``SearchParams`` of a saved search, for ``language``."""
    params = parse(QueryDict(search), get_labels(), language=language, strict=True)
    return replace(params, language=language, **changes)


@dataclass(frozen=True)
class Criterion:
    label: str  # the filter's name ("" for the search text)
    value: str

    @property
    def is_query(self):
        return not self.label


def describe(search, language):
    """[Criterion] of a saved search, in the active language (the query, then each filter)."""
    params = params_for(search, language)
    labels = get_labels()
    criteria = []
    if params.query:
        criteria.append(Criterion("", params.query))
    for facet in FACETS:
        for value in sorted(params.filters.get(facet, ())):
            criteria.append(
                Criterion(str(FACET_LABELS[facet]), value_label(labels, facet, value, language))
            )
    return criteria


def search_path(search):
    """The search page's address for a saved search, in the active language."""
    base = reverse("search")
    return f"{base}?{search}" if search else base


def changed_pages(since, until):
    """{page id: (record key, first published, last published)} of the live public content
    pages last published (first or again) after ``since``, up to ``until``."""
    rows = searchable_pages().filter(last_published_at__gt=since, last_published_at__lte=until)
    return {
        page_id: (key.int, first, last)
        for page_id, key, first, last in rows.values_list(
            "id", "translation_key", "first_published_at", "last_published_at"
        )
    }


def new_results(search, language, changed):
    """The search's results (``search.outcome.Result``) whose record changed, in the order
    the search page gives them: the page of results is read until every changed record has
    been seen or the results end. ``changed`` is ``changed_pages``'s answer."""
    remaining = {key for key, _first, _last in changed.values()}
    found = []
    if not remaining:
        return found
    params = params_for(search, language, page_size=MAX_PAGE_SIZE)
    for page in range(1, MAX_PAGE + 1):
        outcome = service.run(replace(params, page=page))
        for result in outcome.results:
            if result.record.key in remaining:
                remaining.discard(result.record.key)
                found.append(result)
        if not remaining or page >= outcome.pages:
            break
    return found
