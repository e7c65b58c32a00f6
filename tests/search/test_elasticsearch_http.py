"""search.backends.elasticsearch at the HTTP boundary of the official client, with no server.

The backend gets a ``node_class`` (elasticsearch-py's pluggable HTTP layer) that records each
request and answers with canned JSON, so these tests see exactly what would go over the wire:
index settings, mapping, bulk body, ``_search`` body and headers.
"""

import json
import logging
from dataclasses import dataclass
from urllib.parse import parse_qs

import elastic_transport
import elasticsearch
import pytest
from django.contrib.contenttypes.models import ContentType
from django.http import QueryDict
from django.test import override_settings
from elastic_transport import ApiResponseMeta, BaseNode, HttpHeaders
from elastic_transport._node import NodeApiResponse
from modelsearch import index as modelsearch_index
from wagtail.models import Locale, Page, PageViewRestriction

from practices.models import CONTENT_PAGE_MODELS, PracticeIndexPage, PracticePage
from search import breaker, catalogue, facets, labels, service
from search.backends import record_query
from search.backends.elasticsearch import SearchBackend
from search.backends.engine import SWEDISH_COMPOUND_PARTS, forget_indexes
from search.catalogue import searchable_pages
from search.documents import document as search_document
from search.facets import FACETS
from search.params import parse
from tests.helpers import record, run_import

INDEX = "test_wagtailcore_page"
LANGUAGE_SUBFIELDS = {
    "sv": "swedish_text",
    "en": "english_text",
    "ar": "arabic_text",
    "fa": "persian_text",
}


@dataclass
class Request:
    method: str
    path: str
    params: dict
    headers: HttpHeaders
    body: object  # decoded JSON, a list for NDJSON, or None
    timeout: object = None


def _decode(body, headers):
    if body is None:
        return None
    text = body.decode("utf-8")
    if "x-ndjson" in headers.get("content-type", ""):
        return [json.loads(line) for line in text.splitlines() if line.strip()]
    return json.loads(text)


def default_answer(request):
    """(status, JSON body) a healthy cluster would give for the requests modelsearch makes."""
    if request.path.endswith("/_bulk"):
        actions = request.body[::2]
        items = [{"index": {"_id": action["index"]["_id"], "status": 201}} for action in actions]
        return 200, {"took": 1, "errors": False, "items": items}
    if request.path.endswith("/_search"):
        return 200, search_answer(request, [])
    if request.method == "HEAD":
        return 404, None
    return 200, {"acknowledged": True}


class RecordingNode(BaseNode):
    """An HTTP node that records requests and answers from ``answer`` (or raises ``error``)."""

    requests = None
    answer = staticmethod(default_answer)
    error = None
    instances = 0

    def __init__(self, config):
        super().__init__(config)
        type(self).instances += 1

    def perform_request(self, method, target, body=None, headers=None, request_timeout=None):
        path, _, query = target.partition("?")
        headers = HttpHeaders(headers or {})
        request = Request(
            method, path, parse_qs(query), headers, _decode(body, headers), request_timeout
        )
        type(self).requests.append(request)
        if self.error is not None:
            raise self.error
        status, payload = self.answer(request)
        meta = ApiResponseMeta(
            status=status,
            http_version="1.1",
            headers=HttpHeaders(
                {
                    "content-type": "application/vnd.elasticsearch+json;compatible-with=8",
                    "x-elastic-product": "Elasticsearch",
                }
            ),
            duration=0.0,
            node=self.config,
        )
        raw = b"" if payload is None else json.dumps(payload).encode("utf-8")
        return NodeApiResponse(meta, raw)


@pytest.fixture
def node():
    """A fresh node class per test, so recorded requests never leak between tests; the
    backends check again whether the index exists."""
    forget_indexes()
    return type("Node", (RecordingNode,), {"requests": []})


def es_params(node_class, **extra):
    params = {
        "BACKEND": "search.backends.elasticsearch",
        "URLS": ["http://es.invalid:9200"],
        "INDEX_PREFIX": "test_",
        "TIMEOUT": 3.0,
        "OPTIONS": {"max_retries": 0, "retry_on_timeout": False, "node_class": node_class},
    }
    params.update(extra)
    return params


def make_backend(node_class, **extra):
    params = es_params(node_class, **extra)
    params.pop("BACKEND")
    return SearchBackend(params)


def search_requests(node_class):
    return [request for request in node_class.requests if request.path.endswith("/_search")]


def translations_match(body):
    """Whether ``body`` is the multi_match of a lead page's translations' text
    (``record_query.with_translations``), not of the pages' own fields."""
    return isinstance(body, dict) and body.get("multi_match", {}).get("fields") == (
        record_query.TRANSLATIONS_FIELDS
    )


def translations_matches(body):
    """The ``translations_match`` clauses of ``body``."""
    if translations_match(body):
        return [body]
    if isinstance(body, dict):
        return [found for value in body.values() for found in translations_matches(value)]
    if isinstance(body, list):
        return [found for value in body for found in translations_matches(value)]
    return []


def searched_forms(body):
    """Every word the ``_search`` body's multi_match queries of the pages' own fields look
    for, in order."""
    if translations_match(body):
        return []
    if isinstance(body, dict):
        if "multi_match" in body:
            return body["multi_match"]["query"].split()
        return [form for value in body.values() for form in searched_forms(value)]
    if isinstance(body, list):
        return [form for value in body for form in searched_forms(value)]
    return []


def searched_fields(body):
    """Every field the ``_search`` body's multi_match queries of the pages' own fields
    search."""
    if translations_match(body):
        return set()
    if isinstance(body, dict):
        if "multi_match" in body:
            return set(body["multi_match"]["fields"])
        return set().union(*(searched_fields(value) for value in body.values()))
    if isinstance(body, list):
        return set().union(*(searched_fields(value) for value in body))
    return set()


def empty_aggregations(aggs, count=0):
    """What an engine answers for the aggregations ``aggs`` over ``count`` documents, none
    of them with a facet value."""
    answer = {}
    for name, spec in (aggs or {}).items():
        if "terms" in spec:
            result = {"buckets": []}
        elif "cardinality" in spec:
            result = {"value": count}
        else:  # filter, global
            result = {"doc_count": count}
        result.update(empty_aggregations(spec.get("aggs"), count))
        answer[name] = result
    return answer


def search_answer(request, hits):
    """A ``_search`` response with ``hits`` ([(page id, score)]); a record search's hits are
    records, each its own source page."""
    body = request.body or {}
    return {
        "took": 2,
        "timed_out": False,
        "hits": {
            "total": {"value": len(hits), "relation": "eq"},
            "max_score": hits[0][1] if hits else None,
            "hits": [
                {
                    "_index": INDEX,
                    "_id": str(pk),
                    "_score": score,
                    "_source": {"record_source": pk, "record_pages": []},
                }
                for pk, score in hits
            ],
        },
        "aggregations": empty_aggregations(body.get("aggs"), len(hits)),
    }


def canned_hits(*hits):
    def answer(request):
        if request.path.endswith("/_search"):
            return 200, search_answer(request, list(hits))
        return default_answer(request)

    return staticmethod(answer)


@pytest.fixture
def practice(site_tree):
    result = run_import(
        record(
            external_id="t-cafe",
            title="Språkcafé i Sunne",
            summary="Träffar där nyanlända övar svenska med volontärer.",
            activity_types=["internship"],
            target_groups=["new-arrivals"],
            municipalities=["1766"],
            keywords=["mentorskapsprogram"],
            translations={
                "en": {"title": "Language café in Sunne", "summary": "Practise Swedish."}
            },
        )
    )
    assert not result.rejections, result.rejections
    return PracticePage.objects.get(external_id="t-cafe", locale__language_code="sv")


# Index settings and mapping ------------------------------------------------------------


def test_index_creation_sends_language_analysers_merged_with_stock_settings(node):
    backend = make_backend(node, INDEX_SETTINGS={"settings": {"index": {"number_of_replicas": 0}}})
    backend.get_index_for_model(Page).put()

    (request,) = node.requests
    assert (request.method, request.path) == ("PUT", f"/{INDEX}")
    settings = request.body["settings"]
    analysis = settings["analysis"]
    analyzers = analysis["analyzer"]
    # Stock ngram/edgengram analysers and index settings survive; INDEX_SETTINGS merges on top.
    assert {"ngram_analyzer", "edgengram_analyzer"} <= set(analyzers)
    assert settings["index"] == {"max_ngram_diff": 12, "number_of_replicas": 0}
    # The default analyser only normalises like search.analysis: no folding of å, ä, ö.
    assert analyzers["default"]["filter"] == ["lowercase"]
    assert analyzers["default"]["char_filter"] == ["arabic_diacritics", "arabic_script"]
    assert "asciifolding" not in json.dumps(analyzers["default"])
    mappings = analysis["char_filter"]["arabic_script"]["mappings"]
    assert "\\u064a=>\\u06cc" in mappings  # Arabic yeh -> Farsi yeh, as analysis.normalise
    assert "\\u200c=>" in mappings  # zero-width non-joiner removed
    # One analyser per language, built from stock Elasticsearch filters only.
    assert analyzers["swedish_text"]["filter"] == [
        "lowercase",
        "swedish_stop",
        "swedish_decompounder",
        "swedish_stemmer",
    ]
    assert analyzers["english_text"]["filter"][-1] == "english_stemmer"
    assert "arabic_normalization" in analyzers["arabic_text"]["filter"]
    assert "arabic_stemmer" in analyzers["arabic_text"]["filter"]
    assert "persian_normalization" in analyzers["persian_text"]["filter"]
    filters = analysis["filter"]
    assert filters["swedish_stemmer"] == {"type": "stemmer", "language": "swedish"}
    assert filters["arabic_stemmer"] == {"type": "stemmer", "language": "arabic"}
    decompounder = filters["swedish_decompounder"]
    assert decompounder["type"] == "dictionary_decompounder"
    assert {"språk", "café", "program"} <= set(decompounder["word_list"])
    assert decompounder["word_list"] == SWEDISH_COMPOUND_PARTS
    # Our stop words, not Elasticsearch's: "utan" matters here and is not dropped.
    assert "och" in filters["swedish_stop"]["stopwords"]
    assert "utan" not in filters["swedish_stop"]["stopwords"]
    assert "the" in filters["english_stop"]["stopwords"]


def test_requests_ask_for_version_8_compatibility_unless_told_otherwise(node):
    make_backend(node).get_index_for_model(Page).put()
    make_backend(node, COMPATIBLE_WITH=None).get_index_for_model(Page).put()

    compat8, client_default = node.requests
    for header in ("accept", "content-type"):
        assert compat8.headers[header] == "application/vnd.elasticsearch+json; compatible-with=8"
        assert client_default.headers[header] == (
            f"application/vnd.elasticsearch+json; compatible-with={elasticsearch.__version__[0]}"
        )


@pytest.mark.django_db
def test_mapping_has_search_fields_copy_to_and_language_subfields(node):
    make_backend(node).get_index_for_model(PracticePage).add_model(PracticePage)

    (request,) = node.requests
    assert (request.method, request.path) == ("PUT", f"/{INDEX}/_mapping")
    properties = request.body["properties"]
    assert properties["title"]["copy_to"] == ["_all_text", "_all_text_boost_2_0"]
    # The title's forms (boost 3) share the title's field, as the labels (boost 2) do: one
    # field of their own, short and sparse, made BM25 overrate them (engine.field_boost).
    assert properties["practices_contentpage__search_title_forms"]["copy_to"] == [
        "_all_text",
        "_all_text_boost_2_0",
    ]
    assert properties["practices_contentpage__search_labels"]["copy_to"] == [
        "_all_text",
        "_all_text_boost_2_0",
    ]
    assert properties["practices_contentpage__search_text"]["copy_to"] == "_all_text"
    assert properties["practices_contentpage__search_text_forms"]["copy_to"] == "_all_text"
    assert properties["locale_id_filter"] == {"type": "integer"}
    assert properties["live_filter"] == {"type": "boolean"}
    targets = {name for name in properties if name.startswith("_all_text")}
    assert targets == {"_all_text", "_all_text_boost_1_5", "_all_text_boost_2_0"}
    for name in ("_all_text_boost_1_5", "_all_text_boost_2_0"):
        subfields = properties[name]["fields"]
        assert {lang: sub["analyzer"] for lang, sub in subfields.items()} == LANGUAGE_SUBFIELDS
    # The full text has no language sub-fields: search indexes its forms itself (text_forms).
    assert "fields" not in properties["_all_text"]
    for name in targets:
        assert "analyzer" not in properties[name]  # the index default analyser
    # Autocomplete keeps the stock edgengram analysis.
    assert properties["_edgengrams"]["analyzer"] == "edgengram_analyzer"


# Indexing --------------------------------------------------------------------------------


@pytest.mark.django_db
def test_the_first_write_creates_the_index_with_our_settings_once(node, practice):
    backend = make_backend(node)
    backend.add_bulk(PracticePage, [practice])
    backend.add_bulk(PracticePage, [practice])

    calls = [(request.method, request.path) for request in node.requests]
    # The index did not exist (HEAD: 404): created with our analysis, then every page type's
    # mapping put, then the documents; the second write goes straight to _bulk.
    assert calls[:2] == [("HEAD", f"/{INDEX}"), ("PUT", f"/{INDEX}")]
    assert "swedish_text" in node.requests[1].body["settings"]["analysis"]["analyzer"]
    mappings = [path for method, path in calls[2:-2]]
    assert mappings and set(mappings) == {f"/{INDEX}/_mapping"}
    assert calls[-2:] == [("PUT", f"/{INDEX}/_bulk")] * 2


def test_bulk_indexing_body_of_a_content_page(node, practice):
    backend = make_backend(node)
    backend.ensure_index(PracticePage)
    node.requests.clear()
    backend.add_bulk(PracticePage, [practice])

    (request,) = node.requests
    assert (request.method, request.path) == ("PUT", f"/{INDEX}/_bulk")
    assert "x-ndjson; compatible-with=8" in request.headers["content-type"]
    action, document = request.body
    assert action == {"index": {"_id": str(practice.pk)}}
    assert document["pk"] == str(practice.pk)
    # What ranked()'s content-type filter ({"match": {"_django_content_type": ...}}) matches.
    assert document["_django_content_type"][:3] == [
        "practices.PracticePage",
        "practices.ContentPage",
        "wagtailcore.Page",
    ]
    assert document["title"] == "Språkcafé i Sunne"
    assert document["live_filter"] is True
    assert document["locale_id_filter"] == practice.locale_id
    labels = document["practices_contentpage__search_labels"].split()
    # Activity type and target group in all four languages, the municipality, the keyword:
    # what lets an English or Arabic query find this Swedish page.
    for word in ("praktik", "internship", "nyanlända", "sunne", "mentorskapsprogram"):
        assert word in labels, word
    # The Python-made word forms go to Elasticsearch as they are (search.documents).
    title_forms = document["practices_contentpage__search_title_forms"]
    assert title_forms and title_forms == search_document(practice).title_forms


@pytest.mark.django_db
def test_bulk_writes_send_every_page_once_in_chunks_and_raise_an_engine_error(
    node, site_tree, monkeypatch
):
    run_import(
        *[
            record(external_id=f"t-chunk-{n}", title=f"Arbetsträning {n}", summary="Praktik.")
            for n in range(7)
        ]
    )
    pages = list(PracticePage.objects.filter(external_id__startswith="t-chunk-"))
    monkeypatch.setattr("search.backends.engine.BULK_CHUNK", 2)
    backend = make_backend(node)
    backend.ensure_index(PracticePage)
    node.requests.clear()

    backend.add_bulk(PracticePage, pages)

    bulks = [request.body[::2] for request in node.requests]
    assert [len(actions) for actions in bulks] == [2, 2, 2, 1]  # chunks of BULK_CHUNK
    sent = sorted(int(action["index"]["_id"]) for actions in bulks for action in actions)
    assert sent == sorted(page.pk for page in pages)

    # The engine refuses a chunk: the write raises (for modelsearch to log, or the resync
    # to keep the pages pending) instead of counting the pages as indexed.
    node.requests.clear()
    node.error = elastic_transport.ConnectionError("connection refused")
    with pytest.raises(elastic_transport.ConnectionError):
        backend.add_bulk(PracticePage, pages)


@pytest.mark.django_db
def test_saving_a_page_while_elasticsearch_is_down_logs_and_does_not_raise(node, practice, caplog):
    node.error = elastic_transport.ConnectionError("connection refused")
    backends = {"default": es_params(node)}
    assert SearchBackend.catch_indexing_errors is True
    with override_settings(WAGTAILSEARCH_BACKENDS=backends), caplog.at_level(logging.ERROR):
        modelsearch_index.insert_or_update_object(practice)
    # The first request (does the index exist?) already fails.
    assert [request.path for request in node.requests] == [f"/{INDEX}"]
    assert any("Exception raised while adding" in message for message in caplog.messages)


# ranked() --------------------------------------------------------------------------------


@pytest.mark.django_db
def test_ranked_sends_one_search_with_fields_filters_and_size(node, site_tree):
    sv = Locale.objects.get(language_code="sv")
    queryset = searchable_pages().filter(locale=sv)
    backend = make_backend(node)

    backend.ranked(("språk", "kurs"), queryset, limit=25)

    (request,) = node.requests
    assert (request.method, request.path) == ("POST", f"/{INDEX}/_search")
    assert request.timeout == 3.0  # the backend's TIMEOUT
    body = request.body
    assert body["size"] == 25
    assert body["_source"] is False
    assert body["track_total_hits"] is False
    match = body["query"]["bool"]["must"]["multi_match"]
    assert match["query"] == "språk kurs"
    assert "operator" not in match  # Elasticsearch's default: or
    assert set(match["fields"]) == {
        "_all_text",
        "_all_text_boost_1_5^1.5",
        "_all_text_boost_2_0^2.0",  # title, labels and the title's forms
    }
    content_type, queryset_filters = body["query"]["bool"]["filter"]
    assert content_type == {"match": {"_django_content_type": "wagtailcore.Page"}}
    clauses = queryset_filters["bool"]["must"]
    assert {"term": {"live_filter": True}} in clauses
    assert {"term": {"locale_id_filter": sv.pk}} in clauses
    # public() with no view restrictions: "exclude nothing".
    assert {"bool": {"must_not": {"terms": {"id_filter": []}}}} in clauses
    (types,) = [clause["terms"] for clause in clauses if "content_type_id_filter" in str(clause)]
    wanted = ContentType.objects.get_for_models(*CONTENT_PAGE_MODELS).values()
    assert sorted(types["content_type_id_filter"]) == sorted(ct.pk for ct in wanted)


@pytest.mark.django_db
def test_ranked_excludes_pages_under_a_view_restriction(node, site_tree):
    private = site_tree["sv"][PracticeIndexPage]
    PageViewRestriction.objects.create(page=private, restriction_type="login")
    backend = make_backend(node)

    backend.ranked(("mentor",), searchable_pages())

    (request,) = node.requests
    clauses = request.body["query"]["bool"]["filter"][1]["bool"]["must"]
    (excluded,) = [clause["bool"]["must_not"] for clause in clauses if "must_not" in str(clause)]
    # descendant_of(private, inclusive=True): path starts with its path, depth >= its depth.
    assert excluded == {
        "bool": {
            "must": [
                {"prefix": {"path_filter": private.path}},
                {"range": {"depth_filter": {"gte": private.depth}}},
            ]
        }
    }


@pytest.mark.django_db
def test_ranked_parses_hits_into_int_pks_and_scores(node):
    node.answer = canned_hits((12, 3.5), (7, 1.25), (30, 0.5))
    backend = make_backend(node)

    hits = backend.ranked(("mentor",), Page.objects.live(), limit=3)

    assert hits == [(12, 3.5), (7, 1.25), (30, 0.5)]
    assert all(type(pk) is int and type(score) is float for pk, score in hits)


@pytest.mark.django_db
def test_ranked_reuses_one_client_and_caps_size(node):
    backend = make_backend(node)
    client = backend.es
    assert node.instances == 1

    assert backend.ranked((), Page.objects.all()) == []
    assert backend.ranked(("mentor",), Page.objects.all(), limit=0) == []
    assert node.requests == []  # nothing to look for, nothing sent
    backend.ranked(("mentor",), Page.objects.all(), limit=25)
    backend.ranked(("mentor",), Page.objects.all())  # RANKED_LIMIT, above the window

    assert backend.es is client and node.instances == 1
    sizes = [request.body["size"] for request in search_requests(node)]
    assert sizes == [25, 10_000]  # the limit asked for, capped at index.max_result_window


@pytest.mark.django_db
def test_ranked_with_groups_scores_each_query_word_by_its_best_form(node):
    backend = make_backend(node)
    groups = (("språkcafé", "språk", "café"), ("kurs",))

    backend.ranked(("språkcafé", "språk", "café", "kurs"), Page.objects.live(), groups=groups)

    (request,) = node.requests
    query = request.body["query"]["bool"]
    assert query["filter"] == [  # filters compiled as without groups
        {"match": {"_django_content_type": "wagtailcore.Page"}},
        {"term": {"live_filter": True}},
    ]
    words = query["must"]["bool"]
    assert words["minimum_should_match"] == 1
    cafe, course = words["should"]
    fields = {"_all_text", "_all_text_boost_1_5^1.5", "_all_text_boost_2_0^2.0"}
    assert [form["multi_match"]["query"] for form in cafe["dis_max"]["queries"]] == list(groups[0])
    assert all(set(form["multi_match"]["fields"]) == fields for form in cafe["dis_max"]["queries"])
    assert course["multi_match"]["query"] == "kurs"
    assert set(course["multi_match"]["fields"]) == fields


def test_refresh_indexes_is_one_request_skipping_indexes_not_created(node):
    backend = make_backend(node)

    backend.refresh_indexes()

    (request,) = node.requests
    assert request.method == "POST"
    names, _, action = request.path.strip("/").rpartition("/")
    assert action == "_refresh"
    assert set(names.split(",")) == {index.name for index in backend.all_indexes()}
    assert INDEX in names.split(",")
    assert request.params["ignore_unavailable"] == ["true"]


@pytest.mark.django_db
def test_ranked_with_a_language_also_searches_that_languages_subfields(node):
    backend = make_backend(node)

    backend.ranked(("mentor",), Page.objects.all(), language="sv")
    backend.ranked(("mentor",), Page.objects.all(), language="xx")

    with_sv, unknown = (
        set(request.body["query"]["bool"]["must"]["multi_match"]["fields"])
        for request in search_requests(node)
    )
    # The title's and the summary's fields have language sub-fields; the full text has not.
    assert with_sv - unknown == {"_all_text_boost_1_5.sv^0.75", "_all_text_boost_2_0.sv"}
    assert not any("." in field.split("^")[0] for field in unknown)


@pytest.mark.django_db
@pytest.mark.parametrize(
    "error",
    [
        elastic_transport.ConnectionError("connection refused"),
        elastic_transport.ConnectionTimeout("timed out"),
    ],
    ids=["refused", "timeout"],
)
def test_ranked_raises_transport_errors(node, error):
    node.error = error
    backend = make_backend(node)

    with pytest.raises(type(error)):
        backend.ranked(("mentor",), Page.objects.all())
    assert len(node.requests) == 1  # max_retries 0: no second attempt


@pytest.mark.django_db
def test_ranked_raises_http_errors(node):
    node.answer = staticmethod(lambda request: (503, {"error": "unavailable", "status": 503}))
    backend = make_backend(node)

    with pytest.raises(elasticsearch.ApiError):
        backend.ranked(("mentor",), Page.objects.all())


# Through the search service --------------------------------------------------------------


@pytest.fixture
def fresh_service():
    service.reset_backends()
    catalogue.clear()
    yield
    service.reset_backends()
    catalogue.clear()


@pytest.mark.django_db
def test_service_falls_back_to_the_database_when_elasticsearch_fails(
    node, site_tree, fresh_service, caplog, settings
):
    node.error = elastic_transport.ConnectionError("connection refused")
    backends = {"default": es_params(node), "database": settings.DATABASE_SEARCH_BACKEND}
    with override_settings(WAGTAILSEARCH_BACKENDS=backends):
        # Imported while Elasticsearch is down: saving works, the database backend is indexed.
        result = run_import(record(external_id="t-cafe", title="Språkcafé i Sunne"))
        assert not result.rejections
        facets.rebuild()
        page = PracticePage.objects.get(external_id="t-cafe")
        params = parse(QueryDict("q=språkcafé&lang=sv"), catalogue.get_catalogue())
        node.requests.clear()
        # The failed index updates opened the circuit breaker (tests/search/test_breaker.py);
        # here the engine is asked, and fails.
        breaker.reset()
        with caplog.at_level(logging.WARNING, logger="search.service"):
            outcome = service.run(params)

    assert outcome.degraded is True
    assert outcome.failed is False
    assert [result.page.pk for result in outcome.results] == [page.pk]
    assert [request.path for request in node.requests] == [f"/{INDEX}/_search"]
    (failure,) = [entry for entry in caplog.records if entry.name == "search.service"]
    assert failure.levelno >= logging.WARNING
    assert "falling back" in failure.getMessage()
    assert isinstance(failure.exc_info[1], elastic_transport.ConnectionError)


@pytest.mark.django_db
def test_service_uses_elasticsearch_hits_when_it_answers(node, site_tree, fresh_service, settings):
    backends = {"default": es_params(node), "database": settings.DATABASE_SEARCH_BACKEND}
    with override_settings(WAGTAILSEARCH_BACKENDS=backends):
        run_import(
            record(external_id="t-cafe", title="Språkcafé i Sunne"),
            record(external_id="t-kurs", title="Kurs i svenska"),
        )
        facets.rebuild()
        cafe = PracticePage.objects.get(external_id="t-cafe")
        course = PracticePage.objects.get(external_id="t-kurs")
        # Elasticsearch ranks the course first, though the query is about the café: the
        # service must show what the engine says, not what the database would.
        node.answer = canned_hits((course.pk, 9.0), (cafe.pk, 1.0))
        node.requests.clear()
        params = parse(QueryDict("q=språkcafé&lang=sv"), catalogue.get_catalogue())
        outcome = service.run(params)

    assert outcome.degraded is False
    assert [result.page.pk for result in outcome.results] == [course.pk, cafe.pk]
    assert [result.score for result in outcome.results] == [9.0, 1.0]
    (request,) = search_requests(node)
    assert searched_forms(request.body) == list(outcome.terms)
    assert "språkcafé" in outcome.terms
    # The reader's language goes to the engine: its Swedish sub-fields are searched too.
    assert {"_all_text_boost_1_5.sv^0.75", "_all_text_boost_2_0.sv"} <= searched_fields(
        request.body
    )
    assert not any(field.split("^")[0].endswith(".en") for field in searched_fields(request.body))
    # Lead pages also match by their translations' text: the search counts records by them.
    (translations,) = translations_matches(request.body)
    assert translations["multi_match"]["query"].split() == list(outcome.terms)


@pytest.mark.django_db
def test_service_takes_counts_and_facets_from_the_engine(node, site_tree, fresh_service, settings):
    """The Elasticsearch backend runs the same record search as OpenSearch: one request with
    the record folding, the filters and the facet aggregations, and the counts it answers are
    the ones shown (the database holds one record; the engine says 42)."""
    backends = {"default": es_params(node), "database": settings.DATABASE_SEARCH_BACKEND}
    with override_settings(WAGTAILSEARCH_BACKENDS=backends):
        run_import(record(external_id="t-cafe", title="Språkcafé i Sunne"))
        facets.rebuild()
        cafe = PracticePage.objects.get(external_id="t-cafe")

        def answer(request):
            if not request.path.endswith("/_search"):
                return default_answer(request)
            response = search_answer(request, [(cafe.pk, 3.0)])
            counted = response["aggregations"]["records"]  # the records' lead pages
            counted["matching"]["doc_count"] = 42
            counted["municipality"]["values"]["buckets"] = [{"key": "1780", "doc_count": 40}]
            return 200, response

        node.answer = staticmethod(answer)
        node.requests.clear()
        params = parse(QueryDict("q=språkcafé&lang=sv&type=practice"), labels.get_labels())
        outcome = service.run(params)

    assert not outcome.degraded
    assert outcome.count == 42
    assert outcome.facets["municipality"] == {"1780": 40}
    assert [result.page.pk for result in outcome.results] == [cafe.pk]
    (request,) = search_requests(node)
    assert request.body["collapse"] == {"field": "translation_key_filter"}
    assert request.body["post_filter"] == {
        "bool": {"filter": [{"terms": {"record_type": ["practice"]}}]}
    }
    (leads,) = request.body["aggs"].values()
    assert leads["filter"] == {"term": {"record_lead": True}}
    assert set(leads["aggs"]) == {*FACETS, "matching"}
