"""Routes of the places app, served under the reader's language (``/sv/places/<code>/``) and
included by ``learning_platform/urls.py``."""

from django.urls import path

from . import views

urlpatterns = []
language_urlpatterns = [
    path("places/", views.index, name="places_index"),
    path("places/<str:code>/", views.place, name="place"),
]
