"""Structured outcome indicators and funding rows, comparable across projects."""

from decimal import Decimal

from django.db import models
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel, FieldRowPanel
from wagtail.models import Orderable


class IndicatorKey(models.TextChoices):
    PARTICIPANTS = "participants", _("Participants")
    IN_WORK = "in_work", _("In work")
    IN_STUDIES = "in_studies", _("In studies")
    IN_INTERNSHIP = "in_internship", _("In an internship")
    TOWARDS_SELF_SUFFICIENCY = "towards_self_sufficiency", _("Moved towards self-sufficiency")


class IndicatorUnit(models.TextChoices):
    COUNT = "count", _("Number of people")
    PERCENT = "percent", _("Percent")


class OutcomeIndicator(Orderable):
    """A measured outcome. ``key`` is one of the standard keys or a custom slug."""

    key = models.SlugField(
        _("indicator"),
        max_length=64,
        help_text=_(
            "participants, in_work, in_studies, in_internship, towards_self_sufficiency, "
            "or a short slug of your own."
        ),
    )
    label = models.CharField(
        _("label"),
        max_length=255,
        blank=True,
        help_text=_("Shown instead of the key for an indicator of your own."),
    )
    value = models.DecimalField(_("achieved"), max_digits=14, decimal_places=2)
    unit = models.CharField(_("unit"), max_length=16, choices=IndicatorUnit.choices)
    target = models.DecimalField(
        _("target"), max_digits=14, decimal_places=2, null=True, blank=True
    )
    measured_on = models.DateField(_("measured on"), null=True, blank=True)

    panels = [
        FieldRowPanel([FieldPanel("key"), FieldPanel("label")]),
        FieldRowPanel([FieldPanel("value"), FieldPanel("target"), FieldPanel("unit")]),
        FieldPanel("measured_on"),
    ]

    class Meta(Orderable.Meta):
        abstract = True
        verbose_name = _("outcome indicator")
        verbose_name_plural = _("outcome indicators")

    def __str__(self):
        return f"{self.key}: {self.value}"

    @property
    def display_label(self):
        if self.key in IndicatorKey.values:
            return IndicatorKey(self.key).label
        return self.label or self.key.replace("_", " ").capitalize()

    @property
    def target_met(self):
        """True or False when a target was set, None otherwise."""
        if self.target is None:
            return None
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
