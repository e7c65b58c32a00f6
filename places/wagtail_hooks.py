"""The editors' dashboard panel "Methods used in municipalities like yours"
(``places.suggestions``). Registered here rather than in ``organisations.panels``: the
places app builds on organisations, not the other way round."""

from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.ui.components import Component

from organisations.scope import organisation_ids
from practices.locales import active_locale

from .suggestions import suggested_methods


class SimilarMethodsPanel(Component):
    name = "similar_methods"
    template_name = "places/admin/similar_methods_panel.html"
    order = 95  # just under the organisation's own pages

    def __init__(self, user):
        self.user = user
        self._suggestions = None

    @property
    def suggestions(self):
        if self._suggestions is None:
            self._suggestions = suggested_methods(organisation_ids(self.user), active_locale())
        return self._suggestions

    def get_context_data(self, parent_context):
        context = super().get_context_data(parent_context)
        context["suggestions"] = self.suggestions
        context["heading"] = _("Methods used in municipalities like yours")
        return context


@hooks.register("construct_homepage_panels")
def add_similar_methods_panel(request, panels):
    if organisation_ids(request.user):
        panel = SimilarMethodsPanel(request.user)
        if panel.suggestions:
            panels.append(panel)
