"""Editors' dashboard: methods used in municipalities like their organisation's.

For each of the editor's organisations based in a kommun, the methods in use (or written) in
the kommuner most like it (``places.similar``) that are not yet in use in the organisation's
own kommun, each with the reason.
"""

from dataclasses import dataclass, field

from practices.models import Organisation

from .pages import like_mine, place_index

SUGGESTIONS_PER_ORGANISATION = 5


@dataclass
class Suggestions:
    organisation: Organisation
    items: list = field(default_factory=list)  # [(method page, Similar)]


def suggested_methods(organisation_ids, locale, limit=SUGGESTIONS_PER_ORGANISATION):
    """[Suggestions] for the organisations ``organisation_ids`` that are based in a kommun
    and have something to suggest."""
    organisations = (
        Organisation.objects.filter(pk__in=organisation_ids, municipality__isnull=False)
        .select_related("municipality")
        .order_by("name")
    )
    found = []
    index = place_index()
    for organisation in organisations:
        like = like_mine(organisation.municipality, index, locale, limit=limit, kinds=("method",))
        if like.items:
            found.append(Suggestions(organisation, like.items))
    return found
