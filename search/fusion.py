"""Lexical and semantic rankings fused: a weighted sum of each signal's scores on 0-1.

Each record's fused score is ``(1 - share) * lexical + share * semantic``, where ``lexical``
is its text score over the best text score of the query, raised to ``lexical_power``, and
``semantic`` is how far its closeness to the query (``semantic.store``) stands above that of
most records: ``(score - reference) / (best - reference)``, where ``reference`` is the score at
the ``semantic_reference`` quantile of every record, clipped at 0 and raised to
``semantic_power``. The model's cosines sit in a narrow band that moves with each query, so
only the distance above the crowd says something; the powers let a strong match in either
signal count for more than several weak ones.

Why scores rather than ranks: reciprocal-rank fusion (RRF, the first form, still ``method =
"rrf"``) gives every record the text matches at all a second share, however weak the match.
A question in Arabic or Dari matches Swedish records only through their translated labels
(one word of the question, say "work"): with RRF, those records outranked the records the
model found closest, and fusion scored below the model alone on two judged sets written blind
to this code (``benchmarks/relevance/``; README, "Search by meaning"). Scaled scores keep a
match on one label word small.

Which records are found: those the text matched, and the ``depth`` best of the semantic
ranking (a question in Dari finds Swedish records that share no word with it). The semantic
signal has a share ``semantic`` of the weight, ``cross_language`` when the query's language
is not one the record can be read in (its words cannot match the record's), plus ``question``
when the query is a question rather than keywords. A share, not a bonus: a record in another
language is not preferred, it is judged more by meaning. The weights were chosen on the dev
set and the two blind sets together and checked on each (``tune_fusion``).

No rule here names a query or a record.
"""

import logging
from dataclasses import dataclass

from semantic import query as semantic_query

from .analysis import tokens
from .normalise import normalise

logger = logging.getLogger(__name__)

RRF_K = 60
SEMANTIC_DEPTH = 10
SEMANTIC_SHARE = 0.7
CROSS_LANGUAGE_SHARE = 0.75
QUESTION_SHARE = 0.1  # added for a question
LEXICAL_POWER = 1.5
SEMANTIC_REFERENCE = 0.75  # quantile of every record's semantic score: "as close as most"
SEMANTIC_POWER = 2.0
QUESTION_WORDS = frozenset(
    normalise(word)  # as ``tokens`` writes them: Arabic kaf and yeh as Persian ones, bare alef
    for word in """
    hur vad var varför vilka vilken vilket när kan finns hjälp
    how what where why which when who can is are does do help
    كيف ما ماذا أين اين لماذا متى هل من كم أريد اريد ابحث
    چگونه چطور چه کجا چرا کدام چی آیا میخواهم می‌خواهم میتوانم می‌توانم کمک
    """.split()
)
QUESTION_LENGTH = 6  # words: a query this long reads as a sentence, not keywords


@dataclass(frozen=True)
class Weights:
    method: str = "convex"  # shares of the scores, each scaled to 0-1; or "rrf": of ranks
    semantic: float = SEMANTIC_SHARE
    cross_language: float = CROSS_LANGUAGE_SHARE
    question: float = QUESTION_SHARE
    depth: int = SEMANTIC_DEPTH
    k: int = RRF_K  # "rrf" only
    lexical_power: float = LEXICAL_POWER  # "convex" only, as the two below
    semantic_reference: float = SEMANTIC_REFERENCE
    semantic_power: float = SEMANTIC_POWER


DEFAULT = Weights()


def is_question(text):
    words = tokens(text)
    return (
        text.strip().endswith(("?", "؟"))
        or len(words) >= QUESTION_LENGTH
        or (bool(words) and words[0] in QUESTION_WORDS)
    )


def semantic_share(weights, question, cross_language):
    """The semantic signal's share of the weight (the lexical one has the rest)."""
    share = weights.cross_language if cross_language else weights.semantic
    if question:
        share += weights.question
    return min(max(share, 0.0), 1.0)


def fuse(lexical, ranking, *, query_language, languages_of, question, weights=DEFAULT):
    """{record key: fused score} of the lexical matches and the semantic top ``depth``.

    ``lexical``: {record key: lexical score} of the records the text matched; ``ranking``: the
    semantic ``Ranking``; ``languages_of(key)``: the languages a record can be read in;
    ``query_language``: the query's (``analysis.query_language``)."""
    lexical_ranks = {
        key: rank for rank, key in enumerate(sorted(lexical, key=lambda key: -lexical[key]), 1)
    }
    keys = set(lexical_ranks)
    keys.update(match.key for match in ranking.top(weights.depth))
    if weights.method == "convex":
        lexical_part, semantic_part = _scaled(lexical, ranking, keys, weights)
    else:
        lexical_part = {key: 1.0 / (weights.k + rank) for key, rank in lexical_ranks.items()}
        semantic_part = {
            key: 1.0 / (weights.k + rank) for key, rank in ranking.ranks_of(keys).items()
        }
    fused = {}
    for key in keys:
        share = semantic_share(weights, question, query_language not in languages_of(key))
        fused[key] = (1.0 - share) * lexical_part.get(key, 0.0) + share * semantic_part.get(
            key, 0.0
        )
    return fused


def _scaled(lexical, ranking, keys, weights):
    """Each signal's scores on 0-1: text scores over the best, closeness from the reference
    record's (0) to the best's (1); each raised to its power."""
    best_lexical = max(lexical.values(), default=0.0)
    lexical_part = {key: _text_part(score, best_lexical, weights) for key, score in lexical.items()}
    reference, best = ranking.reference(weights.semantic_reference)
    spread = (best - reference) or 1.0
    semantic_part = {
        key: max(0.0, (score - reference) / spread) ** weights.semantic_power
        for key, score in ranking.scores_of(keys).items()
    }
    return lexical_part, semantic_part


def text_match_score(weights, score, best, rank):
    """The fused score of a record the text matched below the fused window (``rank``, its
    lexical rank; ``best``, the best text score): its lexical part alone, as if it were not
    among the records found by meaning."""
    share = 1.0 - weights.semantic
    if weights.method == "convex":
        return share * _text_part(score, best, weights)
    return share / (weights.k + rank)


def _text_part(score, best, weights):
    """A text score on 0-1: over the query's best text score, to ``lexical_power``."""
    return (score / (best or 1.0)) ** weights.lexical_power


_in_use = [DEFAULT]

# What ``evaluate_search`` compares: each signal alone, and fused.
LEXICAL_ONLY = Weights(semantic=0.0, cross_language=0.0, question=0.0)
SEMANTIC_ONLY = Weights(method="rrf", semantic=1.0, cross_language=1.0, question=0.0, depth=100_000)


def current():
    return _in_use[-1]


class weights_in_use:  # noqa: N801 - a context manager used like a function
    """Search with other weights within the block (evaluations, tests)."""

    def __init__(self, weights):
        self.weights = weights

    def __enter__(self):
        _in_use.append(self.weights)
        return self.weights

    def __exit__(self, *exc_info):
        _in_use.pop()
        return False


def corrected(query, corrections):
    """The query with each word the index does not hold replaced by its closest correction
    (``{word: [close words]}``): what the semantic ranking embeds, as a typo moves a vector."""
    if not corrections:
        return query
    return " ".join(
        corrections[word][0] if corrections.get(word) else word for word in tokens(query)
    )


def ranking_for(query):
    """The semantic ``Ranking`` of ``query`` under the weights in use, or None (lexical only:
    no model, no vectors, or switched off). A failure of the model leaves the search lexical,
    never an error page."""
    weights = current()
    if not (weights.semantic or weights.cross_language or weights.question):
        return None
    try:
        return semantic_query.rank(query)
    except Exception:  # noqa: BLE001 - semantic search is an addition, never a failure
        logger.exception("Semantic ranking failed for %r; lexical only", query[:80])
        return None
