"""search.backends.elasticsearch against a real cluster; skipped unless ELASTICSEARCH_URL is set.

    ELASTICSEARCH_URL=http://localhost:9200 .venv/bin/pytest tests/search -m elasticsearch_live

Each test creates its own index (a unique prefix), imports a few records, searches, and deletes
every index with that prefix afterwards. What this checks that the HTTP tests cannot: that the
server accepts the headers, the analysis settings and the mapping; that ``copy_to`` fills the
language sub-fields; and that ``ranked()`` and the service find Swedish and English pages.
"""

import os
import uuid

import pytest
from django.http import QueryDict
from wagtail.models import Page

from home.site_tree import ensure_site_tree
from practices.models import CONTENT_PAGE_MODELS, PracticePage
from search import catalogue, facets, service
from search.catalogue import searchable_pages
from search.params import parse
from tests.helpers import record, run_import

ELASTICSEARCH_URL = os.environ.get("ELASTICSEARCH_URL", "")

pytestmark = [
    pytest.mark.elasticsearch_live,
    pytest.mark.skipif(not ELASTICSEARCH_URL, reason="ELASTICSEARCH_URL is not set"),
]

RECORDS = [
    record(
        external_id="live-cafe",
        title="Språkcafé i Sunne",
        summary="Träffar där nyanlända övar svenska med volontärer.",
        activity_types=["language-training"],
        target_groups=["new-arrivals"],
        municipalities=["1766"],
        translations={
            "en": {
                "title": "Language café in Sunne",
                "summary": "New arrivals practise Swedish with volunteers.",
            }
        },
    ),
    record(
        external_id="live-health",
        title="Hälsoskola för asylsökande i Växjö",
        summary="Gruppträffar om hälsa och vård på modersmål.",
        activity_types=["health-promotion"],
        target_groups=["asylum-seekers"],
        municipalities=["0780"],
        translations={
            "en": {
                "title": "Health school for asylum seekers in Växjö",
                "summary": "Group meetings about health and care in participants' languages.",
            }
        },
    ),
]


@pytest.fixture
def live_backend(db, settings):
    # Settings first: every page saved from here on (the site tree too) is indexed under the
    # test's own prefix, never into the index ELASTICSEARCH_INDEX_PREFIX names.
    prefix = f"test_{uuid.uuid4().hex[:12]}_"
    settings.WAGTAILSEARCH_BACKENDS = {
        "default": {
            "BACKEND": "search.backends.elasticsearch",
            "URLS": [ELASTICSEARCH_URL],
            "INDEX_PREFIX": prefix,
            "TIMEOUT": 10.0,
            "OPTIONS": {"max_retries": 0, "retry_on_timeout": False},
        },
        "database": settings.DATABASE_SEARCH_BACKEND,
    }
    service.reset_backends()
    catalogue.clear()
    backend = service.backend()
    try:
        index = backend.get_index_for_model(Page)
        index.put()  # the server validates our analysis settings here
        for model in (Page, *CONTENT_PAGE_MODELS):
            index.add_model(model)  # and the mapping, sub-fields included, here
        ensure_site_tree()
        result = run_import(*RECORDS)  # indexed into Elasticsearch on save
        assert not result.rejections, result.rejections
        index.refresh()
        facets.rebuild()
        yield backend
    finally:
        service.reset_backends()
        catalogue.clear()
        for name in backend.es.indices.get(index=f"{prefix}*", expand_wildcards="all"):
            backend.es.indices.delete(index=name)


def page(external_id, language):
    return PracticePage.objects.get(external_id=external_id, locale__language_code=language)


def params(query, language):
    return parse(QueryDict(f"q={query}&lang={language}"), catalogue.get_catalogue())


@pytest.mark.django_db
def test_server_is_8_or_9_and_accepts_the_index(live_backend):
    major = int(live_backend.es.info()["version"]["number"].split(".")[0])
    assert major in (8, 9)
    name = live_backend.get_index_for_model(Page).name
    mapping = live_backend.es.indices.get_mapping(index=name)[name]["mappings"]
    assert (
        mapping["properties"]["_all_text_boost_2_0"]["fields"]["sv"]["analyzer"] == "swedish_text"
    )


@pytest.mark.django_db
def test_copy_to_fills_the_language_subfields(live_backend):
    name = live_backend.get_index_for_model(Page).name
    response = live_backend.es.search(
        index=name, query={"match": {"_all_text_boost_2_0.sv": "språkcaféerna"}}, _source=False
    )
    ids = {int(hit["_id"]) for hit in response["hits"]["hits"]}
    assert page("live-cafe", "sv").pk in ids


@pytest.mark.django_db
def test_swedish_query(live_backend):
    cafe = page("live-cafe", "sv")

    outcome = service.run(params("språkcafé", "sv"))
    assert outcome.degraded is False
    assert outcome.results[0].page.pk == cafe.pk

    hits = live_backend.ranked(outcome.terms, searchable_pages(), limit=10)
    assert hits[0][0] == cafe.pk
    assert all(type(pk) is int and score > 0 for pk, score in hits)
    assert live_backend.ranked(outcome.terms, searchable_pages(), language="sv")[0][0] == cafe.pk


@pytest.mark.django_db
def test_english_query(live_backend):
    health_en = page("live-health", "en")

    outcome = service.run(params("health school", "en"))
    assert outcome.degraded is False
    assert outcome.results[0].page.pk == health_en.pk
    assert outcome.results[0].language == "en"

    hits = live_backend.ranked(outcome.terms, searchable_pages(), limit=10)
    assert hits[0][0] == health_en.pk
    assert page("live-cafe", "en").pk not in dict(hits)
