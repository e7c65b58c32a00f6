"""The two mails alerts send, in the subscription's language, text and HTML: the confirmation
(double opt-in) and the digest. Every one carries a one-click unsubscribe (RFC 8058): the
``List-Unsubscribe`` address takes a POST with no other secret than the token in it.

Links are absolute, from ``settings.SITE_URL``: a mail has no request to take the host from.
"""

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _

from . import searches
from .models import Frequency


def absolute(path):
    return f"{settings.SITE_URL}{path}"


def links(subscription):
    """The subscription's addresses, absolute, in its language."""
    with translation.override(subscription.language):
        token = subscription.token
        return {
            "confirm_url": absolute(reverse("alerts_confirm", args=[token])),
            "unsubscribe_url": absolute(reverse("alerts_unsubscribe", args=[token])),
            "search_url": absolute(searches.search_path(subscription.search)),
        }


def unsubscribe_headers(unsubscribe_url):
    return {
        "List-Unsubscribe": f"<{unsubscribe_url}>",
        "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
        # No out-of-office answers to a machine's mail (RFC 3834).
        "Auto-Submitted": "auto-generated",
    }


def _message(subscription, subject, template, context):
    with translation.override(subscription.language):
        context = {
            **links(subscription),
            "subscription": subscription,
            "criteria": searches.describe(subscription.search, subscription.language),
            "weekly": subscription.frequency == Frequency.WEEKLY,
            "language": subscription.language,
            "bidi": translation.get_language_bidi(),
            "site_url": settings.SITE_URL,
            **context,
        }
        text = render_to_string(f"alerts/mail/{template}.txt", context)
        html = render_to_string(f"alerts/mail/{template}.html", context)
    message = EmailMultiAlternatives(
        subject=subject,
        body=text,
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[subscription.email],
        headers=unsubscribe_headers(context["unsubscribe_url"]),
    )
    message.attach_alternative(html, "text/html")
    return message


def confirmation(subscription):
    with translation.override(subscription.language):
        subject = _("Confirm your search alert from the Learning Platform")
    return _message(subscription, subject, "confirmation", {})


def digest(subscription, items, more=0):
    """The digest of ``items`` (``DigestItem``s), ``more`` others not listed."""
    with translation.override(subscription.language):
        count = len(items) + more
        subject = translation.ngettext(
            "%(count)d new or updated record for your search on the Learning Platform",
            "%(count)d new or updated records for your search on the Learning Platform",
            count,
        ) % {"count": count}
    return _message(subscription, subject, "digest", {"items": items, "more": more})
