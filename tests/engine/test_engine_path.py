"""The engine answers a search whole: folding, facets, filters, order, paging, typos, empty
results and suggestions, with no snapshot of the records in the worker."""

import json

import pytest
from django.test import TestCase

from practices.models import PracticePage
from search import catalogue, service
from search.backends import record_query
from tests.helpers import record, run_import
from tests.search.conftest import run_search

pytestmark = pytest.mark.django_db(transaction=False)


def publish(*records):
    with TestCase.captureOnCommitCallbacks(execute=True):
        result = run_import(*records)
    assert not result.rejections, result.rejections
    return result


def engine_search(*args, **kwargs):
    outcome = run_search(*args, **kwargs)
    assert not outcome.degraded and not outcome.failed, "the engine did not answer"
    return outcome


def translated(external_id, title, **fields):
    """A Swedish record with an English translation of its title and summary."""
    return record(
        external_id=external_id,
        title=title,
        translations={
            "en": {
                "title": f"{title} (in English)",
                "summary": "Meetings where newcomers practise Swedish with volunteers.",
            }
        },
        **fields,
    )


def test_searches_and_suggestions_hold_no_record_in_the_worker(engine, site_tree, client):
    publish(
        translated("e-cafe", "Språkcafé i Sunne", activity_types=["language-training"]),
        record(
            external_id="e-mentor",
            title="Mentorer för nyanlända",
            activity_types=["mentorship"],
            start_date="2023-01-01",
        ),
    )
    catalogue.clear()

    hit = engine_search("språkcafé", "en")
    assert [(result.external_id, result.language) for result in hit.results] == [("e-cafe", "en")]
    everything = engine_search()
    assert everything.count == 2 and everything.facets["type"]["practice"] == 2
    assert [result.external_id for result in engine_search(sort="newest").results][0] == "e-mentor"
    assert engine_search(activity_type="mentorship").count == 1
    empty = engine_search("språkcafé", activity_type="mentorship")
    assert empty.count == 0
    assert empty.relaxations == [("activity_type", "mentorship", 1)]
    assert dict(empty.available_activity_types) == {"language-training": 1, "mentorship": 1}
    response = client.get("/api/search/autocomplete/?q=spr&lang=en")
    suggestions = json.loads(response.content)["suggestions"]
    assert {"label": "Språkcafé i Sunne (in English)", "kind": "title"} in [
        {key: item[key] for key in ("label", "kind")} for item in suggestions
    ]

    assert catalogue._current is None, "a search read the records' snapshot"


def test_a_record_counts_once_and_shows_in_the_readers_language(engine, site_tree):
    publish(translated("e-cafe", "Språkcafé i Sunne", municipalities=["1780"]))
    # The query matches both pages: one record, counted once in every facet.
    outcome = engine_search("volontärer volunteers", "en")
    assert outcome.count == 1
    assert [result.language for result in outcome.results] == ["en"]
    assert outcome.facets["municipality"] == {"1780": 1}
    assert outcome.facets["language"] == {"sv": 1, "en": 1}


def test_a_record_found_only_by_its_translation_is_counted_by_its_lead_page(engine, site_tree):
    """Records are counted as their lead pages, which carry their translations' text: a word
    only in the English translation still counts the record, once, in every facet; once the
    translation is unpublished, the word finds nothing."""
    publish(
        translated("e-cafe", "Språkcafé i Sunne", municipalities=["1780"]),
        record(external_id="e-alone", title="Läxhjälp i Lerum", municipalities=["1441"]),
    )
    outcome = engine_search("volunteers", "sv")
    assert outcome.count == 1
    assert [result.external_id for result in outcome.results] == ["e-cafe"]
    assert outcome.facets["municipality"] == {"1780": 1}
    assert outcome.facets["language"] == {"sv": 1, "en": 1}
    english_page = PracticePage.objects.get(external_id="e-cafe", locale__language_code="en")
    with TestCase.captureOnCommitCallbacks(execute=True):
        english_page.unpublish()
    gone = engine_search("volunteers", "sv")
    assert gone.count == 0 and gone.results == []


def test_a_records_fields_follow_its_facets_within_the_request(engine, site_tree):
    publish(translated("e-cafe", "Språkcafé i Sunne", activity_types=["language-training"]))
    assert engine_search(activity_type="language-training").count == 1
    # Imported again with another activity type: both its pages carry the new one.
    publish(translated("e-cafe", "Språkcafé i Sunne", activity_types=["mentorship"]))
    assert engine_search(activity_type="language-training").count == 0
    english = engine_search("cafe", "en", activity_type="mentorship")
    assert [result.language for result in english.results] == ["en"]
    # The translation unpublished: readers of English see the Swedish page, and the record is
    # no longer counted as readable in English.
    english_page = PracticePage.objects.get(external_id="e-cafe", locale__language_code="en")
    with TestCase.captureOnCommitCallbacks(execute=True):
        english_page.unpublish()
    outcome = engine_search("språkcafé", "en")
    assert [result.language for result in outcome.results] == ["sv"]
    assert outcome.facets["language"] == {"sv": 1}


def test_pages_beyond_the_engines_window_are_empty_not_an_error(engine, site_tree):
    publish(record(external_id="e-cafe"))
    backend = service.backend()
    backend.max_result_window = 10
    outcome = engine_search(page=2, page_size=10)
    assert outcome.count == 1 and outcome.results == []


def test_one_request_answers_a_search(engine, site_tree, monkeypatch):
    publish(record(external_id="e-cafe", municipalities=["1780"]))
    sent = []
    backend = service.backend()
    original = backend._send_search
    monkeypatch.setattr(
        backend, "_send_search", lambda index, body: sent.append(body) or original(index, body)
    )
    outcome = engine_search("språkcafé", municipality="1780")
    assert outcome.count == 1
    (body,) = sent
    assert body["collapse"] == {"field": record_query.RECORD_KEY}
    assert body["post_filter"] == {
        "bool": {"filter": [{"terms": {"record_municipality": ["1780"]}}]}
    }
