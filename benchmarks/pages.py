"""Every public page type and how to find its URL on a site: ``bench_queries`` and
``tests/test_query_bounds.py`` count the SQL queries of these pages, the site benchmark times
them.

``PAGES`` holds ``(kind, what, language)``: ``what`` is the page model for the ``index`` and
``record`` kinds, a variant name for the others (``place``: ``"region"`` or
``"municipality"``; ``information``: the page's purpose), None where a kind has one page per
language. ``url_of`` finds a live page of that type on the site it runs on (the demo content
or a bulk-loaded benchmark corpus, where some relations may be missing) and gives None when
the site has none; ``label`` names the entry for a table.
"""

from django.conf import settings
from django.db.models import Count
from django.urls import reverse
from django.utils import translation

from home.models import InformationPage, InformationPurpose
from practices.models import (
    ActivityType,
    MethodIndexPage,
    MethodPage,
    PracticeIndexPage,
    PracticeMethod,
    PracticePage,
    ProjectReportPage,
    ReportIndexPage,
    ReportMethod,
)

PAGES = [
    ("home", None, "sv"),
    ("home", None, "ar"),
    ("index", PracticeIndexPage, "sv"),
    ("index", MethodIndexPage, "fa"),
    ("index", ReportIndexPage, "en"),
    ("record", PracticePage, "sv"),
    ("record", PracticePage, "ar"),
    ("record", MethodPage, "en"),
    ("record", MethodPage, "fa"),
    ("record", ProjectReportPage, "ar"),
    ("record", ProjectReportPage, "sv"),
    ("reuse", None, "sv"),
    ("reuse", None, "ar"),
    ("compare-method", None, "en"),
    ("compare-activity", None, "sv"),
    ("place", "region", "sv"),
    ("place", "municipality", "fa"),
    ("information", InformationPurpose.ABOUT, "sv"),
    ("information", InformationPurpose.ACCESSIBILITY, "en"),
    ("information", InformationPurpose.PERSONAL_DATA, "ar"),
    ("api-records", None, None),
    ("feed", None, "sv"),
    ("sitemap", None, None),
]

# Kinds that are listings: their query count must not grow with the number of cards.
LISTINGS = ("home", "index", "reuse", "compare-method", "compare-activity", "place")

LABELS = {
    "home": "Home",
    "reuse": "Reuse overview",
    "compare-method": "Comparison by method",
    "compare-activity": "Comparison by activity type",
    "api-records": "Records API list",
    "feed": "Atom feed",
    "sitemap": "Sitemap",
}


def _reverse(name, language, *args):
    with translation.override(language or settings.LANGUAGE_CODE):
        return reverse(name, args=args)


def _most_used_method():
    """The method most practices and reports applied (its comparison is the largest)."""
    counts = {}
    for link in (PracticeMethod, ReportMethod):
        rows = (
            link.objects.filter(method__live=True, method__locale__language_code="sv")
            .values("method__external_id")
            .annotate(n=Count("pk"))
            .order_by("-n")[:1]
        )
        for row in rows:
            counts[row["method__external_id"]] = (
                counts.get(row["method__external_id"], 0) + row["n"]
            )
    if counts:
        return max(counts, key=counts.get)
    method = MethodPage.objects.live().exclude(external_id="").order_by("pk").first()
    return method.external_id if method is not None else None


def _most_used_activity_type():
    through = PracticePage.activity_types.through
    row = (
        through.objects.values("activitytype__slug").annotate(n=Count("pk")).order_by("-n").first()
    )
    if row is not None:
        return row["activitytype__slug"]
    term = ActivityType.objects.filter(locale__language_code=settings.LANGUAGE_CODE).first()
    return term.slug if term is not None else None


def _busiest_municipality():
    """The kommun most practices ran in, else the first one any record names."""
    through = PracticePage.municipalities.through
    row = (
        through.objects.values("municipality__code", "municipality__region__code")
        .annotate(n=Count("pk"))
        .order_by("-n")
        .first()
    )
    if row is None:
        return None, None
    return row["municipality__code"], row["municipality__region__code"]


def url_of(kind, model, language):
    """The page's URL, or None when the site has no such live page."""
    if kind == "home":
        return f"/{language}/"
    if kind in ("index", "record"):
        page = model.objects.live().filter(locale__language_code=language).order_by("pk").first()
        return page.url if page is not None else None
    if kind == "reuse":
        return _reverse("reuse_overview", language)
    if kind == "compare-method":
        external_id = _most_used_method()
        return _reverse("reuse_compare_method", language, external_id) if external_id else None
    if kind == "compare-activity":
        slug = _most_used_activity_type()
        return _reverse("reuse_compare_activity", language, slug) if slug else None
    if kind == "place":
        municipality, region = _busiest_municipality()
        code = municipality if model == "municipality" else region
        return _reverse("place", language, code) if code else None
    if kind == "information":
        page = (
            InformationPage.objects.live()
            .filter(purpose=model, locale__language_code=language)
            .first()
        )
        return page.url if page is not None else None
    if kind == "api-records":
        return "/api/records/"
    if kind == "feed":
        return _reverse("feed_all", language)
    if kind == "sitemap":
        return "/sitemap.xml"
    raise ValueError(f"Unknown page kind {kind!r}.")


def label(kind, model, language):
    if kind in ("index", "record"):
        name = model.__name__
    elif kind == "place":
        name = f"Place ({'kommun' if model == 'municipality' else 'län'})"
    elif kind == "information":
        name = f"Information: {model}"
    else:
        name = LABELS[kind]
    return f"{name} ({language})" if language else name
