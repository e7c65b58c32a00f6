"""Our OpenSearch backend on real nodes: the index as created, pages entering and leaving it as
editors work, a bulk rebuild, and the cluster losing a node, then every node.

The node-loss tests need ``SEARCH_CLUSTER_STATE`` (``make test-engine``); they run last in
this module, the one that stops every node at the very end.
"""

import io
import time
from pathlib import Path

import pytest
from django.core.management import call_command
from django.test import TestCase
from wagtail.models import Page, PageViewRestriction

from practices.models import PracticeIndexPage, PracticePage
from search.catalogue import searchable_pages
from tests.helpers import record, run_import
from tests.search.conftest import run_search

from .conftest import indexed_ids, page_index, rebuild_facets

pytestmark = pytest.mark.django_db(transaction=False)

REPO = Path(__file__).resolve().parents[2]
DEV_CORPUS = REPO.parent / "shared" / "eval" / "search-dev" / "corpus.jsonl"


def publish(*records):
    with TestCase.captureOnCommitCallbacks(execute=True):
        result = run_import(*records)
    assert not result.rejections, result.rejections
    rebuild_facets()
    return result


def sv_page(external_id):
    return PracticePage.objects.get(external_id=external_id, locale__language_code="sv")


def found(query, lang="sv"):
    outcome = run_search(query, lang)
    assert not outcome.degraded and not outcome.failed, "the engine did not answer"
    return [result.external_id for result in outcome.results]


def test_the_index_has_our_analysis_mappings_and_replica(engine, site_tree):
    publish(record(external_id="e-cafe", title="Språkcafé i Sunne"))
    index = page_index(engine)
    name = next(iter(engine.es.indices.get(index=index.name)))
    settings = engine.es.indices.get_settings(index=index.name)[name]["settings"]["index"]
    assert settings["number_of_replicas"] == "1"
    analyzers = settings["analysis"]["analyzer"]
    assert {"swedish_text", "english_text", "arabic_text", "persian_text"} <= set(analyzers)
    mapping = engine.es.indices.get_mapping(index=index.name)[name]["mappings"]
    properties = mapping["properties"]
    assert properties["_all_text_boost_2_0"]["fields"]["ar"]["analyzer"] == "arabic_text"
    assert "fields" not in properties["_all_text"]  # its forms are indexed by search itself

    def analysed(analyzer, text, index=None):
        body = {"analyzer": analyzer, "text": text}
        response = engine.es.indices.analyze(index=index, body=body)
        return [token["token"] for token in response["tokens"]]

    # The engine's own language analysers (analysis-common) are there...
    assert analysed("swedish", "arbetsmarknaden för nyanlända") == ["arbetsmarknad", "nyanländ"]
    assert analysed("english", "mentors working") == ["mentor", "work"]
    assert analysed("arabic", "العمل") == ["عمل"]
    # Persian normalisation writes the Persian keheh as the Arabic kaf.
    assert analysed("persian", "\u06a9\u0627\u0631\u0647\u0627") == [
        "\u0643\u0627\u0631\u0647\u0627"
    ]
    # ...and so are ours, built from them.
    assert "språk" in analysed("swedish_text", "språkcaféet", index=name)
    # Arabic and Persian spellings of a letter analyse alike (kaf and keheh here).
    assert analysed("persian_text", "كار", index=name) == analysed(
        "persian_text", "کار", index=name
    )


def test_publish_unpublish_move_and_delete_show_within_the_request(engine, site_tree):
    publish(record(external_id="e-cafe", title="Språkcafé i Sunne"))
    # No refresh by the test: the request that published it made it searchable.
    assert found("språkcafé") == ["e-cafe"]

    page = sv_page("e-cafe")
    page.unpublish()
    assert found("språkcafé") == []
    assert page.pk in indexed_ids(engine)  # indexed as a draft, never returned

    page.get_latest_revision().publish()
    assert found("språkcafé") == ["e-cafe"]

    # Moved under a section nobody may read: gone from search.
    practices = PracticeIndexPage.objects.get(locale__language_code="sv")
    private = practices.add_child(instance=PracticeIndexPage(title="Internt", slug="internt"))
    PageViewRestriction.objects.create(page=private, restriction_type="login")
    Page.objects.get(pk=page.pk).move(private, pos="last-child")
    rebuild_facets()
    assert found("språkcafé") == []

    Page.objects.get(pk=page.pk).delete()
    assert page.pk not in indexed_ids(engine)


def test_a_section_moved_under_a_restriction_takes_its_pages_out_of_search(engine, site_tree):
    publish(record(external_id="e-cafe", title="Språkcafé i Sunne"))
    assert found("språkcafé") == ["e-cafe"]
    practices = PracticeIndexPage.objects.get(locale__language_code="sv")
    home = practices.get_parent()
    private = home.add_child(instance=PracticeIndexPage(title="Internt", slug="internt"))
    PageViewRestriction.objects.create(page=private, restriction_type="login")
    # The section moves; the practice under it changes path with it, without a save of its own.
    with TestCase.captureOnCommitCallbacks(execute=True):
        Page.objects.get(pk=practices.pk).move(private, pos="last-child")
    assert found("språkcafé") == []


def test_drafts_are_never_returned_and_restricted_pages_never_shown(engine, site_tree):
    publish(
        record(external_id="e-open", title="Läxhjälp i Borås"),
        record(external_id="e-closed", title="Läxhjälp för personal"),
    )
    PageViewRestriction.objects.create(page=sv_page("e-closed"), restriction_type="login")
    draft = sv_page("e-open").copy(update_attrs={"slug": "utkast", "title": "Läxhjälp utkast"})
    draft.unpublish()
    rebuild_facets()
    assert found("läxhjälp") == ["e-open"]
    hits = dict(engine.ranked(("läxhjälp",), searchable_pages()))
    assert draft.pk not in hits


def test_update_index_indexes_the_dev_corpus_in_bulk(engine, site_tree):
    if not DEV_CORPUS.is_file():
        pytest.skip(f"{DEV_CORPUS} is not here")
    with TestCase.captureOnCommitCallbacks(execute=True):
        call_command("import_content", str(DEV_CORPUS), verbosity=0)
    started = time.monotonic()
    call_command("update_index", stdout=io.StringIO(), stderr=io.StringIO())
    took = time.monotonic() - started
    live = set(searchable_pages().values_list("pk", flat=True))
    assert live and live <= indexed_ids(engine), "a live page is missing from the engine"
    assert took < 120
    assert found("mentor")  # the rebuilt index answers
    # Built without refreshes or replicas, then given its own settings back, its replicas
    # copied before the alias moved to it.
    index = page_index(engine)
    [name] = engine.es.indices.get_alias(name=index.name)
    assert name != index.name
    settings = engine.es.indices.get_settings(index=name)[name]["settings"]["index"]
    assert settings["number_of_replicas"] == "1"
    assert settings.get("refresh_interval") in (None, "1s")
    assert engine.es.cluster.health(index=name)["status"] == "green"
