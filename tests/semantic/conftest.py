"""Fixtures for semantic search's tests: no per-process cache (the vector store, the loaded
model) survives from one test to the next, and records imported with their commit callbacks
run (facets and the vector queue are updated on commit)."""

import pytest

from semantic import embedder, store
from semantic.models import PendingVector
from tests.helpers import run_import


@pytest.fixture(autouse=True)
def fresh_semantic_state():
    """Each test reads the vectors and loads the model again: a test's rows are rolled back at
    its end, and the next test may see the same ``VectorState`` version (0: no row) with other
    rows; a test may also have made the model unavailable."""
    store.forget()
    embedder.forget()
    yield
    store.forget()
    embedder.forget()


@pytest.fixture
def publish(site_tree, django_capture_on_commit_callbacks):
    """publish(*records): import records as an editor would publish them, commit callbacks
    run (the vector queue and the search facets are updated on commit)."""
    # Only this test's pages are queued: pages another suite committed to the test database
    # (the browser tests' demo) stay out of it, and the test's transaction puts them back.
    PendingVector.objects.all().delete()

    def run(*records):
        with django_capture_on_commit_callbacks(execute=True):
            result = run_import(*records)
        assert not result.rejections, result.rejections
        return result

    return run
