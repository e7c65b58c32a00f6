"""Schemathesis over the whole API schema (/api/openapi.json: search and the open-data records),
in process through the WSGI application, on the demo content: no generated request, valid
or not, gets a server error, and the answers to valid ones match the schema. Bounded (a few
dozen examples per operation) so that it runs in well under a minute."""

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from hypothesis import HealthCheck, Phase, given, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    response_schema_conformance,
    status_code_conformance,
)

from search import facets
from tests.helpers import load_demo, module_data

EXAMPLES = {"records": 60, "record": 30, "search": 25, "search_autocomplete": 20}


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker):
    with module_data(django_db_blocker):
        load_demo(on_commit=False)
        facets.rebuild()
        yield


@pytest.fixture
def in_this_transaction():
    """Requests through the WSGI application share the test's connection and transaction:
    as Django's test client does, keep the request signals from closing it."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


def fuzz(operation, examples):
    """Run ``examples`` generated requests of ``operation``; the statuses answered."""
    seen = set()

    @settings(
        max_examples=examples,
        deadline=None,
        database=None,
        derandomize=True,
        phases=[Phase.explicit, Phase.generate],
        suppress_health_check=list(HealthCheck),
    )
    @given(case=operation.as_strategy())
    def check(case):
        response = case.call_and_validate(
            # The WSGI transport does not decompress what the gzip middleware sends.
            headers={"Accept-Encoding": "identity"},
            # Not content-type conformance: ninja documents every answer as
            # application/json, and errors are application/problem+json (RFC 7807).
            checks=[not_a_server_error, status_code_conformance, response_schema_conformance],
        )
        seen.add(response.status_code)

    check()
    return seen


def test_no_request_makes_a_server_error(demo, db, in_this_transaction):
    schema = schemathesis.openapi.from_wsgi("/api/openapi.json", get_wsgi_application())
    operations = {
        result.ok().definition.raw["operationId"]: result.ok()
        for result in schema.get_all_operations()
    }
    assert set(operations) == set(EXAMPLES)
    statuses = {name: fuzz(operation, EXAMPLES[name]) for name, operation in operations.items()}
    # Valid requests and invalid ones were both made.
    assert {200, 400} <= statuses["records"]
    assert {200, 400} <= statuses["search"]
    assert 404 in statuses["record"]
