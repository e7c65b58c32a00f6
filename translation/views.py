"""Admin views: a page's translation status, and the site-wide overview for coordinators."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST
from wagtail.models import Page
from wagtail_localize.models import TranslationSource

from organisations.scope import is_coordinator

from . import machine, status

OUTDATED_PER_PAGE = 50


def can_see_page_status(user, page):
    return is_coordinator(user) or page.permissions_for_user(user).can_edit()


def page_status(request, page_id):
    page = get_object_or_404(Page, pk=page_id, depth__gt=1)
    if not can_see_page_status(request.user, page):
        raise PermissionDenied
    statuses = status.language_statuses(page)
    source_status = next((s for s in statuses if s.status == status.SOURCE), None)
    source = None
    if source_status is not None:
        source = TranslationSource.objects.get_for_instance_or_none(source_status.page)
    rows = [
        {
            "status": language_status,
            "can_edit": language_status.page is not None
            and language_status.page.permissions_for_user(request.user).can_edit(),
        }
        for language_status in statuses
    ]
    return TemplateResponse(
        request,
        "translation/page_status.html",
        {
            "page": page,
            "rows": rows,
            "source_status": source_status,
            "translation_source": source,
            "can_submit": request.user.has_perm("wagtail_localize.submit_translation"),
            "has_missing": any(s.status == status.MISSING for s in statuses),
            "machine_translator": machine.machine_translator(),
        },
    )


@require_POST
def review_machine_translation(request, page_id):
    """A person accepts the machine translation of one page as it is."""
    page = get_object_or_404(Page, pk=page_id, depth__gt=1)
    if not page.permissions_for_user(request.user).can_edit():
        raise PermissionDenied
    mine = next(
        (s for s in status.language_statuses(page) if s.language_code == page.locale.language_code),
        None,
    )
    if mine is None or mine.translation is None:
        messages.error(request, _("This page is not a translation made with the translation tool."))
    else:
        count = machine.mark_reviewed(mine.translation, request.user)
        if count:
            messages.success(
                request,
                ngettext(
                    "%(count)d machine-translated string is now marked as reviewed.",
                    "%(count)d machine-translated strings are now marked as reviewed.",
                    count,
                )
                % {"count": count},
            )
        else:
            messages.info(request, _("Nothing in this translation was machine translated."))
    return redirect(reverse("practices_translation:page", args=[page.pk]))


def overview(request):
    if not is_coordinator(request.user):
        raise PermissionDenied
    counts, outdated = status.overview()
    rows = [
        {
            "language_code": code,
            "language_name": status.LanguageStatus(code, status.SOURCE).language_name,
            "counts": [counts[code][name] for name in status.TRANSLATION_STATUSES],
            "sources": counts[code][status.SOURCE],
        }
        for code in status.content_languages()
    ]
    return TemplateResponse(
        request,
        "translation/overview.html",
        {
            "rows": rows,
            "status_labels": [status.STATUS_LABELS[name] for name in status.TRANSLATION_STATUSES],
            "outdated_count": len(outdated),
            "outdated_page": Paginator(outdated, OUTDATED_PER_PAGE).get_page(request.GET.get("p")),
        },
    )
