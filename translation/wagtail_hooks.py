"""Admin wiring: the translation status views, a menu item for coordinators, a page button."""

from django.urls import include, path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.widgets import ListingButton

from organisations.wagtail_hooks import CoordinatorMenuItem

from . import views

app_name = "practices_translation"
urlpatterns = [
    path("", views.overview, name="overview"),
    path("page/<int:page_id>/", views.page_status, name="page"),
    path("page/<int:page_id>/reviewed/", views.review_machine_translation, name="reviewed"),
]


@hooks.register("register_admin_urls")
def register_translation_status_urls():
    return [path("translations/", include((urlpatterns, app_name), namespace=app_name))]


@hooks.register("register_admin_menu_item")
def register_translation_status_menu_item():
    return CoordinatorMenuItem(
        _("Translation status"),
        reverse("practices_translation:overview"),
        name="translation-status",
        icon_name="globe",
        order=850,
    )


def translation_status_button(page, user, view_name=None, next_url=None):
    if page.is_root() or not views.can_see_page_status(user, page):
        return
    yield ListingButton(
        _("Translation status"),
        reverse("practices_translation:page", args=[page.pk]),
        priority=62,
        icon_name="globe",
    )


hooks.register("register_page_header_buttons", translation_status_button)
hooks.register("register_page_listing_more_buttons", translation_status_button)
