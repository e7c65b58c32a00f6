"""What the next search costs in each gunicorn worker after a change (issue 20: "no reader's
request ever runs a full snapshot reload").

``time_next_request_after_publish(port, workers)`` makes a change through the database (a
publish, a view restriction, a bulk change of more records than a refresh reads), then sends
searches, ``workers`` at a time so that every worker gets some, until each worker (told apart
by the ``X-Worker-Pid`` header the bench settings add: ``WorkerPid``) has answered one, and
returns the time of each worker's first answer. ``bench_reload`` runs it against a served
scratch site, with the site's ``gunicorn.conf.py`` (snapshots built in a thread) and without
it (as before: the request that first sees the change rebuilds the snapshot itself).
"""

import http.client
import os
import statistics
import threading
import time
import urllib.parse

from wagtail.models import PageViewRestriction

from practices.models import PracticePage
from search.models import SearchState

from . import corpus

SEARCH_URL = "/api/search/?" + urllib.parse.urlencode({"q": corpus.HEAD_TERM, "lang": "sv"})
CHANGES = ("publish", "restriction", "bulk")
BULK_RECORDS = 600  # more than search.catalogue.INCREMENTAL_LIMIT: a refresh would not do
PID_HEADER = "X-Worker-Pid"


class WorkerPid:
    """Middleware (bench settings only): which worker process answered."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        response[PID_HEADER] = str(os.getpid())
        return response


def timed_get(port, url, timeout=120.0):
    """(worker pid, seconds) of one GET on a new connection."""
    client = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout)
    try:
        started = time.perf_counter()
        client.request("GET", url)
        response = client.getresponse()
        response.read()
        elapsed = time.perf_counter() - started
        if response.status != 200:
            raise RuntimeError(f"{url} answered {response.status}")
        return response.getheader(PID_HEADER), elapsed
    finally:
        client.close()


def per_worker(port, workers, url=SEARCH_URL, rounds=50):
    """{pid: seconds of its first answer}: rounds of ``workers`` concurrent requests until
    every worker has answered (at most ``rounds``)."""
    first = {}
    for _round in range(rounds):
        answers = []

        def get(answers=answers):
            answers.append(timed_get(port, url))

        threads = [threading.Thread(target=get) for _ in range(workers)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        for pid, seconds in answers:
            first.setdefault(pid, seconds)
        if len(first) >= workers:
            break
    return first


def make_change(change):
    """Change what search may show, through the database; returns an undo (or None)."""
    page = PracticePage.objects.live().filter(locale__language_code="sv").order_by("pk").first()
    if change == "publish":
        page.save_revision().publish()
        return None
    if change == "restriction":
        restriction = PageViewRestriction.objects.create(page=page, restriction_type="login")
        return restriction.delete
    if change == "bulk":
        keys = PracticePage.objects.live().values_list("translation_key", flat=True)
        SearchState.bump(list(keys[:BULK_RECORDS]))
        return None
    raise ValueError(f"unknown change {change!r}")


def time_next_request_after_publish(port, workers, change="publish", settle=5.0):
    """{"before": median seconds of a search before the change, "next": {pid: seconds of each
    worker's next search after it}}. Every worker has its snapshot first; after the change,
    ``settle`` seconds for background builds to end (and the change is undone, if it can be)."""
    per_worker(port, workers)  # each worker has its snapshot
    before = [seconds for _ in range(3) for seconds in per_worker(port, workers).values()]
    undo = make_change(change)
    after = per_worker(port, workers)
    time.sleep(settle)
    if undo is not None:
        undo()
        per_worker(port, workers)
        time.sleep(settle)
    return {"before": statistics.median(before), "next": after}
