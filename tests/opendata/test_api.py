"""The open-data read API (/api/records/) on the demo content: every record with its outcomes,
search's filters, harvesting with updated_since, paging and its bounds, RFC 7807 errors naming
the parameter, only live and public records, records that validate with the interchange
schema, and a bounded number of queries."""

import datetime

import pytest
from django.db import connection
from django.test import Client, TestCase
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from wagtail.models import PageViewRestriction

from interchange.schema import Vocabulary, validate_record
from interchange.serialise import canonical
from opendata.records import PLATFORM_FIELDS, interchange_part
from practices.models import MethodPage, PracticeIndexPage, PracticePage
from search import facets
from tests.helpers import load_demo, module_data

DEMO_RECORDS = 30
DEMO_METHODS = 7


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker):
    with module_data(django_db_blocker):
        load_demo(on_commit=False)
        # Search's facet rows follow publishing once a transaction commits; this one never does.
        facets.rebuild()
        yield


@pytest.fixture
def client():
    return Client()


def get(client, query="", status=200):
    response = client.get(f"/api/records/{query}")
    assert response.status_code == status, response.content[:500]
    return response.json()


def all_records(client, query=""):
    return get(client, f"?page_size=50{query}")["results"]


def assert_problem(response, parameter):
    assert response.status_code == 400
    assert response["Content-Type"] == "application/problem+json"
    problem = response.json()
    assert problem["status"] == 400
    assert problem["errors"][0]["loc"] == ["query", parameter]
    assert parameter in problem["detail"] or problem["detail"]


def test_no_records_on_an_empty_site(site_tree, client):
    answer = get(client)
    assert answer["count"] == 0
    assert answer["results"] == []
    assert answer["next"] is None


def test_every_demo_record_with_its_outcomes(demo, db, client):
    answer = get(client, "?page_size=50")
    assert answer["count"] == DEMO_RECORDS
    records = answer["results"]
    assert len({record["external_id"] for record in records}) == DEMO_RECORDS
    # Methods first, then practices, then reports, each by external id.
    types = [record["type"] for record in records]
    assert types == sorted(types, key=["method", "practice", "report"].index)
    assert [r["external_id"] for r in records if r["type"] == "practice"] == sorted(
        r["external_id"] for r in records if r["type"] == "practice"
    )
    with_outcomes = [record for record in records if record.get("indicators")]
    assert len(with_outcomes) >= 15
    indicator = with_outcomes[0]["indicators"][0]
    assert {"key", "value", "unit"} <= set(indicator)
    for record in records:
        assert record["url"].startswith("http://localhost/sv/")
        assert record["last_updated"].endswith("Z")
        assert "last_reviewed" in record
        assert set(record["translations"]) == {"en", "ar", "fa"}
        # The site never shows a contact's address; neither does its open data.
        assert "email" not in record.get("contact", {})
        assert "@" not in str(record.get("contact", ""))
    soft_matching = next(r for r in records if r["external_id"] == "demo-method-soft-matching")
    assert soft_matching["adoptions"], "the demo's soft-matching method is used by others"
    assert {"organisation", "status", "practice", "regions"} <= set(soft_matching["adoptions"][0])
    assert all(r["adoptions"] == [] for r in records if r["type"] != "method")
    funded = [record for record in records if record.get("funding")]
    assert funded and {"source", "amount_sek"} == set(funded[0]["funding"][0])
    assert any(record.get("methods") for record in records if record["type"] == "practice")


def test_lang_chooses_the_page_the_url_leads_to(demo, db, client):
    arabic = all_records(client, "&lang=ar")
    assert all(record["url"].startswith("http://localhost/ar/") for record in arabic)
    # The record itself is the same: its source text and all its translations.
    swedish = all_records(client)
    assert [r["title"] for r in arabic] == [r["title"] for r in swedish]


def test_pages_cover_every_record_once(demo, db, client):
    seen = []
    answer = get(client, "?page_size=7")
    pages = 1
    while answer["next"]:
        seen += [record["external_id"] for record in answer["results"]]
        assert answer["next"].startswith("http://testserver/api/records/?")
        answer = client.get(answer["next"]).json()
        pages += 1
    seen += [record["external_id"] for record in answer["results"]]
    assert pages == 5
    assert len(answer["results"]) == 2
    assert answer["previous"].endswith("page=4")
    assert len(seen) == len(set(seen)) == DEMO_RECORDS
    assert seen == [record["external_id"] for record in all_records(client)]
    beyond = get(client, "?page_size=7&page=6")
    assert beyond["count"] == DEMO_RECORDS
    assert beyond["results"] == []
    assert beyond["next"] is None


@pytest.mark.parametrize(
    ("query", "parameter"),
    [
        ("page=0", "page"),
        ("page=1001", "page"),
        ("page=two", "page"),
        ("page_size=0", "page_size"),
        ("page_size=51", "page_size"),
        ("lang=xx", "lang"),
        ("type=juggling", "type"),
        ("region=99", "region"),
        ("activity_type=nonsense", "activity_type"),
        ("updated_since=yesterday", "updated_since"),
        ("updated_since=2026-02-30", "updated_since"),
        ("updated_since=0001-01-01T00:00:00%2B14:00", "updated_since"),
        ("updated_since=9999-12-31", "updated_since"),
    ],
)
def test_a_bad_parameter_is_a_problem_naming_it(site_tree, client, query, parameter):
    assert_problem(client.get(f"/api/records/?{query}"), parameter)


def test_filters_are_searchs(demo, db, client):
    records = all_records(client)
    methods = get(client, "?type=method")
    assert methods["count"] == DEMO_METHODS
    assert all(record["type"] == "method" for record in methods["results"])
    assert get(client, "?type=method&type=report")["count"] == DEMO_METHODS + 7

    region = next(r for r in records if r.get("municipalities"))
    municipality = region["municipalities"][0]
    found = all_records(client, f"&municipality={municipality}")
    assert region["external_id"] in [r["external_id"] for r in found]
    assert all(municipality in r.get("municipalities", ()) for r in found)

    activity = records[0]["activity_types"][0]
    found = all_records(client, f"&activity_type={activity}")
    assert found and all(activity in r["activity_types"] for r in found)
    # Filters are AND-ed: a type and an activity type.
    both = all_records(client, f"&activity_type={activity}&type=practice")
    assert both == [r for r in found if r["type"] == "practice"]
    # Readable in Persian: every demo record is.
    assert get(client, "?language=fa")["count"] == DEMO_RECORDS


def test_updated_since_finds_what_was_published_or_reviewed(demo, db, client):
    today = timezone.localdate()
    assert get(client, f"?updated_since={today - datetime.timedelta(days=1)}")["count"] == (
        DEMO_RECORDS
    )
    later = today + datetime.timedelta(days=3)
    assert get(client, f"?updated_since={later}")["count"] == 0
    # A review by the owner counts, without a new publication.
    method = MethodPage.objects.get(
        external_id="demo-method-soft-matching", locale__language_code="sv"
    )
    MethodPage.objects.filter(translation_key=method.translation_key).update(last_reviewed=later)
    answer = get(client, f"?updated_since={later}T09:30:00%2B01:00")
    assert [record["external_id"] for record in answer["results"]] == [method.external_id]
    assert answer["results"][0]["last_reviewed"] == later.isoformat()
    # A record published again in one language is found by the time of that publication.
    practice = PracticePage.objects.filter(locale__language_code="ar").order_by("pk").first()
    moment = timezone.now() + datetime.timedelta(days=5)
    PracticePage.objects.filter(pk=practice.pk).update(last_published_at=moment)
    since = (moment - datetime.timedelta(minutes=1)).astimezone(datetime.UTC)
    answer = get(client, f"?updated_since={since.strftime('%Y-%m-%dT%H:%M:%SZ')}")
    assert [record["external_id"] for record in answer["results"]] == [practice.external_id]
    assert answer["results"][0]["last_updated"] == moment.astimezone(datetime.UTC).isoformat(
        timespec="seconds"
    ).replace("+00:00", "Z")


def test_one_record(demo, db, client):
    listed = {record["external_id"]: record for record in all_records(client, "&lang=fa")}
    record = get(client, "demo-method-soft-matching/?lang=fa")
    assert record == listed["demo-method-soft-matching"]
    assert record["url"].startswith("http://localhost/fa/")


def test_an_unknown_record_is_a_404_problem(demo, db, client):
    response = client.get("/api/records/no-such-record/")
    assert response.status_code == 404
    assert response["Content-Type"] == "application/problem+json"
    assert "no-such-record" in response.json()["detail"]
    assert_problem(client.get("/api/records/demo-method-soft-matching/?lang=xx"), "lang")


def test_a_record_validates_with_the_interchange_schema_and_round_trips(demo, db, client):
    vocabulary = Vocabulary()
    for record in all_records(client):
        assert set(PLATFORM_FIELDS) <= set(record)
        part = interchange_part(record)
        assert validate_record(part, vocabulary) == [], record["external_id"]
        # What an import of it would write back is the record itself.
        assert canonical(part) == part


def test_only_live_public_records(demo, db, client):
    method = MethodPage.objects.get(
        external_id="demo-method-soft-matching", locale__language_code="sv"
    )
    method.unpublish()
    ids = [record["external_id"] for record in all_records(client)]
    assert method.external_id not in ids
    assert len(ids) == DEMO_RECORDS - 1
    assert client.get(f"/api/records/{method.external_id}/").status_code == 404

    # The Swedish practices' section restricted: the practices (Swedish sources) are private.
    index = PracticeIndexPage.objects.get(locale__language_code="sv")
    PageViewRestriction.objects.create(page=index, restriction_type=PageViewRestriction.LOGIN)
    records = all_records(client)
    assert [record for record in records if record["type"] == "practice"] == []
    practice = PracticePage.objects.filter(locale__language_code="sv").first()
    assert client.get(f"/api/records/{practice.external_id}/").status_code == 404


def test_a_translation_that_is_not_live_is_left_out(demo, db, client):
    persian = PracticePage.objects.filter(locale__language_code="fa").order_by("pk").first()
    persian.unpublish()
    record = get(client, f"{persian.external_id}/?lang=fa")
    assert "fa" not in record["translations"]
    assert record["url"].startswith("http://localhost/sv/")


def test_queries_are_bounded(demo, db, client, django_assert_max_num_queries):
    client.get("/api/records/?page_size=1")  # the site's root paths and labels, once
    with django_assert_max_num_queries(60):
        answer = get(client, "?page_size=50")
    assert len(answer["results"]) == DEMO_RECORDS
    with django_assert_max_num_queries(30):
        get(client, "demo-method-soft-matching/")


def test_counts_are_kept_until_the_data_changes(demo, db, client):
    """Counting reads every record: it is done once per data version, and a publish (or an
    unpublish) moves the version on, so the next count is right at once."""
    with CaptureQueriesContext(connection) as first:
        assert get(client, "?page_size=1")["count"] == DEMO_RECORDS
    with CaptureQueriesContext(connection) as second:
        assert get(client, "?page_size=1")["count"] == DEMO_RECORDS
    counting = [q["sql"] for q in first.captured_queries if "COUNT(" in q["sql"]]
    assert len(counting) == 3  # one per record type
    assert not [q["sql"] for q in second.captured_queries if "COUNT(" in q["sql"]]

    method = MethodPage.objects.get(
        external_id="demo-method-soft-matching", locale__language_code="sv"
    )
    with TestCase.captureOnCommitCallbacks(execute=True):
        method.unpublish()
    assert get(client, "?page_size=1")["count"] == DEMO_RECORDS - 1
