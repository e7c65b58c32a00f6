"""The search service: one function used by the search page, the JSON API and the evaluation.

``run(params)`` analyses the query in the reader's language, asks the configured backend which
pages match (falling back to the database backend if Elasticsearch fails), folds pages into
records, filters and counts facets, sorts, and loads the page of results to show, each record in
the reader's language where it has a live translation, else in its source language.
"""

import functools
import logging
import math
from collections import Counter
from dataclasses import dataclass, field

from django.conf import settings
from django.utils.text import capfirst
from django.utils.translation import get_language_info
from wagtail.contrib.search_promotions.models import Query
from wagtail.models import Page
from wagtail.search.backends import get_search_backend
from wagtail.search.utils import normalise_query_string

from practices.models import CONTENT_PAGE_MODELS

from . import breaker, highlight, spelling
from .analysis import query_words, word_form_groups
from .backends.engine import forget_indexes
from .catalogue import content_pages, get_catalogue
from .documents import document
from .params import SearchParams

logger = logging.getLogger(__name__)

FALLBACK_BACKEND = "database"
_backends = {}


@dataclass
class Result:
    record: object
    page: object  # the specific page shown
    language: str  # the language it is shown in
    reader_language: str
    highlight: str
    score: float = 0.0

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

    @property
    def pages(self):
        return max(1, math.ceil(self.count / self.params.page_size))


def backend(name="default"):
    """A backend instance kept for the process (building one per query is costly for ES)."""
    if name not in _backends:
        _backends[name] = get_search_backend(name)
    return _backends[name]


def reset_backends():
    _backends.clear()
    breaker.reset()
    forget_indexes()


def query_terms(params, catalogue):
    """The forms to search for, grouped per query word, and the spelling corrections added."""
    groups, corrections = {}, {}
    for word in query_words(params.query, params.language):
        word_groups = list(word_form_groups(word, params.language))
        close = spelling.corrections(word, catalogue.vocabulary, _alphabet(catalogue))
        if close:
            corrections[word] = close
            for candidate in close:
                word_groups.extend(word_form_groups(candidate, params.language))
        for group in word_groups:
            groups[group] = None
    return tuple(groups), corrections


def _alphabet(catalogue):
    alphabet = getattr(catalogue, "_alphabet", None)
    if alphabet is None:
        alphabet = sorted({char for word in catalogue.vocabulary for char in word})
        catalogue._alphabet = alphabet
    return alphabet


def flatten(groups):
    return tuple(dict.fromkeys(term for group in groups for term in group))


def ranked_pages(groups, language=None):
    """[(page id, score)] from the configured backend, else the database backend.

    ``groups`` holds the forms of each query word. ``language``, the reader's, goes to an engine
    only: it also searches the text as analysed for that language (the engine's language
    sub-fields); the database backends have none. Returns (hits, degraded, failed). Hits may
    include pages search may not show (``checked=True``): ``RecordIndex.scores`` keeps only those
    in the catalogue, the live and public pages. So the backend is asked for live content pages,
    public or not: leaving out view restrictions saves a query on every search. Hits come in any
    order (``ordered=False``): ``RecordIndex.best`` orders the records.
    """
    queryset = content_pages()
    terms = flatten(groups)
    engine = backend()
    is_engine = getattr(engine, "is_engine", False)
    ask = functools.partial(
        engine.ranked,
        terms,
        queryset,
        groups=groups,
        checked=True,
        ordered=False,
        **({"language": language} if is_engine else {}),
    )
    try:
        # An engine is guarded by the circuit breaker: while it is open, not asked at all.
        hits = breaker.call(ask) if is_engine else ask()
        return hits, False, False
    except breaker.Open:
        pass  # the breaker logged when it opened
    except Exception:  # noqa: BLE001 - any engine failure must not become an error page
        logger.exception("Search backend failed for %r; falling back", terms[:10])
    if FALLBACK_BACKEND in settings.WAGTAILSEARCH_BACKENDS:
        try:
            fallback = backend(FALLBACK_BACKEND)
            hits = fallback.ranked(terms, queryset, groups=groups, checked=True, ordered=False)
            return hits, True, False
        except Exception:  # noqa: BLE001
            logger.exception("Fallback search backend failed too")
    return [], False, True


def run(params, log=False, catalogue=None):
    """The ``Outcome`` of a search; ``catalogue``: the snapshot ``params`` were checked with."""
    catalogue = catalogue or get_catalogue()
    outcome = Outcome(params=params)
    groups, outcome.corrections = query_terms(params, catalogue)
    terms = outcome.terms = flatten(groups)
    index = catalogue.index()
    if params.query and not terms:
        # Only stop words ("och", "the"): nothing to look for.
        candidates, scores = 0, {}
    elif terms:
        hits, outcome.degraded, outcome.failed = ranked_pages(groups, params.language)
        scores = index.scores(hits)  # {record position: score}
        candidates = index.at(scores)
    else:
        candidates, scores = index.all, {}

    outcome.facets = {
        facet: Counter(counts) for facet, counts in index.counts(candidates, params.filters).items()
    }
    matching = index.filtered(candidates, params.filters)
    outcome.count = matching.bit_count()
    start = (params.page - 1) * params.page_size
    end = start + params.page_size
    if params.sort == "newest" or not scores:
        window = [
            (record, scores.get(index.positions[record.key], 0.0))
            for record in index.newest(matching, start, end)
        ]
    else:
        window = index.best(matching, scores, start, end)
    outcome.results = build_results(window, params, terms)

    if not matching:
        _explain_empty(outcome, candidates, index)
    if params.query and params.page == 1:
        outcome.promotions = promotions(params, catalogue)
    if log and params.query and params.page == 1:
        Query.get(params.query).add_hit()
    return outcome


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
    """{page id: specific page} of the live pages among ``page_ids``, in one query.

    Each page type's table is joined to Page's (``select_related`` of its parent link), so one
    query loads pages of every type, each as its specific class with its Page fields set;
    a query per type cost three times the compiling and the round trips.
    """
    links, related, fields = _result_query_shape()
    pages = (
        Page.objects.live()
        .filter(pk__in=page_ids)
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
    """The results to show for [(record, score)]."""
    page_ids = [record.page_for(params.language) for record, _score in window]
    by_id = load_pages(page_ids)
    results = []
    for (record, score), page_id in zip(window, page_ids, strict=True):
        page = by_id.get(page_id)
        if page is None:  # unpublished since the snapshot was taken
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


def _explain_empty(outcome, candidates, index):
    """What the reader could do instead: drop one filter (with the count then), or search
    among the activity types the platform has."""
    params = outcome.params
    for facet, values in params.filters.items():
        for value in sorted(values):
            relaxed = params.without(facet, value)
            count = index.filtered(candidates, relaxed.filters).bit_count()
            outcome.relaxations.append((facet, value, count))
    counts = index.counts(index.all, {})["activity_type"]
    outcome.available_activity_types = sorted(counts.items(), key=lambda item: (-item[1], item[0]))


def promotions(params, catalogue):
    """Pages editors promoted for this query (Wagtail search promotions), live and public.

    The promotions come from the snapshot (read again when editors change them), so a query
    without any costs no database read.
    """
    shown = []
    for page_id, description in catalogue.promotions().get(
        normalise_query_string(params.query), ()
    ):
        record = catalogue.record_of(page_id)
        if record is None:
            continue
        page = Page.objects.filter(pk=record.page_for(params.language)).specific().first()
        if page is not None:
            shown.append((page, description))
    return shown
