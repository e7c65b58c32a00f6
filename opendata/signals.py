"""What makes the bulk downloads stale: a practice, method or report published, unpublished,
moved or deleted (in any language), an adoption, an organisation or a view restriction
changed. Each moves ``DataVersion`` on once its transaction has committed, so that the next
download is built again (``opendata.downloads``).

An owner's confirmation that a record is still current (``practices.freshness``, no new
revision) moves it on too: the downloads carry ``last_reviewed``.
"""

from django.db import transaction
from django.db.models.signals import post_delete, post_save, pre_delete
from wagtail.models import PageViewRestriction
from wagtail.signals import page_published, page_unpublished, post_page_move

from interchange.signals import records_imported
from practices.freshness import record_reviewed
from practices.models import ContentPage, MethodAdoption, Organisation

from .models import DataVersion


def _bump_on_commit():
    transaction.on_commit(DataVersion.bump)


def _page_changed(sender, instance, **kwargs):
    if isinstance(instance, ContentPage) or isinstance(
        getattr(instance, "specific_deferred", None), ContentPage
    ):
        _bump_on_commit()


def _changed(sender, **kwargs):
    _bump_on_commit()


def _changed_now(sender, **kwargs):
    DataVersion.bump()


def connect():
    page_published.connect(_page_changed, dispatch_uid="opendata-published")
    page_unpublished.connect(_page_changed, dispatch_uid="opendata-unpublished")
    post_page_move.connect(_page_changed, dispatch_uid="opendata-moved")
    pre_delete.connect(_page_changed, dispatch_uid="opendata-deleted")
    record_reviewed.connect(_changed, dispatch_uid="opendata-reviewed")
    # Sent after the commit of a batch of new records written in bulk (no page_published).
    records_imported.connect(_changed_now, dispatch_uid="opendata-imported")
    for signal in (post_save, post_delete):
        for model in (MethodAdoption, Organisation, PageViewRestriction):
            signal.connect(
                _changed, sender=model, dispatch_uid=f"opendata-{model.__name__}-{id(signal)}"
            )
