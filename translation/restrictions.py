"""A view restriction on a page applies to its translations.

Wagtail keeps privacy per page, so restricting the Swedish page would leave its Arabic
translation open, in search, listings and the sitemap too. Here every page of a record (the
pages sharing a ``translation_key``) carries the same restrictions: whenever a restriction is
added, changed or removed on one of them, the others are made the same once the transaction
commits; a new translation gets the restrictions of the record's other pages.
"""

import threading

from django.db import transaction
from django.db.models.signals import m2m_changed, post_delete, post_save
from wagtail.models import Page, PageViewRestriction

_state = threading.local()


def _syncing():
    return getattr(_state, "syncing", False)


def copy_restrictions(source, targets):
    """Make each of ``targets`` carry exactly ``source``'s view restrictions."""
    restrictions = [
        (restriction.restriction_type, restriction.password, list(restriction.groups.all()))
        for restriction in PageViewRestriction.objects.filter(page=source)
    ]
    _state.syncing = True
    try:
        for target in targets:
            PageViewRestriction.objects.filter(page=target).delete()
            for restriction_type, password, groups in restrictions:
                copy = PageViewRestriction.objects.create(
                    page=target, restriction_type=restriction_type, password=password
                )
                copy.groups.set(groups)
    finally:
        _state.syncing = False


def sync_from(page_id):
    page = Page.objects.filter(pk=page_id).first()
    if page is None:
        return
    others = Page.objects.filter(translation_key=page.translation_key).exclude(pk=page.pk)
    copy_restrictions(page, list(others))


def _restriction_changed(sender, instance, **kwargs):
    if _syncing() or not isinstance(instance, PageViewRestriction):
        return
    page_id = instance.page_id
    transaction.on_commit(lambda: sync_from(page_id))


def _page_created(sender, instance, created, **kwargs):
    if not created or _syncing() or not isinstance(instance, Page) or instance.depth <= 1:
        return
    key, page_id = instance.translation_key, instance.pk

    def inherit():
        restricted = (
            Page.objects.filter(translation_key=key, view_restrictions__isnull=False)
            .exclude(pk=page_id)
            .first()
        )
        if restricted is not None:
            copy_restrictions(restricted, [Page.objects.get(pk=page_id)])

    transaction.on_commit(inherit)


def connect():
    for signal in (post_save, post_delete):
        signal.connect(
            _restriction_changed,
            sender=PageViewRestriction,
            dispatch_uid=f"translation-restriction-{id(signal)}",
        )
    m2m_changed.connect(
        _restriction_changed,
        sender=PageViewRestriction.groups.through,
        dispatch_uid="translation-restriction-groups",
    )
    post_save.connect(_page_created, dispatch_uid="translation-restriction-new-page")
