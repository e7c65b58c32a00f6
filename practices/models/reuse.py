"""Method reuse: organisations that adopted or adapted a method.

An adoption belongs to the adopting organisation, not to the method's owner: its editors
record it under "Method adoptions" in the admin (``reuse.wagtail_hooks``) without editing
the method page. A practice that lists a method in its "methods applied" rows also counts as
an adoption; the service in ``reuse.adoptions`` merges both kinds into one list per
method.
"""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _
from wagtail.models import Locale


class AdoptionStatus(models.TextChoices):
    PLANNED = "planned", _("Planned")
    RUNNING = "running", _("Running")
    FINISHED = "finished", _("Finished")


class MethodAdoption(models.Model):
    """One organisation's use of a method: when, how far it has come, and what it changed.

    One record per method and organisation, on the method's source-language page: the facts
    are the same in every language, and "what we changed" stays in the language its
    organisation wrote it in (the platform's source language).
    """

    method = models.ForeignKey(
        "practices.MethodPage",
        verbose_name=_("method"),
        on_delete=models.CASCADE,
        related_name="adoptions",
    )
    organisation = models.ForeignKey(
        "practices.Organisation",
        verbose_name=_("organisation"),
        on_delete=models.CASCADE,
        related_name="method_adoptions",
    )
    status = models.CharField(
        _("status"), max_length=16, choices=AdoptionStatus.choices, default=AdoptionStatus.PLANNED
    )
    start_date = models.DateField(_("start date"), null=True, blank=True)
    changes = models.TextField(
        _("what we changed"),
        blank=True,
        help_text=_("How your organisation adapted the method, in a few sentences."),
    )
    practice = models.ForeignKey(
        "practices.PracticePage",
        verbose_name=_("our practice page"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="method_adoptions",
        help_text=_("Your own good-practice case about it, if you have published one."),
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        verbose_name = _("method adoption")
        verbose_name_plural = _("method adoptions")
        ordering = ["-updated_at", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["method", "organisation"],
                name="unique_method_adoption_per_organisation",
                violation_error_message=_(
                    "This organisation has already recorded its use of this method. Edit that "
                    "record instead."
                ),
            )
        ]

    def __str__(self):
        return _("%(organisation)s: %(method)s") % {
            "organisation": self.organisation,
            "method": self.method.title if self.method_id else "",
        }

    def save(self, *args, **kwargs):
        self.method = source_method(self.method)
        super().save(*args, **kwargs)

    def clean(self):
        super().clean()
        errors = {}
        if self.method_id:
            # Before the uniqueness check: a translation stands for its source method.
            self.method = source_method(self.method)
        if (
            self.practice_id
            and self.organisation_id
            and self.practice.organisation_id != self.organisation_id
        ):
            errors["practice"] = _(
                "Choose a practice page of %(organisation)s, the organisation that adopted "
                "the method."
            ) % {"organisation": self.organisation.name}
        if errors:
            raise ValidationError(errors)


def source_method(method):
    """The source-language page of ``method`` (itself when it is one, or has no source)."""
    if method is None:
        return None
    if method.locale.language_code == settings.LANGUAGE_CODE:
        return method
    try:
        source_locale = Locale.objects.get(language_code=settings.LANGUAGE_CODE)
    except Locale.DoesNotExist:
        return method
    return (
        type(method)
        .objects.filter(translation_key=method.translation_key, locale=source_locale)
        .first()
        or method
    )
