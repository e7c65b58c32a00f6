"""Search's own tables: facet values per record and a change marker for in-process caches."""

import secrets

from django.db import models
from django.utils.translation import gettext_lazy as _


class RecordFacet(models.Model):
    """One facet value of one record (all translations of a page share its ``translation_key``).

    Kept in step with publishing by ``search.signals``; rebuilt by ``update_index``.
    """

    translation_key = models.UUIDField(db_index=True)
    facet = models.CharField(max_length=20)
    value = models.CharField(max_length=80)

    class Meta:
        verbose_name = _("record facet")
        verbose_name_plural = _("record facets")
        constraints = [
            models.UniqueConstraint(
                fields=["translation_key", "facet", "value"], name="unique_record_facet"
            ),
        ]
        indexes = [models.Index(fields=["facet", "value"])]

    def __str__(self):
        return f"{self.translation_key} {self.facet}={self.value}"


class SearchState(models.Model):
    """A single row whose ``version`` changes whenever what search may show changes.

    Each process keeps a snapshot of the searchable records (``search.catalogue``) and reloads
    it when the version it read differs from this one: one primary-key read per request. The
    version is random rather than counted, so a rolled-back change can never reuse a number.
    """

    version = models.PositiveBigIntegerField(default=0)

    class Meta:
        verbose_name = _("search state")

    def __str__(self):
        return f"search state v{self.version}"

    @classmethod
    def current(cls):
        return cls.objects.filter(pk=1).values_list("version", flat=True).first() or 0

    @classmethod
    def bump(cls):
        version = secrets.randbits(62) + 1
        if not cls.objects.filter(pk=1).update(version=version):
            cls.objects.update_or_create(pk=1, defaults={"version": version})
