"""The search page runs a few queries more than the API, and as many for 50 results as for 1
(issue 20: it ran 14 to the API's 5, an UPDATE of a shared daily-hits row among them).

Measured on the demo content, after a first request (which reads the snapshot, the labels and
the fragments every page shares), in Swedish and Arabic, with and without the reader's kommun
remembered in its cookie.
"""

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from tests.helpers import load_demo, module_data

PAGE_MAX = 8  # the bound for the search page

FEW = {"q": "mentor"}
MANY = {"page_size": "50"}  # no words: every record, 50 to a page
NONE = {"q": "zyxwvutsrq"}


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker):
    with module_data(django_db_blocker):
        load_demo()  # with what its commits do: search's facet rows
        yield


def queries_of(client, url, data):
    client.get(url, data)  # the first request reads what every later one shares
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url, data)
    assert response.status_code == 200
    return response, [query["sql"] for query in captured]


@pytest.mark.parametrize("language", ["sv", "ar"])
@pytest.mark.parametrize("kommun", [None, "1780"], ids=["no-kommun", "kommun"])
def test_the_search_page_runs_a_constant_bounded_number_of_queries(demo, db, language, kommun):
    client = Client()
    if kommun:
        client.cookies["my_municipality"] = kommun
    counts = {}
    for name, data in (("few", FEW), ("many", MANY), ("none", NONE)):
        response, sql = queries_of(client, f"/{language}/search/", data)
        counts[name] = len(sql)
        assert len(sql) <= PAGE_MAX, (name, sql)
        assert not [query for query in sql if query.startswith(("INSERT", "UPDATE"))], sql
        results = len(response.context["outcome"].results)
        if name == "few":
            assert 1 <= results < 10
        elif name == "many":
            assert results > 20, "the demo should fill most of a page of 50"
        if kommun:
            assert response.context["my_municipality"]["code"] == kommun
    # Constant in the number of results: a page of 50 costs what a page of a few does.
    assert counts["many"] <= counts["few"], counts


def test_the_page_costs_at_most_two_queries_more_than_the_api(demo, db):
    client = Client()
    _response, page = queries_of(client, "/sv/search/", FEW)
    _response, api = queries_of(client, "/api/search/", {**FEW, "lang": "sv"})
    assert len(page) <= len(api) + 2, (page, api)


def test_an_unknown_or_groupless_kommun_in_the_cookie_is_ignored(demo, db):
    client = Client()
    for value in ("9999", "12ab", "0000"):
        client.cookies["my_municipality"] = value
        response = client.get("/sv/search/", FEW)
        assert response.status_code == 200
        assert response.context["my_municipality"] is None
