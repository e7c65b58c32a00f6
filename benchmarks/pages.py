"""The pages whose SQL queries are counted (``bench_queries``, ``tests/test_query_bounds.py``):
home, each kind of index page and each kind of record, across the four languages of the demo
content."""

from practices.models import (
    MethodIndexPage,
    MethodPage,
    PracticeIndexPage,
    PracticePage,
    ProjectReportPage,
    ReportIndexPage,
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
]


def url_of(kind, model, language):
    """The page's URL, or None when the site has no such live page."""
    if kind == "home":
        return f"/{language}/"
    page = model.objects.live().filter(locale__language_code=language).order_by("pk").first()
    return page.url if page is not None else None


def label(kind, model, language):
    return f"{model.__name__ if model else 'HomePage'} ({language})"
