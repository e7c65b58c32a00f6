"""Maps of Sweden in templates: where a method is used (method pages), where all methods are
used (the reuse overview) and a place with its records (place pages)."""

from django import template
from django.utils.translation import gettext

from places import maps
from places.usage import method_usage, place_records_filled, usage_by_kommun, usage_of_reuse

register = template.Library()


@register.inclusion_tag("places/map_usage.html")
def usage_map(method_page, reuse=None):
    """The kommuner where ``method_page``'s method is used, by status, on a map with a table
    of the same facts beside it (kommun, län, organisation, status).

    ``reuse``: the method's ``MethodReuse`` when the template has it already (the method
    page's "Who uses this method" section does), so that it is not read twice.
    """
    usage = usage_of_reuse([reuse]) if reuse is not None else method_usage(method_page)
    title = gettext("Map of the municipalities where “%(method)s” is used") % {
        "method": method_page.title
    }
    return {
        "usage": usage,
        "map": maps.render(usage.filled, title=title) if usage.filled else "",
    }


@register.inclusion_tag("places/map_reuse.html")
def reuse_map(overview):
    """One map of every method's use on the reuse overview (``reuse.adoptions.Overview``,
    with its filters applied), and a table per kommun: its methods and most advanced
    status."""
    usage = usage_of_reuse(overview.methods)
    return {
        "kommuner": usage_by_kommun(usage),
        "map": maps.render(
            usage.filled, title=gettext("Map of the municipalities where the methods are used")
        )
        if usage.filled
        else "",
    }


@register.simple_tag
def place_map(code):
    """A map with the kommun or län ``code`` highlighted and the kommuner of its live
    practices and reports filled by their period's status (planned, running, finished). An
    unknown code gives a map of Sweden with nothing marked."""
    code = str(code)
    kommuner, lan, _ = maps.base_layer()
    area = kommuner.get(code) or lan.get(code)
    title = (
        gettext("Map of Sweden with %(place)s marked") % {"place": area.name}
        if area
        else gettext("Map of Sweden")
    )
    return maps.render(place_records_filled(code), highlight=frozenset({code}), title=title)
