"""The search service's engine path: the engine finds, folds, filters, counts and orders the
records (``search.backends.record_query``), so a worker holds no record in memory.

One request answers a search; a second one only when a query word is not in the index and
close words are (typos: searched again with them), and another when nothing is found (what
removing each filter would give). Every request goes through the circuit breaker; any failure
propagates, and the service answers from the database instead.

With the semantic ranking (``search.fusion``), the engine also finds its best records and
returns the first ``FUSION_WINDOW`` records by text score; they are fused here, and the page
of results cut from the fused order (deeper pages follow the engine's order, which holds no
record found by meaning only).

The snippet of each result is made from the page shown (``search.highlight``), which is the
reader's translation when there is one, not necessarily the page that matched: an English
query may match a Swedish source by its labels and show its English translation.
"""

from collections import Counter
from uuid import UUID

from wagtail.models import Page
from wagtail.search.utils import normalise_query_string

from practices.visibility import restricted_sections

from . import breaker, fusion
from .analysis import flatten, query_language, query_word_groups, query_words
from .backends.record_query import lexical_score
from .explain import explain
from .facets import FACETS
from .labels import get_labels
from .outcome import Outcome, build_results, promoted_pages
from .records import Record, content_pages, read_records

FUSION_WINDOW = 100  # records fused per search (the first page of results is cut from them)


def _groups(words, language, corrections):
    groups = {}
    for word in words:
        for group in query_word_groups(word, language):
            groups[group] = None
        for candidate in corrections.get(word, ()):
            for group in query_word_groups(candidate, language):
                groups[group] = None
    return tuple(groups)


def _record(hit):
    """The ``Record`` of a hit, as much of it as a result shows."""
    return Record(
        key=UUID(hit.key).int if hit.key else hit.source_id,
        type=next(iter(hit.facets.get("type", ())), ""),
        source_id=hit.source_id,
        source_language="",
        published=None,
        pages=hit.pages,
        facets=hit.facets,
    )


def run(engine, params):
    """The ``Outcome`` of ``params``, answered by ``engine``; errors propagate."""
    outcome = Outcome(params=params)
    language = query_language(params.query)
    words = query_words(params.query, language)
    groups = _groups(words, language, {})
    outcome.terms = flatten(groups)
    if params.query and not groups:
        # Only stop words ("och", "the"): nothing to look for.
        outcome.facets = {facet: Counter() for facet in FACETS}
        _explain_empty(engine, outcome, (), nothing_matched=True)
        return outcome
    private = restricted_sections()
    start = (params.page - 1) * params.page_size
    ranking = fusion.ranking_for(params.query) if groups else None
    fusing = ranking is not None and params.sort == "relevance" and start < FUSION_WINDOW

    def ask(groups, words=(), ranking=None):
        keys = {}
        if ranking is not None:
            keys = {str(UUID(int=match.key)): match.key for match in ranking.top(_depth())}
        found = breaker.call(
            engine.search_records,
            content_pages(),
            groups,
            params.filters,
            language=language,
            sort=params.sort,
            start=0 if fusing else start,
            size=FUSION_WINDOW if fusing else params.page_size,
            private=private,
            words=words,
            records=tuple(keys),
        )
        return found, keys

    found, keys = ask(groups, words, ranking)
    if found.suggestions:
        outcome.corrections = found.suggestions
        groups = _groups(words, language, found.suggestions)
        outcome.terms = flatten(groups)
        if ranking is not None:
            ranking = fusion.ranking_for(fusion.corrected(params.query, found.suggestions))
        found, keys = ask(groups, ranking=ranking)
    outcome.count = found.count
    outcome.facets = {facet: Counter(counts) for facet, counts in found.facets.items()}
    hits = found.hits
    if ranking is not None:
        outcome.semantic = ranking
        scored = [(hit, lexical_score(hit, keys)) for hit in hits]
        outcome.lexical_keys = frozenset(_key(hit) for hit, score in scored if score > 0)
        if fusing:
            hits = _fused(hits, scored, ranking, language, params)[start : start + params.page_size]
    window = [(_record(hit), hit.score) for hit in hits]
    outcome.results = build_results(window, params, outcome.terms)
    explain(outcome)
    if not outcome.count:
        _explain_empty(engine, outcome, groups)
    if params.query and params.page == 1:
        outcome.promotions = promotions(params)
    return outcome


def _depth():
    return fusion.current().depth


def _key(hit):
    return UUID(hit.key).int if hit.key else hit.source_id


def _fused(hits, scored, ranking, language, params):
    """The window's hits in fused order (``search.fusion``), each with its fused score."""
    by_key = {_key(hit): hit for hit in hits}
    lexical = {_key(hit): score for hit, score in scored if score > 0}
    fused = fusion.fuse(
        lexical,
        ranking,
        query_language=language,
        languages_of=lambda key: by_key[key].facets.get("language", ()) if key in by_key else (),
        question=fusion.is_question(params.query),
        weights=fusion.current(),
    )
    # Ties keep the engine's order (text score, then newest).
    ordered = sorted((key for key in by_key if key in fused), key=lambda key: -fused[key])
    # Records of the window neither signal ranks (none, as the window is built) keep their place.
    ordered += [key for key in by_key if key not in fused]
    for key in ordered:
        by_key[key].score = fused.get(key, 0.0)
    return [by_key[key] for key in ordered]


def _explain_empty(engine, outcome, groups, nothing_matched=False):
    """What the reader could do instead (as the database path): drop one filter, with the
    count then, or search among the activity types the platform has."""
    params = outcome.params
    relaxations, activity_types = breaker.call(
        engine.relaxations,
        content_pages(),
        groups,
        {} if nothing_matched else params.filters,
        language=query_language(params.query),
        private=restricted_sections(),
    )
    if nothing_matched:  # no record matches the text, whatever the filters
        relaxations = [
            (facet, value, 0)
            for facet, values in params.filters.items()
            for value in sorted(values)
        ]
    outcome.relaxations = relaxations
    outcome.available_activity_types = activity_types


def promotions(params):
    """Pages editors promoted for this query, each record in the reader's language, live and
    public (read from the database: promotions are few)."""
    promoted = get_labels().promotions().get(normalise_query_string(params.query), ())
    if not promoted:
        return []
    keys = dict(
        Page.objects.filter(pk__in=[page_id for page_id, _ in promoted]).values_list(
            "pk", "translation_key"
        )
    )
    records = read_records({keys[page_id] for page_id, _ in promoted if page_id in keys})

    def record_of(page_id):
        return records.get(keys[page_id].int) if page_id in keys else None

    return promoted_pages(promoted, record_of, params.language)
