"""The sign-up form: an address and how often. The search comes from the page's query string."""

from django import forms
from django.utils.translation import gettext_lazy as _

from .models import Frequency


class AlertForm(forms.Form):
    email = forms.EmailField(
        label=_("Your email address"),
        max_length=254,
        help_text=_("We send a message here first: nothing comes until you confirm it."),
        error_messages={
            "required": _("Write the email address the alerts should go to."),
            "invalid": _("Write the email address in the form name@example.se."),
            "max_length": _("An email address has at most %(limit_value)d characters."),
        },
    )
    frequency = forms.ChoiceField(
        label=_("How often"),
        choices=Frequency.choices,
        initial=Frequency.WEEKLY,
        widget=forms.RadioSelect,
        error_messages={
            "required": _("Choose how often you want the alerts."),
            "invalid_choice": _("Choose weekly or daily: “%(value)s” is not one of them."),
        },
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["email"].widget.attrs.update(
            {"autocomplete": "email", "aria-describedby": "id_email_help"}
        )

    def full_clean(self):
        super().full_clean()
        # Point each invalid field at its message, for screen readers.
        for name in self._errors or ():
            if name in self.fields:
                described = [f"id_{name}_error"]
                if self.fields[name].help_text:
                    described.append(f"id_{name}_help")
                self.fields[name].widget.attrs["aria-invalid"] = "true"
                self.fields[name].widget.attrs["aria-describedby"] = " ".join(described)

    def clean_email(self):
        return self.cleaned_data["email"].strip().lower()
