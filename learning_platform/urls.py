from django.conf import settings
from django.conf.urls.i18n import i18n_patterns
from django.contrib import admin
from django.urls import include, path
from wagtail import urls as wagtail_urls
from wagtail.admin import urls as wagtailadmin_urls
from wagtail.documents import urls as wagtaildocs_urls

from alerts import urls as alerts_urls
from feeds import urls as feeds_urls
from guides import urls as guides_urls
from home.views import root_redirect
from opendata import urls as opendata_urls
from opendata.api import router as records_router
from organisations.password_reset import LimitedPasswordResetView
from places import urls as places_urls
from search.api import api as search_api
from search.views import search_page

# The open-data read API (/api/records/) is documented in the search API's OpenAPI schema.
search_api.add_router("/records/", records_router)

# The 500 page in the reader's language, rendered without the database.
handler500 = "home.views.server_error"

urlpatterns = [
    # `/` picks the reader's language explicitly (cookie, then Accept-Language, else Swedish).
    path("", root_redirect, name="root"),
    path("django-admin/", admin.site.urls),
    # Wagtail's password reset with a limit on mails per address and per client.
    path(
        "admin/password_reset/",
        LimitedPasswordResetView.as_view(),
        name="wagtailadmin_password_reset",
    ),
    path("admin/", include(wagtailadmin_urls)),
    path("documents/", include(wagtaildocs_urls)),
    path("i18n/", include("django.conf.urls.i18n")),
    path("api/", search_api.urls),
    # sitemap.xml, robots.txt; open-data downloads and catalogue.
    path("", include(feeds_urls.urlpatterns)),
    path("", include(opendata_urls.urlpatterns)),
    path("", include(alerts_urls.urlpatterns)),
    path("", include(guides_urls.urlpatterns)),
]

if settings.DEBUG:
    from django.conf.urls.static import static

    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)

# Pages are served under a language prefix: /sv/…, /en/…, /ar/…, /fa/….
urlpatterns += i18n_patterns(
    path("search/", search_page, name="search"),
    # Feeds, saved-search alerts and printable guides (`<page url>pdf/`) in the reader's language.
    path("", include(feeds_urls.language_urlpatterns)),
    path("", include(alerts_urls.language_urlpatterns)),
    path("", include(guides_urls.language_urlpatterns)),
    # Place pages (/<lang>/places/<code>/).
    path("", include(places_urls.language_urlpatterns)),
    # The open-data landing page (/<lang>/open-data/).
    path("", include(opendata_urls.language_urlpatterns)),
    # Method reuse, outcome comparison and the contact form (reuse).
    path("", include("reuse.urls")),
    path("", include(wagtail_urls)),
    prefix_default_language=True,
)
