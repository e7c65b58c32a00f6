"""Editors' dashboard: methods used in municipalities like their organisation's.

For each of the editor's organisations, its kommun is where it is based, else the kommun its
published records name most often (ties: the lowest code); the suggestions are the methods in
use (or written) in the kommuner most like it (``places.similar``) that are not yet in use in
that kommun, each with the reason.
"""

from collections import Counter, defaultdict
from dataclasses import dataclass, field

from django.db.models import Count

from practices.models import Municipality, Organisation
from practices.visibility import visible

from .pages import MODELS, like_mine

SUGGESTIONS_PER_ORGANISATION = 5


@dataclass
class Suggestions:
    organisation: Organisation
    municipality: Municipality  # where it is based, or where its records are
    items: list = field(default_factory=list)  # [(method page, Similar)]


def home_municipalities(organisations):
    """{organisation id: Municipality}: where each is based, else the kommun its live, public
    records name most often (ties: the lowest code); a query per record type for those with
    no seat."""
    homes = {o.pk: o.municipality for o in organisations if o.municipality_id}
    unplaced = [o.pk for o in organisations if not o.municipality_id]
    if unplaced:
        named = defaultdict(Counter)
        for model in MODELS.values():
            rows = (
                visible(model.objects.filter(organisation_id__in=unplaced))
                .filter(municipalities__isnull=False)
                .values_list("organisation_id", "municipalities__code")
                .annotate(records=Count("translation_key", distinct=True))
                .order_by()
            )
            for organisation_id, code, records in rows:
                named[organisation_id][code] += records
        codes = {
            organisation_id: min(counts, key=lambda code: (-counts[code], code))
            for organisation_id, counts in named.items()
            if counts
        }
        by_code = Municipality.objects.in_bulk(set(codes.values()), field_name="code")
        homes.update({pk: by_code[code] for pk, code in codes.items()})
    return homes


def suggested_methods(organisation_ids, locale, limit=SUGGESTIONS_PER_ORGANISATION):
    """[Suggestions] for the organisations ``organisation_ids`` that have a kommun and
    something to suggest."""
    organisations = list(
        Organisation.objects.filter(pk__in=organisation_ids)
        .select_related("municipality")
        .order_by("name")
    )
    homes = home_municipalities(organisations)
    found = []
    for organisation in organisations:
        home = homes.get(organisation.pk)
        if home is None:
            continue
        like = like_mine(home, locale, limit=limit, kinds=("method",))
        if like.items:
            found.append(Suggestions(organisation, home, like.items))
    return found
