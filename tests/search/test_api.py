"""The JSON API: shape, filters, errors as 400 problem+json, and the OpenAPI schema."""

import json

import pytest

pytestmark = pytest.mark.django_db


def get_json(client, url, status=200):
    response = client.get(url)
    assert response.status_code == status, response.content
    return json.loads(response.content)


def test_search_answers_in_the_documented_shape(corpus, client):
    data = get_json(client, "/api/search/?q=karlstad+volunteers&lang=en")
    assert set(data) >= {"query", "count", "page", "page_size", "results", "facets"}
    assert data["query"] == "karlstad volunteers" and data["count"] == 1
    assert data["page"] == 1 and data["page_size"] == 10
    (hit,) = data["results"]
    assert hit["external_id"] == "s-cafe" and hit["type"] == "practice"
    assert hit["locale"] == "en" and hit["title"] == "Language café at the library in Karlstad"
    assert hit["url"].startswith("http") and "/en/" in hit["url"]
    assert "<mark>volunteers</mark>" in hit["highlight"]
    assert data["facets"]["type"] == {"practice": 1}
    assert data["facets"]["language"] == {"ar": 1, "en": 1, "sv": 1}


def test_translations_share_the_source_external_id(corpus, client):
    swedish = get_json(client, "/api/search/?q=karlstad&lang=sv")["results"][0]
    arabic = get_json(client, "/api/search/?q=karlstad&lang=ar")["results"][0]
    assert swedish["external_id"] == arabic["external_id"] == "s-cafe"
    assert (swedish["locale"], arabic["locale"]) == ("sv", "ar")


def test_repeatable_filters_and_paging(corpus, client):
    data = get_json(client, "/api/search/?municipality=0780&municipality=1780&sort=newest")
    assert [hit["external_id"] for hit in data["results"]] == ["s-cafe", "s-health"]
    paged = get_json(client, "/api/search/?page_size=2&page=3")
    assert paged["count"] == 5 and len(paged["results"]) == 1
    beyond = get_json(client, "/api/search/?page=9")
    assert beyond["results"] == [] and beyond["count"] == 5


@pytest.mark.parametrize(
    ("query", "parameter"),
    [
        ("activity_type=no-such-activity", "activity_type"),
        ("type=blogpost", "type"),
        ("region=99", "region"),
        ("municipality=abcd", "municipality"),
        ("year=1066", "year"),
        ("language=de", "language"),
        ("page=0", "page"),
        ("page=-1", "page"),
        ("page=abc", "page"),
        ("page_size=500", "page_size"),
        ("page_size=0", "page_size"),
        ("sort=random", "sort"),
        ("lang=xx", "lang"),
        ("q=" + "a" * 10_000, "q"),
        ("q=mentor%00", "q"),
        ("q=%1b%5b31m", "q"),
    ],
)
def test_bad_parameters_get_400_with_a_json_message(corpus, client, query, parameter):
    response = client.get(f"/api/search/?{query}")
    assert response.status_code == 400
    assert response["Content-Type"] == "application/problem+json"
    problem = json.loads(response.content)
    assert problem["status"] == 400 and problem["detail"]
    assert problem["errors"][0]["loc"][-1] == parameter


def test_autocomplete_suggests_titles_activity_types_and_places(corpus, client):
    data = get_json(client, "/api/search/autocomplete/?q=ment&lang=sv")
    kinds = {(item["kind"], item["label"]) for item in data["suggestions"]}
    assert ("activity_type", "Mentorskap") in kinds
    assert ("title", "Mentorskapsprogram för nyanlända akademiker") in kinds
    places = get_json(client, "/api/search/autocomplete/?q=karls&lang=en")["suggestions"]
    assert ("municipality", "Karlstad") in {(item["kind"], item["label"]) for item in places}
    english = get_json(client, "/api/search/autocomplete/?q=language&lang=en")["suggestions"]
    assert "Language café at the library in Karlstad" in [item["label"] for item in english]
    assert get_json(client, "/api/search/autocomplete/?q=m&lang=sv")["suggestions"] == []
    assert client.get("/api/search/autocomplete/?q=ment&lang=xx").status_code == 400
    assert client.get("/api/search/autocomplete/?q=ment&limit=500").status_code == 400


def test_openapi_schema_documents_both_endpoints(client):
    schema = get_json(client, "/api/openapi.json")
    search = schema["paths"]["/api/search/"]["get"]
    names = {parameter["name"] for parameter in search["parameters"]}
    assert names >= {"q", "lang", "type", "activity_type", "target_group", "region"}
    assert names >= {"municipality", "year", "language", "sort", "page", "page_size"}
    assert set(search["responses"]) >= {"200", "400"}
    assert "/api/search/autocomplete/" in schema["paths"]


def test_engine_failure_without_fallback_is_503_not_500(corpus, client, monkeypatch):
    from search import service

    def broken(groups, language=None, engine_failed=False):
        return [], False, True

    monkeypatch.setattr(service, "ranked_pages", broken)
    response = client.get("/api/search/?q=mentor")
    assert response.status_code == 503
    assert "unavailable" in json.loads(response.content)["detail"]
