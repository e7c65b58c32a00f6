"""Routes of this app. ``urlpatterns`` are served as they are (no language prefix);
``language_urlpatterns`` under the reader's language (``/sv/…``, ``/ar/…``), before Wagtail's
page routes. Both are included by ``learning_platform/urls.py``."""

from django.urls import re_path

from .views import page_guide

urlpatterns = []
language_urlpatterns = [
    # `<page url>pdf/`: the path is the page's path below the language prefix, matched as
    # Wagtail matches page paths.
    re_path(r"^(?P<path>(?:[\w\-]+/)+)pdf/$", page_guide, name="guide_pdf"),
]
