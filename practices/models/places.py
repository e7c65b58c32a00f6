"""Sweden's regions and municipalities, with their official codes (SCB)."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Region(models.Model):
    """One of Sweden's 21 regions (län), identified by its two-digit code."""

    code = models.CharField(_("code"), max_length=2, unique=True)
    name = models.CharField(_("county"), max_length=100)
    region_name = models.CharField(_("regional authority"), max_length=100, blank=True)

    class Meta:
        ordering = ["code"]
        verbose_name = _("region")
        verbose_name_plural = _("regions")

    def __str__(self):
        return self.name


class Municipality(models.Model):
    """One of Sweden's 290 municipalities, identified by its four-digit code."""

    code = models.CharField(_("code"), max_length=4, unique=True)
    name = models.CharField(_("name"), max_length=100)
    region = models.ForeignKey(
        Region, verbose_name=_("region"), on_delete=models.PROTECT, related_name="municipalities"
    )

    class Meta:
        ordering = ["name"]
        verbose_name = _("municipality")
        verbose_name_plural = _("municipalities")

    def __str__(self):
        return self.name
