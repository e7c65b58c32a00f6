"""Template helpers for the public site: navigation, localized pages, figures."""

import json

from django import template
from django.conf import settings
from django.utils.formats import number_format
from django.utils.html import format_html
from django.utils.safestring import mark_safe
from django.utils.text import capfirst
from django.utils.translation import gettext as _

from practices import freshness as freshness_rules
from practices.records import page_for_reader
from practices.untranslated import (
    field_untranslated,
    source_attrs,
    untranslated_block_ids,
)

register = template.Library()


@register.simple_tag
def freshness(page):
    """What a reader is told of a page's freshness: ``updated`` (last published),
    ``reviewed`` (last confirmed by its owner, or None), ``stale`` (neither within the notice
    period) and ``months`` (that period)."""
    return {
        "updated": freshness_rules.last_updated(page),
        "reviewed": page.last_reviewed,
        "stale": freshness_rules.is_stale(page),
        "months": freshness_rules.stale_after_months(),
    }


# schema.org types: a practice or a report is an article about what was done; a method is a
# creative work (a description of a way of working).
SCHEMA_TYPES = {"practice": "Article", "report": "Article", "method": "CreativeWork"}


@register.simple_tag(takes_context=True)
def structured_data(context, page):
    """JSON-LD (schema.org) describing a practice, method or report for search engines."""
    request = context.get("request")
    url = page.get_full_url(request)
    data = {
        "@context": "https://schema.org",
        "@type": SCHEMA_TYPES.get(page.interchange_type, "CreativeWork"),
        "headline": page.title[:110],
        "name": page.title,
        "description": page.summary,
        "inLanguage": page.locale.language_code,
        "url": url,
        "identifier": page.external_id,
        "isAccessibleForFree": True,
        "datePublished": _iso(page.first_published_at),
        "dateModified": _iso(page.last_published_at),
        "mainEntityOfPage": {"@type": "WebPage", "@id": url},
        "publisher": {
            "@type": "Organization",
            "name": _("The Learning Platform"),
            "url": settings.SITE_URL + "/",
        },
    }
    if page.last_reviewed:
        data["mainEntityOfPage"]["lastReviewed"] = page.last_reviewed.isoformat()
    if page.organisation:
        author = {"@type": "Organization", "name": page.organisation.name}
        if page.organisation.website:
            author["url"] = page.organisation.website
        data["author"] = author
    places = [place.name for place in page.places]
    if places:
        data["spatialCoverage"] = [{"@type": "Place", "name": name} for name in places]
    about = [term.name for term in page.activity_types_localized]
    if about:
        data["about"] = [{"@type": "Thing", "name": name} for name in about]
    text = json.dumps({key: value for key, value in data.items() if value is not None})
    return format_html(
        '<script type="application/ld+json">{}</script>',
        mark_safe(text.translate(JSON_SCRIPT_ESCAPES)),  # noqa: S308 - escaped for <script>
    )


# As Django's json_script: no "</script>" or "<!--" can close or confuse the element.
JSON_SCRIPT_ESCAPES = {ord(">"): "\\u003E", ord("<"): "\\u003C", ord("&"): "\\u0026"}


def _iso(moment):
    return moment.isoformat() if moment else None


@register.filter
def localized_page(page):
    """The page's live, public translation in the active language, else the page itself."""
    return page_for_reader(page) if page is not None else None


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


def _lang_attrs(attrs):
    language, direction = attrs
    return format_html(' lang="{}" dir="{}"', language, direction)


@register.simple_tag
def source_language_attrs(page, field_name):
    """``lang``/``dir`` attributes for a field a translation still shows in the source language.

    Empty for source pages and translated fields (see ``practices.untranslated``).
    """
    attrs = source_attrs(page)
    if attrs is None or not field_untranslated(page, field_name):
        return ""
    return _lang_attrs(attrs)


@register.inclusion_tag("practices/components/body.html", takes_context=True)
def body_blocks(context, page, field_name="body", nested=False):
    """A stream field's blocks, each still in the source language marked with its ``lang``.

    ``nested``: the field sits inside a section with its own ``h2``, so its section headings
    become ``h3`` and its sub-headings ``h4`` (the outline stays one level below the section).
    """
    attrs = source_attrs(page)
    untranslated = untranslated_block_ids(page, field_name) if attrs else set()
    marked = _lang_attrs(attrs) if attrs else ""
    return {
        "blocks": [
            (block, marked if block.id in untranslated else "")
            for block in getattr(page, field_name)
        ],
        "nested": nested,
        "page": page,
        "request": context.get("request"),
    }
