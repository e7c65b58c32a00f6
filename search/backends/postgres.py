"""Wagtail's PostgreSQL full-text backend with a text-search configuration per language.

What the stock backend does (modelsearch 1.3.2, ``backends/database/postgres/postgres.py``) and
what this subclass changes:

- **One configuration per backend.** Stock stems every page with ``SEARCH_CONFIG`` (or the
  server's default). Here each page is indexed with its own language's configuration
  (``LANGUAGE_CONFIGS``: swedish, english, arabic, and ``simple`` for Persian, which PostgreSQL
  lacks). A query is parsed once per configuration in use and the results OR-ed, so a query
  matches a Swedish page as Swedish stems and an English page as English stems, in one SQL query.
- **Index on the combined vector.** Stock searches ``title || body``, which the per-column GIN
  indexes cannot serve; migration ``search/0002`` adds a GIN index on that expression.
- **Saves.** Stock recomputes the average title length over the whole table on every save
  (6.6 ms per page at 1,000 pages, 19 ms at 10,000). Here the average is cached for
  ``TITLE_NORM_TTL`` seconds and only the rows just written are updated; rebuilds refresh all.
"""

import time
from collections import defaultdict
from functools import reduce

from django.db.models import Avg, F
from django.db.models.functions import Length
from modelsearch.backends.database.postgres import postgres as stock
from modelsearch.query import Phrase, PlainText
from modelsearch.utils import get_content_type_pk

from .ranking import RANKED_LIMIT, RankedSearchMixin, or_query

DEFAULT_LANGUAGE_CONFIGS = {"sv": "swedish", "en": "english", "ar": "arabic", "fa": "simple"}
FALLBACK_CONFIG = "simple"
TITLE_NORM_TTL = 300


class LanguageConfigIndex(stock.PostgresIndex):
    _title_length_average = (None, 0.0)  # (value, time computed), shared by the process

    def add_items(self, model, objs):
        groups = defaultdict(list)
        for obj in objs:
            groups[self.backend.config_for(obj)].append(obj)
        default = self.backend.config
        try:
            for config, group in groups.items():
                self.backend.config = config
                super().add_items(model, group)
                self._set_title_norms(model, group)
        finally:
            self.backend.config = default

    def _refresh_title_norms(self, full=False):
        # Called by the stock add_items after every write; only a rebuild pays for the full one.
        if full:
            super()._refresh_title_norms(full=True)
            type(self)._title_length_average = (None, 0.0)

    def _average_title_length(self):
        value, computed = type(self)._title_length_average
        if value is None or time.monotonic() - computed > TITLE_NORM_TTL:
            value = (
                self.entries.annotate(title_length=Length("title"))
                .filter(title_length__gt=0)
                .aggregate(Avg("title_length"))["title_length__avg"]
            )
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


class PostgresSearchBackend(RankedSearchMixin, stock.PostgresSearchBackend):
    index_class = LanguageConfigIndex
    query_compiler_class = MultiConfigQueryCompiler

    def __init__(self, params):
        super().__init__(params)
        self.language_configs = dict(params.get("LANGUAGE_CONFIGS", DEFAULT_LANGUAGE_CONFIGS))
        self.config = params.get("SEARCH_CONFIG") or FALLBACK_CONFIG
        self.query_configs = tuple(dict.fromkeys([*self.language_configs.values(), self.config]))

    def config_for(self, obj):
        """The text-search configuration for an object: its locale's, else the default."""
        locale = getattr(obj, "locale", None) if hasattr(obj, "locale_id") else None
        if locale is None:
            return self.config
        return self.language_configs.get(locale.language_code, self.config)

    def ranked(self, terms, queryset, limit=RANKED_LIMIT):
        if not terms:
            return []
        results = self.search(or_query(terms), queryset, operator="or").annotate_score("_score")
        rows = results.get_queryset().values_list("pk", "_score")[:limit]
        return [(pk, float(score or 0.0)) for pk, score in rows]
