"""Template helpers for place pages and for "municipalities like mine" on record pages."""

from django import template
from django.template.loader import render_to_string
from django.utils.safestring import mark_safe
from django.utils.translation import get_language

from caching import fragments
from home.page_cache import tag_request
from practices.locales import active_locale

from ..pages import INDEX_TAGS, record_like_mine

register = template.Library()


@register.simple_tag(takes_context=True)
def like_mine(context, page):
    """Records from kommuner like ``page``'s own, with the reason; nothing for a record in no
    kommun. The same for every reader of a language until a record, an organisation or an
    adoption changes (kept in the fragment cache under the place index's tags, which the
    page cache also learns here)."""
    request = context.get("request")
    if request is not None and not getattr(request, "is_preview", False):
        tag_request(request, *INDEX_TAGS)
    language = get_language()

    def render():
        found = record_like_mine(page, active_locale())
        if found is None or not found.items:
            return ""
        return render_to_string(
            "places/components/like_mine.html",
            {"like_mine": found, "heading_id": "like-mine-heading", "LANGUAGE_CODE": language},
        )

    if not page.live or getattr(request, "is_preview", False):
        return mark_safe(render())  # noqa: S308 - our own template's escaped output
    key = f"like-mine:{page.translation_key}:{language}"
    return mark_safe(fragments.cached(key, INDEX_TAGS, render))  # noqa: S308 - as above
