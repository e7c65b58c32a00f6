"""``/robots.txt``: crawl the pages, not the admin, the search's endless filter combinations or
the contact forms; the sitemap lists every page."""

from django.conf import settings
from django.http import HttpResponse
from django.views.decorators.cache import cache_control
from django.views.decorators.http import require_GET

DISALLOWED = (
    "/admin/",
    "/django-admin/",
    "/api/search/",
    "/*/search/",
    "/*/contact/",
)


@require_GET
@cache_control(max_age=86400, public=True)
def robots_txt(request):
    lines = ["User-agent: *", *(f"Disallow: {path}" for path in DISALLOWED)]
    lines += ["", f"Sitemap: {settings.SITE_URL}/sitemap.xml", ""]
    return HttpResponse("\n".join(lines), content_type="text/plain; charset=utf-8")
