"""Index updates the search engine missed, sent again once it answers.

When an engine write fails, or its circuit breaker is open (``search.breaker``), the object is
recorded as pending (``PendingIndexUpdate``, in the transaction of the change itself: a change
rolled back leaves nothing pending). When the breaker closes again, the pending objects are
sent in batches, in a background thread (``SEARCH_RESYNC_INLINE`` runs it in the calling
thread, as the tests do); ``manage.py search_resync`` does the same from cron. ``update_index``
stays the full rebuild.
"""

import logging
import threading
from collections import defaultdict
from functools import partial

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.utils import timezone
from modelsearch.backends import get_search_backends
from modelsearch.index import get_indexed_instance
from wagtail.models import Page

from . import breaker
from .models import PendingIndexUpdate
from .records import content_pages

logger = logging.getLogger(__name__)

BATCH = 200
_running = threading.Lock()


def mark_pending(obj):
    """Remember that the engine has not received ``obj``'s latest state."""
    content_type = ContentType.objects.get_for_model(obj, for_concrete_model=False)
    PendingIndexUpdate.objects.update_or_create(
        content_type=content_type,
        object_id=str(obj.pk),
        defaults={"since": timezone.now()},
    )


def pending_count():
    return PendingIndexUpdate.objects.count()


def engines():
    return [
        backend
        for backend in get_search_backends(with_auto_update=True)
        if getattr(backend, "is_engine", False)
    ]


def resync(batch=BATCH):
    """Send every pending object to the engines; returns how many were sent. Stops (leaving
    the rest pending) as soon as an engine fails again."""
    targets = engines()
    if not targets:
        return 0
    sent = 0
    while rows := list(PendingIndexUpdate.objects.order_by("since", "pk")[:batch]):
        by_type = defaultdict(list)
        for row in rows:
            by_type[row.content_type_id].append(row)
        for content_type_id, group in by_type.items():
            model = ContentType.objects.get_for_id(content_type_id).model_class()
            for engine in targets:
                try:
                    breaker.call(_send, engine, model, [row.object_id for row in group])
                except Exception:  # noqa: BLE001 - down again: the rows stay pending
                    logger.warning("Search engine failed during the resync; %d left", len(rows))
                    return sent
            # A row changed again since it was read stays: its newer state goes next time.
            for row in group:
                PendingIndexUpdate.objects.filter(pk=row.pk, since=row.since).delete()
            sent += len(group)
    if sent:
        logger.warning("Search engine resynced: %d pending updates sent", sent)
    return sent


def _send(engine, model, object_ids):
    found = {str(obj.pk): obj for obj in model._default_manager.filter(pk__in=object_ids)}
    indexed = [
        instance
        for obj in found.values()
        if (instance := get_indexed_instance(obj, check_exists=False)) is not None
    ]
    if indexed:
        engine.add_bulk(type(indexed[0]), indexed)
    for object_id in object_ids:
        if object_id not in found:  # deleted meanwhile
            engine.delete_now(model(pk=object_id))


def update_records(translation_keys):
    """Write these records' fields (facets, order, pages: ``search.records``) into the
    engines' documents of their pages, after their facets changed. While an engine fails, the
    pages are kept pending and indexed whole when it answers again."""
    keys = list(translation_keys)
    for engine in engines():
        _write_or_keep(
            partial(engine.update_records, keys),
            lambda: content_pages().filter(translation_key__in=keys).specific(),
            f"update {len(keys)} records",
        )


def _write_or_keep(write, pages, what):
    """``write()`` to an engine through its breaker; if it fails (or the breaker is open),
    ``pages()`` are kept pending, to be indexed whole when it answers again. An editor's
    publish or move never fails on the engine."""
    try:
        breaker.call(write)
    except Exception as error:  # noqa: BLE001 - see above
        if not isinstance(error, breaker.Open):
            logger.exception("Search engine failed to %s", what)
        for page in pages():
            mark_pending(page)


def reindex_section(page_id):
    """Index again the live content pages under the page ``page_id`` (moved: their paths,
    which searches exclude view-restricted sections by, changed with it). While an engine
    fails, the pages are kept pending."""
    targets = engines()
    if not targets:
        return
    section = Page.objects.filter(pk=page_id).values_list("path", flat=True).first()
    if section is None:
        return
    pages = list(content_pages().filter(path__startswith=section).exclude(pk=page_id).specific())
    by_model = defaultdict(list)
    for page in pages:
        by_model[type(page)].append(page)
    for engine in targets:
        for model, group in by_model.items():
            _write_or_keep(
                partial(engine.add_bulk, model, group),
                partial(list, group),
                f"index {len(group)} moved pages",
            )
        if pages and getattr(engine, "refresh_on_write", False):
            try:  # an editor's move: searchable when the request returns
                breaker.call(engine.refresh_indexes)
            except Exception:  # noqa: BLE001 - the engine refreshes by itself within a second
                logger.warning("Search engine did not refresh after a move")


def resync_soon():
    """Start the resync unless one is running in this process."""
    if getattr(settings, "SEARCH_RESYNC_INLINE", False):
        _resync_once()
        return None
    thread = threading.Thread(target=_in_thread, name="search-resync", daemon=True)
    thread.start()
    return thread


def _resync_once():
    if not _running.acquire(blocking=False):
        return 0
    try:
        return resync()
    finally:
        _running.release()


def _in_thread():
    try:
        _resync_once()
    except Exception:  # noqa: BLE001 - a background thread has no one to raise to
        logger.exception("Search resync failed")
    finally:
        connection.close()


breaker.when_closed(resync_soon)
