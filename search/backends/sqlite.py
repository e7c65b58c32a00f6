"""Wagtail's SQLite FTS5 backend with weighted columns and single-pass ranking.

What the stock backend does (modelsearch 1.3.2, ``backends/database/sqlite/sqlite.py``) and what
this subclass changes:

- **Boosts.** Stock puts every field except ``title`` in the ``body`` column and ranks with an
  unweighted ``bm25()``, so a word in a title counts no more than one in the body. Here fields
  boosted 2 or more go in the ``title`` column and ``bm25()`` weighs it ``TITLE_WEIGHT`` times
  the body.
- **Relevance ordering.** Stock annotates each row with a correlated subquery that repeats the
  FTS ``MATCH`` per result (about 15 s for a common word at 10,000 pages). Here the ``MATCH``
  runs once, scores come back with the ids, and sorting happens on the ids.
- **Saves.** Stock recomputes the average title length over the whole table on every save; the
  weighted ranking does not use ``title_norm``, so saves skip it (rebuilds still refresh it).

Stemming and compound splitting are not SQLite's job here: ``search.documents`` derives the
extra word forms and this indexer writes them, so SQLite's plain tokenizer finds them.
"""

from django.db.models import FloatField, Func, Subquery, TextField
from django.db.models.functions import Cast
from modelsearch.backends.database.sqlite import sqlite as stock
from modelsearch.backends.database.sqlite.query import MatchExpression, normalize
from modelsearch.index import AutocompleteField, SearchField
from modelsearch.query import MatchAll, Not
from modelsearch.utils import get_content_type_pk, get_descendants_content_types_pks

from ..documents import indexed_fields, prefetched_labels
from .ranking import RANKED_LIMIT, RankedSearchMixin, or_query
from .title_norms import refresh_changed_norms

TITLE_BOOST = 2  # fields boosted this much or more are indexed in the title column
TITLE_WEIGHT = 4.0


class WeightedBM25(Func):
    """``bm25()`` with column weights; FTS5 columns are (autocomplete, body, title)."""

    output_field = FloatField()

    def __init__(self, title_weight=TITLE_WEIGHT):
        self.title_weight = float(title_weight)
        super().__init__()

    def as_sql(self, compiler, connection, **extra):
        table = stock.SQLiteFTSIndexEntry._meta.db_table
        return f"bm25({table}, 0.0, 1.0, %s)", [self.title_weight]


def _is_heavy(field):
    return isinstance(field, SearchField) and (
        field.field_name == "title" or (field.boost or 0) >= TITLE_BOOST
    )


class WeightedObjectIndexer(stock.ObjectIndexer):
    """Stock's indexer over the model's fields plus the derived ones (``indexed_fields``),
    writing fields boosted 2 or more to the title column."""

    def __init__(self, obj, backend):
        super().__init__(obj, backend)
        self.search_fields = indexed_fields(type(obj))

    def entry(self):
        """(title, autocomplete, body) of the object, from one pass over its fields (stock's
        three properties read every field three times): the values joined as stock joins
        them."""
        title, autocomplete, body = [], [], []
        for field in self.search_fields:
            for current_field, value in self.prepare_field(self.obj, field):
                if isinstance(current_field, SearchField):
                    (title if _is_heavy(current_field) else body).append(value)
                elif isinstance(current_field, AutocompleteField):
                    autocomplete.append(value)
        return " ".join(title), " ".join(autocomplete), " ".join(body)


class WeightedSQLiteIndex(stock.SQLiteIndex):
    def add_items(self, model, objs):
        if not model.get_search_fields():
            return
        objs = list(objs)
        with prefetched_labels(objs):
            entries = {
                str(obj.pk): WeightedObjectIndexer(obj, self.backend).entry() for obj in objs
            }
        if entries:
            self._write(model, entries)

    def _write(self, model, entries):
        """Update the entries that exist (in one prepared statement, and only those whose text
        changed: each update rewrites the row's full-text entry through stock's trigger), then
        insert the others."""
        content_type_pk = get_content_type_pk(model)
        existing = set(
            self.entries.filter(
                content_type_id=content_type_pk, object_id__in=list(entries)
            ).values_list("object_id", flat=True)
        )
        table = stock.IndexEntry._meta.db_table
        with self.write_connection.cursor() as cursor:
            cursor.executemany(
                f"UPDATE {table} SET title = %s, autocomplete = %s, body = %s "  # noqa: S608
                "WHERE content_type_id = %s AND object_id = %s "
                "AND (title IS NOT %s OR autocomplete IS NOT %s OR body IS NOT %s)",
                [
                    (*entries[object_id], content_type_pk, object_id, *entries[object_id])
                    for object_id in existing
                ],
            )
        self.entries.bulk_create(
            stock.IndexEntry(
                content_type_id=content_type_pk,
                object_id=object_id,
                title=title,
                autocomplete=autocomplete,
                body=body,
            )
            for object_id, (title, autocomplete, body) in entries.items()
            if object_id not in existing
        )

    def _refresh_title_norms(self, full=False):
        """A rebuild's refresh (``full``) writes only the norms that changed."""
        if not full:
            return super()._refresh_title_norms(full=False)
        refresh_changed_norms(self.entries)


def fts_scores(query_compiler, query):
    """(object_id, score) rows for an FTS ``MATCH`` of ``query``, higher scores better."""
    model = query_compiler.queryset.model
    match = MatchExpression(
        query_compiler.fields or query_compiler.FTS_TABLE_FIELDS,
        query_compiler.build_search_query(query),
    )
    return (
        stock.SQLiteFTSIndexEntry.objects.filter(match)
        .filter(index_entry__content_type__in=get_descendants_content_types_pks(model))
        .annotate(score=-WeightedBM25())
        .values_list("index_entry__object_id", "score")
    )


def ranked_pks(query_compiler, query, limit=None, ordered=True):
    """[(pk, score)] of the compiler's queryset matching ``query``, best first, in one pass.

    The FTS ``MATCH``, the queryset's own filters (as a subquery on the ids) and the ordering
    by weighted ``bm25()`` all run in one SQL statement; ``ordered=False`` leaves the order
    out (the caller sorts).
    """
    queryset = query_compiler.queryset
    allowed = queryset.annotate(_pk_text=Cast("pk", output_field=TextField())).values("_pk_text")
    rows = fts_scores(query_compiler, query).filter(index_entry__object_id__in=Subquery(allowed))
    if ordered:
        rows = rows.order_by("-score", "-index_entry__object_id")
    if limit:
        rows = rows[:limit]
    to_python = queryset.model._meta.pk.to_python
    return [(to_python(object_id), score) for object_id, score in rows]


class RankedSQLiteSearchResults(stock.SQLiteSearchResults):
    def _do_search(self):
        compiler = self.query_compiler
        query = normalize(compiler.query)
        plain = not isinstance(query, (MatchAll, Not))
        if not (plain and compiler.order_by_relevance):
            return super()._do_search()
        hits = ranked_pks(compiler, query)[self.start : self.stop]
        objects = compiler.queryset.in_bulk([pk for pk, _score in hits])
        results = []
        for pk, score in hits:
            obj = objects.get(pk)
            if obj is not None:
                if self._score_field:
                    setattr(obj, self._score_field, score)
                results.append(obj)
        return results


class SQLiteSearchBackend(RankedSearchMixin, stock.SQLiteSearchBackend):
    index_class = WeightedSQLiteIndex
    results_class = RankedSQLiteSearchResults

    def ranked(self, terms, queryset, limit=RANKED_LIMIT, groups=None, checked=False, ordered=True):
        # The queryset's filters cost little here (one subquery on the ids), so they always apply.
        if not terms:
            return []
        compiler = self.query_compiler_class(queryset, or_query(terms), operator="or")
        compiler.check()
        return ranked_pks(compiler, normalize(compiler.query), limit, ordered=ordered)
