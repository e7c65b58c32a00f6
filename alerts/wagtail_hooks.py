from wagtail import hooks

from .panels import AlertsPanel


@hooks.register("construct_homepage_panels")
def add_alerts_panel(request, panels):
    panel = AlertsPanel(request.user)
    if panel.is_shown():
        panels.append(panel)
