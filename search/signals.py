"""Keep facets and the searchable-record snapshot in step with what editors do.

Publishing, unpublishing, moving, copying and deleting a page all save or delete it, and Wagtail
re-indexes its text on the same signals; here the record's facet rows are recomputed once the
transaction commits (when a page's many-to-many fields have been written too), and written
into the search engine's documents of the record's pages. Changes to view
restrictions only mark the snapshot stale, and changes to search promotions its promotions.
"""

import threading
from functools import partial

from django.core.signals import request_finished
from django.db import transaction
from django.db.models.signals import post_delete, post_save
from modelsearch import signal_handlers
from wagtail.contrib.search_promotions.models import SearchPromotion
from wagtail.models import PageViewRestriction
from wagtail.signals import page_published, page_unpublished, post_page_move

from practices.models import CONTENT_PAGE_MODELS

from . import facets, query_log, resync
from .models import SearchState

_state = threading.local()


def _pending():
    if not hasattr(_state, "keys"):
        _state.keys = set()
        _state.deferred = 0
    return _state


def schedule_sync(translation_key):
    """Recompute a record's facets once the current transaction commits.

    Several saves of one record in a transaction sync it once; inside ``deferred_sync()``
    nothing runs until the block ends. A rolled-back transaction drops its callbacks, so a
    callback is registered for every event rather than once per key.
    """
    state = _pending()
    state.keys.add(translation_key)
    if not state.deferred:
        transaction.on_commit(partial(flush, [translation_key]))


def flush(keys=None):
    state = _pending()
    wanted = state.keys if keys is None else state.keys.intersection(keys)
    state.keys = state.keys - wanted
    if wanted:
        facets.sync_records(wanted)
        resync.update_records(wanted)


class deferred_sync:  # noqa: N801 - used like a function: ``with deferred_sync():``
    """Collect facet updates during a bulk write and apply them once at the end."""

    def __enter__(self):
        _pending().deferred += 1
        return self

    def __exit__(self, *exc_info):
        state = _pending()
        state.deferred -= 1
        if not state.deferred:
            flush()
        return False


def on_page_saved(sender, instance, **kwargs):
    schedule_sync(instance.translation_key)


def on_page_event(sender, instance, **kwargs):
    schedule_sync(instance.translation_key)


def on_page_published(sender, instance, **kwargs):
    """Index the page again now that its many-to-many fields are written.

    Wagtail indexes on ``post_save``, which a page sends before modelcluster writes its
    many-to-many fields (activity types, target groups, places), so the index would keep the
    old labels. Going through the same task as Wagtail lets ``deferred_indexing()`` batch it.
    """
    schedule_sync(instance.translation_key)
    signal_handlers.insert_or_update_object_task.enqueue(
        instance._meta.app_label, instance._meta.model_name, str(instance.pk)
    )


def on_restriction_changed(sender, **kwargs):
    transaction.on_commit(SearchState.bump)


def on_page_moved(sender, instance, **kwargs):
    """The pages under a moved page changed paths with it (a database update, no signal per
    page): the engine reads a page's path to leave out view-restricted sections."""
    transaction.on_commit(partial(resync.reindex_section, instance.pk))


def on_promotion_changed(sender, **kwargs):
    # At once, not on commit: a rolled-back change rolls the version back with it.
    SearchState.bump_promotions()


def connect():
    # The search hits counted in the cache, written at most once a minute after a response.
    request_finished.connect(query_log.flush_if_due, dispatch_uid="search-flush-hits")
    for model in CONTENT_PAGE_MODELS:
        post_save.connect(on_page_saved, sender=model, dispatch_uid=f"search-save-{model}")
        post_delete.connect(on_page_saved, sender=model, dispatch_uid=f"search-delete-{model}")
    page_published.connect(on_page_published, dispatch_uid="search-published")
    page_unpublished.connect(on_page_event, dispatch_uid="search-unpublished")
    post_page_move.connect(on_page_moved, dispatch_uid="search-moved")
    for signal in (post_save, post_delete):
        signal.connect(
            on_restriction_changed,
            sender=PageViewRestriction,
            dispatch_uid=f"search-restriction-{id(signal)}",
        )
        signal.connect(
            on_promotion_changed,
            sender=SearchPromotion,
            dispatch_uid=f"search-promotion-{id(signal)}",
        )
