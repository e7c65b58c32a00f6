"""The editors' dashboard panel: what in my organisation's pages needs me."""

from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from wagtail.admin.ui.components import Component

from .dashboard import dashboard_sections, review_after_months
from .scope import is_coordinator, organisation_ids

SECTION_TEXT = {
    "needs_changes": (
        _("Changes requested"),
        _("A coordinator asked for changes. Edit the page and submit it again."),
    ),
    "in_review": (
        _("Waiting for review"),
        _("Submitted and waiting for a coordinator's approval."),
    ),
    "drafts": (
        _("Drafts"),
        _("Not submitted yet: new pages and unpublished changes."),
    ),
    "stale": (
        _("Please check this is still current"),
        None,  # depends on the setting, see below
    ),
}


class OrganisationPagesPanel(Component):
    name = "organisation_pages"
    template_name = "organisations/admin/organisation_pages_panel.html"
    order = 90  # above Wagtail's own panels

    def __init__(self, user):
        self.user = user

    def is_shown(self):
        return bool(organisation_ids(self.user)) or is_coordinator(self.user)

    def get_context_data(self, parent_context):
        context = super().get_context_data(parent_context)
        months = review_after_months()
        sections = []
        for key, section in dashboard_sections(self.user).items():
            heading, description = SECTION_TEXT[key]
            if key == "stale":
                description = ngettext(
                    "Published pages not updated for %(months)d month. Check that they are "
                    "still current, and update or unpublish them.",
                    "Published pages not updated for %(months)d months. Check that they are "
                    "still current, and update or unpublish them.",
                    months,
                ) % {"months": months}
            sections.append(
                {
                    "key": key,
                    "heading": heading,
                    "description": description,
                    "pages": section.pages,
                    "total": section.total,
                    "more": section.total - len(section.pages),
                }
            )
        context["sections"] = sections
        context["request"] = parent_context.get("request")
        return context
