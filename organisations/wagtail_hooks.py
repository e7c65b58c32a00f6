"""Admin wiring for access: hide other organisations' drafts, add the editors' panel.

The refusals themselves (of a direct URL too) come from the page permission tester that every
admin view consults (see ``permissions``); this module only keeps listings consistent with it.
"""

from django.contrib import messages
from django.urls import include, path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem
from wagtail.models import AbstractPage
from wagtail.permissions import register_permission_policy

from . import lockouts
from .guide import editors_guide
from .panels import OrganisationPagesPanel
from .permissions import (
    OrganisationPagePermissionPolicy,
    hidden_drafts,
    keep_organisation_current,
)
from .scope import is_coordinator
from .still_current import still_current
from .workflow import approved_and_published

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


@hooks.register("after_edit_page")
def say_published_after_approval(request, page):
    """An approval that publishes says so, instead of Wagtail's "has been updated"."""
    if not approved_and_published(request, page):
        return
    storage = messages.get_messages(request)
    others = [message for message in storage if message.level != messages.SUCCESS]
    for message in others:  # reading the queue empties it: put back what is not replaced
        messages.add_message(request, message.level, message.message, message.extra_tags)
    messages.success(
        request,
        _("“%(title)s” is approved and published.") % {"title": page.get_admin_display_title()},
    )


@hooks.register("construct_homepage_panels")
def add_organisation_pages_panel(request, panels):
    panel = OrganisationPagesPanel(request.user)
    if panel.is_shown():
        panels.append(panel)  # placed by its ``order``, first on the dashboard


class CoordinatorMenuItem(MenuItem):
    """A menu item only platform coordinators (and superusers) see."""

    def is_shown(self, request):
        return is_coordinator(request.user)


lockout_urls = [
    path("", lockouts.locked, name="list"),
    path("<int:attempt_id>/unlock/", lockouts.unlock, name="unlock"),
]


@hooks.register("register_admin_urls")
def register_lockout_urls():
    return [
        path(
            "locked-sign-ins/",
            include((lockout_urls, "organisations_lockouts"), namespace="organisations_lockouts"),
        ),
        path("editors-guide/", editors_guide, name="organisations_editors_guide"),
        path(
            "pages/<int:page_id>/still-current/",
            still_current,
            name="organisations_still_current",
        ),
    ]


# Wagtail's own help links go to its English documentation on the web; the platform's guide
# (in the admin's language) replaces them.
WAGTAIL_HELP_ITEMS = ("editor-guide", "whats-new-in-wagtail-")


@hooks.register("construct_help_menu")
def keep_the_platforms_help(request, menu_items):
    menu_items[:] = [item for item in menu_items if not item.name.startswith(WAGTAIL_HELP_ITEMS)]


@hooks.register("register_help_menu_item")
def register_editors_guide_menu_item():
    return MenuItem(
        _("Guide for editors"),
        reverse("organisations_editors_guide"),
        name="platform-editors-guide",
        icon_name="help",
        order=50,  # before Wagtail's own help items
    )


@hooks.register("register_settings_menu_item")
def register_lockouts_menu_item():
    return CoordinatorMenuItem(
        _("Locked sign-ins"),
        reverse("organisations_lockouts:list"),
        name="locked-sign-ins",
        icon_name="lock",
        order=610,
    )
