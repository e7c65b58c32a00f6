"""Template helpers for place pages and for "municipalities like mine" on record pages."""

from django import template
from django.template.loader import render_to_string
from django.utils.safestring import mark_safe
from django.utils.translation import get_language

from caching import fragments
from home.page_cache import tag_request
from practices.locales import active_locale

from ..pages import record_like_mine

register = template.Library()

# What the choice of records depends on besides the records themselves.
BASE_TAGS = ("restrictions", "taxonomy", "orgs")


def _render(page, language):
    found = record_like_mine(page, active_locale())
    if found is None or not found.items:
        return ""
    return render_to_string(
        "places/components/like_mine.html",
        {"like_mine": found, "heading_id": "like-mine-heading", "LANGUAGE_CODE": language},
    )


def _chosen_keys(page):
    found = record_like_mine(page, active_locale())
    return [] if found is None else [str(record.translation_key) for record, _ in found.items]


@register.simple_tag(takes_context=True)
def like_mine(context, page):
    """Records from kommuner like ``page``'s own, with the reason; nothing for a record in no
    kommun.

    Cached as a record page is: the records chosen are kept under the restrictions, taxonomy
    and organisations tags, the HTML (and the page in the page cache) also under the tags of
    the records it shows, so a change to one of them (unpublished, retitled) shows at once.
    A record newly published in a similar kommun appears when these entries expire (a day at
    most, ``caching.fragments.TIMEOUT``): tagging every record page with every listing would
    make each publish invalidate every practice and method page.
    """
    request = context.get("request")
    language = get_language()
    if not page.live or getattr(request, "is_preview", False):
        return mark_safe(_render(page, language))  # noqa: S308 - our own template's output
    record_key = page.translation_key
    chosen = fragments.cached(f"like-mine-keys:{record_key}", BASE_TAGS, lambda: _chosen_keys(page))
    tags = (*BASE_TAGS, *(f"record:{key}" for key in chosen))
    if request is not None:
        tag_request(request, *tags)
    if not chosen:
        return ""
    html = fragments.cached(
        f"like-mine:{record_key}:{language}", tags, lambda: _render(page, language)
    )
    return mark_safe(html)  # noqa: S308 - as above
