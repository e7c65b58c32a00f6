"""Subscribing, confirming, unsubscribing, forgetting: the rules of the subscription's life.

- Signing up stores an unconfirmed row and sends one confirmation mail (double opt-in). While
  an address has an unconfirmed row, signing it up again stores and sends nothing: the form
  cannot be used to fill someone's inbox with confirmation requests.
- Only a confirmed subscription gets digests (``alerts.digests``).
- Unsubscribing deletes the row; an unconfirmed row is deleted after ``PENDING_DAYS``.
"""

import datetime
from enum import Enum

from django.db import transaction
from django.db.models import F
from django.db.models.functions import Coalesce
from django.utils import timezone

from . import mail
from .models import Frequency, Subscription

PENDING_DAYS = 7
PERIODS = {
    Frequency.DAILY: datetime.timedelta(days=1),
    Frequency.WEEKLY: datetime.timedelta(days=7),
}
# Cron does not start at the same second each time: a subscription whose period ends within
# this margin is due now, not a whole period later.
SLACK = datetime.timedelta(hours=1)


class SignUp(Enum):
    SENT = "sent"  # a new subscription, its confirmation mail sent
    UNCHANGED = "unchanged"  # nothing stored or sent (a pending confirmation, or already on)


def _pending_cutoff(now):
    return now - datetime.timedelta(days=PENDING_DAYS)


def expire(now=None):
    """Delete the subscriptions not confirmed within ``PENDING_DAYS``; returns how many."""
    now = now or timezone.now()
    deleted, _by_model = Subscription.objects.filter(
        confirmed_at__isnull=True, created_at__lt=_pending_cutoff(now)
    ).delete()
    return deleted


@transaction.atomic
def subscribe(email, search, language, frequency):
    """Sign ``email`` up for the saved ``search`` (``alerts.searches.normalise``).

    Returns ``SignUp.SENT`` or ``SignUp.UNCHANGED``. The confirmation is sent inside the
    transaction: if the mail cannot be sent, nothing is stored.
    """
    now = timezone.now()
    expire(now)
    if Subscription.objects.filter(email=email, confirmed_at__isnull=True).exists():
        return SignUp.UNCHANGED
    same = Subscription.objects.filter(
        email=email, search=search, language=language, confirmed_at__isnull=False
    )
    if same.exists():
        return SignUp.UNCHANGED
    subscription = Subscription.objects.create(
        email=email, search=search, language=language, frequency=frequency
    )
    mail.confirmation(subscription).send()
    return SignUp.SENT


def find(token):
    """The subscription with ``token``, or None (unknown, or expired before confirmation)."""
    subscription = Subscription.objects.filter(token=token).first()
    if subscription is None:
        return None
    if not subscription.confirmed and subscription.created_at < _pending_cutoff(timezone.now()):
        subscription.delete()
        return None
    return subscription


def confirm(token):
    """Confirm the subscription with ``token``; returns it, or None. Confirming twice keeps the
    first confirmation's time (the digests cover what is published after it)."""
    subscription = find(token)
    if subscription is not None and not subscription.confirmed:
        subscription.confirmed_at = timezone.now()
        subscription.save(update_fields=["confirmed_at"])
    return subscription


def unsubscribe(token):
    """Delete the subscription with ``token``; whether there was one."""
    deleted, _by_model = Subscription.objects.filter(token=token).delete()
    return bool(deleted)


def due(frequency=None, now=None):
    """The confirmed subscriptions whose period has passed since their last digest (or their
    confirmation), of one frequency or all."""
    now = now or timezone.now()
    subscriptions = Subscription.objects.filter(confirmed_at__isnull=False).annotate(
        covered=Coalesce(F("last_sent_at"), F("confirmed_at"))
    )
    frequencies = [frequency] if frequency else list(PERIODS)
    found = []
    for name in frequencies:
        found += subscriptions.filter(
            frequency=name, covered__lte=now - PERIODS[name] + SLACK
        ).order_by("pk")
    return found


def claim(subscription, now):
    """Mark ``subscription`` as sent up to ``now`` unless another run did so first: a
    conditional update, so two runs at once never send the same digest twice."""
    claimed = Subscription.objects.filter(
        pk=subscription.pk, last_sent_at=subscription.last_sent_at
    ).update(last_sent_at=now)
    return bool(claimed)


def release(subscription, previous):
    """Undo ``claim`` (the digest could not be sent): the next run tries again."""
    Subscription.objects.filter(pk=subscription.pk).update(last_sent_at=previous)


def counts():
    """{"daily": n, "weekly": n, "pending": n}: how many, never whose."""
    confirmed = Subscription.objects.filter(confirmed_at__isnull=False)
    result = {name: confirmed.filter(frequency=name).count() for name in PERIODS}
    result["pending"] = Subscription.objects.filter(confirmed_at__isnull=True).count()
    return result
