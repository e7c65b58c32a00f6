"""What our Elasticsearch and OpenSearch backends share: text analysis, language sub-fields,
the derived fields, scoring by each query word's best form, a one-request ``ranked()``, and
index updates guarded by the circuit breaker.

The two engines speak the same query language and modelsearch builds both backends on one base
(``modelsearch.backends.elasticsearchbase``); they differ only in their Python clients.
``search.backends.elasticsearch`` (Elasticsearch 8/9, the ``elasticsearch`` client) and
``search.backends.opensearch`` (OpenSearch 2, ``opensearch-py``) combine the mixins here with
modelsearch's classes for their engine and say how to send one ``_search`` (``_send_search``).

- **Analysis.** Stock defines only its ngram/edgengram analysers and sets no analyser on text
  fields, so everything goes through the engine's ``standard`` analyser. Our indexed fields
  already carry the Python-made word forms (``search.analysis``: stems, Swedish compound parts,
  normalised Arabic script), and queries arrive as those forms, so the index ``default``
  analyser here only does what ``analysis.normalise`` does: it strips Arabic diacritics,
  unifies Arabic-script letters (the same table, imported from ``search.analysis``), and
  lowercases. It keeps å, ä and ö (no ASCII folding). The stock analysers stay: our settings
  are deep-merged into the class defaults, and ``INDEX_SETTINGS`` on top of both, as stock does.
- **Language sub-fields.** The title's and the summary's catch-all fields (``copy_to`` targets
  the stock query searches; ``LANGUAGE_FIELDS_OF``, not the full text's) get multi-fields
  ``.sv``, ``.en``, ``.ar`` and ``.fa``, analysed as Swedish
  (stop words, a small ``dictionary_decompounder``, Snowball stemmer), English (possessives,
  stop words, stemmer), Arabic (``arabic_normalization``, stemmer) and Persian
  (``arabic_normalization``, ``persian_normalization``; no stemmer, as Elasticsearch only
  gained a Persian one late in 8.x, elastic/elasticsearch#99106). Stop words are ours
  (``search.stopwords``), so a word the Python side keeps is never dropped here. Everything
  is in the engines' analysis-common module, no plugins. ``ranked(..., language="sv")`` adds
  the reader's sub-fields to the query at ``LANGUAGE_FIELD_BOOST``; without ``language`` only
  the main fields are searched, as the database backends do.
- **``ranked()``.** Stock results fetch at most 100 hits per request and scroll beyond that
  (``ranked()``'s limit of 5,000 would mean 50 requests plus a scroll clear) and then load
  every object from the database. Here the query and filters are compiled by the stock query
  compiler (so ``live``, locale, content types and view restrictions on the queryset become
  engine filters exactly as in ``search()``), sent as one ``_search`` with ``size=limit``,
  and the ids and scores come back without touching the database. Transport errors, timeouts
  and HTTP errors propagate: the search service falls back on them. Stock scoring is one
  ``multi_match`` of all terms, so a query word indexed with five forms (word, stem, compound
  parts) scores up to five times. Given ``groups`` (the forms of each query word, as the
  service passes them), each word scores once, by its best form (``dis_max``), and the words
  add up; BM25 already weighs each form by its rarity. A form found in several fields counts its
  best field and a share (``TIE_BREAKER``) of the others. The search service passes the reader's
  language, so that language's sub-fields count too.
- **Field weights.** The boosted derived fields (the title's forms, the labels) are copied to
  the title's catch-all field, ``_all_text_boost_2_0`` (``field_boost``), as the database
  backends put every field boosted 2 or more in one title column: in a field of their own the
  title's forms were scored several times a title word (a short field, rare words).
  ``refresh_indexes()`` makes what was just indexed searchable at once, in one request
  (evaluations and tests, which search right after indexing).
- **Index updates** as pages change go through the circuit breaker (``search.breaker``);
  while the engine fails or the breaker is open the page is kept pending
  (``search.resync``) and sent when it answers again. Errors are still caught and logged
  (stock ``catch_indexing_errors = True``), so saving a page never fails because the engine
  is down.

Known gaps: no NFC normalisation (needs the ICU plugin), and the ``standard`` tokenizer keeps
``don't`` as one word where ``search.analysis`` splits it.
"""

import time
from collections import deque
from concurrent.futures import ThreadPoolExecutor
from copy import deepcopy

from modelsearch.backends.elasticsearchbase import ElasticsearchAtomicIndexRebuilder, Field
from modelsearch.index import class_is_indexed, get_indexed_models
from modelsearch.query import MATCH_ALL
from modelsearch.utils import deep_update
from wagtail.models import Page

from .. import breaker, records, resync
from ..analysis import flatten
from ..documents import derived_fields, prefetched_labels
from ..normalise import ARABIC_DIACRITICS_RE, ARABIC_SCRIPT_MAP
from ..stopwords import STOP_WORDS
from . import record_query
from .ranking import RANKED_LIMIT, RankedSearchMixin, or_query

# Language code -> analyser of the ``_all_text*`` sub-field of that name.
LANGUAGE_ANALYZERS = {
    "sv": "swedish_text",
    "en": "english_text",
    "ar": "arabic_text",
    "fa": "persian_text",
}
LANGUAGE_FIELD_BOOST = 0.5  # a sub-field hit counts this much relative to the main field's
# The catch-all fields with language sub-fields: the title's and labels' (boost 2) and the
# summary's (1.5). The full text (``_all_text``) has none: its stems and compound parts are
# already indexed as ``text_forms`` (``search.documents``), and analysing it four more times was
# a quarter of the engine's indexing time (275 against 368 pages/s) for 0.005 nDCG@10 on the
# dev set (0.889 against 0.884).
LANGUAGE_FIELDS_OF = ("_all_text_boost_2_0", "_all_text_boost_1_5")
# Derived fields boosted this much or more (the title's forms, 3; the labels, 2) go with the title
# into its catch-all field (``_all_text_boost_2_0``), searched at this boost: the database
# backends likewise put every field boosted 2 or more in one title column (``sqlite.TITLE_BOOST``).
HEAVY_BOOST = 2.0
# A form found in several fields (the title and the text, a label and the summary) scores its
# best field plus this share of the others (``multi_match`` ``tie_breaker``; 0, stock, is the
# best field alone), as the database backends add up a word's weighted columns. On the dev set
# (``evaluate_search``, an index merged after import, with the full text's language sub-fields
# then) nDCG@10 was 0.874 at 0, 0.883-0.892 from 0.2 to 0.6, 0.874 at 1: the middle of that
# plateau, not its top.
TIE_BREAKER = 0.3
MAX_RESULT_WINDOW = 10_000  # the engines' default index.max_result_window

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


def field_boost(boost):
    """The boost a derived field is copied and searched at: at most ``HEAVY_BOOST``.

    A catch-all field of their own would hold only the title's extra forms (stems, compound
    parts, spellings without å/ä/ö), so short and with those forms so rare in it that BM25
    scored a match there several times a match of the title's own words or of a label (12
    against 2.5 for the stem ``employ``): one title word outweighed several query words found
    in the labels. Sharing the title's field, a word and its forms are scored alike, as in the
    database backends' title column.
    """
    return min(float(boost), HEAVY_BOOST)


def engine_settings(base_settings):
    """A stock backend's index settings with our analysis merged in."""
    return deep_update(deepcopy(base_settings), {"settings": {"analysis": ANALYSIS}})


class LanguageMappingMixin:
    """Stock mapping plus the fields search derives for content pages (``derived_fields``,
    boosted ones copied to the catch-all field of their ``field_boost``), and a sub-field per
    language on every ``_all_text*`` field."""

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
                boost_field = self.get_boost_field_name(field_boost(boost))
                field_mapping["copy_to"] = ["_all_text", boost_field]
                properties.setdefault(boost_field, {"type": "text"})
            properties[name] = field_mapping
        if derived_fields(self.model):
            properties.update(deepcopy(records.ENGINE_FIELDS))
            # The record key: every text search collapses on it.
            if "translation_key_filter" in properties:
                properties["translation_key_filter"]["eager_global_ordinals"] = True
        for name, field in properties.items():
            if name in LANGUAGE_FIELDS_OF or name == records.TRANSLATIONS_TEXT:
                field["fields"] = {
                    language: {"type": "text", "analyzer": analyzer}
                    for language, analyzer in self.language_analyzers.items()
                }
        return mapping

    def get_document(self, obj):
        document = super().get_document(obj)
        derived = derived_fields(self.model)
        for field in derived:
            name, value, _edgengrams = self._get_document_field_data(field, obj)
            document[name] = value
        if derived:
            document.update(records.page_fields(obj))
        return document


class LanguageQueryCompilerMixin:
    """The query compiler's changes (stock's ``_remap_fields`` and ``get_inner_query``)."""

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
                    boost = field_boost(field.boost)
                    name = self.mapping.get_boost_field_name(boost)
                    if name not in present:
                        present.add(name)
                        remapped.append(Field(name, boost))
        return remapped

    def get_inner_query(self):
        """With ``groups``: the best-matching form of each query word, summed over words."""
        if not self.groups:
            return super().get_inner_query()
        fields = [field.field_name_with_boost for field in self.remapped_fields]
        words = []
        for group in self.groups:
            forms = [
                {"multi_match": {"query": form, "fields": fields, "tie_breaker": TIE_BREAKER}}
                for form in group
            ]
            words.append(forms[0] if len(forms) == 1 else {"dis_max": {"queries": forms}})
        return {"bool": {"should": words, "minimum_should_match": 1}}

    def add_language_fields(self, language, boost=LANGUAGE_FIELD_BOOST):
        """Also search the ``<field>.<language>`` sub-fields (``LANGUAGE_FIELDS_OF``)."""
        if language not in self.mapping.language_analyzers:
            return
        self.remapped_fields = self.remapped_fields + [
            Field(f"{field.field_name}.{language}", field.boost * boost)
            for field in self.remapped_fields
            if field.field_name in LANGUAGE_FIELDS_OF
        ]


class EngineIndexMixin:
    """The index's bulk write (``add_items``: ``update_index``, resync, imports), put before
    modelsearch's index class of the engine."""

    def add_items(self, model, items):
        """Index ``items`` in bulk requests of ``BULK_CHUNK`` documents. For content pages,
        their records' fields are read once for all of them (``search.records.prefetched``),
        and documents are built while earlier chunks are sent: ``BULK_IN_FLIGHT`` threads do
        the HTTP, so the engine indexes on every core while Python builds (the engine's write
        pool has a thread per core and a bulk request into one shard keeps one of them busy).
        Documents are built in the calling thread, whose database connection and prefetched
        records they read."""
        if not derived_fields(model):
            super().add_items(model, items)
            return
        items = list(items)
        if not class_is_indexed(model) or not items:
            return
        mapping = self.mapping_class(model)
        with (
            records.prefetched(items),
            prefetched_labels(items),
            ThreadPoolExecutor(BULK_IN_FLIGHT) as sender,
        ):
            sending = deque()
            for start in range(0, len(items), BULK_CHUNK):
                actions = [
                    {"_id": mapping.get_document_id(item), **mapping.get_document(item)}
                    for item in items[start : start + BULK_CHUNK]
                ]
                if len(sending) == BULK_IN_FLIGHT:
                    sending.popleft().result()  # raises what that request raised
                sending.append(sender.submit(self.backend.send_bulk, actions, self.name))
            while sending:
                sending.popleft().result()


class BulkRebuilder(ElasticsearchAtomicIndexRebuilder):
    """``update_index``'s rebuild: into a new index that searches do not read until the alias
    moves to it (stock's atomic rebuild), written the way both engines' tuning guides advise
    for a bulk load: no refreshes and no replica copies while the documents go in (each
    replica would index every document again). ``finish`` puts the index's own settings back,
    waits until the replicas are copied (green), where the cluster has the nodes for them,
    and only then moves the alias: the new index is as safe from a lost node as the old one
    from its first search."""

    BULK_SETTINGS = {"refresh_interval": "-1", "number_of_replicas": 0}
    COPY_TIMEOUT = 300.0  # seconds

    def start(self):
        index = super().start()
        current = index.es.indices.get_settings(index=index.name)[index.name]["settings"]
        # A setting the index was created without is put back to the engine's default (None).
        self.created_with = {name: current["index"].get(name) for name in self.BULK_SETTINGS}
        self._put_settings(self.BULK_SETTINGS)
        return index

    def finish(self):
        self._put_settings(self.created_with)
        replicas = int(self.created_with.get("number_of_replicas") or 0)
        if replicas and self.index.es.cluster.health()["number_of_data_nodes"] > replicas:
            self._wait_for_copies()
        super().finish()

    def _wait_for_copies(self):
        # Polled rather than the health API's own wait: the two clients read its ``timeout``
        # parameter differently (a query parameter, or their own request timeout).
        deadline = time.monotonic() + self.COPY_TIMEOUT
        while self.index.es.cluster.health(index=self.index.name)["status"] != "green":
            if time.monotonic() > deadline:
                self.index.delete()
                raise TimeoutError(
                    f"the replicas of {self.index.name} were not copied within "
                    f"{self.COPY_TIMEOUT:.0f} s; it is deleted, the alias names the old index"
                )
            time.sleep(0.2)

    def _put_settings(self, values):
        index = self.index
        if index.backend.use_new_elasticsearch_api:
            index.es.indices.put_settings(index=index.name, settings={"index": values})
        else:
            index.es.indices.put_settings(index=index.name, body={"index": values})


_known_indexes = set()  # (hosts, index name) known to exist in this process


def forget_indexes():
    """Check again whether indexes exist (after they were deleted: tests, evaluations)."""
    _known_indexes.clear()


class EngineBackendMixin(RankedSearchMixin):
    """Put before modelsearch's backend class of the engine; subclasses define ``_send_search``."""

    catch_indexing_errors = True  # as stock: a failed index update is logged, never raised
    atomic_rebuilder_class = BulkRebuilder
    max_result_window = MAX_RESULT_WINDOW
    # Guarded by the circuit breaker (``search.breaker``); missed updates are replayed.
    is_engine = True
    refresh_on_write = True  # settings: "REFRESH_ON_WRITE"

    def __init__(self, params):
        params = dict(params)
        self.refresh_on_write = bool(params.pop("REFRESH_ON_WRITE", True))
        super().__init__(params)

    def _send_search(self, index, body):
        """The engine's response to one ``_search`` request with ``body`` on ``index``."""
        raise NotImplementedError

    def send_bulk(self, actions, index_name):
        """One bulk request of ``update_index`` and the resync, which may take the engine longer
        than the ``TIMEOUT`` a search waits (``BULK_TIMEOUT``)."""
        return self.bulk(self.es, actions, index=index_name, request_timeout=BULK_TIMEOUT)

    # Index updates as pages change (modelsearch's signal handlers). While the engine fails or
    # its breaker is open, the object is kept pending and sent when it answers again
    # (``search.resync``); a failure still raises, for modelsearch to log it.

    def add(self, obj):
        self._guarded(self._add, obj)

    def _add(self, obj):
        self.ensure_index(type(obj))
        super().add(obj)
        self._refresh_after_write(type(obj))

    def _delete(self, obj):
        super().delete(obj)
        self._refresh_after_write(type(obj))

    def _refresh_after_write(self, model):
        """One page published, unpublished, moved or deleted (an editor's request): refresh its
        index, so that search shows the change as soon as the request returns rather than up
        to a second later. Bulk writes (``add_bulk``: imports, resync, ``update_index``) leave
        it to the engine's own refresh; ``refresh_on_write = False`` leaves every write to it."""
        if self.refresh_on_write:
            self.get_index_for_model(model).refresh()

    def add_bulk(self, model, obj_list):
        self.ensure_index(model)
        super().add_bulk(model, obj_list)  # the index's ``add_items`` (``EngineIndexMixin``)

    def ensure_index(self, model):
        """Create ``model``'s index with our settings and mappings if it does not exist yet.

        Without it, the first page saved into a fresh cluster (before any ``update_index``)
        would make the engine create the index itself, with guessed mappings and no analysers,
        and searches would find nothing. Checked once per index and process.
        """
        index = self.get_index_for_model(model)
        key = (tuple(map(str, self.hosts)), index.name)
        if key in _known_indexes:
            return
        if not self.es.indices.exists(index=index.name):
            try:
                index.put()
            except Exception:  # noqa: BLE001 - another process may have just created it
                if not self.es.indices.exists(index=index.name):
                    raise
            else:
                for indexed in get_indexed_models():
                    if self.get_index_for_model(indexed).name == index.name:
                        index.add_model(indexed)
        _known_indexes.add(key)

    def delete_indexes(self):
        """Delete every index with this backend's prefix (scratch indexes of evaluations,
        benchmarks and tests). Aliases made by ``update_index`` are resolved to their indexes,
        which the engine requires for a delete. Refused without a prefix (it would name every
        index of the cluster)."""
        if not self.index_prefix:
            raise ValueError("delete_indexes() needs an INDEX_PREFIX")
        for name in self.es.indices.get(index=f"{self.index_prefix}*", expand_wildcards="all"):
            self.es.indices.delete(index=name)

    def refresh_indexes(self):
        """Make every update sent so far visible to searches (the engines show them only after
        a refresh, about once a second), in one request.

        Stock refreshes each index in turn and fails on one not created yet (a model with no
        object indexed); here those are skipped. For evaluations and tests, which search right
        after indexing: pages published on the site need no refresh.
        """
        names = [index.name for index in self.all_indexes()]
        if names:
            self.es.indices.refresh(index=",".join(names), ignore_unavailable=True)

    def settle_indexes(self):
        """Refresh, and merge away the copies that updates left behind (an update writes a
        new copy of the document and marks the old one deleted; until segments merge, the
        deleted copies still count in each word's statistics, so scores depend on how many
        times a page was written). For evaluations, which must score the same index alike
        however it was built; a live site's merges do this over time."""
        names = [index.name for index in self.all_indexes()]
        if names:
            joined = ",".join(names)
            self.es.indices.forcemerge(index=joined, max_num_segments=1, ignore_unavailable=True)
            self.es.indices.refresh(index=joined, ignore_unavailable=True)

    def delete(self, obj):
        self._guarded(self._delete, obj)

    def delete_now(self, obj):
        """Delete ``obj`` from the index without the breaker (the resync holds it)."""
        super().delete(obj)

    def add_bulk_guarded(self, model, obj_list):
        """``add_bulk`` for a batch of changed objects (a bulk import), guarded as an editor's
        publish is: while the engine fails or its breaker is open, the objects are kept
        pending (``search.resync``) and sent when it answers again; a failure still raises."""
        try:
            breaker.call(self.add_bulk, model, obj_list)
        except breaker.Open:
            for obj in obj_list:
                resync.mark_pending(obj)
        except Exception:
            for obj in obj_list:
                resync.mark_pending(obj)
            raise

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
        query = self.compiled_query(queryset, terms, groups, language)
        if query is None:  # the model is not indexed
            return []
        response = self._send_search(
            self.get_index_for_model(queryset.model).name,
            {
                "query": query,
                "size": min(limit, self.max_result_window),
                "_source": False,
                "track_total_hits": False,
            },
        )
        to_python = queryset.model._meta.pk.to_python
        return [
            (to_python(hit["_id"]), float(hit.get("_score") or 0.0))
            for hit in response["hits"]["hits"]
        ]

    def compiled_query(self, queryset, terms=(), groups=None, language=None):
        """The engine query for ``terms`` (every page without) among ``queryset``'s pages, as
        the stock compiler writes it (``live``, locale and content types become filters), or
        None if the model is not indexed."""
        if terms:
            results = self.search(or_query(terms), queryset, operator="or")
        else:
            results = self.search(MATCH_ALL, queryset)
        compiler = getattr(results, "query_compiler", None)
        if compiler is None:  # EmptySearchResults
            return None
        compiler.groups = [tuple(group) for group in groups or () if group] or None
        if language and terms:
            compiler.add_language_fields(language)
        return compiler.get_query()

    # Searches for records (``search.backends.record_query``): one request each; errors
    # propagate (the search service falls back to the database on them).

    def search_records(
        self,
        queryset,
        groups,
        filters,
        *,
        language,
        sort,
        start,
        size,
        private=(),
        words=(),
        records=(),
    ):
        """The ``RecordPage`` of records ``start`` to ``start + size`` among ``queryset``'s
        pages matching ``groups`` (the forms of each query word; every record without), or
        being one of ``records`` (translation keys: found by meaning, ``search.fusion``)."""
        terms = flatten(groups)
        query = self.compiled_query(queryset, terms, groups, language)
        if query is None:
            return record_query.RecordPage()
        if terms:
            every_page = self.compiled_query(queryset)
            query = record_query.with_translations(query, every_page, terms)
            if records:
                query = record_query.with_records(query, every_page, records)
        # The engine pages at most ``max_result_window`` hits deep: pages beyond are empty.
        size = max(0, min(size, self.max_result_window - start))
        body = record_query.body(
            query,
            filters,
            text=bool(terms),
            sort=sort,
            start=min(start, self.max_result_window),
            size=size,
            private=private,
            words=words,
        )
        response = self._send_search(self.get_index_for_model(queryset.model).name, body)
        return record_query.read(response, text=bool(terms))

    def relaxations(self, queryset, groups, filters, *, language, private=()):
        """([(facet, value, records without that value)], [(activity type, records)]): what
        a search that found nothing could do instead."""
        terms = flatten(groups)
        query = self.compiled_query(queryset, terms, groups, language)
        if terms:
            query = record_query.with_translations(query, self.compiled_query(queryset), terms)
        body = record_query.relaxation_body(query, filters, text=bool(terms), private=private)
        response = self._send_search(self.get_index_for_model(queryset.model).name, body)
        return record_query.read_relaxations(response, filters, text=bool(terms))

    def title_suggestions(self, queryset, prefix, language, *, limit, private=()):
        """[(title, page id)] of the pages readers of ``language`` see whose title has words
        starting with ``prefix``'s words (the last one a prefix), by title."""
        base = self.compiled_query(queryset)
        if base is None:
            return []
        query = {
            "bool": {
                "must": [
                    base,
                    {"match_bool_prefix": {"title": {"query": prefix, "operator": "and"}}},
                ],
                "filter": [{"term": {"record_shown_in": language}}],
            }
        }
        if private:
            query["bool"]["must_not"] = record_query.private_sections(private)
        response = self._send_search(
            self.get_index_for_model(queryset.model).name,
            {
                "query": query,
                "size": limit,
                "sort": [{"title_filter": {"order": "asc"}}],
                "_source": ["title"],
                "track_total_hits": False,
            },
        )
        return [(hit["_source"]["title"], int(hit["_id"])) for hit in response["hits"]["hits"]]

    # A record's fields in its page documents, written when its facets are (``search.facets``).

    def update_records(self, translation_keys=None):
        """Write the record fields of these records (all with None) into the documents of
        their live pages, as partial updates (the text is not indexed again). Pages not
        indexed yet are skipped: they get the fields when they are. Errors propagate."""
        if translation_keys is None:
            keys = list(
                records.content_pages().values_list("translation_key", flat=True).distinct()
            )
        else:
            keys = list(translation_keys)
        self.ensure_index(Page)
        index = self.get_index_for_model(Page)
        for chunk_start in range(0, len(keys), UPDATE_CHUNK):
            fields = records.fields_by_page(keys[chunk_start : chunk_start + UPDATE_CHUNK])
            actions = [
                {"_op_type": "update", "_index": index.name, "_id": str(pk), "doc": doc}
                for pk, doc in fields.items()
            ]
            _done, errors = self.bulk(self.es, actions, raise_on_error=False, stats_only=False)
            failed = [error for error in errors if _status(error) != 404]
            if failed:
                raise RuntimeError(f"{len(failed)} record updates failed: {failed[0]}")
        if self.refresh_on_write and keys:
            index.refresh()


UPDATE_CHUNK = 500  # records per bulk request of ``update_records``
BULK_CHUNK = 250  # documents per bulk request of ``add_bulk``
BULK_IN_FLIGHT = 2  # bulk requests sent at once by ``add_items``
BULK_TIMEOUT = 60.0  # seconds a bulk request may take (a search waits ``TIMEOUT``: 3 s)


def _status(error):
    """The HTTP status of one failed bulk item."""
    return next(iter(error.values()), {}).get("status")
