"""A small corpus for search tests, imported with commit callbacks run (facets sync on commit)."""

import pytest
from django.http import QueryDict
from django.test import TestCase

from tests.helpers import module_data, record, run_import

RECORDS = [
    record(
        external_id="s-mentor",
        type="method",
        title="Mentorskapsprogram för nyanlända akademiker",
        summary="Nyanlända med examen matchas med en mentor i samma yrke.",
        activity_types=["mentorship"],
        target_groups=["new-arrivals"],
        municipalities=["0380"],
        start_date="2019-02-01",
    ),
    record(
        external_id="s-cafe",
        title="Språkcafé på biblioteket i Karlstad",
        summary="Asylsökande övar svenska med volontärer varje vecka.",
        activity_types=["language-training"],
        target_groups=["asylum-seekers"],
        municipalities=["1780"],
        start_date="2021-09-01",
        translations={
            "en": {
                "title": "Language café at the library in Karlstad",
                "summary": "Asylum seekers practise Swedish with volunteers every week.",
            },
            "ar": {
                "title": "مقهى اللغة في مكتبة كارلستاد",
                "summary": "يتدرب طالبو اللجوء على اللغة السويدية مع متطوعين كل أسبوع.",
            },
        },
    ),
    record(
        external_id="s-health",
        title="Hälsoskola för asylsökande i Växjö",
        summary="Gruppträffar om hälsa <script>alert(1)</script> och vård på modersmål.",
        activity_types=["health-promotion"],
        target_groups=["asylum-seekers"],
        municipalities=["0780"],
        start_date="2020-01-15",
    ),
    record(
        external_id="s-report",
        type="report",
        title="Slutrapport: jobbcoachning i sociala företag",
        summary="Deltagare långt från arbetsmarknaden fick arbetsträning i ett kafé.",
        activity_types=["social-enterprise", "mentorship"],
        target_groups=["far-from-labour-market"],
        municipalities=["2080"],
        start_date="2018-05-01",
    ),
    record(
        external_id="s-digital",
        locale="en",
        title="Digital job-search workshops in Sundsvall",
        summary="New arrivals learn to search for jobs online.",
        activity_types=["digital-inclusion"],
        target_groups=["new-arrivals"],
        municipalities=["2281"],
        start_date="2022-03-01",
    ),
]


@pytest.fixture
def import_records(site_tree, django_capture_on_commit_callbacks):
    def run(*records):
        with django_capture_on_commit_callbacks(execute=True):
            result = run_import(*records)
        assert not result.rejections, result.rejections
        return result

    return run


@pytest.fixture(scope="module")
def corpus_data(django_db_setup, django_db_blocker):
    """The corpus, imported once per module (see ``tests.helpers.module_data``), with commit
    callbacks run (facets sync on commit)."""
    with module_data(django_db_blocker):
        with TestCase.captureOnCommitCallbacks(execute=True):
            result = run_import(*RECORDS)
        assert not result.rejections, result.rejections
        yield


@pytest.fixture
def corpus(corpus_data, db):
    pass


def run_search(q="", lang="sv", **filters):
    """The ``Outcome`` of a search through the parser and the service."""
    from search import service
    from search.labels import get_labels
    from search.params import parse

    data = QueryDict(mutable=True)
    data.update({"q": q, "lang": lang})
    for name, values in filters.items():
        data.setlist(name, values if isinstance(values, list | tuple) else [values])
    return service.run(parse(data, get_labels()))


@pytest.fixture
def search():
    """search(q="…", lang="sv", **filters) -> Outcome, through the parser and the service."""
    return run_search


def ids(outcome):
    return [result.external_id for result in outcome.results]
