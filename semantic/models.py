"""Semantic search's tables: the passage vectors of live pages, the pages waiting for theirs,
and a change marker for the per-process vector stores."""

import secrets

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class PassageVector(models.Model):
    """One passage of a live content page and its vector (``semantic.passages``).

    Written by ``update_vectors`` (never inside an editor's request), deleted with the page's
    unpublishing or deletion. ``vector`` holds the model's unit vector as int8, scaled by
    ``scale`` (``semantic.store``); ``text`` is what the search page shows as the passage that
    matched.
    """

    page = models.ForeignKey(
        "wagtailcore.Page", on_delete=models.CASCADE, related_name="+", verbose_name=_("page")
    )
    translation_key = models.UUIDField(db_index=True)  # the record (all its translations)
    language = models.CharField(max_length=8)
    position = models.PositiveSmallIntegerField()
    text = models.TextField()
    vector = models.BinaryField()
    scale = models.FloatField()
    model = models.CharField(max_length=60)

    class Meta:
        verbose_name = _("passage vector")
        verbose_name_plural = _("passage vectors")
        constraints = [
            models.UniqueConstraint(fields=["page", "position"], name="unique_page_passage"),
        ]

    def __str__(self):
        return f"page {self.page_id} passage {self.position}"


class PendingVector(models.Model):
    """A page whose vectors must be made again (published) or checked (anything else)."""

    page_id = models.PositiveIntegerField(unique=True)
    since = models.DateTimeField(default=timezone.now, db_index=True)

    class Meta:
        verbose_name = _("page waiting for its vectors")
        verbose_name_plural = _("pages waiting for their vectors")

    def __str__(self):
        return f"page {self.page_id}"


class VectorState(models.Model):
    """A single row whose ``version`` changes whenever the passage vectors change; each process
    reloads its vector store when the version it read differs (random, as search's state)."""

    version = models.PositiveBigIntegerField(default=0)

    class Meta:
        verbose_name = _("vector state")

    def __str__(self):
        return f"vector state v{self.version}"

    @classmethod
    def current(cls):
        row = cls.objects.filter(pk=1).values_list("version", flat=True).first()
        return row or 0

    @classmethod
    def bump(cls):
        cls.objects.update_or_create(pk=1, defaults={"version": secrets.randbits(62)})
