"""Which page a guide address names: ``<page url>pdf/`` → that page, if a reader may see it.

The page is found as Wagtail's own page routes find it (from the site's root page in the
reader's language, following slugs, live pages only), then kept only when it is a practice,
method or report outside every view-restricted section. A restricted page answers exactly as a
page that does not exist, so a guide never tells that one is there.
"""

from django.http import Http404
from wagtail.models import Site

from practices.models import MethodPage, PracticePage, ProjectReportPage
from practices.visibility import visible

GUIDE_MODELS = (PracticePage, MethodPage, ProjectReportPage)


def routed_page(request, path):
    """The live page at ``path`` (below the language prefix) for ``request``'s site, or None."""
    site = Site.find_for_request(request)
    if site is None:
        return None
    components = [component for component in path.split("/") if component]
    try:
        page, args, kwargs = site.root_page.localized.specific.route(request, components)
    except Http404:
        return None
    # A sub-route of a routable page is not the page itself.
    return None if args or kwargs else page


def guide_page(request, path):
    """The practice, method or report a reader may see at ``path``, or None."""
    page = routed_page(request, path)
    if page is None:
        return None
    page = page.specific
    if not isinstance(page, GUIDE_MODELS):
        return None
    if not visible(type(page).objects.filter(pk=page.pk)).exists():
        return None
    return page
