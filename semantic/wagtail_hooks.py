from wagtail import hooks

from .panels import SemanticSearchPanel


@hooks.register("construct_homepage_panels")
def add_semantic_search_panel(request, panels):
    panel = SemanticSearchPanel(request.user)
    if panel.is_shown():
        panels.append(panel)
