"""A saved-search alert: who wants to hear (one address), about what (a search), how often.

Nothing else is kept: no name, no network address, no history of what was sent. The row is
deleted when its reader unsubscribes, and an unconfirmed row after ``PENDING_DAYS``
(``alerts.subscriptions.expire``).
"""

import secrets

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


def new_token():
    """43 URL-safe characters from 32 random bytes: not guessable, not derived from the row."""
    return secrets.token_urlsafe(32)


class Frequency(models.TextChoices):
    WEEKLY = "weekly", _("Weekly")
    DAILY = "daily", _("Daily")


class Subscription(models.Model):
    email = models.EmailField(_("email address"), max_length=254)
    # The search as the search page reads it: ``q`` and the filters, normalised by
    # ``alerts.searches.normalise`` (sorted, no paging or sort order), URL-encoded.
    search = models.TextField(_("search"), blank=True)
    language = models.CharField(_("language"), max_length=8, choices=settings.LANGUAGES)
    frequency = models.CharField(
        _("frequency"), max_length=10, choices=Frequency.choices, default=Frequency.WEEKLY
    )
    # Confirms and unsubscribes: whoever holds it holds the subscription (it is only ever sent
    # to the address itself).
    token = models.CharField(max_length=64, unique=True, default=new_token, editable=False)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    confirmed_at = models.DateTimeField(_("confirmed"), null=True, blank=True)
    # The moment the last digest covered records up to (its run's start); the next one
    # covers records published after it (after ``confirmed_at`` before the first).
    last_sent_at = models.DateTimeField(_("last sent"), null=True, blank=True)

    class Meta:
        verbose_name = _("saved-search alert")
        verbose_name_plural = _("saved-search alerts")
        indexes = [models.Index(fields=["confirmed_at", "created_at"])]

    def __str__(self):
        return f"alert {self.pk} ({self.frequency})"

    @property
    def confirmed(self):
        return self.confirmed_at is not None

    @property
    def covered_until(self):
        """Records published after this moment are news to this subscription."""
        return self.last_sent_at or self.confirmed_at
