"""The in-memory steps of a search: folding page hits into records, ordering, facet counts.

These take shortcuts for speed on big result sets (records as bitsets, partial sorts, hits in
any order); each is checked here against the plain way of doing the same thing.
"""

import random
from collections import Counter
from datetime import UTC, date, datetime, timedelta

import pytest

from search.backends.postgres import distinct_alternatives
from search.bitsets import Scores
from search.catalogue import Catalogue, Record
from search.facets import FACETS

ACTIVITIES = ["mentorship", "internship", "language-training", "health-promotion"]
REGIONS = ["03", "08", "13", "17"]


def make_catalogue(size, seed=7):
    rng = random.Random(seed)
    records, page_records = {}, {}
    for key in range(1, size + 1):
        source_id = key * 10
        pages = {"sv": source_id}
        if rng.random() < 0.4:
            pages["en"] = source_id + 1
        record = Record(
            key=key,
            type=rng.choice(["practice", "method", "report"]),
            source_id=source_id,
            source_language="sv",
            published=datetime(2020, 1, 1, tzinfo=UTC) + timedelta(days=rng.randrange(900)),
            start_date=rng.choice([None, date(2018 + rng.randrange(6), 1, 1)]),
            pages=pages,
            facets={
                "type": frozenset(),
                "activity_type": frozenset(rng.sample(ACTIVITIES, rng.randint(0, 2))),
                "target_group": frozenset(["new-arrivals"] if rng.random() < 0.7 else []),
                "region": frozenset([rng.choice(REGIONS)]),
                "municipality": frozenset(),
                "municipality_group": frozenset(),
                "year": frozenset(),
                "checked": frozenset([str(2020 + rng.randrange(6))]),
                "language": frozenset(pages),
            },
        )
        records[key] = record
        for page_id in pages.values():
            page_records[page_id] = key
    return Catalogue(1, records, page_records, {}, {})


def plain_counts(records, filters):
    """Each facet counted over the records passing every other facet's filter."""
    counts = {facet: Counter() for facet in FACETS}
    for facet in FACETS:
        for record in records:
            if passes(record, filters, skip=facet):
                counts[facet].update(record.facets[facet])
    return {facet: dict(found) for facet, found in counts.items()}


def full_order(records, scores, sort):
    if sort == "newest" or not scores:
        return sorted(records, key=lambda r: r.newest_order)
    return sorted(records, key=lambda r: (-scores[r.key], r.newest_order))


def test_record_scores_keep_each_records_best_page_whatever_the_order():
    catalogue = make_catalogue(50)
    rng = random.Random(1)
    hits = [(page_id, rng.choice([0.1, 0.5, 0.9])) for page_id in catalogue.page_records]
    hits.append((999_999, 5.0))  # a page search may not show (a draft): dropped
    expected = {}
    for page_id, score in hits:
        key = catalogue.page_records.get(page_id)
        if key is not None:
            expected[key] = max(score, expected.get(key, 0.0))
    index = catalogue.index()
    for _ in range(3):
        rng.shuffle(hits)
        scores = index.scores(hits)
        assert {index.records[position].key: score for position, score in scores.items()} == (
            expected
        )
        # Every record once, best score first: the order ``best`` walks.
        assert sorted(scores.ranked) == sorted(scores)
        ranked_scores = [scores[position] for position in scores.ranked]
        assert ranked_scores == sorted(ranked_scores, reverse=True)


def passes(record, filters, skip=None):
    return all(record.facets[f] & v for f, v in filters.items() if f != skip)


def window(index, bits, scores, sort, page, size):
    start, end = (page - 1) * size, page * size
    if sort == "newest" or not scores:
        return index.newest(bits, start, end)
    by_position = Scores.of({index.positions[key]: score for key, score in scores.items()})
    found = index.best(bits, by_position, start, end)
    assert all(score == scores[record.key] for record, score in found)
    return [record for record, _score in found]


@pytest.mark.parametrize("sort", ["relevance", "newest"])
@pytest.mark.parametrize("page", [1, 2, 7, 41])
def test_partial_sort_gives_the_pages_of_a_full_sort_even_with_ties(sort, page):
    catalogue = make_catalogue(400)
    index = catalogue.index()
    records = list(catalogue.records.values())
    rng = random.Random(page)
    # Few distinct scores, as PostgreSQL's ts_rank gives for a common word: many ties.
    scores = {record.key: rng.choice([0.2, 0.4, 0.4, 0.8]) for record in records}
    found = window(index, index.of(scores), scores, sort, page, 10)
    assert found == full_order(records, scores, sort)[(page - 1) * 10 : page * 10]
    assert (page == 41) == (found == [])  # past the last page: nothing


def test_partial_sort_with_distinct_scores_and_a_filter():
    catalogue = make_catalogue(300)
    index = catalogue.index()
    filters = {"region": frozenset({"03", "08"})}
    # Only some records matched the query; the filter narrows them further.
    scores = {
        record.key: random.Random(record.key).random()
        for record in catalogue.records.values()
        if record.key % 3
    }
    bits = index.filtered(index.of(scores), filters)
    expected = [catalogue.records[key] for key in scores if passes(catalogue.records[key], filters)]
    assert bits.bit_count() == len(expected)
    assert (
        window(index, bits, scores, "relevance", 1, 20)
        == full_order(expected, scores, "relevance")[:20]
    )
    assert window(index, bits, scores, "newest", 2, 20) == full_order(expected, {}, "newest")[20:40]


def test_unknown_keys_and_an_empty_set():
    catalogue = make_catalogue(50)
    index = catalogue.index()
    assert index.of([10_000, 20_000]) == 0
    assert index.of([3, 10_000]).bit_count() == 1
    assert index.newest(0, 0, 10) == []
    assert index.best(0, Scores.of({3: 1.0}), 0, 10) == []
    assert index.scores([(999_999, 1.0)]) == {}
    assert all(not counts for counts in index.counts(0, {}).values())


@pytest.mark.parametrize(
    "filters",
    [
        {},
        {"activity_type": frozenset({"mentorship"})},
        {"activity_type": frozenset({"mentorship", "internship"}), "region": frozenset({"03"})},
        {"region": frozenset({"99"})},  # a value no record has
    ],
)
def test_facet_counts_leave_out_each_facets_own_filter(filters):
    catalogue = make_catalogue(300)
    index = catalogue.index()
    records = list(catalogue.records.values())[:200]
    counts = index.counts(index.of(record.key for record in records), filters)
    assert counts == plain_counts(records, filters)
    matching = index.filtered(index.all, filters)
    assert matching.bit_count() == sum(1 for r in catalogue.records.values() if passes(r, filters))


def test_distinct_alternatives_drops_repeated_lexemes_only_from_plain_alternatives():
    assert distinct_alternatives("'mentor' | 'mentor' | 'mentorn' | 'mentor'") == (
        "'mentor' | 'mentorn'"
    )
    assert distinct_alternatives("'o''brien' | 'o''brien'") == "'o''brien'"
    # Anything else (phrases from hyphenated words, prefixes) is left as PostgreSQL wrote it.
    phrase = "'e' <-> 'handel' | 'e' <-> 'handel'"
    assert distinct_alternatives(phrase) == phrase
    assert distinct_alternatives("") == ""
