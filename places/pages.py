"""What a place page shows: for one of the 21 län or 290 kommuner, the practices, methods and
reports there, the methods in use there, the organisations based there, the outcomes measured
there, and for a kommun its population, SKR group and the kommuner like it.

Where a record is (``PlaceIndex``): the municipalities and regions it names (a municipality
also puts it in its län); a record that names no place is where its organisation is based
(the organisation's municipality or region), as on the reuse pages. A method is *in use* in a
place when a practice or report there applied it, or an organisation there recorded adopting
it (``reuse.adoptions``' sources).

The index of every live, public record's places is built in a handful of queries and kept in
the fragment cache under the tags of what it reads (``INDEX_TAGS``), so a place page costs a
few queries for its own records whatever the number of places.
"""

import re
import uuid
from collections import Counter, defaultdict
from dataclasses import dataclass, field

from django.db.models import Q

from caching import fragments
from practices.models import (
    CONTENT_PAGE_MODELS,
    MethodAdoption,
    Municipality,
    Organisation,
    PracticeMethod,
    Region,
    ReportMethod,
)
from practices.records import records_for_reader
from practices.visibility import visible
from reuse.adoptions import reuse_for_methods
from search.models import RecordFacet

from .similar import similar_municipalities

# What the index (and so every place page) depends on, for the fragment and page caches.
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
CODE = re.compile(r"\d{2}|\d{4}")
TYPES = ("practice", "method", "report")
MODELS = {model.interchange_type: model for model in CONTENT_PAGE_MODELS}
# How many records "like mine" shows, and how many nearest places an empty place suggests.
LIKE_MINE_LIMIT = 6
NEAREST_LIMIT = 5


# The index ---------------------------------------------------------------------------------


@dataclass
class PlaceIndex:
    """Where every live, public record is, and where each method is in use.

    ``records``: {translation key: (type, municipality codes, region codes)};
    ``used``: {method translation key: (municipality codes, region codes)}.
    """

    records: dict = field(default_factory=dict)
    used: dict = field(default_factory=dict)

    def located(self, municipality=None, region=None, types=TYPES):
        """Keys of the records in a kommun (by code) or a län."""
        return {
            key
            for key, (kind, municipalities, regions) in self.records.items()
            if kind in types
            and (municipality in municipalities if municipality else region in regions)
        }

    def in_use(self, municipality=None, region=None):
        """Keys of the methods in use in a kommun or a län."""
        return {
            key
            for key, (municipalities, regions) in self.used.items()
            if (municipality in municipalities if municipality else region in regions)
        }

    def municipality_counts(self):
        """Counter {kommun code: records there + methods in use there}."""
        counts = Counter()
        for _kind, municipalities, _regions in self.records.values():
            counts.update(municipalities)
        for municipalities, _regions in self.used.values():
            counts.update(municipalities)
        return counts

    def region_counts(self):
        counts = Counter()
        for _kind, _municipalities, regions in self.records.values():
            counts.update(regions)
        for _municipalities, regions in self.used.values():
            counts.update(regions)
        return counts


def _build_index():
    region_of = dict(Municipality.objects.values_list("code", "region__code"))
    seats, types = {}, {}
    for kind, model in MODELS.items():
        rows = visible(model.objects.all()).values_list(
            "translation_key", "organisation__municipality__code", "organisation__region__code"
        )
        for key, municipality, region in rows:
            key = str(key)
            types[key] = kind
            seats[key] = (municipality, region)
    named = defaultdict(lambda: (set(), set()))
    rows = _named_places(list(types))
    for key, facet, value in rows:
        municipalities, regions = named[key]
        (municipalities if facet == "municipality" else regions).add(value)
    records = {}
    for key, kind in types.items():
        municipalities, regions = named.get(key, (set(), set()))
        if not municipalities and not regions:
            municipality, region = seats[key]
            if municipality:
                municipalities = {municipality}
                regions = {region_of[municipality]}
            elif region:
                regions = {region}
        regions = set(regions) | {region_of[code] for code in municipalities}
        records[key] = (kind, frozenset(municipalities), frozenset(regions))

    used = defaultdict(lambda: (set(), set()))

    def use(method_key, municipalities, regions):
        if method_key in records:
            used[method_key][0].update(municipalities)
            used[method_key][1].update(regions)

    for link in (PracticeMethod, ReportMethod):
        pairs = link.objects.filter(page__live=True, method__live=True).values_list(
            "method__translation_key", "page__translation_key"
        )
        for method_key, page_key in pairs:
            if str(page_key) in records:
                use(str(method_key), *records[str(page_key)][1:])
    adoptions = MethodAdoption.objects.filter(method__live=True).values_list(
        "method__translation_key",
        "practice__translation_key",
        "organisation__municipality__code",
        "organisation__region__code",
    )
    for method_key, practice_key, municipality, region in adoptions:
        if practice_key is not None and str(practice_key) in records:
            use(str(method_key), *records[str(practice_key)][1:])
        elif municipality:
            use(str(method_key), {municipality}, {region_of[municipality]})
        elif region:
            use(str(method_key), set(), {region})
    return PlaceIndex(
        records=records,
        used={key: (frozenset(m), frozenset(r)) for key, (m, r) in used.items()},
    )


def _named_places(keys):
    """(key, facet, value) of the municipality and region facets of the records ``keys``.

    The search app keeps them per record, from the record's source page, in step with
    publishing: one indexed query instead of one per page type and relation.
    """
    rows = RecordFacet.objects.filter(facet__in=("municipality", "region")).values_list(
        "translation_key", "facet", "value"
    )
    wanted = set(keys)
    return [(str(key), facet, value) for key, facet, value in rows if str(key) in wanted]


def place_index():
    """The ``PlaceIndex`` of the live, public records (cached under ``INDEX_TAGS``)."""
    return fragments.cached("places-index", INDEX_TAGS, _build_index)


# Places ------------------------------------------------------------------------------------


@dataclass
class Place:
    """A kommun (``municipality`` set) or a län."""

    code: str
    name: str
    region: Region
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


# Reading records ---------------------------------------------------------------------------


def _queryset(kind):
    queryset = MODELS[kind].objects.select_related("locale", "organisation")
    if kind in ("practice", "report"):
        queryset = queryset.prefetch_related("indicators")
    return queryset


def records_by_type(index, keys, locale):
    """{type: [page in the reader's language]} of the records ``keys``, by title; a query per
    type that has any."""
    grouped = defaultdict(list)
    for key in keys:
        if key in index.records:
            grouped[index.records[key][0]].append(uuid.UUID(key))
    found = {}
    for kind in TYPES:
        if grouped[kind]:
            pages = records_for_reader(_queryset(kind), grouped[kind], locale)
            found[kind] = sorted(pages, key=lambda page: page.title.lower())
        else:
            found[kind] = []
    return found


@dataclass
class Outcome:
    """One indicator measured in a place: by how many records, how many met their target."""

    label: str
    records: int = 0
    with_target: int = 0
    met: int = 0


def outcomes(pages):
    """The indicators ``pages`` measured, the most measured first."""
    found = {}
    for page in pages:
        for indicator in page.indicators.all():
            outcome = found.setdefault(indicator.key, Outcome(indicator.display_label))
            outcome.records += 1
            if indicator.target_met is not None:
                outcome.with_target += 1
                outcome.met += int(indicator.target_met)
    return sorted(found.values(), key=lambda outcome: (-outcome.records, outcome.label))


@dataclass
class Nearby:
    """A place with content, suggested where there is none."""

    code: str
    name: str
    count: int
    is_municipality: bool


def nearest_places(place, index, limit=NEAREST_LIMIT):
    """Places with content near an empty ``place``: for a kommun, the kommuner of its län
    (largest population first), then its län, then the län with the nearest codes (SCB
    numbers the län roughly from Stockholm southwards, then northwards) with their kommuner;
    for a län, the län with the nearest codes. Ties by name."""
    municipality_counts = index.municipality_counts()
    region_counts = index.region_counts()
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


def like_mine(
    reference,
    index,
    locale,
    exclude_keys=(),
    exclude_codes=(),
    limit=LIKE_MINE_LIMIT,
    kinds=("practice", "method"),
):
    """Practices and methods from kommuner like ``reference`` (``places.similar``), never
    from ``reference`` itself nor from ``exclude_codes``, nor the records ``exclude_keys`` or
    those also in ``reference`` (or, for methods, in use there): the most similar kommun's
    records first. ``kinds``: the record types to show (a method counts where it is in use
    as well as where its own page says it is)."""
    skip = (
        set(exclude_keys)
        | index.located(municipality=reference.code)
        | index.in_use(municipality=reference.code)
    )
    skipped_codes = {reference.code, *exclude_codes}
    keys_by_code = defaultdict(set)
    for key, (kind, municipalities, _regions) in index.records.items():
        if kind in kinds and key not in skip:
            for code in municipalities:
                keys_by_code[code].add(key)
    for key, (municipalities, _regions) in index.used.items():
        if "method" in kinds and key not in skip:
            for code in municipalities:
                keys_by_code[code].add(key)
    codes = [code for code, keys in keys_by_code.items() if keys and code not in skipped_codes]
    candidates = Municipality.objects.filter(code__in=codes)
    chosen, seen = [], set()
    for similar in similar_municipalities(reference, candidates):
        for key in sorted(keys_by_code[similar.municipality.code] - seen):
            chosen.append((key, similar))
            seen.add(key)
        if len(chosen) >= limit:
            break
    chosen = chosen[:limit]
    pages = records_by_type(index, [key for key, _ in chosen], locale)
    by_key = {str(page.translation_key): page for kind in TYPES for page in pages[kind]}
    items = [(by_key[key], similar) for key, similar in chosen if key in by_key]
    return LikeMine(reference, items)


def record_like_mine(page, locale, limit=LIKE_MINE_LIMIT):
    """ "Like mine" for a record's page: records from kommuner like the record's own (the
    kommuner it names, else its organisation's; the reference is the organisation's kommun
    when the record names it, else the first it names, by name); None when the record is in
    no kommun. A record in no kommun costs one query: the index is not read."""
    own = sorted(page.municipalities.all(), key=lambda municipality: municipality.name)
    organisation = page.organisation
    seat = organisation.municipality_id if organisation is not None else None
    if not own and seat and not page.regions.exists():
        own = [organisation.municipality]
    if not own:
        return None
    index = place_index()
    key = str(page.translation_key)
    reference = next((m for m in own if m.pk == seat), own[0])
    codes = {municipality.code for municipality in own}
    return like_mine(
        reference,
        index,
        locale,
        exclude_keys={key, *(k for code in codes for k in index.located(municipality=code))},
        exclude_codes=codes,
        limit=limit,
    )


def adoption_places(adoption):
    """(kommun codes, län codes) where an adoption runs: its practice's places, else the
    organisation's seat (as ``reuse.adoptions.Adoption.regions``)."""
    municipalities = set()
    if adoption.practice is not None:
        municipalities = {m.code for m in adoption.practice.municipalities.all()}
    if not municipalities and not (adoption.practice and adoption.practice.regions.all()):
        organisation = adoption.organisation
        if organisation is not None and organisation.municipality is not None:
            municipalities = {organisation.municipality.code}
    return municipalities, {region.code for region in adoption.regions}


def methods_in_use(methods, place, locale):
    """[(method, [Adoption there])]: who uses each method in ``place``, with its status
    (``reuse.adoptions``: recorded adoptions merged with the practices that applied it)."""
    # The place page links no comparison: the outcome counts are not read.
    reuse = reuse_for_methods(methods, locale, with_outcomes=False)
    found = []
    for method in methods:
        there = []
        for adoption in reuse[method.translation_key].adoptions:
            municipalities, regions = adoption_places(adoption)
            if (place.code in municipalities) if place.is_municipality else place.code in regions:
                there.append(adoption)
        found.append((method, there))
    return found


# The page ----------------------------------------------------------------------------------


@dataclass
class PlaceContent:
    place: Place
    practices: list = field(default_factory=list)
    methods: list = field(default_factory=list)
    reports: list = field(default_factory=list)
    methods_in_use: list = field(default_factory=list)
    organisations: list = field(default_factory=list)
    outcomes: list = field(default_factory=list)
    municipalities: list = field(default_factory=list)  # a län's kommuner with content
    like_mine: LikeMine | None = None
    nearest: list = field(default_factory=list)

    @property
    def is_empty(self):
        return not (self.practices or self.methods or self.reports or self.methods_in_use)


def place_content(place, locale):
    """Everything ``place``'s page shows, read in ``locale``."""
    index = place_index()
    if place.is_municipality:
        where = {"municipality": place.code}
        seated = Q(municipality=place.municipality)
    else:
        where = {"region": place.code}
        seated = Q(region=place.region) | Q(municipality__region=place.region)
    records = records_by_type(index, index.located(**where), locale)
    in_use = records_by_type(index, index.in_use(**where), locale)["method"]
    content = PlaceContent(
        place,
        practices=records["practice"],
        methods=records["method"],
        reports=records["report"],
        methods_in_use=methods_in_use(in_use, place, locale),
        organisations=list(Organisation.objects.filter(seated).order_by("name")),
        outcomes=outcomes(records["practice"] + records["report"]),
    )
    if place.is_municipality:
        content.like_mine = like_mine(place.municipality, index, locale)
    else:
        counts = index.municipality_counts()
        content.municipalities = [
            (municipality, counts[municipality.code])
            for municipality in Municipality.objects.filter(
                region=place.region, code__in=list(counts)
            ).order_by("name")
        ]
    if content.is_empty:
        content.nearest = nearest_places(place, index)
    return content
