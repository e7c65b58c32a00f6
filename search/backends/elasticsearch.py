"""Wagtail's Elasticsearch 9 backend with our text analysis and a one-request ``ranked()``.

Settings name this module (``"BACKEND": "search.backends.elasticsearch"``) with the stock
options (``URLS``, ``INDEX_PREFIX``, ``TIMEOUT``, ``OPTIONS``, ``INDEX_SETTINGS``,
``ATOMIC_REBUILD``), plus ``COMPATIBLE_WITH`` (below).

What the stock backend does (modelsearch 1.3.2, ``backends/elasticsearchbase.py`` and
``elasticsearch8.py``) and what this subclass changes:

- **Analysis.** Stock defines only its ngram/edgengram analysers and sets no analyser on text
  fields, so everything goes through Elasticsearch's ``standard`` analyser. Our indexed fields
  already carry the Python-made word forms (``search.analysis``: stems, Swedish compound parts,
  normalised Arabic script), and queries arrive as those forms, so the index ``default``
  analyser here only does what ``analysis.normalise`` does: it strips Arabic diacritics,
  unifies Arabic-script letters (the same table, imported from ``search.analysis``), and
  lowercases. It keeps å, ä and ö (no ASCII folding). The stock analysers stay: our settings
  are deep-merged into the class defaults, and ``INDEX_SETTINGS`` on top of both, as stock does.
- **Language sub-fields.** Each ``_all_text*`` field (the ``copy_to`` targets the stock query
  searches) gets multi-fields ``.sv``, ``.en``, ``.ar`` and ``.fa``, analysed as Swedish
  (stop words, a small ``dictionary_decompounder``, Snowball stemmer), English (possessives,
  stop words, stemmer), Arabic (``arabic_normalization``, stemmer) and Persian
  (``arabic_normalization``, ``persian_normalization``; no stemmer, as Elasticsearch only
  gained a Persian one late in 8.x, elastic/elasticsearch#99106). Stop words are ours
  (``search.stopwords``), so a word the Python side keeps is never dropped here. Everything
  is stock Elasticsearch, no plugins. ``ranked(..., language="sv")`` adds the reader's
  sub-fields to the query at ``LANGUAGE_FIELD_BOOST``; without ``language`` only the main
  fields are searched, as the database backends do.
- **``ranked()``.** Stock results fetch at most 100 hits per request and scroll beyond that
  (``ranked()``'s limit of 5,000 would mean 50 requests plus a scroll clear) and then load
  every object from the database. Here the query and filters are compiled by the stock query
  compiler (so ``live``, locale, content types and view restrictions on the queryset become
  Elasticsearch filters exactly as in ``search()``), sent as one ``_search`` with
  ``size=limit``, and the ids and scores come back without touching the database. Transport
  errors, timeouts and HTTP errors propagate: the search service falls back on them.
  Stock scoring is one ``multi_match`` of all terms, so a query word indexed with five forms
  (word, stem, compound parts) scores up to five times. Given ``groups`` (the forms of each
  query word, as the service passes them), each word scores once, by its best form
  (``dis_max``), and the words add up; BM25 already weighs each form by its rarity.
- **Elasticsearch 8.** elasticsearch-py 9 asks for ``compatible-with=9`` on every request,
  which an 8.x server refuses (400 ``media_type_header_exception``; elasticsearch-py 9.0.0
  release notes). ``COMPATIBLE_WITH`` (default 8) rewrites the ``Accept`` and
  ``Content-Type`` headers to ``compatible-with=8``: an 8.x server reads that as its own
  version, and a 9.x server as REST API compatibility with 8, which covers everything
  modelsearch sends. ``COMPATIBLE_WITH: None`` keeps the client's own headers.
- **Indexing errors** are still caught and logged (stock ``catch_indexing_errors = True``),
  so saving a page never fails because Elasticsearch is down.

Verified without a cluster (``tests/search/test_elasticsearch_http.py``, at the client's HTTP
boundary): the index settings, mapping, bulk body and ``_search`` body sent, the headers, the
parsing of a response and the error paths. Not verified without a live cluster: that 8.x and
9.x servers accept these headers and settings; that ``copy_to`` fills the sub-fields of its
target (Elasticsearch's ``FieldMapper.parse`` parses multi-fields for copied values too, by
its source, but untested here); and the relevance the language sub-fields add.
``tests/search/test_elasticsearch_live.py`` checks the first two against ``ELASTICSEARCH_URL``.
Known gaps: no NFC normalisation (needs the ICU plugin), and the ``standard`` tokenizer keeps
``don't`` as one word where ``search.analysis`` splits it.
"""

import re
from copy import deepcopy
from functools import cache

from elastic_transport import HttpHeaders, Transport
from modelsearch.backends.elasticsearch9 import (
    Elasticsearch9AutocompleteQueryCompiler,
    Elasticsearch9Mapping,
    Elasticsearch9SearchBackend,
    Elasticsearch9SearchQueryCompiler,
)
from modelsearch.backends.elasticsearchbase import Field
from modelsearch.index import get_indexed_models
from modelsearch.utils import deep_update

from .. import breaker, resync
from ..documents import derived_fields
from ..normalise import ARABIC_DIACRITICS_RE, ARABIC_SCRIPT_MAP
from ..stopwords import STOP_WORDS
from .ranking import RANKED_LIMIT, RankedSearchMixin, or_query

# Language code -> analyser of the ``_all_text*`` sub-field of that name.
LANGUAGE_ANALYZERS = {
    "sv": "swedish_text",
    "en": "english_text",
    "ar": "arabic_text",
    "fa": "persian_text",
}
LANGUAGE_FIELD_BOOST = 0.5  # a sub-field hit counts this much relative to the main field's
MAX_RESULT_WINDOW = 10_000  # Elasticsearch's default index.max_result_window
DEFAULT_COMPATIBLE_WITH = 8

# Heads and first parts of compounds common on the platform ("språkcafé", "läxhjälp",
# "arbetsplats"). search.analysis splits compounds with a full lexicon; this list only gives the
# Swedish sub-field a little of that, without plugins or files on the server.
SWEDISH_COMPOUND_PARTS = """
arbete barn bibliotek boende bostad café cirkel coach dialog etablering familj fritid företag
förening grupp handledning hjälp hälsa idrott information insats integration jobb kafé kommun
kultur kurs kvinnor läxa läxor lots marknad mentor möte nätverk orientering plats praktik program
projekt region samhälle skola språk studie stöd träff ungdom utbildning validering verksamhet
vägledning yrke
""".split()


def _char_escape(char):
    return f"\\u{ord(char):04x}"


def _script_mappings():
    """``analysis.ARABIC_SCRIPT_MAP`` as ``mapping`` char filter rules (``\\u064a=>\\u06cc``)."""
    rules = []
    for code, replacement in sorted(ARABIC_SCRIPT_MAP.items()):
        target = "".join(_char_escape(char) for char in replacement or "")
        rules.append(f"{_char_escape(chr(code))}=>{target}")
    return rules


def _stop(language):
    return {"type": "stop", "stopwords": sorted(STOP_WORDS[language]), "ignore_case": True}


def _analyzer(*filters):
    return {
        "type": "custom",
        "char_filter": ["arabic_diacritics", "arabic_script"],
        "tokenizer": "standard",
        "filter": ["lowercase", *filters],
    }


ANALYSIS = {
    "char_filter": {
        "arabic_diacritics": {
            "type": "pattern_replace",
            "pattern": ARABIC_DIACRITICS_RE.pattern,
            "replacement": "",
        },
        "arabic_script": {"type": "mapping", "mappings": _script_mappings()},
    },
    "filter": {
        "swedish_stop": _stop("sv"),
        "swedish_decompounder": {
            "type": "dictionary_decompounder",
            "word_list": SWEDISH_COMPOUND_PARTS,
            "min_subword_size": 4,
            "only_longest_match": True,
        },
        "swedish_stemmer": {"type": "stemmer", "language": "swedish"},
        "english_stop": _stop("en"),
        "english_possessive_stemmer": {"type": "stemmer", "language": "possessive_english"},
        "english_stemmer": {"type": "stemmer", "language": "english"},
        "arabic_stop": _stop("ar"),
        "arabic_stemmer": {"type": "stemmer", "language": "arabic"},
        "persian_stop": _stop("fa"),
    },
    "analyzer": {
        "default": _analyzer(),
        "swedish_text": _analyzer("swedish_stop", "swedish_decompounder", "swedish_stemmer"),
        "english_text": _analyzer("english_possessive_stemmer", "english_stop", "english_stemmer"),
        "arabic_text": _analyzer(
            "decimal_digit", "arabic_stop", "arabic_normalization", "arabic_stemmer"
        ),
        "persian_text": _analyzer(
            "decimal_digit", "persian_stop", "arabic_normalization", "persian_normalization"
        ),
    },
}


class LanguageMapping(Elasticsearch9Mapping):
    """Stock mapping plus the fields search derives for content pages (``derived_fields``),
    and a sub-field per language on every ``_all_text*`` field."""

    language_analyzers = LANGUAGE_ANALYZERS

    def get_mapping(self):
        mapping = super().get_mapping()
        properties = mapping["properties"]
        for field in derived_fields(self.model):
            # Text copied to the catch-all fields, as stock maps a model's own SearchFields.
            name, field_mapping = self.get_field_mapping(field)
            field_mapping.pop("include_in_all", None)
            boost = field_mapping.pop("boost", None)
            field_mapping["copy_to"] = "_all_text"
            if boost:
                boost_field = self.get_boost_field_name(boost)
                field_mapping["copy_to"] = ["_all_text", boost_field]
                properties.setdefault(boost_field, {"type": "text"})
            properties[name] = field_mapping
        for name, field in properties.items():
            if name.startswith("_all_text"):
                field["fields"] = {
                    language: {"type": "text", "analyzer": analyzer}
                    for language, analyzer in self.language_analyzers.items()
                }
        return mapping

    def get_document(self, obj):
        document = super().get_document(obj)
        for field in derived_fields(self.model):
            name, value, _edgengrams = self._get_document_field_data(field, obj)
            document[name] = value
        return document


class LanguageQueryCompiler(Elasticsearch9SearchQueryCompiler):
    mapping_class = LanguageMapping
    groups = None  # set by ranked(): the forms of each query word

    def _remap_fields(self, fields):
        """Stock's fields, plus the boosted catch-all fields of the derived fields."""
        remapped = super()._remap_fields(fields)
        if fields:
            return remapped
        present = {field.field_name for field in remapped}
        for model in get_indexed_models():
            if not issubclass(model, self.queryset.model):
                continue
            for field in derived_fields(model):
                if field.boost:
                    name = self.mapping.get_boost_field_name(float(field.boost))
                    if name not in present:
                        present.add(name)
                        remapped.append(Field(name, float(field.boost)))
        return remapped

    def get_inner_query(self):
        """With ``groups``: the best-matching form of each query word, summed over words."""
        if not self.groups:
            return super().get_inner_query()
        fields = [field.field_name_with_boost for field in self.remapped_fields]
        words = []
        for group in self.groups:
            forms = [{"multi_match": {"query": form, "fields": fields}} for form in group]
            words.append(forms[0] if len(forms) == 1 else {"dis_max": {"queries": forms}})
        return {"bool": {"should": words, "minimum_should_match": 1}}

    def add_language_fields(self, language, boost=LANGUAGE_FIELD_BOOST):
        """Also search the ``<field>.<language>`` sub-fields of the ``_all_text*`` fields."""
        if language not in self.mapping.language_analyzers:
            return
        self.remapped_fields = self.remapped_fields + [
            Field(f"{field.field_name}.{language}", field.boost * boost)
            for field in self.remapped_fields
            if field.field_name.startswith("_all_text")
        ]


class LanguageAutocompleteQueryCompiler(Elasticsearch9AutocompleteQueryCompiler):
    mapping_class = LanguageMapping


COMPAT_RE = re.compile(r"compatible-with=\d+")


class CompatibilityTransport(Transport):
    """Sends ``compatible-with=<compatible_with>`` instead of the client's major version."""

    compatible_with = DEFAULT_COMPATIBLE_WITH

    def perform_request(self, method, target, *, headers=None, **kwargs):
        if headers:
            headers = HttpHeaders(headers)
            for name in ("accept", "content-type"):
                if name in headers:
                    headers[name] = COMPAT_RE.sub(
                        f"compatible-with={self.compatible_with}", headers[name]
                    )
            kwargs["headers"] = headers
        return super().perform_request(method, target, **kwargs)


@cache
def compatibility_transport(major):
    return type(
        f"Compatible{major}Transport", (CompatibilityTransport,), {"compatible_with": major}
    )


class SearchBackend(RankedSearchMixin, Elasticsearch9SearchBackend):
    mapping_class = LanguageMapping
    query_compiler_class = LanguageQueryCompiler
    autocomplete_query_compiler_class = LanguageAutocompleteQueryCompiler
    settings = deep_update(
        deepcopy(Elasticsearch9SearchBackend.settings), {"settings": {"analysis": ANALYSIS}}
    )
    catch_indexing_errors = True  # as stock: a failed index update is logged, never raised
    max_result_window = MAX_RESULT_WINDOW
    # Guarded by the circuit breaker (``search.breaker``); missed updates are replayed.
    is_engine = True

    def __init__(self, params):
        params = dict(params)
        compatible_with = params.pop("COMPATIBLE_WITH", DEFAULT_COMPATIBLE_WITH)
        options = dict(params.get("OPTIONS") or {})
        if compatible_with is not None:
            options.setdefault("transport_class", compatibility_transport(int(compatible_with)))
        params["OPTIONS"] = options
        super().__init__(params)

    # Index updates as pages change (modelsearch's signal handlers). While the engine fails or
    # its breaker is open, the object is kept pending and sent when it answers again
    # (``search.resync``); a failure still raises, for modelsearch to log it.

    def add(self, obj):
        self._guarded(super().add, obj)

    def delete(self, obj):
        self._guarded(super().delete, obj)

    def delete_now(self, obj):
        """Delete ``obj`` from the index without the breaker (the resync holds it)."""
        super().delete(obj)

    def _guarded(self, write, obj):
        try:
            breaker.call(write, obj)
        except breaker.Open:
            resync.mark_pending(obj)
        except Exception:
            resync.mark_pending(obj)
            raise

    def ranked(
        self,
        terms,
        queryset,
        limit=RANKED_LIMIT,
        groups=None,
        checked=False,
        ordered=True,
        language=None,
    ):
        """[(pk, score)] best first (``ordered`` or not), from one ``_search`` request; errors
        propagate.

        ``groups`` (the forms of each query word) makes each word count once, by its
        best-matching form; without it every term counts (one ``multi_match``, stock).
        ``language`` also searches that language's sub-fields. The queryset's filters are
        always applied (as ``live`` and content-type filters in the request), ``checked`` or
        not: they keep drafts out of the result window.
        """
        if not terms or limit <= 0:
            return []
        results = self.search(or_query(terms), queryset, operator="or")
        compiler = getattr(results, "query_compiler", None)
        if compiler is None:  # EmptySearchResults: the model is not indexed
            return []
        compiler.groups = [tuple(group) for group in groups or () if group] or None
        if language:
            compiler.add_language_fields(language)
        response = self.es.search(
            index=self.get_index_for_model(queryset.model).name,
            query=compiler.get_query(),
            size=min(limit, self.max_result_window),
            _source=False,
            track_total_hits=False,
        )
        to_python = queryset.model._meta.pk.to_python
        return [
            (to_python(hit["_id"]), float(hit.get("_score") or 0.0))
            for hit in response["hits"]["hits"]
        ]
