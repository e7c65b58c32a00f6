"""Small builders shared by the tests."""

import io
import json
from contextlib import contextmanager

from django.core.management import call_command
from django.db import transaction
from django.test import TestCase

from interchange.importer import Importer


def record(**fields):
    """A valid practice record; keyword arguments override or add fields."""
    base = {
        "external_id": "t-practice",
        "type": "practice",
        "locale": "sv",
        "title": "Språkcafé i Sunne",
        "summary": "Träffar där nyanlända övar svenska med volontärer.",
    }
    base.update(fields)
    return {key: value for key, value in base.items() if value is not None}


def run_import(*records, raw_lines=()):
    lines = [json.dumps(item, ensure_ascii=False) for item in records] + list(raw_lines)
    return Importer().run(lines)


@contextmanager
def module_data(django_db_blocker):
    """A transaction around a module's shared data: built once, seen by each test that asks
    for it (each test rolls back to it, as in ``TestCase.setUpTestData``), rolled back when the
    module ends.

    Tests of the module that do not ask for the data run before it is built
    (``tests/conftest.py`` orders them), so they still start from the bare site.
    """
    with django_db_blocker.unblock():
        atomic = transaction.atomic()
        atomic.__enter__()
        try:
            yield
        finally:
            transaction.set_rollback(True)
            atomic.__exit__(None, None, None)


def load_demo(on_commit=True):
    """The demo content (``load_demo``), quietly. ``on_commit``: run what its transactions
    would do as they commit (search's facet rows, cache tags), which a test's never does."""
    if not on_commit:
        call_command("load_demo", stdout=io.StringIO(), stderr=io.StringIO())
        return
    with TestCase.captureOnCommitCallbacks(execute=True):
        call_command("load_demo", stdout=io.StringIO(), stderr=io.StringIO())
