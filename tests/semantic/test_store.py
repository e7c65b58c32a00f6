"""The per-process vector store: int8 rows read from the database, grouped per record, each
record scored by its title-and-summary passage and its best passage, read again only when
``VectorState`` changes. Vectors here are made by hand (no model needed): what is tested is the
arithmetic, against a brute-force computation over the same rows."""

import uuid

import numpy as np
import pytest
from wagtail.models import Page

from semantic import embedder, pipeline, query
from semantic.models import PassageVector, VectorState
from semantic.store import HEAD_SHARE, PRIOR_ROWS, Store, get_store
from tests.semantic.support import dequantised, unit_vectors

pytestmark = pytest.mark.django_db

DIMENSIONS = embedder.DIMENSIONS


def axis(*weights):
    """A unit vector along the first axes, weighted."""
    vector = np.zeros(DIMENSIONS, dtype=np.float32)
    vector[: len(weights)] = weights
    return vector / np.linalg.norm(vector)


def add_rows(rows):
    """PassageVector rows of [(page, key, language, position, vector)], quantised as the
    pipeline stores them; returns them as saved."""
    quantised, scales = pipeline.quantise([vector for *_, vector in rows])
    return PassageVector.objects.bulk_create(
        PassageVector(
            page_id=page.pk,
            translation_key=key,
            language=language,
            position=position,
            text=f"{language} passage {position}",
            vector=row.tobytes(),
            scale=float(scale),
            model=embedder.MODEL,
        )
        for (page, key, language, position, _), row, scale in zip(
            rows, quantised, scales, strict=True
        )
    )


@pytest.fixture
def pages(site_tree):
    """Existing pages to hang vectors on (the store reads rows, whatever the page is)."""
    found = list(Page.objects.order_by("pk")[:6])
    assert len(found) == 6
    return found


# Quantisation --------------------------------------------------------------------------


def test_quantise_round_trip_is_within_half_a_step():
    vectors = unit_vectors(50, seed=1)
    vectors[0] = axis(1.0)  # one dominant component
    quantised, scales = pipeline.quantise(vectors)

    assert quantised.dtype == np.int8 and quantised.shape == vectors.shape
    assert np.allclose(scales, np.abs(vectors).max(axis=1) / 127.0)
    assert np.abs(quantised).max(axis=1).tolist() == [127] * 50  # each row's peak is ±127
    restored = quantised.astype(np.float32) * scales[:, None]
    error = np.abs(restored - vectors)
    assert (error <= scales[:, None] / 2 + 1e-7).all()
    assert error.max() > 0  # really rounded: the bound is not met trivially
    cosines = np.sum(restored * vectors, axis=1) / np.linalg.norm(restored, axis=1)
    assert cosines.min() > 0.999


def test_quantise_keeps_a_zero_vector_finite():
    quantised, scales = pipeline.quantise(np.zeros((1, DIMENSIONS)))
    assert not quantised.any()
    assert np.isfinite(scales).all() and scales[0] > 0


# Scores --------------------------------------------------------------------------------


def relative_cosines(rows, query_vector):
    """{row pk: cosine less its language's mean drawn towards the overall mean}."""
    cosines = {row.pk: float(dequantised(row) @ query_vector) for row in rows}
    overall = sum(cosines.values()) / len(cosines)
    relative = {}
    for language in {row.language for row in rows}:
        own = [cosines[row.pk] for row in rows if row.language == language]
        mean = (sum(own) + PRIOR_ROWS * overall) / (len(own) + PRIOR_ROWS)
        relative.update(
            {row.pk: cosines[row.pk] - mean for row in rows if row.language == language}
        )
    return relative


def brute_force(rows, query_vector):
    """{record key (int): score} computed row by row, as the store's docstring defines it."""
    by_record = {}
    relative = relative_cosines(rows, query_vector)
    for row in rows:
        cosine = relative[row.pk]
        entry = by_record.setdefault(row.translation_key.int, {"best": -2.0, "head": None})
        entry["best"] = max(entry["best"], cosine)
        if row.position == 0:
            entry["head"] = cosine if entry["head"] is None else max(entry["head"], cosine)
    return {
        key: HEAD_SHARE * (entry["head"] if entry["head"] is not None else entry["best"])
        + (1 - HEAD_SHARE) * entry["best"]
        for key, entry in by_record.items()
    }


def test_a_records_score_combines_its_head_and_its_best_passage(pages):
    query_vector = axis(1.0)
    about, detail, translated = uuid.uuid4(), uuid.uuid4(), uuid.uuid4()
    rows = add_rows(
        [
            # About the query as a whole: title and summary half-way there (0.71).
            (pages[0], about, "sv", 0, axis(1.0, 1.0)),
            (pages[0], about, "sv", 1, axis(0.0, 1.0)),
            # Title about something else (0), one passage exactly the query (1).
            (pages[1], detail, "sv", 0, axis(0.0, 1.0)),
            (pages[1], detail, "sv", 1, axis(1.0)),
            # Two translations: the Swedish title is the closer (0.8 against 0.2).
            (pages[2], translated, "sv", 0, axis(0.8, 0.6)),
            (pages[3], translated, "en", 0, axis(0.2, np.sqrt(1 - 0.04))),
        ]
    )
    ranking = get_store().rank(query_vector)
    scores = ranking.scores_of([about.int, detail.int, translated.int])
    # Every Swedish passage is shifted by the same amount (its language's mean), so the
    # differences between Swedish passages are the cosines' own.
    shift = 0.8 - scores[translated.int]
    assert scores[about.int] + shift == pytest.approx(np.sqrt(0.5), abs=0.01)
    assert scores[detail.int] + shift == pytest.approx(
        HEAD_SHARE * 0.0 + (1 - HEAD_SHARE) * 1.0, abs=0.01
    )
    assert scores == pytest.approx(brute_force(rows, query_vector), abs=1e-5)
    # The record closest as a whole ranks above the one with the single closest passage.
    assert [match.key for match in ranking.top(3)] == [translated.int, about.int, detail.int]
    # The passage shown for a record is its best one, in its own language.
    best = ranking.best(detail.int)
    assert best.passage == PassageVector.objects.get(page=pages[1], position=1).pk
    assert ranking.best(translated.int).language == "sv"


def test_passages_are_compared_within_their_language(pages):
    """The model scores every passage in the query's language higher, whatever it says: an
    English record off the topic must not outrank the Swedish one on it."""
    query_vector = axis(1.0)
    on_topic, off_topic = uuid.uuid4(), uuid.uuid4()
    layout = [(pages[0], on_topic, "sv", 0, axis(0.6, 0.8))]
    # Swedish passages about other things, and English ones all lifted alike.
    layout += [(pages[0], on_topic, "sv", position, axis(0.2, 1.0)) for position in (1, 2)]
    other_sv, other_en = uuid.uuid4(), uuid.uuid4()
    layout += [(pages[1], other_sv, "sv", position, axis(0.1, 1.0)) for position in range(6)]
    layout.append((pages[2], off_topic, "en", 0, axis(0.75, 0.66)))
    layout += [(pages[3], other_en, "en", position, axis(0.7, 0.71)) for position in range(6)]
    rows = add_rows(layout)
    raw = {row.translation_key.int: float(dequantised(row) @ query_vector) for row in rows}
    assert raw[off_topic.int] > raw[on_topic.int]  # the bias the store removes

    ranking = get_store().rank(query_vector)
    assert ranking.top(1)[0].key == on_topic.int
    assert ranking.ranks_of([off_topic.int])[off_topic.int] > 1
    keys = [key.int for key in {row.translation_key for row in rows}]
    assert ranking.scores_of(keys) == pytest.approx(brute_force(rows, query_vector), abs=1e-5)


def test_ranks_scores_and_top_agree_with_a_brute_force_computation(pages):
    keys = [uuid.uuid4() for _ in range(4)]
    layout = [  # (page, record, language, position)
        (pages[0], keys[0], "sv", 0),
        (pages[0], keys[0], "sv", 1),
        (pages[0], keys[0], "sv", 2),
        (pages[1], keys[1], "sv", 0),
        (pages[1], keys[1], "sv", 1),
        (pages[2], keys[1], "en", 0),
        (pages[2], keys[1], "en", 1),
        (pages[3], keys[2], "ar", 1),  # no title-and-summary passage: its best stands in
        (pages[3], keys[2], "ar", 2),
        (pages[4], keys[3], "fa", 0),
    ]
    vectors = unit_vectors(len(layout), seed=3)
    add_rows([(*place, vector) for place, vector in zip(layout, vectors, strict=True)])
    rows = list(PassageVector.objects.all())
    store = get_store()
    assert len(store) == 4
    assert sorted(store.record_keys) == sorted(key.int for key in keys)

    for seed in range(5):
        query_vector = unit_vectors(1, seed=100 + seed)[0]
        expected = brute_force(rows, query_vector)
        ranking = store.rank(query_vector)
        everyone = list(expected)

        assert ranking.scores_of(everyone) == pytest.approx(expected, abs=1e-5)
        order = sorted(everyone, key=lambda key: -expected[key])
        assert [match.key for match in ranking.top(10)] == order
        assert [match.key for match in ranking.top(2)] == order[:2]
        assert ranking.ranks_of(everyone) == {key: order.index(key) + 1 for key in everyone}
        for match in ranking.top(4):
            row = next(row for row in rows if row.pk == match.passage)
            assert row.translation_key.int == match.key
            assert match.language == row.language
            relative = relative_cosines(rows, query_vector)
            assert relative[row.pk] == pytest.approx(
                max(relative[r.pk] for r in rows if r.translation_key.int == match.key),
                abs=1e-5,
            )
        values = sorted(expected.values())
        for quantile in (0.5, 0.75, 1.0):
            reference, best = ranking.reference(quantile)
            assert best == pytest.approx(values[-1], abs=1e-5)
            # The score at the quantile, never the best record's own (the second best at most).
            at = min(int(quantile * len(values)), len(values) - 2)
            assert reference == pytest.approx(values[at], abs=1e-5) and reference < best

    unknown = uuid.uuid4().int
    assert ranking.ranks_of([unknown]) == {} and ranking.scores_of([unknown]) == {}
    assert ranking.best(unknown) is None


def test_tied_records_share_a_rank(pages):
    first, second, third = uuid.uuid4(), uuid.uuid4(), uuid.uuid4()
    add_rows(
        [
            (pages[0], first, "sv", 0, axis(1.0, 1.0)),
            (pages[1], second, "sv", 0, axis(1.0, 1.0)),
            (pages[2], third, "sv", 0, axis(1.0)),
        ]
    )
    ranking = get_store().rank(axis(1.0))
    assert ranking.ranks_of([first.int, second.int, third.int]) == {
        third.int: 1,
        first.int: 2,
        second.int: 2,
    }


def test_vectors_of_another_model_are_not_read(pages):
    add_rows([(pages[0], uuid.uuid4(), "sv", 0, axis(1.0))])
    PassageVector.objects.update(model="some-older-model")
    assert len(Store(VectorState.current())) == 0
    assert Store(VectorState.current()).rank(axis(1.0)) is None


# Reloading -----------------------------------------------------------------------------


def test_the_store_is_read_again_when_the_vector_state_changes_and_not_otherwise(
    pages, django_assert_num_queries
):
    add_rows([(pages[0], uuid.uuid4(), "sv", 0, axis(1.0))])
    VectorState.bump()
    store = get_store()
    assert len(store) == 1

    with django_assert_num_queries(1):  # the version only
        assert get_store() is store

    # A row written without a change of version is not seen (the pipeline always bumps).
    add_rows([(pages[1], uuid.uuid4(), "sv", 0, axis(0.0, 1.0))])
    assert get_store() is store and len(get_store()) == 1

    VectorState.bump()
    reloaded = get_store()
    assert reloaded is not store and len(reloaded) == 2
    assert get_store() is reloaded

    pipeline.forget([pages[1].pk])  # a page unpublished: its vectors go, the version changes
    assert len(get_store()) == 1


def test_a_query_is_not_embedded_without_vectors(site_tree, monkeypatch):
    def no_model(*args, **kwargs):
        raise AssertionError("the model was loaded for a store without vectors")

    monkeypatch.setattr(embedder, "get", no_model)
    assert len(get_store()) == 0
    assert query.rank("praktik") is None
    assert query.rank("   ") is None
