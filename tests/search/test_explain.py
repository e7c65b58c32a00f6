"""Partial matches of compound words: a common part alone does not make a match, a rarer part
does but ranks below the whole word, and the result says which part matched."""

import pytest

from search import fusion
from tests.helpers import record, run_import
from tests.semantic.support import search

pytestmark = pytest.mark.django_db


@pytest.fixture
def apprenticeships(site_tree):
    result = run_import(
        record(
            external_id="t-whole",
            title="Lärlingsplatser inom vården",
            summary="Nyanlända får en lärlingsplats med handledare.",
        ),
        record(
            external_id="t-part",
            title="Lärling på verkstaden",
            summary="En lärling arbetar med en erfaren mekaniker.",
        ),
        record(
            external_id="t-common",
            title="Parkering vid stationen",
            summary="Det finns en plats för cykeln och en plats för bilen.",
        ),
    )
    assert not result.rejections, result.rejections


def ids(outcome):
    return [result.external_id for result in outcome.results]


def test_the_whole_word_ranks_above_a_part_and_a_common_part_alone_is_no_match(apprenticeships):
    with fusion.weights_in_use(fusion.LEXICAL_ONLY):
        outcome = search("lärlingsplats")
    # "plats" is too common a word to find records alone; "lärling" is not.
    assert ids(outcome) == ["t-whole", "t-part"]


def test_a_partial_match_names_the_part_that_matched(apprenticeships):
    with fusion.weights_in_use(fusion.LEXICAL_ONLY):
        whole, part = search("lärlingsplats").results
    assert whole.found_by is None and whole.parts == []
    assert part.found_by == "part"
    assert part.parts == [("lärlingsplats", ["lärling"])]


def test_the_search_page_explains_a_partial_match(apprenticeships, client):
    with fusion.weights_in_use(fusion.LEXICAL_ONLY):
        response = client.get("/en/search/", {"q": "lärlingsplats"})
    html = response.content.decode()
    assert response.status_code == 200
    assert "Matches only part of “lärlingsplats”: lärling." in html
    assert html.count('class="match-note"') == 1
