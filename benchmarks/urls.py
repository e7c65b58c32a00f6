"""The site's URLs plus a minimal view, for the benchmark's server (``settings.bench``).

The minimal view goes through the same middleware as every page but does no work of its own:
the floor of what any Django view costs on this stack.
"""

from django.http import HttpResponse
from django.urls import path

from learning_platform.urls import urlpatterns as site_urlpatterns


def minimal(request):
    return HttpResponse(b"ok", content_type="text/plain")


urlpatterns = [path("bench/minimal/", minimal, name="bench_minimal"), *site_urlpatterns]
