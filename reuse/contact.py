"""Contact the owner of a page: the form, the per-client rate limit and the message sent.

The page's contact address is only used here, when sending; it is never rendered. Nothing a
sender types is stored: the message goes straight to the mail backend, and the rate limit
keeps only a counter under a keyed hash of the client's address, which expires with its
window.
"""

from django import forms
from django.conf import settings
from django.core.mail import EmailMessage
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from organisations.clients import client_ip
from organisations.limits import Limit
from practices.models import CONTENT_PAGE_MODELS

# Pages that may carry a contact form.

DEFAULT_RATE_LIMIT = {"requests": 5, "seconds": 3600}


class ContactForm(forms.Form):
    name = forms.CharField(
        label=gettext_lazy("Your name"),
        max_length=100,
        error_messages={"required": gettext_lazy("Write your name.")},
    )
    email = forms.EmailField(
        label=gettext_lazy("Your email address"),
        max_length=254,
        help_text=gettext_lazy("The answer will be sent here."),
        error_messages={
            "required": gettext_lazy("Write your email address so that they can answer."),
            "invalid": gettext_lazy("Write the email address in the form name@example.se."),
        },
    )
    message = forms.CharField(
        label=gettext_lazy("Your question"),
        min_length=10,
        max_length=3000,
        widget=forms.Textarea(attrs={"rows": 6}),
        error_messages={
            "required": gettext_lazy("Write your question."),
            "min_length": gettext_lazy(
                "Write at least %(limit_value)d characters so that they can answer."
            ),
            "max_length": gettext_lazy(
                "Keep the question to at most %(limit_value)d characters (it has %(show_value)d)."
            ),
        },
    )
    # A field people never see: bots fill every field, so a filled one marks a bot.
    website = forms.CharField(label=gettext_lazy("Leave this field empty"), required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["name"].widget.attrs["autocomplete"] = "name"
        self.fields["email"].widget.attrs["autocomplete"] = "email"
        self.fields["website"].widget.attrs.update({"autocomplete": "off", "tabindex": "-1"})
        for name, field in self.fields.items():
            if field.help_text:
                field.widget.attrs["aria-describedby"] = f"id_{name}_help"

    @property
    def is_bot(self):
        return bool(self.data.get("website"))

    def full_clean(self):
        super().full_clean()
        # Point each invalid field at its message, for screen readers.
        if self._errors:
            for name in self._errors:
                if name in self.fields:
                    described = [f"id_{name}_error"]
                    if self.fields[name].help_text:
                        described.append(f"id_{name}_help")
                    self.fields[name].widget.attrs["aria-invalid"] = "true"
                    self.fields[name].widget.attrs["aria-describedby"] = " ".join(described)


def rate_limit():
    """The contact form's ``Limit``, from ``CONTACT_RATE_LIMIT``."""
    configured = getattr(settings, "CONTACT_RATE_LIMIT", DEFAULT_RATE_LIMIT)
    return Limit("contact", int(configured["requests"]), int(configured["seconds"]))


def allow(request):
    """Whether this client may send another question in its current window.

    Only sent questions count (``count_sent``): a form returned for correction, or a bot
    caught by the honeypot, does not use up the reader's attempts.
    """
    return rate_limit().allows(client_ip(request))


def count_sent(request):
    """Count one sent question for this client."""
    rate_limit().count(client_ip(request))


def contact_page(page):
    """The page as one that takes questions, or None: the right type, with an address."""
    page = page.specific
    if isinstance(page, CONTENT_PAGE_MODELS) and page.contact_email:
        return page
    return None


def send(page, data, page_url, reader_language):
    """Send the question to the page's contact, with the sender as Reply-To.

    Written in the site's source language (the owners' language), saying which language the
    reader used.
    """
    languages = dict(settings.LANGUAGES)
    with translation.override(settings.LANGUAGE_CODE):
        subject = _("Question about “%(title)s” from the Learning Platform") % {"title": page.title}
        body = _(
            "%(name)s <%(email)s> has a question about “%(title)s”:\n\n"
            "%(message)s\n\n"
            "Page: %(url)s\n"
            "The reader used the site in %(language)s. Answer by replying to this email; "
            "the Learning Platform does not keep a copy."
        ) % {
            "name": data["name"],
            "email": data["email"],
            "title": page.title,
            "message": data["message"],
            "url": page_url,
            "language": str(languages.get(reader_language, reader_language)),
        }
    message = EmailMessage(
        subject=subject,
        body=body,
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[page.contact_email],
        reply_to=[data["email"]],
    )
    message.send()
