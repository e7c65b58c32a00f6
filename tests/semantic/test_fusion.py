"""Fusion of the lexical and semantic signals (``search.fusion``): the scaled scores the search
runs with, and reciprocal-rank fusion (its first form, still a method); and the query's own
language (``search.analysis.query_language``): pure functions, no database."""

from dataclasses import dataclass

import pytest

from search import fusion
from search.analysis import query_language
from search.fusion import Weights, corrected, fuse, is_question, semantic_share

K = fusion.RRF_K


@dataclass
class Match:
    key: int


class FakeRanking:
    """A semantic ranking of ``scores`` ({key: cosine}), best first: only what ``fuse`` reads."""

    def __init__(self, scores):
        self.scores = scores
        self.order = sorted(scores, key=lambda key: -scores[key])

    def top(self, count):
        return [Match(key) for key in self.order[:count]]

    def ranks_of(self, keys):
        return {key: self.order.index(key) + 1 for key in keys if key in self.scores}

    def scores_of(self, keys):
        return {key: self.scores[key] for key in keys if key in self.scores}

    def reference(self, quantile=0.5):
        values = sorted(self.scores.values())
        return values[max(0, min(int(quantile * len(values)), len(values) - 2))], values[-1]


def swedish(key):
    return ("sv",)


def fused(lexical, cosines, *, language="sv", languages_of=swedish, question=False, **weights):
    """``fuse`` of ``lexical`` ({key: score}) and a ranking of ``cosines`` ({key: cosine});
    ``weights``: a ``Weights`` (``weights=``) or its fields (reciprocal-rank fusion unless
    ``method`` is given)."""
    return fuse(
        lexical,
        FakeRanking(cosines),
        query_language=language,
        languages_of=languages_of,
        question=question,
        weights=weights.pop("weights", None) or Weights(**{"method": "rrf", **weights}),
    )


# Scaled scores (the weights the search runs with) ----------------------------------------


def test_the_search_fuses_scaled_scores():
    assert fusion.DEFAULT.method == "convex"


def test_a_match_on_one_label_word_does_not_outrank_the_closest_record_by_meaning():
    # An Arabic question against Swedish records: "label" has one word of it in a translated
    # label (its text score is the best, as it is the only match) and is fairly close in
    # meaning; "meaning" is the closest record and shares no word with the question.
    cosines = {"meaning": 0.90, "label": 0.80, **{f"other-{n}": 0.60 + n / 100 for n in range(10)}}
    arguments = {"language": "ar", "question": True}

    scaled = fused({"label": 2.0}, cosines, weights=fusion.DEFAULT, **arguments)
    assert max(scaled, key=scaled.get) == "meaning"
    # Ranks gave the text match a second share whatever its score, and put it first.
    ranked = fused(
        {"label": 2.0}, cosines, method="rrf", semantic=0.3, cross_language=0.5, **arguments
    )
    assert max(ranked, key=ranked.get) == "label"


def test_scaled_scores_raise_each_signal_to_its_power_from_its_reference():
    weights = fusion.DEFAULT
    cosines = {"a": 0.90, "b": 0.85, "c": 0.80, **{f"other-{n}": 0.60 + n / 100 for n in range(9)}}
    scores = fused({"a": 4.0, "b": 1.0}, cosines, weights=weights)

    reference = 0.80  # the score at the 0.75 quantile of the twelve records
    assert FakeRanking(cosines).reference(weights.semantic_reference) == (reference, 0.90)
    share = weights.semantic  # Swedish records, a Swedish query, keywords
    lexical_b = (1.0 / 4.0) ** weights.lexical_power
    semantic_b = ((0.85 - reference) / (0.90 - reference)) ** weights.semantic_power
    assert scores["a"] == pytest.approx((1 - share) * 1.0 + share * 1.0)
    assert scores["b"] == pytest.approx((1 - share) * lexical_b + share * semantic_b)
    assert scores["c"] == pytest.approx(0.0)  # at the reference: as close as most
    assert scores["other-8"] == 0.0  # below it: no semantic part, and no text match


def test_a_text_match_below_the_window_keeps_its_lexical_part():
    convex = fusion.DEFAULT
    assert fusion.text_match_score(convex, 2.0, 4.0, 150) == pytest.approx(
        (1 - convex.semantic) * 0.5**convex.lexical_power
    )
    rrf = Weights(method="rrf", semantic=0.3)
    assert fusion.text_match_score(rrf, 2.0, 4.0, 150) == pytest.approx(0.7 / (rrf.k + 150))


# Reciprocal-rank fusion ------------------------------------------------------------------


def test_a_record_found_both_ways_beats_records_found_one_way():
    # "both" is second in each ranking; "words" first lexically only, "meaning" first
    # semantically only.
    scores = fused({"words": 9.0, "both": 5.0}, {"meaning": 0.9, "both": 0.8})

    assert max(scores, key=scores.get) == "both"
    assert scores["both"] == pytest.approx(1 / (K + 2))
    assert scores["words"] == pytest.approx((1 - fusion.SEMANTIC_SHARE) / (K + 1))
    assert scores["meaning"] == pytest.approx(fusion.SEMANTIC_SHARE / (K + 1))


def test_a_lexical_first_with_no_semantic_rank_is_kept():
    scores = fused({"only-words": 3.0}, {f"other-{n}": 0.9 - n / 100 for n in range(5)})

    assert scores["only-words"] == pytest.approx((1 - fusion.SEMANTIC_SHARE) / (K + 1))
    assert set(scores) == {"only-words", *(f"other-{n}" for n in range(5))}


def test_only_the_semantic_top_depth_is_found_by_meaning():
    semantic = {n: 1.0 - n / 100 for n in range(30)}
    scores = fused({29: 1.0}, semantic, depth=5)

    assert set(scores) == {0, 1, 2, 3, 4, 29}
    # A lexical match outside the semantic top still gets its semantic rank's share.
    assert scores[29] == pytest.approx(
        (1 - fusion.SEMANTIC_SHARE) / (K + 1) + fusion.SEMANTIC_SHARE / (K + 30)
    )


def test_lexical_ranks_follow_the_lexical_scores_not_the_insertion_order():
    scores = fused({"low": 1.0, "high": 8.0, "middle": 4.0}, {}, semantic=0.0)
    assert sorted(scores, key=scores.get, reverse=True) == ["high", "middle", "low"]
    assert scores["high"] == pytest.approx(1 / (K + 1))


def test_the_cross_language_share_applies_only_to_records_not_in_the_querys_language():
    languages = {"sv-only": ("sv",), "translated": ("sv", "ar")}
    semantic = {"sv-only": 0.9, "translated": 0.8}
    scores = fused({}, semantic, language="ar", languages_of=languages.get)

    assert scores["sv-only"] == pytest.approx(fusion.CROSS_LANGUAGE_SHARE / (K + 1))
    assert scores["translated"] == pytest.approx(fusion.SEMANTIC_SHARE / (K + 2))
    # The same query in Swedish: both records can be read in it.
    in_swedish = fused({}, semantic, language="sv", languages_of=languages.get)
    assert in_swedish["sv-only"] == pytest.approx(fusion.SEMANTIC_SHARE / (K + 1))


def test_a_record_of_unknown_languages_counts_as_another_language():
    scores = fused({}, {"unknown": 0.9}, languages_of=lambda key: ())
    assert scores["unknown"] == pytest.approx(fusion.CROSS_LANGUAGE_SHARE / (K + 1))


def test_a_question_adds_its_share():
    plain = fused({"a": 1.0}, {"a": 0.9})
    question = fused({"a": 1.0}, {"a": 0.9}, question=True)
    share = fusion.SEMANTIC_SHARE + fusion.QUESTION_SHARE
    assert question["a"] == pytest.approx((1 - share) / (K + 1) + share / (K + 1))
    assert plain["a"] == pytest.approx(1 / (K + 1))


@pytest.mark.parametrize(
    ("weights", "question", "cross_language", "share"),
    [
        (Weights(semantic=0.3, question=0.1), False, False, 0.3),
        (Weights(semantic=0.3, question=0.1), True, False, 0.4),
        (Weights(cross_language=0.5, question=0.1), True, True, 0.6),
        (Weights(semantic=1.5), False, False, 1.0),
        (Weights(cross_language=0.95, question=0.2), True, True, 1.0),
        (Weights(semantic=-0.4), False, False, 0.0),
        (Weights(semantic=0.1, question=-0.5), True, False, 0.0),
    ],
)
def test_shares_are_clamped_to_zero_and_one(weights, question, cross_language, share):
    assert semantic_share(weights, question, cross_language) == pytest.approx(share)


def test_a_share_above_one_leaves_no_lexical_weight():
    scores = fused({"words": 1.0}, {"meaning": 0.9}, semantic=2.0)
    assert scores["words"] == 0.0
    assert scores["meaning"] == pytest.approx(1 / (K + 1))


def test_lexical_only_weights_leave_the_lexical_order():
    scores = fused({"a": 2.0, "b": 1.0}, {"b": 0.9, "c": 0.8}, weights=fusion.LEXICAL_ONLY)
    assert scores["a"] == pytest.approx(1.0)
    assert scores["b"] == pytest.approx(0.5**fusion.LEXICAL_ONLY.lexical_power)
    assert scores["c"] == 0.0  # found by meaning, but weightless


def test_the_convex_method_scales_each_signal():
    scores = fused(
        {"a": 10.0, "b": 5.0},
        {"a": 0.80, "b": 0.90, "c": 0.85},
        method="convex",
        semantic=0.5,
        lexical_power=1.0,
        semantic_reference=0.5,
        semantic_power=1.0,
    )
    # lexical: a 1, b 0.5; semantic from the median (0.85) to the best (0.90): b 1, c 0, a 0.
    assert scores["a"] == pytest.approx(0.5)
    assert scores["b"] == pytest.approx(0.5 * 0.5 + 0.5 * 1.0)
    assert scores["c"] == pytest.approx(0.0)


def test_weights_in_use_nest_and_restore():
    assert fusion.current() == fusion.DEFAULT
    with fusion.weights_in_use(fusion.LEXICAL_ONLY):
        assert fusion.ranking_for("praktik") is None  # lexical only: no model asked
        with fusion.weights_in_use(fusion.SEMANTIC_ONLY) as inner:
            assert fusion.current() is inner
        assert fusion.current() is fusion.LEXICAL_ONLY
    assert fusion.current() == fusion.DEFAULT


# Questions -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "Hur hittar jag praktik",  # Swedish question word
        "Var finns språkcafé?",
        "praktik äldreomsorg?",  # a question mark makes it one
        "how do I find an internship",
        "What is a language café",
        "چگونه کار پیدا کنم",  # Dari: how do I find work
        "کجا زبان سویدنی یاد بگیرم",  # Dari: where do I learn Swedish
        "هل يوجد مقهى لغة",  # Arabic: is there a language café
        "ماذا أفعل بعد الإقامة",  # Arabic: what do I do after the residence permit
        "عمل في السويد؟",  # Arabic question mark
        "praktik för nyanlända inom vården i Arvika",  # six words or more: a sentence
    ],
)
def test_questions_are_told_from_keywords(text):
    assert is_question(text)


@pytest.mark.parametrize(
    "text",
    [
        "språkcafé Karlstad",
        "internship elderly care",
        "praktik",
        "کار سوئد",
        "عمل السويد",
        "",
    ],
)
def test_keyword_queries_are_not_questions(text):
    assert not is_question(text)


@pytest.mark.parametrize(
    "text",
    [
        "كيف أجد عملا",  # Arabic: how do I find work
        "أين أتعلم السويدية",  # Arabic: where do I learn Swedish
        "متى أبدأ العمل",  # Arabic: when do I start work
        "آیا کار هست",  # Dari: is there work
    ],
)
def test_question_words_in_arabic_letters_make_a_question(text):
    assert is_question(text)


# Corrections ---------------------------------------------------------------------------


def test_corrected_replaces_each_corrected_word_by_its_first_correction():
    assert corrected("sprakcafe i Karlstad", {"sprakcafe": ["språkcafé", "språkcafe"]}) == (
        "språkcafé i karlstad"
    )
    # A word whose corrections are empty stays.
    assert corrected("mentr program", {"mentr": []}) == "mentr program"


def test_corrected_without_corrections_is_the_query_itself():
    assert corrected("Språkcafé i Karlstad?", {}) == "Språkcafé i Karlstad?"
    assert corrected("Språkcafé i Karlstad?", None) == "Språkcafé i Karlstad?"


# The query's language ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "language"),
    [
        ("praktik för nyanlända", "sv"),
        ("Hur startar jag ett eget företag?", "sv"),
        ("internship while waiting for asylum decision", "en"),
        ("how do I find a language café", "en"),
        ("كيف أجد عملا", "ar"),
        ("كيف أبدأ شركتي الخاصة؟", "ar"),
        ("چگونه کار پیدا کنم", "fa"),
        ("چگونه شرکت خودم را راه اندازی کنم؟", "fa"),
    ],
)
def test_query_language_is_read_from_the_query(text, language):
    assert query_language(text) == language


def test_query_language_of_a_query_without_letters_is_the_fallback():
    assert query_language("2024") == "sv"
    assert query_language("?!", fallback="en") == "en"
