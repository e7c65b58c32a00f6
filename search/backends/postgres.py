"""Wagtail's PostgreSQL full-text backend with a text-search configuration per language.

What the stock backend does (modelsearch 1.3.2, ``backends/database/postgres/postgres.py``) and
what this subclass changes:

- **One configuration per backend.** Stock stems every page with ``SEARCH_CONFIG`` (or the
  server's default). Here each page is indexed with its own language's configuration
  (``LANGUAGE_CONFIGS``: swedish, english, arabic, and ``simple`` for Persian, which PostgreSQL
  lacks). A query is parsed once per configuration in use and the results OR-ed, so a query
  matches a Swedish page as Swedish stems and an English page as English stems, in one SQL query.
- **Index on the combined vector.** Stock searches ``title || body``, which the per-column GIN
  indexes cannot serve; migration ``search/0002`` adds a GIN index on that expression, and
  ``search/0003`` a stored generated column of it (with its own GIN index) that our ranking
  reads, so the concatenation is not recomputed for every matching row. Rows match on that
  index; ``ts_rank`` reads a smaller stored vector of the title, taxonomy and summary lexemes
  (``search/0004``), 0.8 kB instead of 2 kB a row.
- **Derived fields.** Stock indexes a model's own ``search_fields``; here every content page
  also gets the fields ``search.documents`` derives (word forms, labels in every language),
  through ``DocumentIndexer`` (``add_items`` is stock's, with that indexer).
- **Saves.** Stock recomputes the average title length over the whole table on every save
  (6.6 ms per page at 1,000 pages, 19 ms at 10,000). Here the average is cached for
  ``TITLE_NORM_TTL`` seconds and only the rows just written are updated; rebuilds refresh all.
"""

import functools
import json
import math
import re
import time
from collections import defaultdict
from functools import reduce

import psycopg
from django.db import connection, transaction
from django.db.models import F
from django.db.models.functions import Length
from modelsearch.backends.database.postgres import postgres as stock
from modelsearch.backends.database.postgres import weights as stock_weights
from modelsearch.index import AutocompleteField, SearchField
from modelsearch.query import Phrase, PlainText
from modelsearch.utils import (
    balanced_reduce,
    get_content_type_pk,
    get_descendants_content_types_pks,
)

from practices.locales import by_id

from ..documents import DOCUMENT_FIELDS, indexed_fields, prefetched_labels
from .ranking import RANKED_LIMIT, RankedSearchMixin
from .title_norms import average_title_length, refresh_changed_norms

DEFAULT_LANGUAGE_CONFIGS = {"sv": "swedish", "en": "english", "ar": "arabic", "fa": "simple"}
FALLBACK_CONFIG = "simple"
TITLE_NORM_TTL = 300
FREQUENCY_TTL = 300  # seconds a word's document frequency is reused
MAX_CACHED_FREQUENCIES = 50_000
# A query word found in more than this share of the pages is "common": it is scored on the
# small title/taxonomy/summary vector, which is what keeps a search for "nyanlända" fast on a
# big site; rarer words are scored on the full vector, body included.
COMMON_FRACTION = 0.2
# ts_rank's normalisation 32 (rank / (rank + 1)): each query word's score is bounded, as BM25
# saturates a word's weight, so one word matched strongly (in a title, many times) counts for
# less against the other words of the query a page also has (dev set, words alone: nDCG@10
# 0.863 -> 0.867; fused with meaning 0.892 -> 0.902).
SATURATE = 32
MAX_CACHED_QUERIES = 10_000
# A tsquery written as alternatives of plain lexemes: 'a' | 'b' | 'c'.
LEXEME = r"'(?:[^']|'')*'"
ALTERNATIVES_RE = re.compile(rf"{LEXEME}(?: \| {LEXEME})*")


def distinct_alternatives(text):
    """A tsquery's text with repeated alternatives dropped, if it is only alternatives."""
    if not ALTERNATIVES_RE.fullmatch(text):
        return text
    return " | ".join(dict.fromkeys(re.findall(LEXEME, text)))


@functools.cache
def boost_weights():
    """modelsearch's boost -> tsvector weight (A-D) table, counting the derived fields' boosts.

    Stock builds it from the boosts the models declare; the fields ``search.documents`` adds are
    not declared by any model, so they are counted here, giving the table they had when the
    content model declared them itself.
    """
    boosts = stock_weights.get_boosts()
    boosts |= {field.boost for field in DOCUMENT_FIELDS if field.boost is not None}
    return stock_weights.determine_boosts_weights(boosts)


def weight_for(boost):
    """Stock's ``get_weight`` over ``boost_weights``."""
    if boost is None:
        return stock_weights.WEIGHTS[-1]
    weight = stock_weights.WEIGHTS[-1]
    for max_boost, weight in boost_weights():
        if boost >= max_boost:
            return weight
    return weight


@functools.cache
def sql_weights():
    """Stock's ``get_sql_weights`` over ``boost_weights``: ts_rank's {D, C, B, A} weights."""
    values = [value for value, _letter in boost_weights()]
    lowest = min(values)
    if lowest <= 0:
        values = [value - (-0.1 if lowest == 0 else lowest) for value in values]
    highest = max(values)
    return "{" + ",".join(str(value / highest) for value in reversed(values)) + "}"


class DocumentIndexer(stock.ObjectIndexer):
    """Stock's indexer over the model's fields plus the derived ones (``indexed_fields``),
    weighting every field by ``weight_for``. ``entry()`` reads every field once."""

    def __init__(self, obj, backend):
        super().__init__(obj, backend)
        self.search_fields = indexed_fields(type(obj))

    def prepare_field(self, obj, field):
        for current, weight, value in super().prepare_field(obj, field):
            if isinstance(current, SearchField):
                weight = weight_for(current.boost)
            yield current, weight, value

    def entry(self):
        """(title texts, autocomplete texts, body texts, title_text, body_text) of the object.

        What stock's ``title``, ``autocomplete``, ``body``, ``title_text`` and ``body_text``
        properties give, from one pass over the fields rather than five (each reading every
        field's value): the texts as (stripped text, weight) pairs, in the fields' order,
        empty ones dropped as ``as_vector`` drops them.
        """
        columns = {"title": [], "autocomplete": [], "body": []}
        plain = {"title": [], "body": []}
        for field in self.search_fields:
            for current, weight, value in self.prepare_field(self.obj, field):
                if isinstance(current, SearchField):
                    column = "title" if current.field_name == "title" else "body"
                    plain[column].append(value.strip())
                elif isinstance(current, AutocompleteField):
                    column, weight = "autocomplete", "D"
                else:
                    continue
                columns[column].append((value.strip(), weight))
        texts = [[pair for pair in columns[name] if pair[0]] for name in ENTRY_VECTORS]
        title_text, body_text = (" ".join(text for text in plain[n] if text) for n in plain)
        return (*texts, title_text, body_text)


# The index entry's vector columns, and the configuration each is analysed with ("page": the
# page's language's, ``config_for``; autocomplete is never stemmed, as stock does).
ENTRY_VECTORS = ("title", "autocomplete", "body")


@functools.cache
def _vector_sql(shape, first):
    """SQL of the ``||`` of ``setweight(to_tsvector(config, text), weight)`` over the texts of
    one column, as stock's ``as_vector`` writes it (the same pairs, the same balanced nesting),
    reading text ``i`` from column ``c{first + i}`` of the rows and the weights as literals."""
    if not shape:
        return "CAST('' AS tsvector)"
    parts = [
        f"setweight(to_tsvector(CAST(r.config_{config} AS regconfig), r.c{first + i}), '{w}')"
        for i, (config, w) in enumerate(shape)
    ]
    return balanced_reduce(lambda a, b: f"({a} || {b})", parts)


def _row_names(texts):
    """The keys of a row of ``_insert_sql``'s JSON parameter (its columns)."""
    return ["object_id", "config_page", "config_simple", "title_text", "body_text"] + [
        f"c{i}" for i in range(texts)
    ]


@functools.cache
def _insert_sql(table, shapes):
    """One INSERT … SELECT FROM json_to_recordset(rows) for a chunk of entries whose columns
    have the texts ``shapes`` (per column, a (configuration, weight) per text). Each row's
    vectors are computed in the database, as stock's one ``VALUES`` row per object does, from
    one JSON parameter holding every row rather than one SQL fragment and four parameters per
    text (nor arrays of text: the driver escaped each element of those with a regular
    expression, 7 % of an import's time); the title norm
    is the cached average over the title's length, as ``_set_title_norms`` set it after the
    insert. Rows whose content is unchanged are not rewritten (nor their generated vectors and
    GIN entries)."""
    vectors, first = [], 0
    for shape in shapes:
        vectors.append(_vector_sql(shape, first))
        first += len(shape)
    columns = ", ".join(f"{name} text" for name in _row_names(first))
    return f"""
        INSERT INTO {table} AS entry (content_type_id, object_id, title, autocomplete, body,
            title_norm, title_text, body_text)
        SELECT %s, e.object_id, e.title, e.autocomplete, e.body,
            CASE WHEN CAST(%s AS boolean) AND length(e.title) > 0
                THEN %s / length(e.title) ELSE 1.0 END,
            e.title_text, e.body_text
        FROM (
            SELECT r.object_id, {vectors[0]} AS title, {vectors[1]} AS autocomplete,
                {vectors[2]} AS body, r.title_text, r.body_text
            FROM json_to_recordset(CAST(%s AS json)) AS r({columns})
        ) e
        ON CONFLICT (content_type_id, object_id)
        DO UPDATE SET title = EXCLUDED.title,
                      title_norm = EXCLUDED.title_norm,
                      autocomplete = EXCLUDED.autocomplete,
                      body = EXCLUDED.body,
                      title_text = EXCLUDED.title_text,
                      body_text = EXCLUDED.body_text
        WHERE (entry.title, entry.title_norm, entry.autocomplete, entry.body, entry.title_text,
               entry.body_text)
            IS DISTINCT FROM (EXCLUDED.title, EXCLUDED.title_norm, EXCLUDED.autocomplete,
               EXCLUDED.body, EXCLUDED.title_text, EXCLUDED.body_text)
        """  # noqa: S608 - table name, column names and weight letters only; values are parameters


class LanguageConfigIndex(stock.PostgresIndex):
    _title_length_average = (None, 0.0)  # (value, time computed), shared by the process

    def add_items(self, model, objs):
        """Index ``objs`` (one model's) in one statement per shape of entry.

        Stock builds each row's vectors as Django expressions and compiles them one by one,
        reads every field five times, and updates the title norms in a statement of their own;
        ``update_index`` spent most of its time there. The rows written are the same.
        """
        if not model.get_search_fields():
            return
        objs = list(objs)
        if not objs:
            return
        with prefetched_labels(objs):
            entries = [(obj, DocumentIndexer(obj, self.backend).entry()) for obj in objs]
        groups = defaultdict(list)
        for obj, entry in entries:
            shapes = tuple(
                tuple(("page" if name != "autocomplete" else "simple", w) for _t, w in texts)
                for name, texts in zip(ENTRY_VECTORS, entry[:3], strict=True)
            )
            groups[shapes].append((obj, entry))
        average = self._average_title_length()
        for shapes, group in groups.items():
            self._write(model, shapes, group, average)
        if not average:
            # No entry had a title yet: the norms follow from the rows just written.
            self._set_title_norms(model, objs)

    def _write(self, model, shapes, group, average):
        names = _row_names(sum(len(shape) for shape in shapes))
        rows = []
        for obj, (title, autocomplete, body, title_text, body_text) in group:
            row = [
                str(obj.pk),
                self.backend.config_for(obj),
                self.backend.autocomplete_config,
                title_text,
                body_text,
            ]
            row.extend(text for texts in (title, autocomplete, body) for text, _w in texts)
            rows.append(dict(zip(names, row, strict=True)))
        sql = _insert_sql(stock.IndexEntry._meta.db_table, shapes)
        params = [
            get_content_type_pk(model),
            bool(average),
            float(average or 1.0),
            json.dumps(rows, ensure_ascii=False),
        ]
        with self.write_connection.cursor() as cursor:
            cursor.execute(sql, params)

    def _refresh_title_norms(self, full=False):
        """Only a rebuild (``full``) refreshes the norms, and only of the rows whose norm
        changed."""
        if not full:
            return
        refresh_changed_norms(self.entries)
        type(self)._title_length_average = (None, 0.0)

    def _average_title_length(self):
        value, computed = type(self)._title_length_average
        if value is None or time.monotonic() - computed > TITLE_NORM_TTL:
            value = average_title_length(self.entries)
            type(self)._title_length_average = (value, time.monotonic())
        return value

    def _set_title_norms(self, model, objs):
        average = self._average_title_length()
        if not average:
            return
        (
            self.entries.filter(
                content_type_id=get_content_type_pk(model),
                object_id__in=[str(obj.pk) for obj in objs],
            )
            .annotate(title_length=Length("title"))
            .filter(title_length__gt=0)
            .update(title_norm=average / F("title_length"))
        )


class MultiConfigQueryCompiler(stock.PostgresSearchQueryCompiler):
    """Parses words once per configuration the index uses and ORs the results."""

    def get_config(self, backend):
        return backend.query_configs

    def build_tsquery_content(self, query, config=None, invert=False):
        if isinstance(config, tuple) and isinstance(query, (PlainText, Phrase)):
            parts = [
                super(MultiConfigQueryCompiler, self).build_tsquery_content(
                    query, config=single, invert=invert
                )
                for single in config
            ]
            parts = [part for part in parts if part is not None]
            if not parts:
                return None
            return reduce(lambda a, b: a | b, parts)
        return super().build_tsquery_content(query, config=config, invert=invert)


class IdfRanking:
    """The SQL of ``PostgresSearchBackend.ranked``; see there."""

    _frequencies = {}  # (content types, group) -> (document frequency, time), per process
    _totals = {}  # content types -> (number of entries, time)
    _queries = {}  # (configurations, terms) -> tsquery text, per process

    def __init__(self, backend, model, groups):
        self.backend = backend
        self.groups = groups
        self.content_types = tuple(sorted(get_descendants_content_types_pks(model)))
        self.table = stock.IndexEntry._meta.db_table

    def _parse_sql(self, terms):
        """SQL and params parsing ``terms`` under every configuration, OR-ed."""
        words = " | ".join("'" + term.replace("'", "''").replace("\\", "") + "'" for term in terms)
        sql = " || ".join("to_tsquery(%s::regconfig, %s)" for _ in self.backend.query_configs)
        params = [value for config in self.backend.query_configs for value in (config, words)]
        return f"({sql})", params

    def _tsquery(self, terms):
        """SQL and params of a tsquery matching any of ``terms`` under every configuration.

        The configurations often give the same lexeme (swedish, english and simple all keep
        "mentor"), and ``ts_rank`` evaluates every item of the query for every matching row;
        so the query is parsed once, in the database, with the repeated lexemes dropped, and
        the result cached for the process.
        """
        key = (self.backend.query_configs, tuple(terms))
        text = self._queries.get(key)
        if text is None:
            sql, params = self._parse_sql(terms)
            with connection.cursor() as cursor:
                cursor.execute(f"SELECT CAST({sql} AS text)", params)
                text = distinct_alternatives(cursor.fetchone()[0])
            if len(self._queries) > MAX_CACHED_QUERIES:
                self._queries.clear()
            self._queries[key] = text
        return "CAST(%s AS tsquery)", [text]

    def _vector(self):
        # ``title || body``, stored and GIN-indexed by migration search/0003.
        return f"{self.table}.title_body"

    def _rank_vector(self):
        # Its title, taxonomy and summary lexemes only (migration search/0004): small to read.
        return f"{self.table}.rank_vector"

    def statistics(self):
        """(number of entries, [document frequency of each group]), from cached counts."""
        now = time.monotonic()
        total, counted = self._totals.get(self.content_types, (None, 0.0))
        if total is None or now - counted > FREQUENCY_TTL:
            with connection.cursor() as cursor:
                cursor.execute(
                    f"SELECT count(*) FROM {self.table} WHERE content_type_id = ANY(%s)",  # noqa: S608
                    [list(self.content_types)],
                )
                total = cursor.fetchone()[0]
            self._totals[self.content_types] = (total, now)
        missing = [
            group
            for group in self.groups
            if now - self._frequencies.get((self.content_types, group), (0, -FREQUENCY_TTL))[1]
            > FREQUENCY_TTL
        ]
        if missing:
            if len(self._frequencies) > MAX_CACHED_FREQUENCIES:
                self._frequencies.clear()
            self._count(missing, now)
        frequencies = [self._frequencies[(self.content_types, group)][0] for group in self.groups]
        return total, frequencies

    def _count(self, groups, now):
        counts, params = [], []
        for group in groups:
            sql, group_params = self._tsquery(group)
            counts.append(f"count(*) FILTER (WHERE {self._vector()} @@ {sql})")
            params.extend(group_params)
        match_sql, match_params = self._tsquery(sorted({t for group in groups for t in group}))
        with connection.cursor() as cursor:
            # Only the table name and placeholders are formatted in; values are parameters.
            cursor.execute(
                f"SELECT {', '.join(counts)} FROM {self.table} "  # noqa: S608
                f"WHERE content_type_id = ANY(%s) AND {self._vector()} @@ {match_sql}",
                [*params, list(self.content_types), *match_params],
            )
            row = cursor.fetchone()
        for group, frequency in zip(groups, row, strict=True):
            self._frequencies[(self.content_types, group)] = (frequency, now)

    def _rank(self, groups, weights, vector):
        """SQL and params of the IDF-weighted sum of ``ts_rank`` over ``vector``, each word's
        ``ts_rank`` saturated (``SATURATE``)."""
        if not groups:
            return "CAST(0 AS double precision)", []
        parts, params = [], []
        for group, weight in zip(groups, weights, strict=True):
            sql, group_params = self._tsquery(group)
            parts.append(f"%s * ts_rank(%s::float4[], {vector}, {sql}, {SATURATE})")
            params.extend([weight, sql_weights(), *group_params])
        return " + ".join(parts), params

    @staticmethod
    def _allowed(queryset, checked):
        """SQL (and params) keeping the rows to the queryset's objects, unless ``checked``.

        For a word in most pages, joining the queryset (live pages of the searched types) costs
        as much as matching on the index; a caller that checks every hit itself can skip it.
        """
        if checked:
            return "", []
        sql, params = queryset.order_by().values("pk").query.sql_with_params()
        return f" AND CAST(object_id AS integer) IN ({sql})", list(params)

    def run(self, queryset, limit, checked=False, ordered=True):
        total, frequencies = self.statistics()
        common, common_weights, rare, rare_weights = [], [], [], []
        for group, df in zip(self.groups, frequencies, strict=True):
            weight = math.log(1 + (total - df + 0.5) / (df + 0.5))
            if df > COMMON_FRACTION * total:
                common.append(group)
                common_weights.append(weight)
            else:
                rare.append(group)
                rare_weights.append(weight)
        table = self.table
        common_sql, common_params = self._rank(common, common_weights, self._rank_vector())
        match_sql, match_params = self._tsquery(sorted({t for g in self.groups for t in g}))
        allowed_sql, allowed_params = self._allowed(queryset, checked)
        # Only the table name and placeholders are formatted in; values are parameters.
        sql = (
            f"WITH matched AS (SELECT id, CAST(object_id AS integer) AS object_id, "  # noqa: S608
            f"{common_sql} AS common_score "
            f"FROM {table} WHERE content_type_id + 0 = ANY(%s) AND {self._vector()} @@ {match_sql}"
            f"{allowed_sql})"
        )
        params = [*common_params, list(self.content_types), *match_params, *allowed_params]
        if rare:
            rare_sql, rare_params = self._rank(rare, rare_weights, self._vector())
            rare_match_sql, rare_match_params = self._tsquery(sorted({t for g in rare for t in g}))
            sql += (
                f", rare AS (SELECT id, {rare_sql} AS rare_score FROM {table} "  # noqa: S608
                f"WHERE content_type_id + 0 = ANY(%s) AND {self._vector()} @@ {rare_match_sql}) "
                "SELECT matched.object_id, matched.common_score + COALESCE(rare.rare_score, 0) "
                "AS score FROM matched LEFT JOIN rare ON rare.id = matched.id "
            )
            params += [*rare_params, list(self.content_types), *rare_match_params]
        else:
            sql += " SELECT matched.object_id, matched.common_score AS score FROM matched "
        if ordered:
            sql += "ORDER BY score DESC, matched.object_id DESC "
        sql += "LIMIT %s"
        params.append(limit)
        with transaction.atomic():
            with connection.cursor() as cursor:
                # Match on the GIN index rather than evaluating the 2 kB vector of every row:
                # the planner prefers a sequential scan (or the content-type index, hence the
                # ``content_type_id + 0`` above) for common words and misjudges their cost.
                cursor.execute("SET LOCAL enable_seqscan = off")
                if ordered:
                    cursor.execute(sql, params)
                    return cursor.fetchall()  # (integer id, float score) rows
            return _fetch_pairs(sql, params)


def _fetch_pairs(sql, params):
    """(object id, score) rows of ``sql``, fetched as two arrays in PostgreSQL's binary format.

    A word in most pages matches some 14,000 rows at 10,000 records; as rows of text (how
    Django's cursors fetch) they took 15-20 ms to send and parse, as two binary arrays about 3.
    So this query goes through a psycopg server-binding cursor on Django's connection, in the
    transaction the caller opened.
    """
    connection.ensure_connection()
    arrays = f"SELECT array_agg(object_id), array_agg(CAST(score AS float8)) FROM ({sql}) hits"  # noqa: S608
    with psycopg.Cursor(connection.connection) as cursor:
        cursor.execute(arrays, params, binary=True)
        ids, scores = cursor.fetchone()
    return list(zip(ids or (), scores or (), strict=True))


class PostgresSearchBackend(RankedSearchMixin, stock.PostgresSearchBackend):
    index_class = LanguageConfigIndex
    query_compiler_class = MultiConfigQueryCompiler

    def __init__(self, params):
        super().__init__(params)
        self.language_configs = dict(params.get("LANGUAGE_CONFIGS", DEFAULT_LANGUAGE_CONFIGS))
        self.config = params.get("SEARCH_CONFIG") or FALLBACK_CONFIG
        self.query_configs = tuple(dict.fromkeys([*self.language_configs.values(), self.config]))

    def config_for(self, obj):
        """The text-search configuration for an object: its locale's, else the default.

        The locale is the process's copy (``practices.locales``): the pages ``update_index``
        reads other than content pages do not come with their locale, one query each."""
        locale_id = getattr(obj, "locale_id", None)
        if locale_id is None:
            return self.config
        return self.language_configs.get(by_id(locale_id).language_code, self.config)

    def ranked(self, terms, queryset, limit=RANKED_LIMIT, groups=None, checked=False, ordered=True):
        """One SQL query: match any term, rank by IDF-weighted ``ts_rank`` per query word.

        Stock ranking is one ``ts_rank`` over all words, which knows nothing of how rare a
        word is: "arbetsgivare" in half the pages weighs as much as "matchning" in three.
        Here each query word (``groups``: the forms of one word) gets its own ``ts_rank``,
        weighted by its BM25 inverse document frequency, the measure SQLite's ``bm25()``
        uses, and saturated as BM25 saturates a word's frequency. Document frequencies come
        from one counting query per new word, cached.
        With ``checked``, rows match on the index alone (the caller drops what it may not show);
        with ``ordered=False`` they come unsorted (sorting every match of a common word took
        longer than matching and scoring them).
        """
        if not terms:
            return []
        groups = [tuple(group) for group in (groups or [terms]) if group]
        ranking = IdfRanking(self, queryset.model, groups)
        return ranking.run(queryset, limit, checked=checked, ordered=ordered)
