"""The coordinators' dashboard panel: how many alerts there are, never whose (the addresses
are not shown anywhere in the admin)."""

from wagtail.admin.ui.components import Component

from organisations.scope import is_coordinator

from . import subscriptions


class AlertsPanel(Component):
    name = "saved_search_alerts"
    template_name = "alerts/admin/alerts_panel.html"
    order = 310  # below the editors' own panels, after search by meaning

    def __init__(self, user):
        self.user = user

    def is_shown(self):
        return is_coordinator(self.user)

    def get_context_data(self, parent_context):
        context = super().get_context_data(parent_context)
        context["counts"] = subscriptions.counts()
        return context
