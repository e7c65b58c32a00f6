"""Routes of this app. ``urlpatterns`` are served as they are (no language prefix);
``language_urlpatterns`` under the reader's language (``/sv/…``, ``/ar/…``), before Wagtail's
page routes. Both are included by ``learning_platform/urls.py``."""

from django.urls import path

from . import views

urlpatterns = []
language_urlpatterns = [
    path("alerts/new/", views.new, name="alerts_new"),
    path("alerts/sent/", views.pending, name="alerts_pending"),
    path("alerts/confirm/<slug:token>/", views.confirm, name="alerts_confirm"),
    path("alerts/unsubscribe/<slug:token>/", views.unsubscribe, name="alerts_unsubscribe"),
]
