"""Routes of the feeds app. ``urlpatterns`` are served as they are (no language prefix);
``language_urlpatterns`` under the reader's language (``/sv/…``, ``/ar/…``), before Wagtail's
page routes. Both are included by ``learning_platform/urls.py``."""

from django.urls import path
from django.views.decorators.cache import cache_page
from wagtail.contrib.sitemaps import views as sitemap_views

from . import atom
from .robots import robots_txt
from .sitemap import PagesSitemap

SITEMAPS = {"pages": PagesSitemap}
SITEMAP_SECONDS = 3600  # search engines read it now and then; an hour old is fine

urlpatterns = [
    path("robots.txt", robots_txt, name="robots_txt"),
    path(
        "sitemap.xml",
        cache_page(SITEMAP_SECONDS)(sitemap_views.index),
        {"sitemaps": SITEMAPS, "sitemap_url_name": "sitemap_section"},
        name="sitemap",
    ),
    path(
        "sitemap-<section>.xml",
        cache_page(SITEMAP_SECONDS)(sitemap_views.sitemap),
        {"sitemaps": SITEMAPS},
        name="sitemap_section",
    ),
]

language_urlpatterns = [
    path("feeds/", atom.view(atom.AllRecordsFeed), name="feed_all"),
    path("feeds/activity/<slug:value>/", atom.view(atom.ActivityFeed), name="feed_activity"),
    path("feeds/region/<str:value>/", atom.view(atom.RegionFeed), name="feed_region"),
    path("feeds/<slug:record_type>/", atom.view(atom.TypeFeed), name="feed_type"),
    path("search/feed/", atom.view(atom.SearchFeed), name="feed_search"),
]
