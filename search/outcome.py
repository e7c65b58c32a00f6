"""What a search returns (``Outcome``, its ``Result``s) and loading the pages it shows.

Both search paths (the engine's, ``search.engine_search``; the database's, ``search.service``)
end here: given the records of the page of results, each with its score, load the page each
record shows in the reader's language (one query for every page type) and its snippet.
"""

import functools
import math
from dataclasses import dataclass, field

from django.utils.text import capfirst
from django.utils.translation import get_language_info
from wagtail.models import Page

from practices.models import CONTENT_PAGE_MODELS
from practices.visibility import visible

from . import highlight
from .documents import document
from .params import SearchParams


@dataclass
class Result:
    record: object
    page: object  # the specific page shown
    language: str  # the language it is shown in
    reader_language: str
    highlight: str
    score: float = 0.0
    found_by: str = None  # None (the words), "meaning" or "part" (search.explain)
    passage: object = None  # the best passage (search.explain.Passage) if found by meaning
    parts: list = field(default_factory=list)  # [(query word, [parts found])] if "part"

    @property
    def external_id(self):
        return self.page.external_id

    @property
    def type(self):
        return self.page.interchange_type

    @property
    def in_reader_language(self):
        return self.language == self.reader_language

    @property
    def language_name(self):
        return get_language_info(self.language)["name_translated"]

    @property
    def type_label(self):
        return capfirst(self.page._meta.verbose_name)

    @property
    def languages(self):
        """The languages the record can be read in (its ``language`` facet)."""
        return sorted(self.record.facets["language"])


@dataclass
class Outcome:
    params: SearchParams
    count: int = 0
    results: list = field(default_factory=list)
    facets: dict = field(default_factory=dict)  # facet -> Counter(value -> records)
    terms: tuple = ()
    corrections: dict = field(default_factory=dict)  # query word -> [close words searched]
    promotions: list = field(default_factory=list)
    degraded: bool = False  # results came from the fallback backend
    failed: bool = False  # no backend answered
    relaxations: list = field(default_factory=list)  # [(facet, value, count)] if 0 results
    available_activity_types: list = field(default_factory=list)  # [(slug, count)] if 0
    semantic: object = None  # the query's semantic ``Ranking`` (None: lexical only)
    lexical_keys: frozenset = frozenset()  # the records the text matched

    @property
    def pages(self):
        return max(1, math.ceil(self.count / self.params.page_size))

    @property
    def only_by_meaning(self):
        """Every record found was found by meaning: none has the query's words."""
        return bool(self.results) and self.semantic is not None and not self.lexical_keys


# What a result shows (title, link, type, place in time, snippet), on Page and on each page
# type's table: loading only these keeps the query small to compile and to read.
PAGE_FIELDS = ("title", "url_path", "live", "locale__language_code")
TYPE_FIELDS = ("summary", "body", "external_id", "start_date", "organisation__name")


@functools.cache
def _result_query_shape():
    """(parent links, select_related, only) of the query loading results of any page type."""
    links, related, fields = [], ["locale"], list(PAGE_FIELDS)
    for model in CONTENT_PAGE_MODELS:
        link = model._meta.model_name  # Page's reverse one-to-one to the type's table
        links.append(link)
        related += [link, f"{link}__organisation"]
        fields += [f"{link}__{name}" for name in (*TYPE_FIELDS, *model.search_text_fields)]
    return tuple(links), tuple(related), tuple(fields)


def load_pages(page_ids):
    """{page id: specific page} of the live, public pages among ``page_ids``, in one query.

    Each page type's table is joined to Page's (``select_related`` of its parent link), so one
    query loads pages of every type, each as its specific class with its Page fields set;
    a query per type cost three times the compiling and the round trips. Live and public as
    the database says now: the snapshot that chose them may be a moment behind a change.
    """
    links, related, fields = _result_query_shape()
    pages = (
        visible(Page.objects.filter(pk__in=page_ids))
        .select_related(*related)
        .only(*fields)
        .order_by()
    )
    by_id = {}
    for page in pages:
        specific = next(filter(None, (getattr(page, link, None) for link in links)), None)
        if specific is not None:
            by_id[page.pk] = specific
    return by_id


def build_results(window, params, terms):
    """The results to show for [(record, score)].

    A record whose page in the reader's language was unpublished since the snapshot was taken
    shows its source page; one with neither live and public (unpublished, or made private, a
    moment ago) is left out.
    """
    page_ids = [record.page_for(params.language) for record, _score in window]
    by_id = load_pages({*page_ids, *(record.source_id for record, _score in window)})
    results = []
    for (record, score), page_id in zip(window, page_ids, strict=True):
        page = by_id.get(page_id) or by_id.get(record.source_id)
        if page is None:
            continue
        language = page.locale.language_code
        results.append(
            Result(
                record=record,
                page=page,
                language=language,
                reader_language=params.language,
                highlight=highlight.snippet(
                    [page.summary, lambda page=page: document(page).text], terms, language
                ),
                score=score,
            )
        )
    return results


def promoted_pages(promoted, record_of, language):
    """[(specific page, description)] of the promoted [(page id, description)], each record in
    the reader's language; ``record_of(page id)``: its live public ``Record``, or None."""
    wanted = []
    for page_id, description in promoted:
        record = record_of(page_id)
        if record is not None:
            wanted.append((record.page_for(language), description))
    if not wanted:
        return []
    # Live and public now (the snapshot may be a moment behind), all read at once.
    pages = visible(Page.objects.filter(pk__in=[page_id for page_id, _ in wanted])).specific()
    by_id = {page.pk: page for page in pages}
    return [(by_id[page_id], text) for page_id, text in wanted if page_id in by_id]
