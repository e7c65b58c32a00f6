"""The coordinators' dashboard panel: is search semantic or lexical only, and how far behind
the vectors are."""

from wagtail.admin.ui.components import Component

from organisations.scope import is_coordinator

from . import query


class SemanticSearchPanel(Component):
    name = "semantic_search"
    template_name = "semantic/admin/semantic_search_panel.html"
    order = 300  # below the editors' own panels

    def __init__(self, user):
        self.user = user

    def is_shown(self):
        return is_coordinator(self.user)

    def get_context_data(self, parent_context):
        context = super().get_context_data(parent_context)
        available, records, waiting = query.status()
        context.update({"available": available, "records": records, "waiting": waiting})
        return context
