"""Published records as open data: which records a query asks for, and each one in the
interchange format with what the platform knows beyond it.

A record is a practice, method or report: its source page (the oldest page of its
``translation_key``, as the exporter says) and its translations. Only records whose source page
is live and public are open data, with their live, public translations. Each record is
``interchange.serialise.page_record`` (so it validates with ``interchange.schema`` and imports
into another platform) plus the fields in ``PLATFORM_FIELDS``: where to read it, when it was
last published and last reviewed by its owner, and, for a method, who uses it. The contact's
e-mail address is left out, as on the site.

Reading is bounded: a page of records costs the same few queries however many records,
terms, indicators or translations it holds (counts per type, the pages, one prefetch per
relation, the translations, the adoptions). The counts, the only part that reads every record,
are kept in the cache per ``DataVersion`` (which every publish moves on), so a client paging
through the records counts them once.
"""

import datetime
import hashlib
from collections import defaultdict
from dataclasses import dataclass, field

from django.core.cache import caches
from django.db.models import Exists, OuterRef, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from interchange import spec
from interchange.serialise import page_record
from practices.locales import locale as locale_for
from practices.records import pick_translation
from practices.visibility import visible
from reuse.adoptions import reuse_for_methods
from search.models import RecordFacet
from search.params import SearchParameterError

from .models import DataVersion

# Fields of an open-data record that are not part of the interchange format: drop them to
# import a record elsewhere (``interchange_part``).
PLATFORM_FIELDS = ("url", "last_updated", "last_reviewed", "adoptions")

# The relations ``page_record`` reads, per type (prefetched for a page of records at once).
SHARED_RELATIONS = ("municipalities", "regions", "activity_types", "target_groups", "keywords")
TYPE_RELATIONS = {
    "practice": ("funding", "indicators", "method_links__method", "partners"),
    "method": (),
    "report": (
        "funding",
        "indicators",
        "method_links__method",
        "partners",
        "linked_practices__practice",
    ),
}
TYPES = tuple(sorted(spec.PAGE_MODELS, key=spec.TYPE_ORDER.get))  # methods first, as exported
MIN_YEAR, MAX_YEAR = 1900, 2100  # as search's start years (``search.params``)


@dataclass(frozen=True)
class RecordQuery:
    """Which records: search's filters (``search.params``), the reader's language, a page."""

    language: str = "sv"
    filters: dict = field(default_factory=dict)
    updated_since: datetime.datetime | None = None
    page: int = 1
    page_size: int = 10


def parse_updated_since(raw):
    """An ISO 8601 date or date and time as an aware datetime (a date: its midnight, and a
    time without an offset: the site's time zone); None for none."""
    if raw in (None, ""):
        return None
    value = None
    if len(raw) <= 10:
        try:
            day = datetime.date.fromisoformat(raw)
        except ValueError:
            pass
        else:
            value = datetime.datetime.combine(day, datetime.time())
    if value is None:
        try:
            value = datetime.datetime.fromisoformat(raw)
        except ValueError:
            raise SearchParameterError(
                "updated_since",
                _(
                    "updated_since must be an ISO 8601 date or date and time, such as "
                    "2026-01-31 or 2026-01-31T08:00:00Z."
                ),
            ) from None
    if not MIN_YEAR <= value.year <= MAX_YEAR:
        # Far-off years would overflow when moved between time zones.
        raise SearchParameterError(
            "updated_since",
            _("updated_since must be a year between %(min)d and %(max)d.")
            % {"min": MIN_YEAR, "max": MAX_YEAR},
        )
    if timezone.is_naive(value):
        value = timezone.make_aware(value)
    return value


def _sources(model):
    """The live, public source pages of ``model``: the oldest page of each translation key
    (no older page with its key: an index lookup per page, where grouping every page by key
    read them all before the first row)."""
    older = model.objects.filter(translation_key=OuterRef("translation_key"), pk__lt=OuterRef("pk"))
    return visible(model.objects.filter(~Exists(older)))


COUNT_TIMEOUT = 24 * 3600  # a count is kept until the data changes, and a day at most


def _count(record_type, pages, query, version):
    """How many records ``pages`` holds, kept in the cache while the data stays at
    ``version`` (the filters and ``updated_since`` are part of the key)."""
    asked = repr((sorted((k, sorted(v)) for k, v in query.filters.items()), query.updated_since))
    digest = hashlib.sha256(asked.encode()).hexdigest()[:24]
    key = f"opendata-count:{version}:{record_type}:{digest}"
    return caches["default"].get_or_set(key, pages.count, COUNT_TIMEOUT)


def _filtered(model, query):
    pages = _sources(model)
    for facet, values in query.filters.items():
        if facet == "type":
            continue  # one model is one type: chosen by the caller
        pages = pages.filter(
            translation_key__in=RecordFacet.objects.filter(
                facet=facet, value__in=sorted(values)
            ).values("translation_key")
        )
    since = query.updated_since
    if since is not None:
        # Published (in any of its languages) at or after it, or reviewed by its owner on or
        # after its day (a review is a date: a review that day may have come after the time).
        published = visible(model.objects.filter(last_published_at__gte=since)).values(
            "translation_key"
        )
        pages = pages.filter(
            Q(translation_key__in=published) | Q(last_reviewed__gte=timezone.localdate(since))
        )
    return pages.order_by("external_id", "pk")


def _with_relations(queryset, record_type):
    return queryset.select_related("locale", "organisation").prefetch_related(
        *SHARED_RELATIONS, *TYPE_RELATIONS[record_type]
    )


def _types(query):
    wanted = query.filters.get("type")
    return [name for name in TYPES if not wanted or name in wanted]


def find(query):
    """``(count, source pages)``: the records ``query`` asks for and the page of them it asks
    for, methods first, then practices, then reports, each by external id."""
    counted = []
    version = DataVersion.current()
    for record_type in _types(query):
        pages = _filtered(spec.PAGE_MODELS[record_type], query)
        counted.append((record_type, pages, _count(record_type, pages, query, version)))
    total = sum(count for _type, _pages, count in counted)
    offset = (query.page - 1) * query.page_size
    wanted = query.page_size
    sources = []
    for record_type, pages, count in counted:
        if wanted <= 0:
            break
        if offset >= count:
            offset -= count
            continue
        taken = min(count - offset, wanted)
        sources.extend(_with_relations(pages, record_type)[offset : offset + taken])
        wanted -= taken
        offset = 0
    return total, sources


def find_one(external_id):
    """The live, public source page of the record ``external_id``, or None."""
    for record_type in TYPES:
        page = (
            _with_relations(_sources(spec.PAGE_MODELS[record_type]), record_type)
            .filter(external_id=external_id)
            .order_by("pk")
            .first()
        )
        if page is not None:
            return page
    return None


def all_sources(chunk=200):
    """Every open-data record's source page, in chunks (for the bulk downloads)."""
    for record_type in TYPES:
        pages = _sources(spec.PAGE_MODELS[record_type]).order_by("external_id", "pk")
        ids = list(pages.values_list("pk", flat=True))
        for start in range(0, len(ids), chunk):
            part = _with_relations(
                spec.PAGE_MODELS[record_type].objects.filter(pk__in=ids[start : start + chunk]),
                record_type,
            ).order_by("external_id", "pk")
            yield list(part)


def _translations(sources):
    """``{translation_key: [live, public translation pages, oldest first]}``."""
    found = defaultdict(list)
    by_type = defaultdict(list)
    for page in sources:
        by_type[page.interchange_type].append(page)
    for record_type, pages in by_type.items():
        model = spec.PAGE_MODELS[record_type]
        translations = (
            visible(
                model.objects.filter(translation_key__in=[page.translation_key for page in pages])
            )
            .exclude(pk__in=[page.pk for page in pages])
            .select_related("locale")
            .order_by("pk")
        )
        for translation in translations:
            found[translation.translation_key].append(translation)
    return found


def _without_addresses(record):
    """The contact's e-mail address is left out: the site never shows it (readers write
    through a form), and open data must not publish it either."""
    contact = record.get("contact")
    if contact is not None:
        contact.pop("email", None)
        if not contact:
            del record["contact"]


def _timestamp(value):
    if value is None:
        return None
    return value.astimezone(datetime.UTC).isoformat(timespec="seconds").replace("+00:00", "Z")


def _date(value):
    return value.isoformat() if value else None


def _adoption(adoption):
    return {
        "organisation": adoption.organisation.name if adoption.organisation else None,
        "status": str(adoption.status),
        "start_date": _date(adoption.start_date),
        "end_date": _date(adoption.end_date),
        "practice": adoption.practice.external_id if adoption.practice else None,
        "regions": sorted(region.code for region in adoption.regions),
        "recorded": adoption.recorded,
        "changes": adoption.changes,
    }


def serialise(sources, language, request=None):
    """The open-data records of ``sources`` (source pages from ``find``/``all_sources``), in
    their order. ``language`` picks the page ``url`` leads to and the practices adoptions
    link to: the reader's translation where live, else the source page."""
    if not sources:
        return []
    translations = _translations(sources)
    reader_locale = locale_for(language)
    methods = [page for page in sources if page.interchange_type == "method"]
    reuse = reuse_for_methods(methods, reader_locale) if methods else {}
    records = []
    for source in sources:
        others = translations.get(source.translation_key, [])
        pages = [source, *others]
        record = page_record(source, others)
        _without_addresses(record)
        record["url"] = pick_translation(pages, reader_locale).get_full_url(request)
        published = [page.last_published_at for page in pages if page.last_published_at]
        record["last_updated"] = _timestamp(max(published)) if published else None
        record["last_reviewed"] = _date(source.last_reviewed)
        used = reuse.get(source.translation_key)
        record["adoptions"] = [_adoption(item) for item in used.adoptions] if used else []
        records.append(record)
    return records


def interchange_part(record):
    """The record without the platform's fields: what ``import_content`` reads."""
    return {key: value for key, value in record.items() if key not in PLATFORM_FIELDS}


def count():
    """How many records are open data, per type: ``{type: count}``."""
    return {name: _filtered(spec.PAGE_MODELS[name], RecordQuery()).count() for name in TYPES}
