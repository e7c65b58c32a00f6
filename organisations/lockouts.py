"""Locked sign-ins, for coordinators: who is locked out after too many wrong passwords (django-
axes), and a button to unlock them."""

from axes.models import AccessAttempt
from axes.utils import reset
from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from .scope import is_coordinator


def _coordinator_only(request):
    if not is_coordinator(request.user):
        raise PermissionDenied


def locked(request):
    _coordinator_only(request)
    attempts = AccessAttempt.objects.filter(
        failures_since_start__gte=settings.AXES_FAILURE_LIMIT
    ).order_by("-attempt_time")
    return TemplateResponse(
        request,
        "organisations/lockouts.html",
        {"attempts": attempts, "limit": settings.AXES_FAILURE_LIMIT},
    )


@require_POST
def unlock(request, attempt_id):
    _coordinator_only(request)
    attempt = AccessAttempt.objects.filter(pk=attempt_id).first()
    if attempt is not None:
        # Both locks go: the user name's and the address's.
        reset(username=attempt.username)
        reset(ip=attempt.ip_address)
        messages.success(
            request,
            _("Unlocked %(username)s (%(address)s).")
            % {"username": attempt.username or "–", "address": attempt.ip_address or "–"},
        )
    return redirect("organisations_lockouts:list")
