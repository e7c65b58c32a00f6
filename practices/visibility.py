"""Which pages a reader may see: live pages outside every view-restricted section.

Wagtail's ``PageQuerySet.public()`` reads every view restriction each time it is called, and
one page asks several times (its translations, its linked records, the listings). The
restricted sections are kept instead in the fragment cache under the tag ``restrictions``,
moved on when a restriction is saved or deleted or a page moves (its path changes).
"""

from django.db.models import Q
from django.db.models.signals import post_delete, post_save
from wagtail.models import PageViewRestriction
from wagtail.signals import post_page_move

from caching import fragments
from caching.tags import bump, bump_on_commit

TAG = "restrictions"


def restricted_sections():
    """``[(path, depth)]`` of the pages that have a view restriction."""
    return fragments.cached(
        "restricted-sections",
        [TAG],
        lambda: list(PageViewRestriction.objects.values_list("page__path", "page__depth")),
    )


def private_q():
    """Pages in a restricted section (the restricted page and its descendants)."""
    q = Q()
    for path, depth in restricted_sections():
        q |= Q(path__startswith=path) & Q(depth__gte=depth)
    return q if q else Q(pk__in=[])


def public(queryset):
    """``queryset`` without the pages in a restricted section (as ``.public()``)."""
    return queryset.exclude(private_q())


def visible(queryset):
    """The live, public pages of ``queryset``."""
    return public(queryset.live())


def _changed(**kwargs):
    # Now, for the rest of this transaction (it reads its own change), and again once it
    # has committed, for readers who recomputed the old sections meanwhile.
    bump(TAG)
    bump_on_commit(TAG)


post_save.connect(_changed, sender=PageViewRestriction, dispatch_uid="visibility-saved")
post_delete.connect(_changed, sender=PageViewRestriction, dispatch_uid="visibility-deleted")
post_page_move.connect(_changed, dispatch_uid="visibility-moved")
