"""One search for records, answered by the engine: the request body and what its answer means.

Every page document carries its record's fields (``search.records.engine_fields``), so one
``_search`` request does what the database path does in the worker with its snapshot:

- **folding**: ``collapse`` on the record's key (``translation_key``) returns one hit per
  record, its best-scoring page; without a text query only each record's lead page (its source)
  is searched, so every hit is a record and no folding is needed;
- **filters**: a ``post_filter`` (OR within a facet, AND across facets), so the facets can be
  counted without their own filter;
- **facet counts**: an aggregation per facet under the other facets' filters (a record that
  fails only that facet's filter counts there), counting records as their lead pages (exact):
  a lead page carries its translations' text (``search.records.TRANSLATIONS_TEXT``), and a
  text query also matches a lead page by that text (``with_translations``, at a score too
  small to change any order), so the lead page matches whenever a page of the record does;
- **order**: relevance (ties newest first) or newest; paging by ``from``/``size``;
- **private pages**: pages in a view-restricted section are left out by path (the sections are
  few, and a restriction takes effect without re-indexing anything);
- **typos**: a term suggester per query word, for words the index does not hold
  (``suggest_mode: missing``, one edit away, as ``search.spelling`` does with the snapshot's
  vocabulary);
- **records found by meaning** (``search.fusion``): the semantic ranking's best records are
  found too, whatever their text, with ``SEMANTIC_BOOST`` added to their score so they are in
  the window the service fuses; it subtracts the boost again (``lexical_score``).
"""

from collections import Counter
from dataclasses import dataclass, field

from ..analysis import LANGUAGES
from ..facets import FACETS
from ..records import FACET_FIELD, TRANSLATIONS_TEXT

RECORD_KEY = "translation_key_filter"  # the stock keyword field of Page.translation_key
PATH = "path_filter"
DEPTH = "depth_filter"
ACTIVITY_FIELD = FACET_FIELD.format("activity_type")
SUGGEST_FIELD = "_all_text_boost_2_0"  # titles, their forms and the labels (``field_boost``)
# Counting distinct record numbers among every matching page (``cardinality``) instead took
# 264 ms of a search for a word in most of 100,000 records (about 140,000 matching pages: every
# page carries its record's labels in four languages), 35 ms as lead pages; and was an estimate
# above about 1,000 records per facet value.
MAX_FACET_VALUES = 1000  # more than any facet has (290 municipalities)
NEWEST = [
    {"record_start": {"order": "desc"}},
    {"record_published": {"order": "desc"}},
    {"record_source": {"order": "desc"}},
]
SOURCE_FIELDS = [
    RECORD_KEY,
    "record_pages",
    "record_source",
    *(FACET_FIELD.format(facet) for facet in FACETS),
]
# Far above any text score: records found by meaning come first in the engine's order, so the
# fusion window holds them; the text score is the rest.
SEMANTIC_BOOST = 10_000.0
# Typo candidates, as ``search.spelling``: words of five letters or more, one edit away.
SUGGEST_MIN_LENGTH = 5
SUGGEST_SIZE = 3


@dataclass
class RecordHit:
    key: str  # the translation key
    score: float
    source_id: int
    pages: dict  # language -> page id
    facets: dict  # facet -> frozenset of values


@dataclass
class RecordPage:
    count: int = 0
    hits: list = field(default_factory=list)  # [RecordHit] of the page asked for
    facets: dict = field(default_factory=dict)  # facet -> Counter(value -> records)
    suggestions: dict = field(default_factory=dict)  # query word -> [close words]


def facet_filter(filters, skip=None):
    """A filter clause: OR within a facet, AND across facets (but ``skip``)."""
    clauses = [
        {"terms": {FACET_FIELD.format(facet): sorted(values)}}
        for facet, values in filters.items()
        if facet != skip and values
    ]
    return {"bool": {"filter": clauses}} if clauses else {"match_all": {}}


def private_sections(sections):
    """A clause matching the pages of the view-restricted ``sections`` ([(path, depth)])."""
    return [
        {"bool": {"filter": [{"prefix": {PATH: path}}, {"range": {DEPTH: {"gte": depth}}}]}}
        for path, depth in sections
    ]


# A lead page found only by its translations' text scores this: enough to be a hit, too little
# to change the order of pages that match by their own text.
TRANSLATIONS_SCORE = 1e-6
TRANSLATIONS_FIELDS = [TRANSLATIONS_TEXT, *(f"{TRANSLATIONS_TEXT}.{code}" for code in LANGUAGES)]
LEAD = {"term": {"record_lead": True}}


def with_translations(base, every_page, terms):
    """``base`` or the lead pages whose translations' text has one of ``terms`` (the query's
    forms); ``every_page``: the compiled query of every page searched, without text."""
    by_translations = {
        "constant_score": {
            "filter": {
                "bool": {
                    "filter": [
                        every_page,
                        LEAD,
                        {"multi_match": {"query": " ".join(terms), "fields": TRANSLATIONS_FIELDS}},
                    ]
                }
            },
            "boost": TRANSLATIONS_SCORE,
        }
    }
    return {"bool": {"should": [base, by_translations], "minimum_should_match": 1}}


def lead_pages(aggs):
    """``aggs`` over the lead pages of the records a text query matches: each record once."""
    return {RECORDS: {"filter": LEAD, "aggs": aggs}}


RECORDS = "records"  # the aggregation holding a text query's counts (``lead_pages``)


def with_records(base, every_page, keys):
    """``base`` or the pages of the records ``keys`` (translation keys), those scored
    ``SEMANTIC_BOOST`` more; ``every_page``: the compiled query of every page searched (``live``,
    content types) without text."""
    by_meaning = {
        "constant_score": {
            "filter": {"bool": {"filter": [every_page, {"terms": {RECORD_KEY: list(keys)}}]}},
            "boost": SEMANTIC_BOOST,
        }
    }
    return {"bool": {"should": [base, by_meaning], "minimum_should_match": 1}}


def lexical_score(hit, keys):
    """The text's score of a hit of a ``with_records`` query (0: found by meaning only)."""
    return max(0.0, hit.score - SEMANTIC_BOOST) if hit.key in keys else hit.score


def body(base, filters, *, text, sort, start, size, private=(), words=()):
    """The ``_search`` body.

    ``base``: the compiled query of the pages to search (text, ``live``, content types);
    ``text``: whether it searches text (else every record, by its lead page); ``private``:
    [(path, depth)] of the restricted sections; ``words``: query words to find corrections for.
    """
    query = {"bool": {"must": [base]}}
    if not text:
        query["bool"]["filter"] = [{"term": {"record_lead": True}}]
    if private:
        query["bool"]["must_not"] = private_sections(private)
    aggs = {
        facet: {
            "filter": facet_filter(filters, skip=facet),
            "aggs": {
                "values": {"terms": {"field": FACET_FIELD.format(facet), "size": MAX_FACET_VALUES}}
            },
        }
        for facet in FACETS
    }
    if text:
        aggs["matching"] = {"filter": facet_filter(filters)}
        aggs = lead_pages(aggs)
    request = {
        "query": query,
        "post_filter": facet_filter(filters),
        "aggs": aggs,
        "from": start,
        "size": size,
        "sort": _order(text, sort),
        "track_scores": True,
        "track_total_hits": not text,
        "_source": SOURCE_FIELDS,
    }
    if text:
        request["collapse"] = {"field": RECORD_KEY}
    suggest = suggesters(words)
    if suggest:
        request["suggest"] = suggest
    return request


def _order(text, sort):
    """Relevance (ties newest first), newest, or recently checked (ties newest first)."""
    if sort == "checked":
        return [{"record_checked_day": {"order": "desc"}}, *NEWEST]
    return (["_score"] if text and sort == "relevance" else []) + NEWEST


def suggesters(words):
    return {
        f"word{position}": {
            "text": word,
            "term": {
                "field": SUGGEST_FIELD,
                "suggest_mode": "missing",
                "max_edits": 1,
                "prefix_length": 0,
                "min_word_length": SUGGEST_MIN_LENGTH,
                "size": SUGGEST_SIZE,
            },
        }
        for position, word in enumerate(words)
        if len(word) >= SUGGEST_MIN_LENGTH and not word.isdigit()
    }


def relaxation_body(base, filters, *, text, private=()):
    """A ``size: 0`` request counting the records each filter value's removal would give
    (only asked when a search finds nothing), and the activity types of all records."""
    query = body(base, {}, text=text, sort="relevance", start=0, size=0, private=private)
    aggs = {}
    for facet, values in filters.items():
        for value in sorted(values):
            relaxed = dict(filters)
            relaxed[facet] = frozenset(values) - {value}
            aggs[f"without-{len(aggs)}"] = {"filter": facet_filter(relaxed)}
    if text and aggs:
        aggs = lead_pages(aggs)
    # Every record's activity types, whatever the query: the lead pages, live and public.
    every_record = [{"term": {"record_lead": True}}, {"term": {"live_filter": True}}]
    aggs["every-record"] = {
        "global": {},
        "aggs": {
            "listed": {
                "filter": {"bool": {"filter": every_record, "must_not": private_sections(private)}},
                "aggs": {"values": {"terms": {"field": ACTIVITY_FIELD, "size": MAX_FACET_VALUES}}},
            }
        },
    }
    return {"query": query["query"], "aggs": aggs, "size": 0, "track_total_hits": False}


def _counts(response, text):
    """The aggregations that count records: over the lead pages for a text query."""
    aggs = response.get("aggregations", {})
    return aggs.get(RECORDS, {}) if text else aggs


def read(response, *, text, words=()):
    """The ``RecordPage`` of a ``body()`` request's response."""
    aggs = _counts(response, text)
    if text:
        count = aggs["matching"]["doc_count"]
    else:
        count = response["hits"]["total"]["value"]
    facets = {}
    for facet in FACETS:
        buckets = aggs.get(facet, {}).get("values", {}).get("buckets", [])
        facets[facet] = Counter(
            {bucket["key"]: bucket["doc_count"] for bucket in buckets if bucket["doc_count"]}
        )
    hits = []
    for hit in response["hits"]["hits"]:
        source = hit.get("_source", {})
        hits.append(
            RecordHit(
                key=source.get(RECORD_KEY) or "",
                score=float(hit.get("_score") or 0.0),
                source_id=int(source.get("record_source") or hit["_id"]),
                pages=_pages(source.get("record_pages", ())),
                facets={
                    facet: frozenset(source.get(FACET_FIELD.format(facet), ())) for facet in FACETS
                },
            )
        )
    return RecordPage(count=count, hits=hits, facets=facets, suggestions=read_suggestions(response))


def _pages(pairs):
    """{language: page id} from ``["sv:12", "en:14"]``."""
    pages = {}
    for pair in pairs:
        language, _, pk = pair.partition(":")
        pages[language] = int(pk)
    return pages


def read_suggestions(response):
    """{query word: [close words]} from the term suggesters (``suggesters``)."""
    found = {}
    for entries in response.get("suggest", {}).values():
        for entry in entries:
            options = [option["text"] for option in entry.get("options", ())]
            if options:
                found[entry["text"]] = options[:SUGGEST_SIZE]
    return found


def read_relaxations(response, filters, *, text):
    """([(facet, value, records)], [(activity type, records)]) from a ``relaxation_body``
    response: the first in the filters' order, the second most common first."""
    aggs = _counts(response, text)
    found = []
    for facet, values in filters.items():
        for value in sorted(values):
            bucket = aggs[f"without-{len(found)}"]
            found.append((facet, value, bucket["doc_count"]))
    buckets = response["aggregations"]["every-record"]["listed"]["values"]["buckets"]
    activity_types = sorted(
        ((bucket["key"], bucket["doc_count"]) for bucket in buckets),
        key=lambda item: (-item[1], item[0]),
    )
    return found, activity_types
