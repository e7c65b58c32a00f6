"""Keep passage vectors in step with publishing: a published page is queued for
``update_vectors`` once the transaction commits (its text is embedded in the background, not
in the editor's request); an unpublished or deleted page loses its vectors at once."""

from functools import partial

from django.db import transaction
from django.db.models.signals import pre_delete
from wagtail.signals import page_published, page_unpublished

from practices.models import CONTENT_PAGE_MODELS

from . import pipeline


def on_published(sender, instance, **kwargs):
    if isinstance(instance, CONTENT_PAGE_MODELS):
        transaction.on_commit(partial(pipeline.queue, [instance.pk]))


def on_removed(sender, instance, **kwargs):
    pipeline.forget([instance.pk])


def connect():
    page_published.connect(on_published, dispatch_uid="semantic-published")
    page_unpublished.connect(on_removed, dispatch_uid="semantic-unpublished")
    for model in CONTENT_PAGE_MODELS:
        # Before the delete: the database cascade would leave nothing to count.
        pre_delete.connect(on_removed, sender=model, dispatch_uid=f"semantic-delete-{model}")
