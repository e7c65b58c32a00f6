"""Turn a search outcome into what the page template and the JSON API show."""

from dataclasses import dataclass, replace

from django.utils.http import urlencode
from django.utils.text import capfirst
from django.utils.translation import get_language_info
from django.utils.translation import gettext_lazy as _

from practices.models import CONTENT_PAGE_MODELS, MunicipalityGroup

from .analysis import LANGUAGES
from .facets import FACETS
from .params import SORTS, TYPES

FACET_LABELS = {
    "type": _("Content type"),
    "activity_type": _("Activity type"),
    "target_group": _("Target group"),
    "region": _("Region"),
    "municipality": _("Municipality"),
    "municipality_group": _("Municipality group"),
    "year": _("Start year"),
    "checked": _("Last checked"),
    "language": _("Language"),
}
# Long facets show their most common values; selected values always show.
MAX_OPTIONS = {
    "municipality": 15,
    "activity_type": 30,
    "target_group": 30,
    "year": 15,
    "checked": 15,
}


@dataclass(frozen=True)
class FacetOption:
    value: str
    label: str
    count: int
    selected: bool
    input_id: str


@dataclass(frozen=True)
class Facet:
    name: str
    label: str
    options: list

    @property
    def has_selection(self):
        return any(option.selected for option in self.options)


def type_labels():
    """{"practice": "Good-practice cases", ...} in the active language."""
    return {
        model.interchange_type: capfirst(model._meta.verbose_name_plural)
        for model in CONTENT_PAGE_MODELS
    }


def language_name(code):
    return get_language_info(code)["name_translated"]


def value_label(labels, facet, value, language):
    """How a facet value reads in ``language``."""
    if facet == "type":
        return type_labels().get(value, value)
    if facet in ("activity_type", "target_group"):
        names = (labels.activity_labels if facet == "activity_type" else labels.target_labels).get(
            value, {}
        )
        return names.get(language) or names.get("sv") or value
    if facet == "region":
        return labels.regions.get(value, value)
    if facet == "municipality":
        return dict(labels.municipalities).get(value, value)
    if facet == "municipality_group":
        return group_label(value)
    if facet == "language":
        return language_name(value)
    return value


def group_label(code):
    """ "B5: Commuting municipalities with a low commuting rate …" in the active language."""
    if code not in MunicipalityGroup.values:
        return code
    return f"{code}: {MunicipalityGroup(code).label}"


def _ordered(facet, options):
    if facet == "type":
        order = {value: index for index, value in enumerate(TYPES)}
        return sorted(options, key=lambda option: order.get(option.value, 99))
    if facet == "language":
        order = {value: index for index, value in enumerate(LANGUAGES)}
        return sorted(options, key=lambda option: order.get(option.value, 99))
    if facet == "municipality_group":
        return sorted(options, key=lambda option: option.value)
    if facet in ("year", "checked"):
        return sorted(options, key=lambda option: option.value, reverse=True)
    return sorted(options, key=lambda option: (-option.count, option.label))


def facets(outcome, labels):
    """The facets to show, each with its options, counts and selection."""
    params = outcome.params
    shown = []
    for facet in FACETS:
        counts = outcome.facets.get(facet, {})
        selected = params.filters.get(facet, frozenset())
        values = {value for value, count in counts.items() if count} | set(selected)
        options = [
            FacetOption(
                value=value,
                label=value_label(labels, facet, value, params.language),
                count=counts.get(value, 0),
                selected=value in selected,
                input_id=f"f-{facet}-{value}",
            )
            for value in values
        ]
        options = _ordered(facet, options)
        limit = MAX_OPTIONS.get(facet)
        if limit and len(options) > limit:
            options = [
                option for index, option in enumerate(options) if index < limit or option.selected
            ]
        if options:
            shown.append(Facet(facet, str(FACET_LABELS[facet]), options))
    return shown


def search_url(base, params, page=None):
    items = params.as_query_items(page=page)
    return f"{base}?{urlencode(items)}" if items else base


def result_places(outcome, labels):
    """[(result, [(code, name)])]: each result with the places it names (its municipalities,
    else its regions), for links to their place pages."""
    names = {**labels.regions, **dict(labels.municipalities)}
    shown = []
    for result in outcome.results:
        facets = result.record.facets
        codes = sorted(facets.get("municipality", ())) or sorted(facets.get("region", ()))
        shown.append((result, [(code, names.get(code, code)) for code in codes]))
    return shown


def page_context(outcome, labels, base_url, problems=()):
    params = outcome.params
    pages = outcome.pages
    return {
        "outcome": outcome,
        "results": result_places(outcome, labels),
        "params": params,
        "facets": facets(outcome, labels),
        "sorts": [(value, label) for value, label in SORTS.items()],
        "problems": problems,
        "first_rank": (params.page - 1) * params.page_size + 1,
        "previous_url": search_url(base_url, params, params.page - 1) if params.page > 1 else "",
        "next_url": search_url(base_url, params, params.page + 1) if params.page < pages else "",
        "applied": [
            {
                "facet": str(FACET_LABELS[facet]),
                "label": value_label(labels, facet, value, params.language),
                "url": search_url(base_url, params.without(facet, value)),
            }
            for facet in FACETS
            for value in sorted(params.filters.get(facet, ()))
        ],
        "clear_url": search_url(base_url, replace(params, filters={}, page=1)),
        "relaxations": [
            {
                "facet": str(FACET_LABELS[facet]),
                "label": value_label(labels, facet, value, params.language),
                "count": count,
                "url": search_url(base_url, params.without(facet, value)),
            }
            for facet, value, count in outcome.relaxations
        ],
        "available_activity_types": [
            {
                "label": value_label(labels, "activity_type", slug, params.language),
                "count": count,
                "url": f"{base_url}?{urlencode({'activity_type': slug})}",
            }
            for slug, count in outcome.available_activity_types
        ],
        "hidden_inputs": [
            (name, value)
            for name, value in params.as_query_items()
            if name in ("sort", "page_size")
        ],
    }


def my_municipality_context(municipality, params, labels, base_url):
    """What the "like my municipality" control shows: the kommuner to choose from, and for
    the reader's kommun (None: not chosen) whether its group filter is on, with links to turn
    it on or off and to forget the kommun."""
    choices = sorted(labels.municipalities, key=lambda item: item[1])
    if municipality is None:
        return {"municipality_choices": choices, "my_municipality": None}
    group = municipality.group
    filters = {**params.filters, "municipality_group": frozenset({group})}
    return {
        "municipality_choices": choices,
        "my_municipality": {
            "code": municipality.code,
            "name": municipality.name,
            "group": group,
            "group_label": group_label(group),
            "active": group in params.filters.get("municipality_group", ()),
            "like_url": search_url(base_url, replace(params, filters=filters, page=1)),
            "all_url": search_url(base_url, params.without("municipality_group")),
            "forget_url": f"{base_url}?{urlencode({'my_municipality': ''})}",
        },
    }


def api_result(result, request):
    page = result.page
    return {
        "external_id": result.external_id,
        "type": result.type,
        "locale": result.language,
        "title": page.title,
        "summary": page.summary,
        "url": page.get_full_url(request),
        "highlight": str(result.highlight),
        "languages": result.languages,
    }


def api_response(outcome, request):
    params = outcome.params
    return {
        "query": params.query,
        "lang": params.language,
        "count": outcome.count,
        "page": params.page,
        "page_size": params.page_size,
        "results": [api_result(result, request) for result in outcome.results],
        "facets": {facet: dict(sorted(outcome.facets.get(facet, {}).items())) for facet in FACETS},
        "degraded": outcome.degraded,
    }
