"""The one question the search service asks a backend: which objects match, how well."""

from modelsearch.query import PlainText

# Every match is returned, so that counts and facet counts are exact, up to this many pages
# (Elasticsearch stops at its own window of 10,000).
RANKED_LIMIT = 100_000


def or_query(terms):
    """A query matching objects that contain any of ``terms`` (already analysed words)."""
    return PlainText(" ".join(terms), operator="or")


class RankedSearchMixin:
    """Adds ``ranked()`` to a Wagtail search backend.

    ``ranked(terms, queryset, limit, groups, checked)`` returns ``[(pk, score), ...]`` for the
    objects of ``queryset`` that contain any of ``terms``, best first, higher scores better.
    ``groups`` holds the same terms grouped per query word (a word and its stems and parts), for
    backends that weigh words by rarity. ``checked=True`` says the caller checks every hit
    against what it may show (the search service does, against its snapshot of live, public
    records), so a backend may leave out the queryset's own filters where applying them costs
    more than the rows they remove; it must still keep to the queryset's model.
    ``ordered=False`` says the caller orders the hits itself (the service does, by record), so
    a backend may return them in any order: sorting every match of a common word costs more
    in SQL than the rest of the query. This generic version goes through the backend's normal
    ``search()``; the database backends override it with their own SQL.
    """

    def ranked(self, terms, queryset, limit=RANKED_LIMIT, groups=None, checked=False, ordered=True):
        if not terms:
            return []
        results = self.search(or_query(terms), queryset, operator="or").annotate_score("_score")
        return [(obj.pk, float(obj._score or 0.0)) for obj in results[:limit]]
