"""Every test of the search service (``tests/search/test_service.py``) again, with OpenSearch
answering: the same records found, folded, filtered, counted, sorted and highlighted, and each
search really answered by the engine (not by the database fallback)."""

import pytest

from search import service
from tests.engine.conftest import reconcile
from tests.search import test_service as database_tests
from tests.search.conftest import corpus, import_records, run_search  # noqa: F401 - fixtures

pytestmark = pytest.mark.django_db

for _name in dir(database_tests):
    if _name.startswith("test_"):
        globals()[_name] = getattr(database_tests, _name)


@pytest.fixture(autouse=True)
def engine_in_step(corpus_data, db):
    """What an earlier test changed in the engine is undone, as the database rolled back."""
    reconcile(service.backend())


@pytest.fixture
def search(corpus_data):
    """``tests/search``'s ``search``, failing a test whose search the engine did not answer."""

    def engine_search(*args, **kwargs):
        assert service.backend().is_engine
        outcome = run_search(*args, **kwargs)
        assert not outcome.degraded and not outcome.failed, "the engine did not answer"
        return outcome

    return engine_search
