"""Atom feeds of new and updated records, in the reader's language.

``/<lang>/feeds/`` (everything), ``/<lang>/feeds/<type>/`` (practices, methods or reports),
``/<lang>/feeds/activity/<slug>/``, ``/<lang>/feeds/region/<code>/`` and, for any search,
``/<lang>/search/feed/?q=…&<filters>``. Each feed is a search (``search.service``), so a feed
holds exactly what the search page would list, each record in the reader's language where it
is translated, else in its source language; entries come recently checked first (updated or
confirmed by the owner), whatever the search's own order.
"""

from collections import defaultdict
from dataclasses import replace

from django.contrib.syndication.views import Feed
from django.http import Http404, QueryDict
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed
from django.utils.http import urlencode
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from practices.locales import active_locale
from practices.models import ActivityType
from search import service
from search.labels import get_labels
from search.params import TYPES, SearchParameterError, SearchParams, parse
from search.presenters import type_labels, value_label

ENTRIES = 30


def feed_name():
    """ "New and updated on Kunskapsplattformen", in the reader's language."""
    return _("New and updated on %(site)s") % {"site": _("The Learning Platform")}


def view(feed_class):
    """A view answering each request with a new ``feed_class`` (a feed keeps its request)."""

    def feed_view(request, **kwargs):
        return feed_class()(request, **kwargs)

    return feed_view


class RecordsFeed(Feed):
    """A search as a feed; subclasses say which search (``params``) and what it is called.

    One instance per request (``view``): it keeps the request for the feed's own address.
    """

    feed_type = Atom1Feed

    def params(self, request, **kwargs):
        return SearchParams(language=get_language())

    def subject(self, params):
        """What the feed is about (appended to the platform's name), or None for everything."""
        return None

    # Django's Feed protocol ------------------------------------------------------------

    def get_object(self, request, **kwargs):
        params = self.params(request, **kwargs)
        self.request = request
        return replace(params, sort="checked", page=1, page_size=ENTRIES)

    def title(self, params):
        subject = self.subject(params)
        name = feed_name()
        return f"{name}: {subject}" if subject else str(name)

    def subtitle(self, params):
        return _(
            "Good practice, methods and project reports from Swedish municipalities, regions "
            "and organisations that help asylum seekers and new arrivals into work, studies "
            "and business."
        )

    def link(self, params):
        """The search page listing the same records."""
        items = [(name, value) for name, value in params.as_query_items() if name != "sort"]
        url = reverse("search")
        return f"{url}?{urlencode(items)}" if items else url

    def feed_url(self, params):
        return self.request.get_full_path()

    def items(self, params):
        results = service.run(params, log=False).results
        pages = _entry_pages([result.page for result in results])
        self.category_names = _category_names(pages)
        return pages

    def item_title(self, page):
        return page.title

    def item_description(self, page):
        return page.summary

    def item_link(self, page):
        return page.get_full_url(self.request) or page.url

    def item_guid(self, page):
        return self.item_link(page)

    def item_guid_is_permalink(self, page):
        return True

    def item_pubdate(self, page):
        return page.first_published_at

    def item_updateddate(self, page):
        return page.last_published_at

    def item_author_name(self, page):
        organisation = page.organisation
        return organisation.name if organisation else None

    def item_categories(self, page):
        names = self.category_names
        return [names.get(term.translation_key, term.name) for term in page.activity_types.all()]


def _entry_pages(shown):
    """The pages of a feed's entries (search loads only what its results show), read again
    whole with their organisations and activity types: a few queries, not a few per entry."""
    by_type = defaultdict(list)
    for page in shown:
        by_type[type(page)].append(page.pk)
    full = {}
    for model, ids in by_type.items():
        queryset = model.objects.filter(pk__in=ids).select_related("organisation", "locale")
        full.update((page.pk, page) for page in queryset.prefetch_related("activity_types"))
    return [full[page.pk] for page in shown if page.pk in full]


def _category_names(pages):
    """{activity type translation key: its name in the reader's language} for ``pages``."""
    keys = {term.translation_key for page in pages for term in page.activity_types.all()}
    translated = ActivityType.objects.filter(locale=active_locale(), translation_key__in=keys)
    return {term.translation_key: term.name for term in translated}


class AllRecordsFeed(RecordsFeed):
    pass


class TypeFeed(RecordsFeed):
    def params(self, request, record_type):
        if record_type not in TYPES:
            raise Http404(f"No feed of {record_type!r}")
        return SearchParams(language=get_language(), filters={"type": frozenset([record_type])})

    def subject(self, params):
        (record_type,) = params.filters["type"]
        return str(type_labels()[record_type])


class FacetFeed(RecordsFeed):
    """The records with one value of ``facet`` (an activity type's slug, a region's code)."""

    facet = ""

    def params(self, request, value):
        data = QueryDict(mutable=True)
        data.setlist(self.facet, [value])
        try:
            return parse(data, get_labels(), language=get_language())
        except SearchParameterError as error:
            raise Http404(error.message) from error

    def subject(self, params):
        (value,) = params.filters[self.facet]
        return str(value_label(get_labels(), self.facet, value, params.language))


class ActivityFeed(FacetFeed):
    facet = "activity_type"


class RegionFeed(FacetFeed):
    facet = "region"


class SearchFeed(RecordsFeed):
    """Any search of the search page, as a feed: ``/<lang>/search/feed/?q=…&region=…``."""

    def params(self, request):
        try:
            params = parse(request.GET, get_labels(), language=get_language())
        except SearchParameterError as error:
            raise Http404(error.message) from error
        return replace(params, language=get_language())

    def subject(self, params):
        parts = [f"“{params.query}”"] if params.query else []
        labels = get_labels()
        for facet, values in params.filters.items():
            parts.extend(
                str(value_label(labels, facet, value, params.language)) for value in sorted(values)
            )
        return ", ".join(parts) or None
