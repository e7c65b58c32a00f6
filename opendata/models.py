"""The open data's own table: a version that changes whenever what the open data shows may
have changed, so that the bulk downloads are built again (``opendata.downloads``)."""

import secrets

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class DataVersion(models.Model):
    """A single row: the version of the published content the bulk downloads are built from.

    Random rather than counted (as ``search.SearchState``), so that a rolled-back change or a
    restored backup can never reuse a number a file was built under. Kept in the database
    rather than the cache: a cleared cache must not make an old file look current.
    """

    version = models.PositiveBigIntegerField(default=0)
    changed_at = models.DateTimeField(_("changed"), default=timezone.now)

    class Meta:
        verbose_name = _("open data version")

    def __str__(self):
        return f"open data v{self.version}"

    @classmethod
    def current(cls):
        """The current version (one primary-key read); made on first use."""
        version = cls.objects.filter(pk=1).values_list("version", flat=True).first()
        if version is None:
            version = cls.bump()
        return version

    @classmethod
    def bump(cls):
        """Mark the published content as changed; returns the new version."""
        version = secrets.randbits(62) + 1
        values = {"version": version, "changed_at": timezone.now()}
        if not cls.objects.filter(pk=1).update(**values):
            cls.objects.update_or_create(pk=1, defaults=values)
        return version
