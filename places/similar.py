"""Municipalities like mine: the kommuner most like a given one, by SKR's municipality groups
and SCB's population (Källa: SKR, SCB).

The rule, in order:

1. Never the kommun itself.
2. Kommuner of the same SKR group (B5 with B5); when fewer than ``MIN_SAME_GROUP`` of the
   candidates share the group, the other groups of the same main group (A, B or C) follow,
   after the whole same-group list.
3. Within each of those, the same län first ("preferring the same län"), then by closeness of
   population: the absolute log-ratio, so 10,000 is as close to 20,000 as 50,000 is to
   100,000; ties by name.

Candidates are usually the kommuner that have content (``places.pages.site_counts``): a list
of similar kommuner without anything to read there helps nobody.
"""

import math
from dataclasses import dataclass

from django.utils.formats import number_format
from django.utils.translation import ngettext

from practices.models import MAIN_GROUPS

# A group with fewer candidates than this is "too small": its main group fills in.
MIN_SAME_GROUP = 3


def about(population):
    """``population`` rounded for reading "about …": two significant figures (10,531 → 11,000;
    934 → 930; 1,523,000 → 1,500,000)."""
    if not population:
        return 0
    digits = int(math.floor(math.log10(population))) + 1
    step = 10 ** max(digits - 2, 0)
    return int(round(population / step) * step)


def distance(a, b):
    """How far apart two populations are: |log(a / b)| (infinite when either is unknown)."""
    if not a.population or not b.population:
        return math.inf
    return abs(math.log(a.population / b.population))


@dataclass(frozen=True)
class Similar:
    """A kommun like ``reference``, and why."""

    municipality: object  # practices.Municipality
    reference: object  # the kommun it is like
    same_group: bool  # False: only the same main group (the fallback)

    @property
    def same_region(self):
        return self.municipality.region_id == self.reference.region_id

    @property
    def reason(self):
        """Why it is similar, in the active language."""
        people = about(self.municipality.population)
        values = {
            "group": self.municipality.group,
            "main_group": self.municipality.main_group,
            "main_group_name": MAIN_GROUPS.get(self.municipality.main_group, ""),
            "population": number_format(people, force_grouping=True),
        }
        if self.same_group:
            text = ngettext(
                "also a %(group)s municipality, about %(population)s inhabitant",
                "also a %(group)s municipality, about %(population)s inhabitants",
                people,
            )
        else:
            text = ngettext(
                "a %(group)s municipality, also in main group %(main_group)s "
                "(%(main_group_name)s), about %(population)s inhabitant",
                "a %(group)s municipality, also in main group %(main_group)s "
                "(%(main_group_name)s), about %(population)s inhabitants",
                people,
            )
        return text % values


def similar_municipalities(reference, candidates, limit=None):
    """The kommuner of ``candidates`` most like ``reference``, most similar first (see the
    module's rule), as ``Similar``; empty when ``reference`` has no group."""
    if not reference.group:
        return []
    others = [m for m in candidates if m.code != reference.code and m.group]
    same = [m for m in others if m.group == reference.group]
    wider = []
    if len(same) < MIN_SAME_GROUP:
        wider = [
            m for m in others if m.main_group == reference.main_group and m.group != reference.group
        ]

    def order(municipality):
        return (
            municipality.region_id != reference.region_id,
            distance(municipality, reference),
            municipality.name,
        )

    found = [Similar(m, reference, True) for m in sorted(same, key=order)]
    found += [Similar(m, reference, False) for m in sorted(wider, key=order)]
    return found[:limit] if limit else found
