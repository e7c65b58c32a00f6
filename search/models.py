"""Search's own tables: facet values per record and a change marker for in-process caches."""

import secrets
from datetime import timedelta

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

# How long change rows are kept; processes whose snapshot is older reload it whole.
CHANGES_KEPT = timedelta(days=1)


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
    # Changes when editors change search promotions: processes read them again.
    promotions_version = models.PositiveBigIntegerField(default=0)

    class Meta:
        verbose_name = _("search state")

    def __str__(self):
        return f"search state v{self.version}"

    @classmethod
    def current(cls):
        return cls.versions()[0]

    @classmethod
    def versions(cls):
        """(version, promotions version), in one primary-key read."""
        row = cls.objects.filter(pk=1).values_list("version", "promotions_version").first()
        return row or (0, 0)

    @classmethod
    def bump(cls, translation_keys=None):
        """Mark what search may show as changed: only those records, or anything (None)."""
        version = secrets.randbits(62) + 1
        SearchChange.record(version, translation_keys)
        cls._set(version=version)

    @classmethod
    def bump_promotions(cls):
        """Mark the editors' search promotions as changed (the records are not)."""
        cls._set(promotions_version=secrets.randbits(62) + 1)

    @classmethod
    def _set(cls, **values):
        if not cls.objects.filter(pk=1).update(**values):
            cls.objects.update_or_create(pk=1, defaults=values)


class SearchChange(models.Model):
    """Which records changed, so that a process can refresh its snapshot of those alone.

    A row without a ``translation_key`` means anything may have changed (view restrictions),
    and makes every process reload its snapshot whole. ``version`` is the ``SearchState``
    version the change set: a snapshot whose version has no row here was taken from another
    database state (a restored backup, a test database) and is reloaded whole too. Rows older
    than ``CHANGES_KEPT`` are deleted as new ones are written.
    """

    version = models.PositiveBigIntegerField(db_index=True)
    translation_key = models.UUIDField(null=True, blank=True)
    created = models.DateTimeField(default=timezone.now, db_index=True)

    class Meta:
        verbose_name = _("search change")
        verbose_name_plural = _("search changes")

    def __str__(self):
        return f"{self.translation_key or '*'} {self.created:%Y-%m-%d %H:%M:%S}"

    @classmethod
    def record(cls, version, translation_keys=None):
        now = timezone.now()
        keys = [None] if translation_keys is None else sorted(set(translation_keys), key=str)
        cls.objects.bulk_create(
            [cls(version=version, translation_key=key, created=now) for key in keys],
            batch_size=2000,
        )
        cls.objects.filter(created__lt=now - CHANGES_KEPT).delete()


class PendingIndexUpdate(models.Model):
    """An object whose change the search engine has not received: it was down, or its circuit
    breaker open (``search.breaker``). Replayed when the engine answers again
    (``search.resync``); one row per object, however often it changed meanwhile."""

    content_type = models.ForeignKey("contenttypes.ContentType", on_delete=models.CASCADE)
    object_id = models.CharField(max_length=64)
    since = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("pending search index update")
        verbose_name_plural = _("pending search index updates")
        constraints = [
            models.UniqueConstraint(
                fields=["content_type", "object_id"], name="unique_pending_index_update"
            ),
        ]

    def __str__(self):
        return f"{self.content_type_id}:{self.object_id} since {self.since:%Y-%m-%d %H:%M}"
