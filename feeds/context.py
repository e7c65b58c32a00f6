"""The feeds a page offers (``<link rel="alternate" type="application/atom+xml">`` in its
head): the reader's language's feed of everything new, and on the search page the feed of
that search."""

from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext as _

from .atom import feed_name


def feed_links(request):
    match = getattr(request, "resolver_match", None)
    if match is None or request.path.startswith(("/admin/", "/django-admin/")):
        return {}
    try:
        links = [(feed_name(), reverse("feed_all"))]
        if match.url_name == "search" and request.GET:
            query = request.GET.urlencode()
            links.append((_("This search as a feed"), f"{reverse('feed_search')}?{query}"))
    except NoReverseMatch:  # no language prefix in this URL
        return {}
    return {"feed_links": links}
