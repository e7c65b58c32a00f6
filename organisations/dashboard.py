"""What the editors' dashboard lists: the pages of the user's organisations that need them."""

from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db.models import Q
from django.utils import timezone
from wagtail.models import Page, WorkflowState

from practices.models import CONTENT_PAGE_MODELS

from .scope import content_pages, is_coordinator, organisation_ids

DAYS_PER_MONTH = 30.44


def review_after_months():
    return getattr(settings, "CONTENT_REVIEW_AFTER_MONTHS", 18)


def organisation_pages(user):
    """Practices, methods and reports of the user's organisations, as plain pages.

    Coordinators who edit for no organisation get every organisation's pages.
    """
    own = organisation_ids(user)
    if own:
        return content_pages(own)
    if is_coordinator(user):
        return content_pages()
    return Page.objects.none()


def _pages_in_workflow(pages, status):
    page_type = ContentType.objects.get_for_model(Page)
    object_ids = WorkflowState.objects.filter(
        base_content_type=page_type, status=status
    ).values_list("object_id", flat=True)
    return pages.filter(pk__in=[int(object_id) for object_id in object_ids])


def stale_cutoff(now=None):
    now = now or timezone.now()
    return now - timedelta(days=round(review_after_months() * DAYS_PER_MONTH))


def _reviewed_since(day):
    """Records whose owner confirmed them current on or after ``day`` ("Still current")."""
    keys = set()
    for model in CONTENT_PAGE_MODELS:
        keys.update(
            model.objects.filter(last_reviewed__gte=day).values_list("translation_key", flat=True)
        )
    return keys


@dataclass
class Section:
    key: str
    pages: list
    total: int


def dashboard_sections(user, limit=10, now=None):
    """``{key: Section}`` for changes requested, in review, drafts and pages to check."""
    pages = organisation_pages(user)
    needs_changes = _pages_in_workflow(pages, WorkflowState.STATUS_NEEDS_CHANGES)
    in_review = _pages_in_workflow(pages, WorkflowState.STATUS_IN_PROGRESS)
    busy = list(needs_changes.values_list("pk", flat=True)) + list(
        in_review.values_list("pk", flat=True)
    )
    drafts = pages.filter(Q(live=False) | Q(has_unpublished_changes=True)).exclude(pk__in=busy)
    cutoff = stale_cutoff(now)
    stale = (
        pages.filter(live=True, last_published_at__lt=cutoff)
        .exclude(latest_revision_created_at__gte=cutoff)
        .exclude(translation_key__in=_reviewed_since(timezone.localdate(cutoff)))
    )
    sections = {}
    for key, queryset, order in [
        ("needs_changes", needs_changes, "-latest_revision_created_at"),
        ("in_review", in_review, "-latest_revision_created_at"),
        ("drafts", drafts, "-latest_revision_created_at"),
        ("stale", stale, "last_published_at"),
    ]:
        total = queryset.count()
        listed = list(queryset.select_related("locale").order_by(order)[:limit]) if total else []
        sections[key] = Section(key=key, pages=listed, total=total)
    return sections
