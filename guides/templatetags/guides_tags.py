"""Template tags of the printable guides: the print stylesheet and print-only header every
page shows (``templates/base.html``), and a helper of the guide's charts."""

from django import template
from django.utils import timezone

register = template.Library()


def css_string(text):
    """``text`` as a CSS string literal."""
    escaped = "".join(ch if ch.isalnum() or ch in ":/.-_[]" else f"\\{ord(ch):x} " for ch in text)
    return f'"{escaped}"'


@register.inclusion_tag("guides/print_head.html", takes_context=True)
def print_head(context):
    """The print stylesheet, and the site's address for it to print before a link's path."""
    request = context.get("request")
    origin = request.build_absolute_uri("/").rstrip("/") if request is not None else ""
    return {"origin": css_string(origin)}


@register.inclusion_tag("guides/print_header.html", takes_context=True)
def print_header(context):
    """What a printed page starts with: the platform's logo and name, the page's address,
    the day it was printed and, for content, when it was last updated and reviewed."""
    request = context.get("request")
    page = context.get("page")
    last_updated = getattr(page, "last_published_at", None)
    return {
        "url": request.build_absolute_uri() if request is not None else "",
        "printed_on": timezone.localdate(),
        "last_updated": timezone.localtime(last_updated).date() if last_updated else None,
        "last_reviewed": getattr(page, "last_reviewed", None),
    }


@register.filter
def any_targets(charts):
    return any(chart.has_targets for chart in charts)
