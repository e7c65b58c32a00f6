"""Structured outcome indicators and funding rows, comparable across projects.

What an indicator *is* lives in a managed vocabulary (``Indicator``: a key, a label and a
description per language, its usual unit and whether more is better), kept by coordinators
like activity types. A page's measured outcome (``OutcomeIndicator``) names its indicator by
key, which is what the interchange format carries; editors choose it from the list, so a typo
can no longer make an indicator that lines up with nobody else's.
"""

import threading
import time
from decimal import Decimal

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models.signals import post_delete, post_save
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel, FieldRowPanel
from wagtail.models import Orderable
from wagtail_localize.fields import SynchronizedField, TranslatableField

from .taxonomy import VocabularyTerm


class IndicatorKey(models.TextChoices):
    PARTICIPANTS = "participants", _("Participants")
    IN_WORK = "in_work", _("In work")
    IN_STUDIES = "in_studies", _("In studies")
    IN_INTERNSHIP = "in_internship", _("In an internship")
    TOWARDS_SELF_SUFFICIENCY = "towards_self_sufficiency", _("Moved towards self-sufficiency")


class IndicatorUnit(models.TextChoices):
    COUNT = "count", _("Number of people")
    PERCENT = "percent", _("Percent")


class Indicator(VocabularyTerm):
    """An outcome indicator that practices and reports can measure, one row per language."""

    description = models.TextField(
        _("description"),
        blank=True,
        help_text=_("What is counted, and how, so that everyone measures it the same way."),
    )
    unit = models.CharField(
        _("usual unit"),
        max_length=16,
        choices=IndicatorUnit.choices,
        default=IndicatorUnit.PERCENT,
        help_text=_("Editors can still report the other unit when that is what they have."),
    )
    higher_is_better = models.BooleanField(
        _("more is better"),
        default=True,
        help_text=_("Untick when a lower figure is the better result (for example drop-outs)."),
    )
    proposed = models.BooleanField(
        _("added by an import"),
        default=False,
        help_text=_(
            "Created because an imported record used this key. Check the labels and "
            "description, then untick."
        ),
    )

    panels = [
        FieldPanel("name"),
        FieldPanel("slug"),
        FieldPanel("description"),
        FieldRowPanel([FieldPanel("unit"), FieldPanel("higher_is_better")]),
        FieldPanel("proposed"),
    ]
    override_translatable_fields = [
        SynchronizedField("slug"),
        TranslatableField("name"),
        TranslatableField("description"),
        SynchronizedField("unit"),
        SynchronizedField("higher_is_better"),
        SynchronizedField("proposed"),
    ]

    class Meta(VocabularyTerm.Meta):
        verbose_name = _("outcome indicator type")
        verbose_name_plural = _("outcome indicator types")
        constraints = [
            models.UniqueConstraint(fields=["slug", "locale"], name="unique_indicator_slug"),
        ]


# Each process keeps the indicators' labels for a short while: every page with outcomes and
# every comparison asks for them; a change made in another process shows within the minute.
TERMS_TTL = 60  # seconds
_terms = {"expires": 0.0, "by_language": {}}
_terms_lock = threading.Lock()


def indicator_terms(language=None):
    """{key: (label, higher_is_better)} in ``language`` (default: the active one), falling
    back to the source language's label."""
    now = time.monotonic()
    with _terms_lock:
        if now >= _terms["expires"]:
            by_language = {}
            rows = Indicator.objects.values_list(
                "slug", "locale__language_code", "name", "higher_is_better"
            )
            for slug, code, name, higher in rows:
                by_language.setdefault(code, {})[slug] = (name, higher)
            _terms.update(expires=now + TERMS_TTL, by_language=by_language)
        by_language = _terms["by_language"]
    language = (language or get_language() or settings.LANGUAGE_CODE).split("-")[0]
    source = by_language.get(settings.LANGUAGE_CODE, {})
    return {**source, **by_language.get(language, {})}


def usual_unit(key):
    """The unit the vocabulary gives the indicator ``key`` (percent when it has none)."""
    unit = (
        Indicator.objects.filter(slug=key, locale__language_code=settings.LANGUAGE_CODE)
        .values_list("unit", flat=True)
        .first()
    )
    return unit or IndicatorUnit.PERCENT


def forget_indicator_terms(**kwargs):
    _terms["expires"] = 0.0


post_save.connect(forget_indicator_terms, sender=Indicator, dispatch_uid="indicator-saved")
post_delete.connect(forget_indicator_terms, sender=Indicator, dispatch_uid="indicator-deleted")


class IndicatorSelect(forms.Select):
    """The indicators to choose from, with Swedish labels, read when the form is shown (the
    list changes as coordinators add indicators)."""

    def get_context(self, name, value, attrs):
        terms = indicator_terms(settings.LANGUAGE_CODE)
        choices = sorted(((key, label) for key, (label, _higher) in terms.items()), key=_by_label)
        if value and value not in terms:
            choices.append((value, value))  # an old key stays visible, and fails validation
        self.choices = [("", "---------"), *choices]
        return super().get_context(name, value, attrs)


def _by_label(choice):
    return choice[1].lower()


class OutcomeIndicator(Orderable):
    """A measured outcome of a page: which indicator (a key of the ``Indicator`` list), what
    was achieved and what was aimed for."""

    key = models.SlugField(
        _("indicator"),
        max_length=64,
        help_text=_(
            "Choose what was measured. Missing from the list? Ask a platform coordinator to "
            "add it, so that others can measure the same thing."
        ),
    )
    label = models.CharField(
        _("label"),
        max_length=255,
        blank=True,
        help_text=_("Shown instead of the key for an indicator of your own."),
    )
    value = models.DecimalField(_("achieved"), max_digits=14, decimal_places=2)
    unit = models.CharField(
        _("unit"),
        max_length=16,
        choices=IndicatorUnit.choices,
        blank=True,  # in the form only: clean() fills in the indicator's usual unit
        help_text=_("Leave empty for the indicator's usual unit."),
    )
    target = models.DecimalField(
        _("target"), max_digits=14, decimal_places=2, null=True, blank=True
    )
    measured_on = models.DateField(_("measured on"), null=True, blank=True)

    panels = [
        FieldPanel("key", widget=IndicatorSelect),
        FieldRowPanel([FieldPanel("value"), FieldPanel("target"), FieldPanel("unit")]),
        FieldPanel("measured_on"),
    ]

    class Meta(Orderable.Meta):
        abstract = True
        verbose_name = _("outcome indicator")
        verbose_name_plural = _("outcome indicators")

    def __str__(self):
        return f"{self.key}: {self.value}"

    def clean(self):
        super().clean()
        if self.key and self.key not in indicator_terms(settings.LANGUAGE_CODE):
            raise ValidationError(
                {
                    "key": _(
                        "“%(key)s” is not in the list of indicators. Choose one from the list, "
                        "or ask a platform coordinator to add it."
                    )
                    % {"key": self.key}
                }
            )
        if self.key and not self.unit:
            self.unit = usual_unit(self.key)

    @property
    def display_label(self):
        """The indicator's label in the active language."""
        term = indicator_terms().get(self.key)
        if term is not None:
            return term[0]
        return self.label or self.key.replace("_", " ").capitalize()

    @property
    def target_met(self):
        """True or False when a target was set (reached, or stayed under it where less is
        better), None otherwise."""
        if self.target is None:
            return None
        term = indicator_terms(settings.LANGUAGE_CODE).get(self.key)
        if term is not None and not term[1]:
            return self.value <= self.target
        return self.value >= self.target

    @property
    def is_percent(self):
        return self.unit == IndicatorUnit.PERCENT


class FundingSource(Orderable):
    source = models.CharField(
        _("funder"), max_length=255, help_text=_("For example ESF, AMIF or the municipality.")
    )
    amount_sek = models.PositiveBigIntegerField(_("amount (SEK)"))

    panels = [FieldRowPanel([FieldPanel("source"), FieldPanel("amount_sek")])]

    class Meta(Orderable.Meta):
        abstract = True
        verbose_name = _("funding source")
        verbose_name_plural = _("funding")

    def __str__(self):
        return f"{self.source}: {self.amount_sek} SEK"


def number(value):
    """A Decimal as the plainest JSON number: 20 rather than 20.00, 12.5 rather than 12.50."""
    if value is None:
        return None
    value = Decimal(value)
    if value == value.to_integral_value():
        return int(value)
    return float(value.normalize())
