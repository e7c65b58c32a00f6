"""The PDF guide's address, ``<page url>pdf/``: a thin view over ``guides.pdf``."""

from django.http import Http404, HttpResponse
from django.template.response import TemplateResponse
from django.utils.http import content_disposition_header
from django.views.decorators.http import require_safe
from wagtail.views import serve

from .pdf import PdfUnavailable, guide_pdf
from .routing import guide_page, routed_page


@require_safe
def page_guide(request, path):
    """The PDF guide to the practice, method or report at ``path``; 404 for any other page,
    a draft or a restricted page."""
    page = guide_page(request, path)
    if page is None:
        # A page may itself be called "pdf": its address is served as Wagtail would.
        if routed_page(request, f"{path}pdf/") is not None:
            return serve(request, f"{path}pdf/")
        raise Http404
    try:
        pdf = guide_pdf(page, request)
    except PdfUnavailable:
        return TemplateResponse(request, "guides/unavailable.html", {"page": page}, status=503)
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = content_disposition_header(False, f"{page.slug}.pdf")
    return response
