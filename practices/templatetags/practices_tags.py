"""Template helpers for the public site: navigation, localized pages, figures."""

from django import template
from django.utils.formats import number_format
from django.utils.html import format_html
from django.utils.text import capfirst
from django.utils.translation import get_language_info
from django.utils.translation import gettext as _
from wagtail.models import Locale, Page, Site

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
        "request": request,
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


def _source_page(page):
    """The page in the default (source) locale with the same translation key, or None."""
    cache = page.__dict__.setdefault("_source_page_cache", {})
    if "page" not in cache:
        default = Locale.get_default()
        cache["page"] = (
            None
            if page.locale_id == default.pk
            else page.get_translations().filter(locale=default).specific().first()
        )
    return cache["page"]


def _raw(value):
    if hasattr(value, "raw_data"):  # StreamValue
        return list(value.raw_data)
    return str(value or "")


@register.simple_tag
def source_language_attrs(page, field_name):
    """``lang``/``dir`` attributes for a field a translation still shows in the source language.

    A translated page whose text field equals its source's (not yet translated) shows Swedish
    inside an Arabic page: marking it lets screen readers switch voice and keeps Swedish
    punctuation left to right. Empty for source pages and translated fields.
    """
    source = _source_page(page)
    if source is None:
        return ""
    value = getattr(page, field_name, None)
    if not value or _raw(value) != _raw(getattr(source, field_name, None)):
        return ""
    language = source.locale.language_code
    direction = "rtl" if get_language_info(language)["bidi"] else "ltr"
    return format_html(' lang="{}" dir="{}"', language, direction)
