"""What a place page shows: for one of the 21 län or 290 kommuner, the most recent practices,
methods and reports there (with how many there are in all), the methods most used there, the
organisations based there, the outcomes measured there, and for a kommun its population, SKR
group and the kommuner like it.

Where a record is (``places.located``): the municipalities and regions it names (a
municipality also puts it in its län); a record that names no place is where its
organisation is based, as on the reuse pages. A method is *in use* in a place when a practice
or report there applied it, or an organisation there recorded adopting it.

Everything is asked of the database for the one place, in aggregate queries and capped lists:
a page's cost does not grow with the site (issue 20; at 10,000 records the whole-site index
this replaced took 1.9 s to build and 39 ms to read from the cache). Only the number of
records per kommun and län (for "like mine" and the nearest places) is one whole-site
aggregate, kept in the fragment cache under ``INDEX_TAGS``.
"""

import hashlib
import re
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import date

from django.conf import settings
from django.db.models import Count, F, Max, Q, Value, Window
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import get_language
from wagtail.models import Page

from caching import fragments
from practices.models import (
    CONTENT_PAGE_MODELS,
    AdoptionStatus,
    MethodAdoption,
    MethodPage,
    Municipality,
    Organisation,
    PracticeIndicator,
    PracticeMethod,
    PracticePage,
    ProjectReportPage,
    Region,
    ReportIndicator,
    ReportMethod,
)
from practices.models.outcomes import indicator_terms
from practices.records import records_for_reader
from practices.visibility import visible
from reuse.adoptions import STATUS_ORDER, status_from_period
from search.models import RecordFacet

from .located import as_uuid, fetch, in_place, names_no_place, seat_q, union_sql
from .similar import similar_municipalities

# What a place page depends on, for the fragment and page caches.
INDEX_TAGS = (
    "list:practice",
    "list:method",
    "list:report",
    "orgs",
    "reuse",
    "restrictions",
    "taxonomy",
)
PAGE_TAGS = ("site", *INDEX_TAGS)


def kept(name, place, compute):
    """``compute()`` for ``place``, kept in the fragment cache until what a place page counts
    changes (``INDEX_TAGS``): a place's aggregates read all its records, so they are read
    once per change, not once per reader."""
    return fragments.cached(f"place:{place.code}:{name}", INDEX_TAGS, compute)


CODE = re.compile(r"\d{2}|\d{4}")
TYPES = ("practice", "method", "report")
MODELS = {model.interchange_type: model for model in CONTENT_PAGE_MODELS}
# How many records of each type a place page lists (the most recent), methods in use it
# lists (the most used), who uses each there, and organisations based there.
RECORDS_LIMIT = 12
IN_USE_LIMIT = 12
USERS_LIMIT = 5
ORGANISATIONS_LIMIT = 30
# How many records "like mine" shows, from how many of the most similar kommuner, and how many
# nearest places an empty place suggests.
LIKE_MINE_LIMIT = 6
SIMILAR_LIMIT = 12
NEAREST_LIMIT = 5


# Places ------------------------------------------------------------------------------------


@dataclass
class Place:
    """A kommun (``municipality`` set) or a län."""

    code: str
    name: str
    region: Region | None
    municipality: Municipality | None = None

    @property
    def is_municipality(self):
        return self.municipality is not None


def find_place(code):
    """The kommun (4 digits) or län (2 digits) with ``code``, else None."""
    if not CODE.fullmatch(code or ""):
        return None
    if len(code) == 4:
        municipality = Municipality.objects.select_related("region").filter(code=code).first()
        if municipality is None:
            return None
        return Place(code, municipality.name, municipality.region, municipality)
    region = Region.objects.filter(code=code).first()
    return Place(code, region.name, region) if region is not None else None


def search_url(place, kind=None):
    """The search page filtered to the records naming ``place`` (and of type ``kind``), the
    newest first."""
    query = {"municipality" if place.is_municipality else "region": place.code}
    if kind:
        query["type"] = kind
    query["sort"] = "newest"
    return f"{reverse('search')}?{urlencode(query)}"


# Records -----------------------------------------------------------------------------------


@dataclass
class Listing:
    """The first ``items`` of ``total`` (``search_url``: all of them in search)."""

    items: list = field(default_factory=list)
    total: int = 0
    search_url: str = ""

    @property
    def is_capped(self):
        return self.total > len(self.items)

    def __bool__(self):
        return bool(self.items)

    def __iter__(self):
        return iter(self.items)

    def __len__(self):
        return len(self.items)


def _queryset(kind):
    return MODELS[kind].objects.select_related("locale", "organisation")


def recent_records(place, locale, limit=None, kinds=TYPES):
    """{type: Listing} of the ``limit`` (default ``RECORDS_LIMIT``) most recently published
    records of each of ``kinds`` in ``place``, in the reader's language, with how many there
    are: one query for the keys and totals of every type, one for the pages of each type that
    has any."""
    limit = limit or RECORDS_LIMIT
    parts = [
        visible(MODELS[kind].objects)
        .filter(in_place(place, [MODELS[kind]]))
        # Published at the same moment (a bulk import's batch): the page made last first.
        .annotate(t=Value(kind), k=F("translation_key"), d=F("first_published_at"), i=F("pk"))
        .values_list("t", "k", "d", "i")
        for kind in kinds
    ]
    sql, params = union_sql(parts)
    rows = kept(
        f"recent:{','.join(kinds)}:{limit}",
        place,
        lambda: fetch(
            "SELECT t, k, total FROM (SELECT t, k, ROW_NUMBER() OVER "  # noqa: S608 - our own compiled SQL
            "(PARTITION BY t ORDER BY MAX(d) DESC, MAX(i) DESC, k) AS position, "
            f"COUNT(*) OVER (PARTITION BY t) AS total FROM ({sql}) AS found GROUP BY t, k) "
            "AS ranked WHERE position <= %s ORDER BY t, position",
            [*params, limit],
        ),
    )
    keys, totals = defaultdict(list), {}
    for kind, key, total in rows:
        keys[kind].append(as_uuid(key))
        totals[kind] = total
    return {
        kind: Listing(
            records_for_reader(_queryset(kind), keys[kind], locale) if keys[kind] else [],
            totals.get(kind, 0),
            search_url(place, kind),
        )
        for kind in kinds
    }


# Methods in use ----------------------------------------------------------------------------


@dataclass
class User:
    """Who uses a method in a place: an organisation (or a practice naming none)."""

    name: str
    status: str

    @property
    def status_label(self):
        return AdoptionStatus(self.status).label


@dataclass
class InUse:
    """A method in use in a place: who uses it there (at most ``USERS_LIMIT``) of ``count``."""

    method: MethodPage
    users: list
    count: int

    @property
    def more(self):
        return max(self.count - len(self.users), 0)


def _uses(place, columns, method_keys=None):
    """Querysets of the uses of methods in ``place``, each a ``values_list`` of ``columns``
    ({alias: (expression for a practice or report link, expression for an adoption)})."""
    parts = []
    for link, model in ((PracticeMethod, PracticePage), (ReportMethod, ProjectReportPage)):
        queryset = link.objects.filter(page__live=True, method__live=True).filter(
            in_place(place, [model], "page__")
        )
        parts.append((queryset, 0))
    # An adoption is where its live practice is, else where its organisation is based: one
    # part per case, so that each is planned from its own small start.
    adoptions = MethodAdoption.objects.filter(method__live=True)
    parts.append(
        (adoptions.filter(in_place(place, [PracticePage], "practice__"), practice__live=True), 1)
    )
    parts.append((adoptions.filter(seat_q(place), practice__isnull=True), 1))
    parts.append((adoptions.filter(seat_q(place), practice__live=False), 1))
    found = []
    for queryset, which in parts:
        if method_keys is not None:
            queryset = queryset.filter(method__translation_key__in=method_keys)
        aliases = {alias: pair[which] for alias, pair in columns.items()}
        found.append(queryset.annotate(**aliases).values_list(*aliases))
    return found


USE_KEYS = {"k": (F("method__translation_key"), F("method__translation_key"))}
USE_COLUMNS = {
    **USE_KEYS,
    "u": (F("page__organisation_id"), F("organisation_id")),
    "n": (F("page__organisation__name"), F("organisation__name")),
    "p": (F("page_id"), F("practice_id")),
    "s": (F("page__start_date"), F("start_date")),
    "e": (F("page__end_date"), Value(None, output_field=PracticePage.end_date.field)),
    "st": (Value(""), F("status")),
    "r": (Value(0), Value(1)),
}


def methods_in_use(place, locale, limit=None, users_limit=None):
    """The ``limit`` methods most used in ``place`` (by how many organisations use them
    there), each with who uses it there and how far they have come (at most ``users_limit``),
    and how many methods are in use there in all. Defaults: ``IN_USE_LIMIT``,
    ``USERS_LIMIT``.

    One query finds the uses once, counts them per method, keeps the most used and ranks
    their uses (an organisation's recorded adoption first); one more reads the methods'
    pages in the reader's language (and one the titles of practices naming no organisation,
    when there are any)."""
    limit, users_limit = limit or IN_USE_LIMIT, users_limit or USERS_LIMIT
    sql, params = union_sql(_uses(place, USE_COLUMNS))
    rows = kept(
        f"in-use:{limit}:{users_limit}",
        place,
        lambda: fetch(
            f"WITH uses AS ({sql}), "  # noqa: S608 - our own compiled SQL
            "top AS (SELECT k, COUNT(DISTINCT COALESCE(u, 0)) AS used, COUNT(*) OVER () AS total "
            "FROM uses GROUP BY k ORDER BY used DESC, k LIMIT %s), "
            "ranked AS (SELECT uses.*, ROW_NUMBER() OVER (PARTITION BY k ORDER BY r DESC, u) "
            "AS position FROM uses WHERE k IN (SELECT k FROM top)) "
            "SELECT top.k, top.used, top.total, ranked.u, ranked.n, ranked.p, ranked.s, "
            "ranked.e, ranked.st, ranked.r FROM top JOIN ranked ON ranked.k = top.k "
            "WHERE ranked.position <= %s",
            [*params, limit, users_limit * 2],
        ),
    )
    if not rows:
        return Listing()
    counts = {as_uuid(row[0]): row[1] for row in rows}
    methods = records_for_reader(MethodPage.objects.select_related("locale"), list(counts), locale)
    users = _users([(as_uuid(row[0]), *row[3:]) for row in rows], users_limit)
    items = [
        InUse(method, users.get(method.translation_key, []), counts[method.translation_key])
        for method in methods
    ]
    return Listing(items, rows[0][2])


def _users(rows, limit):
    """{method key: [User]} from the ranked uses ``rows``: one entry per organisation (or
    practice naming none), its recorded adoption before what its practices imply, the most
    advanced first; at most ``limit``."""
    orphans = [row[3] for row in rows if not row[1] and row[3]]
    titles = dict(Page.objects.filter(pk__in=orphans).values_list("pk", "title")) if orphans else {}
    found = defaultdict(dict)
    for key, organisation, name, page, start, end, status, recorded in rows:
        owner = ("organisation", organisation) if organisation else ("page", page)
        if not recorded:
            if owner in found[key]:
                continue
            status = status_from_period(_Period(_date(start), _date(end)))
        name = name if organisation else titles.get(page, "")
        found[key][owner] = User(name or "", status)
    return {
        key: sorted(entries.values(), key=lambda u: (STATUS_ORDER.get(u.status, 9), u.name))[:limit]
        for key, entries in found.items()
    }


@dataclass
class _Period:
    start_date: object
    end_date: object


def _date(value):
    """A date read by a raw query (a date, or ISO text on SQLite)."""
    if value is None or hasattr(value, "year"):
        return value
    return date.fromisoformat(str(value)[:10])


# Outcomes ----------------------------------------------------------------------------------


@dataclass
class Outcome:
    """One indicator measured in a place: by how many records, how many met their target."""

    label: str
    records: int = 0
    with_target: int = 0
    met: int = 0


def outcomes(place):
    """The indicators the practices and reports in ``place`` measured, the most measured
    first; each record counted once (not once per translation), a target met as
    ``OutcomeIndicator.target_met`` says (less is better where the vocabulary says so)."""
    return kept(f"outcomes:{get_language()}", place, lambda: _outcomes(place))


def _outcomes(place):
    terms = indicator_terms(settings.LANGUAGE_CODE)
    lower = [key for key, (_label, higher) in terms.items() if not higher]
    has_target = Q(target__isnull=False)
    met = has_target & (
        (Q(key__in=lower) & Q(value__lte=F("target")))
        | (~Q(key__in=lower) & Q(value__gte=F("target")))
    )
    found = {}
    labels = indicator_terms()
    tables = ((PracticeIndicator, PracticePage), (ReportIndicator, ProjectReportPage))
    for indicator, model in tables:
        pages = visible(model.objects).filter(in_place(place, [model])).values("pk")
        rows = (
            indicator.objects.filter(page__in=pages)
            .values("key")
            .annotate(
                records=Count("page__translation_key", distinct=True),
                with_target=Count("page__translation_key", distinct=True, filter=has_target),
                met=Count("page__translation_key", distinct=True, filter=met),
                own_label=Max("label"),
            )
            .order_by()
        )
        for row in rows:
            term = labels.get(row["key"])
            own = row["own_label"] or row["key"].replace("_", " ").capitalize()
            label = term[0] if term else own
            outcome = found.setdefault(row["key"], Outcome(label))
            outcome.records += row["records"]
            outcome.with_target += row["with_target"]
            outcome.met += row["met"]
    return sorted(found.values(), key=lambda outcome: (-outcome.records, outcome.label))


# Counts per place --------------------------------------------------------------------------


def _content_parts(region_code=None):
    """Querysets of (kommun code ``c``, key ``k``): the records named in or seated in each
    kommun and the methods adopted by organisations based there (only the kommuner of the
    län ``region_code`` when given)."""
    facets = RecordFacet.objects.filter(facet="municipality")
    seated = Q(organisation__municipality__isnull=False)
    adopted = MethodAdoption.objects.filter(
        method__live=True, organisation__municipality__isnull=False
    )
    if region_code:
        facets = facets.filter(value__startswith=region_code)
        seated = Q(organisation__municipality__region__code=region_code)
        adopted = adopted.filter(organisation__municipality__region__code=region_code)
    parts = [facets.annotate(c=F("value"), k=F("translation_key")).values_list("c", "k")]
    for model in MODELS.values():
        parts.append(
            visible(model.objects)
            .filter(seated & names_no_place())
            .annotate(c=F("organisation__municipality__code"), k=F("translation_key"))
            .values_list("c", "k")
        )
    parts.append(
        adopted.annotate(
            c=F("organisation__municipality__code"), k=F("method__translation_key")
        ).values_list("c", "k")
    )
    return parts


def _count(parts):
    sql, params = union_sql(parts)
    rows = fetch(
        f"SELECT c, COUNT(DISTINCT k) FROM ({sql}) AS found GROUP BY c",  # noqa: S608 - our own compiled SQL
        params,
    )
    return Counter(dict(rows))


def municipality_counts(region_code=None):
    """Counter {kommun code: records and methods in use there} (of one län's kommuner)."""
    return _count(_content_parts(region_code))


def region_counts():
    """Counter {län code: records and methods in use there}."""
    facets = RecordFacet.objects.filter(facet="region")
    parts = [facets.annotate(c=F("value"), k=F("translation_key")).values_list("c", "k")]
    for model in MODELS.values():
        seated = visible(model.objects).filter(names_no_place())
        parts.append(
            seated.filter(organisation__municipality__isnull=False)
            .annotate(c=F("organisation__municipality__region__code"), k=F("translation_key"))
            .values_list("c", "k")
        )
        parts.append(
            seated.filter(
                organisation__municipality__isnull=True, organisation__region__isnull=False
            )
            .annotate(c=F("organisation__region__code"), k=F("translation_key"))
            .values_list("c", "k")
        )
    return _count(parts)


def site_counts():
    """(kommun counts, län counts) of the whole site: one aggregate query each, kept in the
    fragment cache under ``INDEX_TAGS`` (a few kB whatever the number of records)."""
    return fragments.cached(
        "places-counts", INDEX_TAGS, lambda: (municipality_counts(), region_counts())
    )


@dataclass
class CountedPlace:
    """A place of the places index, with how many records and methods in use it has."""

    code: str
    name: str
    count: int


@dataclass
class RegionEntry:
    """A län of the places index and its kommuner that have content (the others are left
    out: a list of 290 names would bury them)."""

    region: CountedPlace
    municipalities: list


def places_index():
    """[RegionEntry] of every län in code order, each with its kommuner that have content, by
    name; from the site's cached counts and one read of the places (290 rows)."""
    municipality_counts, region_counts = site_counts()
    by_region = defaultdict(list)
    for code, name, region_code in Municipality.objects.values_list("code", "name", "region__code"):
        if municipality_counts[code]:
            by_region[region_code].append(CountedPlace(code, name, municipality_counts[code]))
    return [
        RegionEntry(
            CountedPlace(code, name, region_counts[code]),
            sorted(by_region[code], key=lambda place: place.name),
        )
        for code, name in Region.objects.order_by("code").values_list("code", "name")
    ]


@dataclass
class Nearby:
    """A place with content, suggested where there is none."""

    code: str
    name: str
    count: int
    is_municipality: bool


def nearest_places(place, limit=NEAREST_LIMIT):
    """Places with content near an empty ``place``: for a kommun, the kommuner of its län
    (largest population first), then its län, then the län with the nearest codes (SCB
    numbers the län roughly from Stockholm southwards, then northwards) with their kommuner;
    for a län, the län with the nearest codes. Ties by name."""
    municipality_counts, region_counts = site_counts()
    regions = {region.code: region for region in Region.objects.all()}
    municipalities = defaultdict(list)
    for municipality in Municipality.objects.filter(code__in=list(municipality_counts)):
        municipalities[municipality.region_id].append(municipality)
    by_region_code = {
        region.code: sorted(
            municipalities.get(region.pk, ()), key=lambda m: (-(m.population or 0), m.name)
        )
        for region in regions.values()
    }
    own = place.region.code
    order = sorted(regions, key=lambda code: (abs(int(code) - int(own)), code))
    found = []
    for code in order:
        if place.is_municipality:
            for municipality in by_region_code[code]:
                if municipality.code != place.code:
                    found.append(
                        Nearby(
                            municipality.code,
                            municipality.name,
                            municipality_counts[municipality.code],
                            True,
                        )
                    )
        if region_counts[code] and code != place.code:
            found.append(Nearby(code, regions[code].name, region_counts[code], False))
        if len(found) >= limit:
            break
    return found[:limit]


# "Like mine" -------------------------------------------------------------------------------


@dataclass
class LikeMine:
    """Records from kommuner like ``reference``, each with the ``Similar`` that brought it."""

    reference: Municipality
    items: list = field(default_factory=list)  # [(page, Similar)]


def _in_kommuner(codes, kinds):
    """Querysets of (key ``k``, kommun code ``c``, type ``t``): the records of ``kinds`` in
    the kommuner ``codes`` (named there, else seated there) and, with methods, the methods in
    use there."""
    parts = []
    for kind in kinds:
        pages = visible(MODELS[kind].objects)
        parts.append(
            pages.filter(municipalities__code__in=codes)
            .annotate(k=F("translation_key"), c=F("municipalities__code"), t=Value(kind))
            .values_list("k", "c", "t")
        )
        parts.append(
            pages.filter(names_no_place(), organisation__municipality__code__in=codes)
            .annotate(
                k=F("translation_key"), c=F("organisation__municipality__code"), t=Value(kind)
            )
            .values_list("k", "c", "t")
        )
    if "method" in kinds:
        for link in (PracticeMethod, ReportMethod):
            parts.append(
                link.objects.filter(
                    page__live=True, method__live=True, page__municipalities__code__in=codes
                )
                .annotate(
                    k=F("method__translation_key"),
                    c=F("page__municipalities__code"),
                    t=Value("method"),
                )
                .values_list("k", "c", "t")
            )
        parts.append(
            MethodAdoption.objects.filter(
                method__live=True, organisation__municipality__code__in=codes
            )
            .annotate(
                k=F("method__translation_key"),
                c=F("organisation__municipality__code"),
                t=Value("method"),
            )
            .values_list("k", "c", "t")
        )
    return parts


def like_mine(
    reference,
    locale,
    exclude_keys=(),
    exclude_codes=(),
    limit=LIKE_MINE_LIMIT,
    kinds=("practice", "method"),
):
    """Practices and methods from kommuner like ``reference`` (``places.similar``), never
    from ``reference`` itself nor from ``exclude_codes``, nor the records ``exclude_keys`` or
    those also in ``reference`` or ``exclude_codes`` (or, for methods, in use there): the
    most similar kommun's records first. ``kinds``: the record types to show (a method counts
    where it is in use as well as where its own page says it is). A few queries, whatever
    the number of records: the kommuner with content (cached), the ``SIMILAR_LIMIT`` most
    similar of them, the records there in one query, their pages."""
    skipped_codes = {reference.code, *exclude_codes}
    counts, _regions = site_counts()
    candidates = Municipality.objects.filter(
        code__in=[code for code, count in counts.items() if count and code not in skipped_codes]
    )
    similar = similar_municipalities(reference, candidates, limit=SIMILAR_LIMIT)
    if not similar:
        return LikeMine(reference)
    rank = {item.municipality.code: position for position, item in enumerate(similar)}
    sql, params = union_sql(_in_kommuner(list(rank), kinds))
    # What is already in the reference kommun (and ``exclude_codes``) by the same rule.
    skip_parts = _in_kommuner(list(skipped_codes), kinds)
    if exclude_keys:
        skip_parts.append(
            Page.objects.filter(translation_key__in=list(exclude_keys))
            .annotate(k=F("translation_key"), c=Value(""), t=Value(""))
            .values_list("k", "c", "t")
        )
    skip_sql, skip_params = union_sql(skip_parts)
    order = " ".join("WHEN %s THEN %s" for _code in rank)
    order_params = [value for code, position in rank.items() for value in (code, position)]
    asked = repr((sorted(skipped_codes), sorted(map(str, exclude_keys)), limit, kinds))
    rows = fragments.cached(
        f"like-mine:{reference.code}:{hashlib.sha256(asked.encode()).hexdigest()[:24]}",
        INDEX_TAGS,
        lambda: fetch(
            # An anti-join rather than NOT IN: the records to skip are read once, not per row.
            f"SELECT found.k, MIN(found.t), MIN(CASE found.c {order} END) AS position "  # noqa: S608 - our own compiled SQL
            f"FROM ({sql}) AS found LEFT JOIN ({skip_sql}) AS skipped ON skipped.k = found.k "
            "WHERE skipped.k IS NULL GROUP BY found.k ORDER BY position, found.k LIMIT %s",
            [*order_params, *params, *skip_params, limit],
        ),
    )
    grouped = defaultdict(list)
    for key, kind, _position in rows:
        grouped[kind].append(as_uuid(key))
    pages = {}
    for kind, keys in grouped.items():
        for page in records_for_reader(_queryset(kind), keys, locale):
            pages[page.translation_key] = page
    items = [
        (pages[as_uuid(key)], similar[position])
        for key, _kind, position in rows
        if as_uuid(key) in pages
    ]
    return LikeMine(reference, items)


def record_like_mine(page, locale, limit=LIKE_MINE_LIMIT):
    """ "Like mine" for a record's page: records from kommuner like the record's own (the
    kommuner it names, else its organisation's; the reference is the organisation's kommun
    when the record names it, else the first it names, by name); None when the record is in
    no kommun (one query)."""
    own = sorted(page.municipalities.all(), key=lambda municipality: municipality.name)
    organisation = page.organisation
    seat = organisation.municipality_id if organisation is not None else None
    if not own and seat and not page.regions.exists():
        own = [organisation.municipality]
    if not own:
        return None
    reference = next((m for m in own if m.pk == seat), own[0])
    return like_mine(
        reference,
        locale,
        exclude_keys={page.translation_key},
        exclude_codes={municipality.code for municipality in own},
        limit=limit,
    )


# The page ----------------------------------------------------------------------------------


@dataclass
class PlaceContent:
    place: Place
    practices: Listing = field(default_factory=Listing)
    methods: Listing = field(default_factory=Listing)
    reports: Listing = field(default_factory=Listing)
    methods_in_use: Listing = field(default_factory=Listing)
    organisations: Listing = field(default_factory=Listing)
    outcomes: list = field(default_factory=list)
    municipalities: list = field(default_factory=list)  # a län's kommuner with content
    like_mine: LikeMine | None = None
    nearest: list = field(default_factory=list)

    @property
    def is_empty(self):
        return not (self.practices or self.methods or self.reports or self.methods_in_use)


def organisations_based(place, limit=None):
    """The organisations based in ``place`` (a län: in it or one of its kommuner), by name,
    at most ``limit`` (default ``ORGANISATIONS_LIMIT``), and how many: one query."""
    limit = limit or ORGANISATIONS_LIMIT
    if place.is_municipality:
        seated = Q(municipality=place.municipality)
    else:
        seated = Q(region=place.region) | Q(municipality__region=place.region)
    found = list(
        Organisation.objects.filter(seated)
        .annotate(total=Window(Count("pk")))
        .order_by("name", "pk")[:limit]
    )
    return Listing(found, found[0].total if found else 0)


def place_content(place, locale):
    """Everything ``place``'s page shows, read in ``locale``."""
    records = recent_records(place, locale)
    content = PlaceContent(
        place,
        practices=records["practice"],
        methods=records["method"],
        reports=records["report"],
        methods_in_use=methods_in_use(place, locale),
        organisations=organisations_based(place),
        outcomes=outcomes(place),
    )
    if place.is_municipality:
        content.like_mine = like_mine(place.municipality, locale)
    else:
        counts = kept("kommun-counts", place, lambda: municipality_counts(place.code))
        content.municipalities = [
            (municipality, counts[municipality.code])
            for municipality in Municipality.objects.filter(
                region=place.region, code__in=list(counts)
            ).order_by("name")
        ]
    if content.is_empty:
        content.nearest = nearest_places(place)
    return content
