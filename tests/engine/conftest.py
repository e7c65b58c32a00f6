"""Live tests against real OpenSearch nodes; skipped unless ``OPENSEARCH_URL`` is set.

``make test-engine`` starts a three-node cluster (``tools/search-node/cluster.py``), sets
``OPENSEARCH_URL`` to its nodes and ``SEARCH_CLUSTER_STATE`` to the file naming their
processes (the node-loss tests kill them), runs these tests and stops the cluster.

Each test indexes under its own prefix (the engine is not rolled back with the database) and
deletes its indexes at the end.
"""

import json
import os
import uuid
from pathlib import Path

import pytest
from django.conf import settings as django_settings
from django.test import TestCase, override_settings
from opensearchpy import ConnectionError as OpenSearchConnectionError
from wagtail.models import Page

from search import catalogue, facets, service
from tests.helpers import module_data, run_import
from tests.search.conftest import RECORDS

OPENSEARCH_URLS = [url for url in os.environ.get("OPENSEARCH_URL", "").split(",") if url]
CLUSTER_STATE = os.environ.get("SEARCH_CLUSTER_STATE", "")


def pytest_collection_modifyitems(config, items):
    # The node-loss tests stop nodes: they run after every other engine test.
    items.sort(key=lambda item: "tests/engine/test_node_loss.py" in _path(item))
    if OPENSEARCH_URLS:
        return
    skip = pytest.mark.skip(reason="OPENSEARCH_URL is not set (make test-engine sets it)")
    for item in items:
        if "tests/engine/" in _path(item):
            item.add_marker(skip)


def _path(item):
    return str(item.fspath).replace(os.sep, "/")


def engine_settings(prefix, urls=None, timeout=5.0):
    urls = urls or OPENSEARCH_URLS
    return {
        "BACKEND": "search.backends.opensearch",
        "URLS": urls,
        "INDEX_PREFIX": prefix,
        "TIMEOUT": timeout,
        "OPTIONS": {"max_retries": len(urls) - 1, "retry_on_timeout": False},
        "INDEX_SETTINGS": {"settings": {"index": {"number_of_shards": 1, "number_of_replicas": 1}}},
    }


@pytest.fixture
def engine(db, settings):
    """Our OpenSearch backend as the default search backend, the database one as its fallback,
    under a prefix of the test's own; every index with that prefix deleted afterwards."""
    prefix = f"test_{uuid.uuid4().hex[:10]}_"
    settings.WAGTAILSEARCH_BACKENDS = {
        "default": engine_settings(prefix),
        "database": settings.DATABASE_SEARCH_BACKEND,
    }
    service.reset_backends()
    catalogue.clear()
    backend = service.backend()
    try:
        yield backend
    finally:
        service.reset_backends()
        catalogue.clear()
        delete_indexes(prefix)


def delete_indexes(prefix):
    """Delete the indexes with ``prefix``; nothing to do when no node answers (the node-loss
    test stopped them all: their data goes with them)."""
    backend = service.backend()
    try:
        for name in backend.es.indices.get(index=f"{prefix}*", expand_wildcards="all"):
            backend.es.indices.delete(index=name)
    except OpenSearchConnectionError:
        pass


def page_index(backend):
    return backend.get_index_for_model(Page)


def settle(backend):
    """Every copy of the page index started, then refreshed: a replica still recovering when a
    refresh runs misses it, and answers searches without the last writes until its own next
    refresh (a test then finds fewer records than it indexed)."""
    index = page_index(backend)
    backend.es.cluster.health(
        index=index.name, wait_for_status="green", params={"timeout": "30s"}, request_timeout=40
    )
    index.refresh()


def indexed_ids(backend):
    """The ids of every page document in the engine (after a refresh)."""
    index = page_index(backend)
    index.refresh()
    response = backend.es.search(
        index=index.name, body={"query": {"match_all": {}}, "size": 10_000, "_source": False}
    )
    return {int(hit["_id"]) for hit in response["hits"]["hits"]}


def rebuild_facets():
    facets.rebuild()
    catalogue.clear()


def cluster_state():
    return json.loads(Path(CLUSTER_STATE).read_text()) if CLUSTER_STATE else None


@pytest.fixture(scope="module")
def corpus_data(django_db_setup, django_db_blocker):
    """``tests/search``'s corpus, indexed into the engine under a prefix of the module's own
    (overrides ``tests/search/conftest.py``'s fixture of the same name for these modules)."""
    prefix = f"test_{uuid.uuid4().hex[:10]}_"
    backends = override_settings(
        WAGTAILSEARCH_BACKENDS={
            "default": engine_settings(prefix),
            "database": django_settings.DATABASE_SEARCH_BACKEND,
        }
    )
    backends.enable()
    service.reset_backends()
    catalogue.clear()
    try:
        with module_data(django_db_blocker):
            with TestCase.captureOnCommitCallbacks(execute=True):
                result = run_import(*RECORDS)
            assert not result.rejections, result.rejections
            settle(service.backend())
            yield
    finally:
        delete_indexes(prefix)
        backends.disable()
        service.reset_backends()
        catalogue.clear()


def reconcile(backend):
    """Make the engine hold exactly the database's content pages (live or not), each with its
    record's fields as they are now.

    The database rolls back after each test; the engine does not. Before a test of a module
    sharing one indexed corpus, what an earlier test published, unpublished or changed is
    put back in step (some 25 pages: one bulk request and one delete)."""
    from practices.models import CONTENT_PAGE_MODELS

    present = set()
    for model in CONTENT_PAGE_MODELS:
        pages = list(model.objects.all())
        present.update(page.pk for page in pages)
        if pages:
            backend.add_bulk(model, pages)
    index = page_index(backend)
    index.refresh()
    backend.es.delete_by_query(
        index=index.name,
        body={
            "query": {
                "bool": {
                    "must_not": [{"ids": {"values": [str(pk) for pk in present]}}],
                    "filter": [{"exists": {"field": "record_lead"}}],
                }
            }
        },
        refresh=True,
        conflicts="proceed",
    )
