"""The site's chrome: the main navigation and the footer, in the reader's language."""

from django import template
from django.conf import settings
from django.templatetags.static import static
from django.utils.safestring import mark_safe
from django.utils.translation import get_language
from wagtail.models import Page

from caching import fragments
from home.cache_invalidation import tags_for_page
from home.information import information_links
from home.navigation import navigation
from practices.freshness import is_stale
from practices.models import ContentPage

register = template.Library()


@register.inclusion_tag("components/navigation.html", takes_context=True)
def main_navigation(context):
    request = context.get("request")
    current = context.get("page")
    nav = navigation(request)
    return {
        "home": nav.home,
        "items": nav.items,
        "current_path": getattr(current, "url_path", "") or "",
        "request": request,
    }


@register.inclusion_tag("components/site_footer.html")
def site_footer():
    """The footer's links to the site's information pages, in the reader's language."""
    return {"links": information_links()}


# Open Graph's locales for the site's languages (Dari is written as Persian: fa_IR is the
# locale Open Graph knows).
OG_LOCALES = {"sv": "sv_SE", "en": "en_GB", "ar": "ar_AR", "fa": "fa_IR"}


@register.inclusion_tag("components/social_meta.html", takes_context=True)
def social_meta(context):
    """Open Graph and Twitter card tags: how a link to this page looks when shared."""
    request = context.get("request")
    if request is None:
        return {}
    page = context.get("page")
    language = get_language() or settings.LANGUAGE_CODE
    url = settings.SITE_URL + request.path
    title = description = ""
    if isinstance(page, Page):
        url = page.get_full_url(request) or url
        title = getattr(page, "seo_title", "") or page.title
        description = getattr(page, "search_description", "") or getattr(page, "summary", "")
    return {
        "url": url,
        "title": title,
        "description": description,
        "is_article": isinstance(page, ContentPage),
        "locale": OG_LOCALES.get(language, language),
        "image": settings.SITE_URL + static("img/apple-touch-icon.png"),
    }


class RecordFragmentNode(template.Node):
    def __init__(self, nodelist, page, part=""):
        self.nodelist = nodelist
        self.page = page
        self.part = part

    def render(self, context):
        page = self.page.resolve(context)
        request = context.get("request")
        tags = tags_for_page(page) if page is not None else set()
        if not tags or getattr(request, "is_preview", False) or not page.live:
            return self.nodelist.render(context)
        # The live revision is in the key: what is cached is never a draft or an older text.
        # Whether it is stale changes with the calendar, not with the record: in the key too.
        stale = "stale" if is_stale(page) else "fresh"
        key = f"record-html{self.part}:{page.pk}:{page.live_revision_id}:{get_language()}:{stale}"
        return mark_safe(  # noqa: S308 - the template's own output, escaped when rendered
            fragments.cached(key, tags, lambda: self.nodelist.render(context))
        )


@register.tag
def record_fragment(parser, token):
    """``{% record_fragment page ["part"] %}…{% endrecord_fragment %}``: what a practice, method or
    report page shows every reader of a language, rendered once and kept in the fragment cache
    under the page's tags (``home.cache_invalidation.tags_for_page``): its record, the records
    it links to, the organisations, the taxonomy and the site's chrome. Previews and drafts
    are always rendered afresh. Nothing personal (forms, tokens) may go inside.
    """
    bits = token.split_contents()
    if len(bits) not in (2, 3):
        raise template.TemplateSyntaxError(
            "record_fragment takes the page and, for a second fragment of it, a part name"
        )
    nodelist = parser.parse(("endrecord_fragment",))
    parser.delete_first_token()
    part = f":{bits[2].strip(chr(34) + chr(39))}" if len(bits) == 3 else ""
    return RecordFragmentNode(nodelist, parser.compile_filter(bits[1]), part)
