"""Routes of the places app, served under the reader's language (``/sv/places/<code>/``) and
included by ``learning_platform/urls.py``."""

urlpatterns = []
language_urlpatterns = []
