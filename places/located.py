"""Where records are, as SQL: conditions and aggregate queries, so that a place page reads
only its own place's rows, never every record of the site.

A record is in a kommun when it names it (search's ``RecordFacet`` rows ``municipality``,
kept in step with publishing), and in a län when it names it or one of its kommuner (the
``region`` rows hold both). A record naming no place at all is where its organisation is
based: the organisation's kommun (and so its län), else its region.
"""

import uuid

from django.db import connection
from django.db.models import Exists, OuterRef, Q

from search.models import RecordFacet

PLACE_FACETS = ("municipality", "region")


def names_no_place(prefix=""):
    """Records (pages reached by ``prefix``) without a municipality or region of their own."""
    return ~Exists(
        RecordFacet.objects.filter(
            translation_key=OuterRef(f"{prefix}translation_key"), facet__in=PLACE_FACETS
        )
    )


def seat_q(place, prefix=""):
    """Pages whose organisation is based in ``place`` (a kommun, or a län: in one of its
    kommuner, or in the län itself when it has no kommun)."""
    organisation = f"{prefix}organisation__"
    if place.is_municipality:
        return Q(**{f"{organisation}municipality__code": place.code})
    return Q(**{f"{organisation}municipality__region__code": place.code}) | Q(
        **{f"{organisation}municipality__isnull": True, f"{organisation}region__code": place.code}
    )


def located_keys(place, models):
    """The translation keys of the records (of ``models``) in ``place``: those naming it,
    and those of organisations based there that name no place. A union of small indexed
    queries (the facet rows of one place; an organisation's pages), so that the database can
    start from them rather than test every page of the site."""
    facet = "municipality" if place.is_municipality else "region"
    named = RecordFacet.objects.filter(facet=facet, value=place.code).values("translation_key")
    seated = [
        model.objects.filter(seat_q(place))
        .filter(names_no_place())
        .order_by()
        .values("translation_key")
        for model in models
    ]
    return named.union(*seated, all=True)


def in_place(place, models, prefix=""):
    """Pages (reached by ``prefix``) of the records in ``place``: named there, else seated
    (``models``: the page types those pages can be)."""
    return Q(**{f"{prefix}translation_key__in": located_keys(place, models)})


def union_sql(querysets):
    """``(sql, params)`` of the querysets' rows, ``UNION ALL`` (each a ``values_list`` with the
    same aliased columns, unordered)."""
    parts, params = [], []
    for queryset in querysets:
        sql, part_params = queryset.order_by().query.sql_with_params()
        parts.append(sql)
        params.extend(part_params)
    return " UNION ALL ".join(parts), params


def fetch(sql, params):
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall()


def as_uuid(value):
    """A translation key as read by a raw query (a UUID, or hex text on SQLite)."""
    return value if isinstance(value, uuid.UUID) else uuid.UUID(str(value))
