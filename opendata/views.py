"""The open-data pages and files: the landing page in the reader's language, the bulk
downloads and the DCAT-AP-SE catalogue. Thin: the work is in ``downloads``, ``catalog`` and
``records``."""

import os

from django.conf import settings
from django.http import FileResponse, HttpResponse, HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import translation
from django.utils.cache import patch_vary_headers
from django.utils.http import http_date, quote_etag

from home.languages import language_for_request

from . import catalog, downloads, records
from .models import DataVersion

LICENCE_URL = str(catalog.LICENCE)
FILES = {
    downloads.RECORDS: ("application/jsonl; charset=utf-8", "kunskapsplattformen-records.jsonl"),
    downloads.OUTCOMES: (
        "text/csv; charset=utf-8; header=present",
        "kunskapsplattformen-outcomes.csv",
    ),
}


def _licensed(response):
    """The licence and the catalogue that describes the file, as Link headers (RFC 8288)."""
    catalogue = settings.SITE_URL.rstrip("/") + reverse("opendata_catalog")
    response["Link"] = f'<{LICENCE_URL}>; rel="license", <{catalogue}>; rel="describedby"'
    return response


def open_data_redirect(request):
    """``/open-data/`` → ``/<lang>/open-data/`` in the reader's language (as ``/``)."""
    with translation.override(language_for_request(request)):
        response = HttpResponseRedirect(reverse("opendata_landing"))
    patch_vary_headers(response, ("Accept-Language", "Cookie"))
    return response


def landing(request):
    counts = records.count()
    context = {
        "counts": counts,
        "total": sum(counts.values()),
        "columns": downloads.OUTCOME_COLUMNS,
        "licence_url": LICENCE_URL,
        "site_url": settings.SITE_URL.rstrip("/"),
    }
    return TemplateResponse(request, "opendata/landing.html", context)


def _download(name):
    def view(request):
        version, handle = downloads.open_current(name)
        content_type, filename = FILES[name]
        response = FileResponse(handle, content_type=content_type)
        response["Content-Disposition"] = f'inline; filename="{filename}"'
        response["ETag"] = quote_etag(f"{name}-{version}")
        response["Last-Modified"] = http_date(os.fstat(handle.fileno()).st_mtime)
        response["Cache-Control"] = "public, max-age=300"
        return _licensed(response)

    view.__name__ = f"{name}_download"
    return view


records_jsonl = _download(downloads.RECORDS)
outcomes_csv = _download(downloads.OUTCOMES)


def catalog_rdf(request):
    changed = DataVersion.objects.filter(pk=1).values_list("changed_at", flat=True).first()
    response = HttpResponse(
        catalog.catalog_rdf(changed), content_type="application/rdf+xml; charset=utf-8"
    )
    response["Cache-Control"] = "public, max-age=300"
    return _licensed(response)
