"""The site's main navigation in the reader's language: the home page and the sections under
it shown in menus.

Every public page shows it, so it is kept in the fragment cache (``caching.fragments``) until a
home, index or information page changes (tag ``site``): no query while it is. Only the link
to the section the reader is in differs between pages; the template marks it.
"""

from dataclasses import dataclass

from django.utils.translation import get_language
from wagtail.models import Site

from caching import fragments
from practices.records import page_for_reader


@dataclass(frozen=True)
class NavigationLink:
    title: str
    url: str
    url_path: str


@dataclass(frozen=True)
class Navigation:
    home: NavigationLink | None
    items: tuple[NavigationLink, ...]


def navigation(request):
    """The navigation of the request's site in the active language."""
    site = Site.find_for_request(request) if request is not None else None
    if site is None:
        return Navigation(None, ())
    key = f"navigation:{site.pk}:{get_language()}"
    return fragments.cached(key, ["site"], lambda: _navigation(site, request))


def _navigation(site, request):
    home = page_for_reader(site.root_page)

    def link(page):
        return NavigationLink(page.title, page.get_url(request), page.url_path)

    items = home.get_children().live().in_menu()
    return Navigation(link(home), tuple(link(item) for item in items))
