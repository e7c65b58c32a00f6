"""Routes of this app. ``urlpatterns`` are served as they are (no language prefix);
``language_urlpatterns`` under the reader's language (``/sv/…``, ``/ar/…``), before Wagtail's
page routes. Both are included by ``learning_platform/urls.py``."""

urlpatterns = []
language_urlpatterns = []
