"""The title norms of a database index's entries (both database backends).

modelsearch weights a title match by the average title length over the entry's title length
(``title_norm``). A full refresh writes only the norms that changed: every row updated is
written again with its vectors (PostgreSQL's generated columns and GIN entries, SQLite's
full-text table by stock's trigger).
"""

from django.db.models import Avg, F
from django.db.models.functions import Length


def average_title_length(entries):
    """The average length of the entries' titles (None when no entry has one)."""
    titled = entries.annotate(title_length=Length("title")).filter(title_length__gt=0)
    return titled.aggregate(Avg("title_length"))["title_length__avg"]


def refresh_changed_norms(entries):
    """Set every titled entry's norm to the average title length over its own, writing only
    the rows whose norm changed."""
    average = average_title_length(entries)
    if average is None:
        return
    norm = average / F("title_length")
    titled = entries.annotate(title_length=Length("title")).filter(title_length__gt=0)
    titled.exclude(title_norm=norm).update(title_norm=norm)
