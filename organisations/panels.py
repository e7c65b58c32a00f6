"""The editors' dashboard panel: what in my organisation's pages needs me."""

from django.conf import settings
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from wagtail.admin.ui.components import Component

from practices.models import (
    MethodIndexPage,
    MethodPage,
    PracticeIndexPage,
    PracticePage,
    ProjectReportPage,
    ReportIndexPage,
)

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


# What an editor can start from the dashboard: (label, page type, the index it lives under).
NEW_PAGES = [
    (_("New practice"), PracticePage, PracticeIndexPage),
    (_("New method"), MethodPage, MethodIndexPage),
    (_("New project report"), ProjectReportPage, ReportIndexPage),
]


def new_page_links(user):
    """[(label, URL)] of the page types ``user`` may create, each landing in the editor under
    its index page in the source language (translations are made from there)."""
    links = []
    for label, model, index_model in NEW_PAGES:
        index = index_model.objects.filter(locale__language_code=settings.LANGUAGE_CODE).first()
        if index is None or not index.permissions_for_user(user).can_add_subpage():
            continue
        meta = model._meta
        url = reverse("wagtailadmin_pages:add", args=[meta.app_label, meta.model_name, index.pk])
        links.append((label, url))
    return links


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
                    "Published pages neither updated nor confirmed for %(months)d month. If "
                    "one is still current, click “Still current” (readers see the date); "
                    "otherwise update or unpublish it.",
                    "Published pages neither updated nor confirmed for %(months)d months. If "
                    "one is still current, click “Still current” (readers see the date); "
                    "otherwise update or unpublish it.",
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
        context["new_pages"] = new_page_links(self.user)
        context["request"] = parent_context.get("request")
        return context
