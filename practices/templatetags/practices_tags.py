"""Template helpers for the public site: navigation, localized pages, figures."""

from django import template
from django.utils.formats import number_format
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from wagtail.models import Page, Site

register = template.Library()


@register.inclusion_tag("components/navigation.html", takes_context=True)
def main_navigation(context):
    request = context.get("request")
    site = Site.find_for_request(request) if request else None
    home = site.root_page.localized if site else None
    items = home.get_children().live().in_menu().specific() if home else Page.objects.none()
    current = context.get("page")
    return {
        "home": home,
        "items": items,
        "current_path": current.url_path if current else "",
    }


@register.filter
def localized_page(page):
    """The page's live translation in the active language, else the page itself."""
    return page.localized if page is not None else None


@register.filter
def figure(value, unit=""):
    """An indicator value for reading: 75 % for percent, 1 234 for counts."""
    if value is None:
        return ""
    text = number_format(value, decimal_pos=0 if value == int(value) else 1, force_grouping=True)
    if unit == "percent":
        return _("%(value)s %%") % {"value": text}
    return text


@register.filter
def sek(amount):
    if amount is None:
        return ""
    return _("%(amount)s SEK") % {"amount": number_format(amount, force_grouping=True)}


@register.filter
def type_label(page):
    """The page type as a reader calls it: "Method", "Good-practice case"."""
    return capfirst(page._meta.verbose_name)


@register.filter
def plural_label(model):
    return capfirst(model._meta.verbose_name_plural)
