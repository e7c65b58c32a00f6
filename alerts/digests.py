"""The digests ``manage.py send_alerts`` sends: for each confirmed subscription that is due, the
live public records matching its search that were published (first or again) since its last
digest, or since it was confirmed; no mail when there are none.

Subscriptions with the same search and language are answered by one search: the pages
published since the earliest of them are read once, the search is asked once, and each
subscription keeps the results published after its own last digest.
"""

import logging
from collections import defaultdict
from dataclasses import dataclass, field

from django.utils import timezone, translation

from . import mail, searches, subscriptions

logger = logging.getLogger(__name__)

MAX_ITEMS = 20  # listed in one mail; the rest are counted, with a link to the search


@dataclass(frozen=True)
class DigestItem:
    title: str
    summary: str
    url: str
    type_label: str
    language: str  # the language of the page shown: the reader's, else the record's source
    is_new: bool  # first published since the last digest (else: updated)


@dataclass
class Report:
    expired: int = 0
    due: int = 0
    sent: int = 0
    failed: list = field(default_factory=list)  # [(subscription id, why)]


def _item(result, first_published, since):
    page = result.page
    _site, _root, path = page.get_url_parts()
    return DigestItem(
        title=page.title,
        summary=page.summary,
        url=mail.absolute(path),
        type_label=str(result.type_label),
        language=result.language,
        is_new=first_published is not None and first_published > since,
    )


def send_due(frequency=None, now=None):
    """Expire unconfirmed subscriptions, then send the digests that are due; a ``Report``."""
    now = now or timezone.now()
    report = Report(expired=subscriptions.expire(now))
    groups = defaultdict(list)
    for subscription in subscriptions.due(frequency, now):
        groups[(subscription.search, subscription.language)].append(subscription)
        report.due += 1
    for (search, language), members in groups.items():
        since = min(member.covered_until for member in members)
        # Up to ``now``: a page published while this runs is the next digest's.
        changed = searches.changed_pages(since, until=now)
        if not changed:
            continue
        with translation.override(language):
            try:
                results = searches.new_results(search, language, changed)
            except searches.SearchParameterError as error:
                # A filter value the site no longer has (a term removed): the search cannot be
                # asked as it was saved, and widening it would send what was not asked for.
                report.failed += [(member.pk, error.message) for member in members]
                continue
            for member in members:
                items = [
                    _item(result, changed[result.page.pk][1], member.covered_until)
                    for result in results
                    if result.page.pk in changed
                    and changed[result.page.pk][2] > member.covered_until
                ]
                if items and _send(member, items, now, report):
                    report.sent += 1
    return report


def _send(subscription, items, now, report):
    previous = subscription.last_sent_at
    if not subscriptions.claim(subscription, now):
        return False  # another run sent it
    try:
        mail.digest(subscription, items[:MAX_ITEMS], more=max(0, len(items) - MAX_ITEMS)).send()
    except Exception as error:  # noqa: BLE001 - one bad address must not stop the others
        logger.exception("Could not send the digest of alert %s", subscription.pk)
        subscriptions.release(subscription, previous)
        report.failed.append((subscription.pk, str(error)))
        return False
    return True
