"""The search service: one function used by the search page, the JSON API and the evaluation.

``run(params)`` answers a search on one of two paths:

- **the engine** (OpenSearch or Elasticsearch configured): the engine finds, folds, filters,
  counts and orders the records in one request (``search.engine_search``); the worker holds
  no record;
- **the database** (no engine, or the engine failing, or its circuit breaker open): the backend
  says which pages match and how well (``ranked()``), and the per-process snapshot of the
  records (``search.catalogue``) folds pages into records, filters, counts facets and sorts.

Either way the page of results is loaded last (``search.outcome``), each record in the reader's
language where it has a live translation, else in its source language.
"""

import functools
import logging
from collections import Counter
from collections.abc import Set as AbstractSet

from django.conf import settings
from wagtail.search.backends import get_search_backend
from wagtail.search.utils import normalise_query_string

from . import breaker, engine_search, fusion, query_log, spelling
from .analysis import flatten, query_language, query_word_groups, query_words
from .backends.engine import forget_indexes
from .bitsets import Scores
from .catalogue import content_pages, get_catalogue
from .explain import explain
from .outcome import Outcome, build_results, promoted_pages

logger = logging.getLogger(__name__)

FALLBACK_BACKEND = "database"
FUSION_WINDOW = engine_search.FUSION_WINDOW  # lexical matches fused with the semantic ranking
_backends = {}


def backend(name="default"):
    """A backend instance kept for the process (building one per query is costly for ES)."""
    if name not in _backends:
        _backends[name] = get_search_backend(name)
    return _backends[name]


def reset_backends():
    _backends.clear()
    breaker.reset()
    forget_indexes()


def query_terms(params, catalogue, language=None):
    """The forms to search for, grouped per query word, and the spelling corrections added.

    The words are analysed in the query's own language (``analysis.query_language``), not
    the interface's: the same query finds the same records in every interface."""
    language = language or query_language(params.query)
    groups, corrections = {}, {}
    for word in query_words(params.query, language):
        word_groups = list(query_word_groups(word, language))
        close = spelling.corrections(word, catalogue.vocabulary, _alphabet(catalogue))
        if close:
            corrections[word] = close
            for candidate in close:
                word_groups.extend(query_word_groups(candidate, language))
        for group in word_groups:
            groups[group] = None
    return tuple(groups), corrections


def _alphabet(catalogue):
    return catalogue.alphabet()


def ranked_pages(groups, language=None, engine_failed=False):
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
    if is_engine and engine_failed:  # the engine path failed just now: straight to the fallback
        return _fallback(terms, queryset, groups)
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
    return _fallback(terms, queryset, groups)


def _fallback(terms, queryset, groups):
    if FALLBACK_BACKEND in settings.WAGTAILSEARCH_BACKENDS:
        try:
            fallback = backend(FALLBACK_BACKEND)
            hits = fallback.ranked(terms, queryset, groups=groups, checked=True, ordered=False)
            return hits, True, False
        except Exception:  # noqa: BLE001
            logger.exception("Fallback search backend failed too")
    return [], False, True


def run(params, log=False, catalogue=None, versions=None):
    """The ``Outcome`` of a search.

    With an engine configured, the engine answers (``search.engine_search``); if it fails, or
    its circuit breaker is open, or without an engine, the database path does, with the
    per-process snapshot of the records (``catalogue``: the snapshot ``params`` were checked
    with, read if not given; ``versions``: ``SearchState.versions()`` if the caller has read
    them).
    """
    engine = backend()
    engine_failed = False
    if getattr(engine, "is_engine", False):
        try:
            outcome = engine_search.run(engine, params)
        except breaker.Open:
            engine_failed = True  # the breaker logged when it opened
        except Exception:  # noqa: BLE001 - any engine failure must not become an error page
            logger.exception("Search engine failed for %r; falling back", params.query[:80])
            engine_failed = True
        else:
            if log and params.query and params.page == 1:
                query_log.record(params.query)
            return outcome
    outcome = snapshot_search(params, catalogue or get_catalogue(versions), engine_failed)
    if log and params.query and params.page == 1:
        query_log.record(params.query)  # counted in the cache, written in bulk
    return outcome


def snapshot_search(params, catalogue, engine_failed=False):
    """The database path: the backend ranks pages, the snapshot does the rest."""
    outcome = Outcome(params=params)
    language = query_language(params.query)
    groups, outcome.corrections = query_terms(params, catalogue, language)
    terms = outcome.terms = flatten(groups)
    index = catalogue.index()
    if params.query and not terms:
        # Only stop words ("och", "the"): nothing to look for.
        candidates, scores = 0, {}
    elif terms:
        hits, outcome.degraded, outcome.failed = ranked_pages(groups, language, engine_failed)
        scores = index.scores(hits)  # {record position: score}
        scores = fused(outcome, index, scores, language)
        candidates = index.at(scores)
    else:
        candidates, scores = index.all, {}
        outcome.degraded = engine_failed  # every record, from the snapshot

    outcome.facets = {
        facet: Counter(counts) for facet, counts in index.counts(candidates, params.filters).items()
    }
    matching = index.filtered(candidates, params.filters)
    outcome.count = matching.bit_count()
    start = (params.page - 1) * params.page_size
    end = start + params.page_size
    if params.sort == "checked":
        window = [
            (record, scores.get(index.positions[record.key], 0.0))
            for record in index.recently_checked(matching, start, end)
        ]
    elif params.sort == "newest" or not scores:
        window = [
            (record, scores.get(index.positions[record.key], 0.0))
            for record in index.newest(matching, start, end)
        ]
    else:
        window = index.best(matching, scores, start, end)
    outcome.results = build_results(window, params, terms)
    explain(outcome)

    if not matching:
        _explain_empty(outcome, candidates, index)
    if params.query and params.page == 1:
        outcome.promotions = promotions(params, catalogue)
    return outcome


def fused(outcome, index, scores, query_language):
    """The lexical ``scores`` fused with the semantic ranking of the query (``search.fusion``),
    as ``Scores`` of the records found either way; the lexical scores alone when semantic
    search cannot answer. ``outcome`` keeps the ranking (each result's best passage) and
    which records the text matched.

    The ``FUSION_WINDOW`` best lexical matches are fused (as on the engine path); the matches
    below them keep their lexical rank's share only: a head word matches most records, and
    fusing each of them in Python cost 140 ms at 10,000 records."""
    records, positions = index.records, index.positions
    outcome.lexical_keys = MatchedKeys(scores, index)
    ranking = fusion.ranking_for(fusion.corrected(outcome.params.query, outcome.corrections))
    if ranking is None:
        return scores
    outcome.semantic = ranking
    ordered = scores.ranked
    window = {records[position].key: scores[position] for position in ordered[:FUSION_WINDOW]}

    def languages_of(key):
        position = positions.get(key)
        return records[position].facets["language"] if position is not None else ()

    weights = fusion.current()
    found = fusion.fuse(
        window,
        ranking,
        query_language=query_language,
        languages_of=languages_of,
        question=fusion.is_question(outcome.params.query),
        weights=weights,
    )
    fused_scores = {positions[key]: score for key, score in found.items() if key in positions}
    best = max(window.values(), default=0.0)
    for rank, position in enumerate(ordered[FUSION_WINDOW:], start=FUSION_WINDOW + 1):
        fused_scores.setdefault(
            position, fusion.text_match_score(weights, scores[position], best, rank)
        )
    return Scores.of(fused_scores)


class MatchedKeys(AbstractSet):
    """The records the text matched, by key (``Outcome.lexical_keys``), a view of the lexical
    ``Scores``: a head word matches most records, and a copy of their keys cost 10 ms."""

    def __init__(self, scores, index):
        self.scores, self.index = scores, index

    def __contains__(self, key):
        return self.index.positions.get(key) in self.scores

    def __iter__(self):
        return (self.index.records[position].key for position in self.scores)

    def __len__(self):
        return len(self.scores)


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
    promoted = catalogue.promotions().get(normalise_query_string(params.query), ())
    return promoted_pages(promoted, catalogue.record_of, params.language)
