"""Reuse routes, included under the language prefix (``/sv/reuse/``, ``/en/compare/…``)."""

from django.urls import path

from . import views

urlpatterns = [
    path("reuse/", views.overview, name="reuse_overview"),
    path(
        "compare/method/<str:external_id>/",
        views.compare_method,
        name="reuse_compare_method",
    ),
    # The CSV for machines, where it always was.
    path(
        "compare/method/<str:external_id>/csv/",
        views.compare_method,
        {"download": "csv"},
        name="reuse_compare_method_csv",
    ),
    path(
        "compare/method/<str:external_id>/download/<download>/",
        views.compare_method,
        name="reuse_compare_method_download",
    ),
    path(
        "compare/activity/<slug:slug>/",
        views.compare_activity_type,
        name="reuse_compare_activity",
    ),
    path(
        "compare/activity/<slug:slug>/csv/",
        views.compare_activity_type,
        {"download": "csv"},
        name="reuse_compare_activity_csv",
    ),
    path(
        "compare/activity/<slug:slug>/download/<download>/",
        views.compare_activity_type,
        name="reuse_compare_activity_download",
    ),
    path("contact/<int:page_id>/", views.contact_owner, name="reuse_contact"),
    path("contact/<int:page_id>/sent/", views.contact_sent, name="reuse_contact_sent"),
]
