"""The admin's password reset, limited: a flood of reset mails to one address, or from one
client, is refused with a message (HTTP 429) and sends nothing.

Wagtail's own view (``wagtail.admin.views.account.PasswordResetView``) does the rest; the
composition root routes ``/admin/password_reset/`` here.
"""

from http import HTTPStatus

from django.conf import settings
from django.utils.translation import gettext as _
from wagtail.admin.views.account import PasswordResetView

from .clients import client_ip
from .limits import Limit


def limits():
    configured = getattr(settings, "PASSWORD_RESET_LIMIT", {"requests": 5, "seconds": 3600})
    requests, seconds = int(configured["requests"]), int(configured["seconds"])
    return Limit("reset-address", requests, seconds), Limit("reset-client", requests, seconds)


class LimitedPasswordResetView(PasswordResetView):
    def form_valid(self, form):
        by_address, by_client = limits()
        address = form.cleaned_data["email"].strip().lower()
        client = client_ip(self.request)
        if not (by_address.allows(address) and by_client.allows(client)):
            form.add_error(
                None,
                _(
                    "Too many password reset requests. Please wait %(minutes)d minutes and try "
                    "again, or ask a platform coordinator for help."
                )
                % {"minutes": by_address.ttl_minutes()},
            )
            response = self.form_invalid(form)
            response.status_code = HTTPStatus.TOO_MANY_REQUESTS
            return response
        by_address.count(address)
        by_client.count(client)
        return super().form_valid(form)
