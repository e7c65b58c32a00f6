"""Autocomplete finds title words by prefix in a sorted word list; checked against a scan."""

import random
from datetime import UTC, datetime

from search.analysis import tokens
from search.autocomplete import _title_pages
from search.catalogue import Catalogue, Record
from search.facets import FACETS

WORDS = ["mentor", "mentorskap", "Mentorer", "språkcafé", "praktik", "nyanlända", "kvinnor"]


def catalogue_with_titles(size=300, seed=3):
    rng = random.Random(seed)
    records, page_records, titles = {}, {}, {}
    for key in range(1, size + 1):
        pages = {"sv": key * 10}
        if rng.random() < 0.5:
            pages["en"] = key * 10 + 1
        for page_id in pages.values():
            titles[page_id] = " ".join(rng.sample(WORDS, 3))
            page_records[page_id] = key
        records[key] = Record(
            key=key,
            type="practice",
            source_id=key * 10,
            source_language="sv",
            published=datetime(2024, 1, 1, tzinfo=UTC),
            pages=pages,
            facets={facet: frozenset() for facet in FACETS},
        )
    return Catalogue(1, records, page_records, {}, titles)


def scanned(catalogue, prefix, language):
    *complete, last = tokens(prefix)
    found = set()
    for record in catalogue.records.values():
        page_id = record.page_for(language)
        words = tokens(catalogue.titles[page_id])
        if all(w in words for w in complete) and any(w.startswith(last) for w in words):
            found.add(page_id)
    return found


def test_prefix_lookup_finds_what_a_scan_of_every_title_finds():
    catalogue = catalogue_with_titles()
    for prefix in ["ment", "mentorer", "MENTORS", "språ", "nyanlända kv", "praktik ment", "x"]:
        for language in ["sv", "en", "ar"]:
            expected = scanned(catalogue, prefix, language)
            assert _title_pages(catalogue, tokens(prefix), language) == expected, prefix
    assert _title_pages(catalogue, tokens("ment"), "sv")  # the check is not vacuous
    # A record's English title is found for English readers, its Swedish one for Arabic ones.
    assert all(page_id % 10 == 0 for page_id in _title_pages(catalogue, ["ment"], "ar"))
