"""The dashboard's "Still current" button: an editor of the owning organisation (or a
coordinator) confirms, with one click and without changing the page, that a published
practice, method or report is still current."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect
from django.utils.formats import date_format
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from wagtail.models import Page

from practices.freshness import mark_reviewed
from practices.models import ContentPage


@require_POST
def still_current(request, page_id):
    page = get_object_or_404(Page, pk=page_id).specific
    if not isinstance(page, ContentPage) or not page.live:
        messages.error(request, _("Only a published practice, method or report can be confirmed."))
        return _back(request)
    if not page.permissions_for_user(request.user).can_edit():
        raise PermissionDenied
    day = mark_reviewed(page)
    messages.success(
        request,
        _("“%(title)s” is confirmed as still current (%(day)s). Readers see the date.")
        % {"title": page.get_admin_display_title(), "day": date_format(day)},
    )
    return _back(request)


def _back(request):
    target = request.POST.get("next", "")
    if target and url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        return redirect(target)
    return redirect("wagtailadmin_home")
