"""What search knows besides the records: the vocabularies' labels, the places and the editors'
promotions, small and the same whatever the number of records.

Parsing parameters, labelling facet values and promotions need these on every search. The
engine path needs nothing else in the worker; the database path's snapshot
(``search.catalogue.Catalogue``) carries the same attributes, so either can be passed where
labels are read. Read again when ``SearchState`` changes, as the snapshot is.
"""

import threading
from collections import defaultdict
from dataclasses import dataclass, field, replace

from wagtail.contrib.search_promotions.models import SearchPromotion

from practices.models import ActivityType, Municipality, Region, TargetGroup

from .analysis import tokens
from .models import SearchState


def vocabulary_labels(model):
    """{slug: {language: label}} for a vocabulary."""
    labels = defaultdict(dict)
    for slug, language, name in model.objects.values_list("slug", "locale__language_code", "name"):
        labels[slug][language] = name
    return dict(labels)


def read_promotions():
    """{normalised query: [(page id, description)]} of the editors' search promotions, in
    their order."""
    promoted = defaultdict(list)
    picks = SearchPromotion.objects.filter(page__isnull=False).order_by("sort_order", "pk")
    for query, page_id, description in picks.values_list(
        "query__query_string", "page_id", "description"
    ):
        promoted[query].append((page_id, description))
    return dict(promoted)


@dataclass
class Labels:
    version: int = 0
    promotions_version: int = 0
    activity_labels: dict = field(default_factory=dict)  # slug -> {language: label}
    target_labels: dict = field(default_factory=dict)  # slug -> {language: label}
    municipalities: list = field(default_factory=list)  # [(code, name)]
    regions: dict = field(default_factory=dict)  # code -> name
    municipality_groups: dict = field(default_factory=dict)  # code -> SKR group ("" if none)

    @property
    def region_codes(self):
        return frozenset(self.regions)

    def words(self):
        """The normalised words of every label and place name."""
        texts = [label for labels in self.activity_labels.values() for label in labels.values()]
        texts += [label for labels in self.target_labels.values() for label in labels.values()]
        texts += [name for _code, name in self.municipalities]
        return frozenset(word for text in texts for word in tokens(text))

    def promotions(self):
        """{normalised query: [(page id, description)]}, read on first use."""
        promoted = self.__dict__.get("_promotions")
        if promoted is None:
            promoted = self.__dict__["_promotions"] = read_promotions()
        return promoted


def read_labels(version=0, promotions_version=0):
    places = list(Municipality.objects.values_list("code", "name", "group"))
    return Labels(
        version=version,
        promotions_version=promotions_version,
        activity_labels=vocabulary_labels(ActivityType),
        target_labels=vocabulary_labels(TargetGroup),
        municipalities=[(code, name) for code, name, _group in places],
        regions=dict(Region.objects.values_list("code", "name")),
        municipality_groups={code: group for code, _name, group in places},
    )


_lock = threading.Lock()
_current = None


def get_labels(versions=None):
    """The labels for the current ``SearchState`` (``versions``: its versions, if the caller
    has read them): read again when its version changed, the promotions alone when theirs
    did."""
    global _current
    version, promotions_version = versions or SearchState.versions()
    labels = _current
    if labels is not None and (labels.version, labels.promotions_version) == (
        version,
        promotions_version,
    ):
        return labels
    with _lock:
        if _current is None or _current.version != version:
            _current = read_labels(version, promotions_version)
        elif _current.promotions_version != promotions_version:
            _current = replace(_current, promotions_version=promotions_version)
        return _current


def clear():
    global _current
    _current = None
