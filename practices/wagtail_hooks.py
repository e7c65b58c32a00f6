"""Admin wiring: taxonomy and places grouped under one menu, external ids kept unique on copy."""

from django.templatetags.static import static
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet, SnippetViewSetGroup

from .models import (
    ActivityType,
    ContentPage,
    Indicator,
    Municipality,
    Organisation,
    Region,
    TargetGroup,
)


class OrganisationViewSet(SnippetViewSet):
    model = Organisation
    icon = "group"
    list_display = ["name", "kind", "municipality", "region"]
    list_filter = ["kind"]
    search_fields = ["name"]


class ActivityTypeViewSet(SnippetViewSet):
    model = ActivityType
    icon = "tag"
    list_display = ["name", "slug", "locale"]
    search_fields = ["name", "slug"]


class TargetGroupViewSet(SnippetViewSet):
    model = TargetGroup
    icon = "user"
    list_display = ["name", "slug", "locale"]
    search_fields = ["name", "slug"]


class IndicatorViewSet(SnippetViewSet):
    model = Indicator
    icon = "list-ul"
    list_display = ["name", "slug", "unit", "higher_is_better", "proposed", "locale"]
    list_filter = ["proposed", "unit"]
    search_fields = ["name", "slug"]


class RegionViewSet(SnippetViewSet):
    model = Region
    icon = "site"
    list_display = ["code", "name", "region_name"]
    search_fields = ["name", "code"]


class MunicipalityViewSet(SnippetViewSet):
    model = Municipality
    icon = "home"
    list_display = ["code", "name", "region"]
    list_filter = ["region"]
    search_fields = ["name", "code"]


class TaxonomyGroup(SnippetViewSetGroup):
    menu_label = _("Taxonomy")
    menu_icon = "folder-open-inverse"
    menu_order = 300
    items = (
        OrganisationViewSet,
        ActivityTypeViewSet,
        TargetGroupViewSet,
        IndicatorViewSet,
        RegionViewSet,
        MunicipalityViewSet,
    )


register_snippet(TaxonomyGroup)


@hooks.register("insert_editor_css")
def editor_css():
    return format_html('<link rel="stylesheet" href="{}">', static("css/admin.css"))


@hooks.register("after_copy_page")
def give_copies_their_own_external_id(request, page, new_page):
    """A copy in the same language is a new record; a translation shares the source's id."""
    specific = new_page.specific
    if isinstance(specific, ContentPage) and specific.locale_id == page.locale_id:
        specific.external_id = specific.generate_external_id()
        specific.save(update_fields=["external_id"])
