"""``tune_fusion``'s pieces that need no database: the grid of weights, the split of each set's
queries, and a judged set's nDCG of fused rankings."""

import math

import pytest

from benchmarks.management.commands.tune_fusion import (
    CONVEX_ONLY,
    GRID,
    JudgedSet,
    combinations,
    split,
)
from search import fusion
from tests.semantic.test_fusion import FakeRanking


def test_the_grid_gives_each_distinct_combination_once():
    found = list(combinations())
    assert len(found) == len(set(found))
    rrf = [weights for weights in found if weights.method == "rrf"]
    convex = [weights for weights in found if weights.method == "convex"]
    shared = 1
    for name in ("semantic", "cross_language", "question", "depth"):
        shared *= len(GRID[name])
    assert len(rrf) == shared * len(GRID["k"])
    convex_only = 1
    for name in CONVEX_ONLY:
        convex_only *= len(GRID[name])
    assert len(convex) == shared * convex_only
    # Fields a method ignores keep the defaults, so they never make two equal weights differ.
    assert {tuple(getattr(weights, name) for name in CONVEX_ONLY) for weights in rrf} == {
        tuple(getattr(fusion.DEFAULT, name) for name in CONVEX_ONLY)
    }
    assert {weights.k for weights in convex} == {fusion.DEFAULT.k}


def test_each_kind_is_split_alternately_and_every_query_lands_once():
    queries = [{"id": f"q{n}", "kind": "a" if n < 5 else "b"} for n in range(8)]
    tuning, aside = split(queries)
    assert [query["id"] for query in tuning] == ["q0", "q2", "q4", "q5", "q7"]
    assert [query["id"] for query in aside] == ["q1", "q3", "q6"]


def test_a_judged_set_scores_the_fused_ranking_of_each_query():
    # One query: the text matches the wrong record, the model finds the judged one.
    judged = JudgedSet(
        name="tiny",
        queries=[{"id": "q1", "kind": "question"}],
        grades={"q1": {"right": 3}},
        found={
            "q1": {
                "lexical": {1: 5.0},
                "ranking": FakeRanking({1: 0.70, 2: 0.90, 3: 0.60, 4: 0.50}),
                "query_language": "ar",
                "question": True,
            }
        },
        languages={1: ("sv",), 2: ("sv",)},
        external_ids={1: "wrong", 2: "right", 3: "other", 4: "another"},
    )
    assert judged.ndcg(judged.queries, fusion.DEFAULT) == pytest.approx(1.0)
    # Words alone put the wrong record first, the judged one second (weightless, by key).
    assert judged.ndcg(judged.queries, fusion.LEXICAL_ONLY) == pytest.approx(1 / math.log2(3))
    assert judged.ndcg([], fusion.DEFAULT) == 0.0
