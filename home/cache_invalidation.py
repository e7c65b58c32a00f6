"""Which tags of the page cache (``home.page_cache``) a page shows, and what each change
invalidates, exactly.

A change is applied once its transaction commits: bumping earlier would let a request that
still reads the old data store its page under the new versions.

- A practice, method or report published, unpublished, moved or deleted (in any language):
  its record, the records it links to or that link to it (their pages show its title), the
  listings of its type, the reuse overview and comparisons.
- A home, index or information page: the site's chrome (navigation, footer, breadcrumbs).
- A taxonomy term or place, an organisation, an adoption, a view restriction, a site, an
  image or document (its renditions and address may change): what shows them.
- A machine translation marked as reviewed: its record (the page stops saying so).
- A record confirmed as still current by its owner: its record (its pages show the day).
"""

from django.db import transaction
from django.db.models import Q
from django.db.models.signals import post_delete, post_save, pre_delete
from wagtail.documents import get_document_model
from wagtail.images import get_image_model
from wagtail.models import Page, PageViewRestriction, Site
from wagtail.signals import page_published, page_unpublished, post_page_move

from practices.freshness import record_reviewed
from practices.models import (
    ActivityType,
    ContentPage,
    IndexPage,
    MethodAdoption,
    Municipality,
    Organisation,
    PracticeMethod,
    Region,
    ReportMethod,
    ReportPractice,
    TargetGroup,
)
from translation.signals import translation_reviewed

from .models import HomePage, InformationPage
from .page_cache import bump

LISTS = ("list:practice", "list:method", "list:report")


def tags_for_page(page):
    """The tags of what a public page shows; empty for pages that are not cached."""
    if isinstance(page, ContentPage):
        return {"site", "taxonomy", "orgs", "media", f"record:{page.translation_key}"}
    if isinstance(page, IndexPage):
        return {"site", "taxonomy", "orgs", f"list:{page.child_model.interchange_type}"}
    if isinstance(page, HomePage):
        return {"site", "taxonomy", "orgs", *LISTS}
    if isinstance(page, InformationPage):
        return {"site", f"record:{page.translation_key}"}
    return set()


def _on_commit(*tags):
    transaction.on_commit(lambda: bump(*tags))


def linked_records(page):
    """Translation keys of the records that show ``page``'s record, or that it shows."""
    key = page.translation_key
    keys = set()
    links = (
        (PracticeMethod, "page", "method"),
        (ReportMethod, "page", "method"),
        (ReportPractice, "page", "practice"),
    )
    for model, source, target in links:
        keys.update(
            model.objects.filter(**{f"{source}__translation_key": key}).values_list(
                f"{target}__translation_key", flat=True
            )
        )
        keys.update(
            model.objects.filter(**{f"{target}__translation_key": key}).values_list(
                f"{source}__translation_key", flat=True
            )
        )
    adoptions = MethodAdoption.objects.filter(
        Q(method__translation_key=key) | Q(practice__translation_key=key)
    ).values_list("method__translation_key", "practice__translation_key")
    for method_key, practice_key in adoptions:
        keys.update((method_key, practice_key))
    keys.discard(None)
    keys.discard(key)
    return keys


def page_changed(page):
    specific = page.specific_deferred
    if isinstance(specific, ContentPage):
        tags = {
            f"record:{page.translation_key}",
            f"list:{specific.interchange_type}",
            "reuse",
            *(f"record:{key}" for key in linked_records(page)),
        }
    else:
        tags = {"site", f"record:{page.translation_key}"}
    _on_commit(*tags)


def _page_event(sender, instance, **kwargs):
    page_changed(instance)


def _page_deleted(sender, instance, **kwargs):
    # Before the deletion, while its links still say which records show it.
    if isinstance(instance, Page) and type(instance) is not Page:
        page_changed(instance)


def _adoption_changed(sender, instance, **kwargs):
    tags = {"reuse"}
    for page_id in (instance.method_id, instance.practice_id):
        if page_id:
            page = Page.objects.filter(pk=page_id).only("translation_key").first()
            if page is not None:
                tags.add(f"record:{page.translation_key}")
    _on_commit(*tags)


def _translation_reviewed(sender, translation, **kwargs):
    # Its page stops saying "translated by machine".
    _on_commit(f"record:{translation.source.object_id}")


def _record_reviewed(sender, translation_key, **kwargs):
    # Its pages show the day its owner confirmed it ("last reviewed by the owner").
    _on_commit(f"record:{translation_key}")


def _tagged(*tags):
    def handler(sender, **kwargs):
        _on_commit(*tags)

    return handler


# Connected strongly (weak=False): the handlers are closures nothing else refers to.
TAXONOMY_CHANGED = _tagged("taxonomy")
MEDIA_CHANGED = _tagged("media")
ORGANISATION_CHANGED = _tagged("orgs")
SITE_CHANGED = _tagged("site")


def connect():
    page_published.connect(_page_event, dispatch_uid="page-cache-published")
    page_unpublished.connect(_page_event, dispatch_uid="page-cache-unpublished")
    post_page_move.connect(_page_event, dispatch_uid="page-cache-moved")
    translation_reviewed.connect(_translation_reviewed, dispatch_uid="page-cache-reviewed")
    record_reviewed.connect(_record_reviewed, dispatch_uid="page-cache-record-reviewed")
    pre_delete.connect(_page_deleted, dispatch_uid="page-cache-deleted")
    for signal in (post_save, post_delete):
        name = id(signal)
        signal.connect(_adoption_changed, sender=MethodAdoption, dispatch_uid=f"pc-adopt-{name}")
        for model in (ActivityType, TargetGroup, Municipality, Region):
            signal.connect(
                TAXONOMY_CHANGED,
                sender=model,
                weak=False,
                dispatch_uid=f"pc-{model.__name__}-{name}",
            )
        signal.connect(
            ORGANISATION_CHANGED, sender=Organisation, weak=False, dispatch_uid=f"pc-org-{name}"
        )
        for model in (get_image_model(), get_document_model()):
            signal.connect(
                MEDIA_CHANGED, sender=model, weak=False, dispatch_uid=f"pc-{model.__name__}-{name}"
            )
        for model in (PageViewRestriction, Site):
            signal.connect(
                SITE_CHANGED, sender=model, weak=False, dispatch_uid=f"pc-{model.__name__}-{name}"
            )
