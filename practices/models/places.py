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


class MunicipalityGroup(models.TextChoices):
    """SKR's classification of municipalities (Kommungruppsindelning), nine groups in three
    main groups (A, B, C): what "a municipality like mine" means. Källa: SKR."""

    A1 = "A1", _("Large cities")
    A2 = "A2", _("Commuting municipalities near large cities")
    B3 = "B3", _("Medium-sized towns")
    B4 = "B4", _("Commuting municipalities near medium-sized towns")
    B5 = "B5", _("Commuting municipalities with a low commuting rate near medium-sized towns")
    C6 = "C6", _("Small towns")
    C7 = "C7", _("Commuting municipalities near small towns")
    C8 = "C8", _("Rural municipalities")
    C9 = "C9", _("Rural municipalities with a visitor industry")


MAIN_GROUPS = {
    "A": _("Large cities and municipalities near large cities"),
    "B": _("Medium-sized towns and municipalities near medium-sized towns"),
    "C": _("Small towns and rural municipalities"),
}


class Municipality(models.Model):
    """One of Sweden's 290 municipalities, identified by its four-digit code, with its SKR
    group and population (``practices.place_data``: loaded by migration, updated by
    ``manage.py update_place_data`` when SKR or SCB publish a new edition)."""

    code = models.CharField(_("code"), max_length=4, unique=True)
    name = models.CharField(_("name"), max_length=100)
    region = models.ForeignKey(
        Region, verbose_name=_("region"), on_delete=models.PROTECT, related_name="municipalities"
    )
    group = models.CharField(
        _("municipality group"), max_length=2, choices=MunicipalityGroup.choices, blank=True
    )
    group_edition = models.PositiveSmallIntegerField(
        _("edition of the municipality groups"), null=True, blank=True
    )
    population = models.PositiveIntegerField(_("population"), null=True, blank=True)
    population_year = models.PositiveSmallIntegerField(
        _("population at the end of"), null=True, blank=True
    )

    @property
    def main_group(self):
        """ "A", "B" or "C" (empty when the group is unknown)."""
        return self.group[:1]

    class Meta:
        ordering = ["name"]
        verbose_name = _("municipality")
        verbose_name_plural = _("municipalities")

    def __str__(self):
        return self.name
