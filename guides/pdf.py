"""The PDF guide to a practice, method or report: laid out by WeasyPrint, kept in the cache.

A guide is rendered once per version of what it shows and then served from Django's default
cache. The key holds what makes a guide differ: the page (its latest revision and when it was
published, which a publish moves on), when its owner last reviewed it (set without a
revision), its language and address, and the versions of the page cache's tags for what it
shows besides the page itself (its record and the records linked to it, the reuse of methods,
organisations' names, the taxonomy and media: ``caching.tags``). A change to any of them makes
a new key; the old guide is simply never asked for again and expires.

WeasyPrint takes one to three seconds for a guide of the demo content on this machine (2
cores), so a guide is worth keeping; the PDFs are 20 to 50 kB (the fonts are subset).
"""

import functools
import hashlib

from django.core.cache import caches
from django.template.loader import render_to_string
from django.utils import translation

from caching import tags

from .assets import local_files_fetcher
from .content import build


@functools.cache
def weasyprint():
    """(WeasyPrint's ``HTML``, "") or (None, why not).

    Imported on the first guide a process lays out rather than when the site starts: WeasyPrint
    and Pango take about 46 MB a process, and most workers never make a PDF. It loads Pango (a
    system library) when it is imported; a machine without it (a developer's `make run` with
    only Python) still serves the whole site, and only the PDF guides answer that they are
    unavailable (``PdfUnavailable``).
    """
    try:
        from weasyprint import HTML  # noqa: PLC0415 - see above
    except OSError as error:  # cannot load library 'pango-1.0-0' …
        return None, str(error)
    return HTML, ""


class PdfUnavailable(RuntimeError):
    """PDF guides cannot be made on this server (WeasyPrint's system libraries are missing)."""


CACHE_TIMEOUT = 7 * 24 * 3600  # a guide nobody asked for in a week is dropped
# Raise when the guide's template or stylesheet changes, so that cached guides are replaced.
LAYOUT_VERSION = 1


def cache():
    return caches["default"]


def tag_names(page):
    return [f"record:{page.translation_key}", "reuse", "orgs", "taxonomy", "media"]


def cache_key(page, url):
    parts = [
        LAYOUT_VERSION,
        page.pk,
        page.latest_revision_id,
        page.last_published_at.isoformat() if page.last_published_at else "",
        page.last_reviewed.isoformat() if page.last_reviewed else "",
        page.locale.language_code,
        url,
        sorted(tags.versions(tag_names(page)).items()),
    ]
    return "guide-pdf:" + hashlib.sha256(repr(parts).encode()).hexdigest()


def guide_pdf(page, request):
    """The PDF bytes of the guide to ``page`` (a live, public practice, method or report)."""
    url = request.build_absolute_uri(page.get_url(request))
    key = cache_key(page, url)
    pdf = cache().get(key)
    if pdf is None:
        pdf = render_pdf(page, request, url)
        cache().set(key, pdf, CACHE_TIMEOUT)
    return pdf


def render_html(page, request, url):
    """The guide's HTML, in the page's language."""
    with translation.override(page.locale.language_code):
        return render_to_string(
            "guides/guide.html", {"guide": build(page, url), "page": page}, request=request
        )


def render_pdf(page, request, url):
    html, unavailable_because = weasyprint()
    if html is None:
        raise PdfUnavailable(unavailable_because)
    origin = request.build_absolute_uri("/")
    document = html(
        string=render_html(page, request, url),
        base_url=origin,
        url_fetcher=local_files_fetcher(origin),
    )
    return document.write_pdf()
