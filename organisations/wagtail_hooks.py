"""Admin wiring for access: hide other organisations' drafts, add the editors' panel.

The refusals themselves (of a direct URL too) come from the page permission tester that every
admin view consults (see ``permissions``); this module only keeps listings consistent with it.
"""

from wagtail import hooks
from wagtail.models import AbstractPage
from wagtail.permissions import register_permission_policy

from .panels import OrganisationPagesPanel
from .permissions import (
    OrganisationPagePermissionPolicy,
    hidden_drafts,
    keep_organisation_current,
)

# Replaces Wagtail's policy for every page type (Wagtail 8's documented extension point).
register_permission_policy(AbstractPage, OrganisationPagePermissionPolicy())


def without_hidden_drafts(pages, user):
    hidden = hidden_drafts(user)
    return pages.exclude(pk__in=hidden.values("pk"))


@hooks.register("construct_explorer_page_queryset")
def hide_other_organisations_drafts(parent_page, pages, request):
    return without_hidden_drafts(pages, request.user)


@hooks.register("construct_page_chooser_queryset")
def hide_other_organisations_drafts_in_chooser(pages, request):
    return without_hidden_drafts(pages, request.user)


@hooks.register("after_edit_page")
def apply_organisation_change(request, page):
    keep_organisation_current(page)


@hooks.register("construct_homepage_panels")
def add_organisation_pages_panel(request, panels):
    panel = OrganisationPagesPanel(request.user)
    if panel.is_shown():
        panels.append(panel)  # placed by its ``order``, first on the dashboard
