"""Routes of this app. ``urlpatterns`` are served as they are (no language prefix);
``language_urlpatterns`` under the reader's language (``/sv/…``, ``/ar/…``), before Wagtail's
page routes. Both are included by ``learning_platform/urls.py``."""

from django.urls import path

from . import views

urlpatterns = [
    path("open-data/", views.open_data_redirect, name="opendata_root"),
    path("open-data/records.jsonl", views.records_jsonl, name="opendata_records"),
    path("open-data/outcomes.csv", views.outcomes_csv, name="opendata_outcomes"),
    path("open-data/catalog.rdf", views.catalog_rdf, name="opendata_catalog"),
]
language_urlpatterns = [
    path("open-data/", views.landing, name="opendata_landing"),
]
