"""How fresh a practice, method or report is: when its owner last confirmed it is current.

Two dates tell a reader whether to trust a page: when it was last updated (its last
publication) and when its owning organisation last confirmed, without changing it, that it is
still current ("Still current" on the editors' dashboard). Either counts as a check; a page
checked by neither for ``CONTENT_STALE_NOTICE_MONTHS`` (24 by default) tells its readers so.

A confirmation is written on every translation of the record at once, without a new revision
(``ContentPage.with_content_json`` keeps it when a revision is published later), and sends
``record_reviewed`` so that caches and search hear of it.
"""

from datetime import date, timedelta

from django.conf import settings
from django.dispatch import Signal
from django.utils import timezone

DAYS_PER_MONTH = 30.44

# Sent with ``translation_key`` (the record) and ``reviewed_on`` (a date) once the dates are
# written.
record_reviewed = Signal()


def stale_after_months():
    return getattr(settings, "CONTENT_STALE_NOTICE_MONTHS", 24)


def last_updated(page):
    """The day the page was last published, or None for a page never published."""
    published = page.last_published_at
    return timezone.localdate(published) if published else None


def checked_on(page):
    """The later of its last update and its owner's last confirmation (None if neither)."""
    days = [day for day in (last_updated(page), getattr(page, "last_reviewed", None)) if day]
    return max(days) if days else None


def stale_since(today=None, months=None):
    """The day before which a check is too old."""
    today = today or timezone.localdate()
    months = stale_after_months() if months is None else months
    return today - timedelta(days=round(months * DAYS_PER_MONTH))


def is_stale(page, today=None):
    """True when neither an update nor a confirmation happened within the notice period."""
    day = checked_on(page)
    return day is not None and day < stale_since(today)


def mark_reviewed(page, day=None):
    """Record that the owner confirmed ``page``'s record is current, on every translation.

    Returns the day written. Pages are saved with ``update_fields`` only: no revision, no
    change to the content or its publication dates; the search index hears the save.
    """
    day = day or timezone.localdate()
    if not isinstance(day, date):
        raise TypeError(f"day must be a date, not {type(day).__name__}")
    model = type(page.specific)
    for translation in model.objects.filter(translation_key=page.translation_key):
        translation.last_reviewed = day
        translation.save(update_fields=["last_reviewed"], clean=False)
    record_reviewed.send(sender=model, translation_key=page.translation_key, reviewed_on=day)
    return day
