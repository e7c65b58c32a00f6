"""Reading in your language: the language switcher, hreflang alternates, translation notices."""

from django import template

from home.alternates import hreflang_alternates, language_links
from home.notices import notices_for

register = template.Library()


def _request_and_page(context):
    return context.get("request"), context.get("page")


@register.inclusion_tag("components/language_switcher.html", takes_context=True)
def language_switcher(context):
    """Every language by its own name, each linking to this page's version in it."""
    request, page = _request_and_page(context)
    return {"links": language_links(request, page) if request is not None else []}


@register.inclusion_tag("components/hreflang.html", takes_context=True)
def hreflang_links(context):
    request, page = _request_and_page(context)
    return {"alternates": hreflang_alternates(request, page) if request is not None else []}


@register.inclusion_tag("components/translation_notices.html", takes_context=True)
def translation_notices(context):
    request, page = _request_and_page(context)
    return {"notices": notices_for(request, page) if request is not None else None}
