"""Set up an organisation with everything it needs to publish: the service behind
``manage.py create_organisation``.

``set_up_organisation`` is idempotent: it creates what is missing, corrects what differs from
the arguments, and reports each change; a second run with the same arguments reports none.
"""

from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.db import transaction
from django.utils.translation import gettext as _

from practices.models import Municipality, Organisation, Region

from .roles import ensure_editors_access, ensure_roles


class OrganisationSetupError(ValueError):
    """Bad input: nothing was written. The message says what to correct."""


@dataclass
class SetupResult:
    organisation: Organisation
    created: bool
    changes: list = field(default_factory=list)


def _clean_name(name):
    name = " ".join((name or "").split())
    if not name:
        raise OrganisationSetupError(_("The organisation needs a name."))
    if len(name) > Organisation._meta.get_field("name").max_length:
        raise OrganisationSetupError(
            _("The name is too long: at most %(limit)d characters.")
            % {"limit": Organisation._meta.get_field("name").max_length}
        )
    return name


def _clean_kind(kind):
    if kind not in Organisation.Kind.values:
        raise OrganisationSetupError(
            _('Unknown kind "%(kind)s". Choose one of: %(choices)s.')
            % {"kind": kind, "choices": ", ".join(Organisation.Kind.values)}
        )
    return kind


def _find_municipality(code):
    if not code:
        return None
    municipality = Municipality.objects.select_related("region").filter(code=code).first()
    if municipality is None:
        raise OrganisationSetupError(
            _(
                'Unknown municipality code "%(code)s". Municipality codes have four digits, '
                "for example 1766 for Sunne."
            )
            % {"code": code}
        )
    return municipality


def _find_region(code):
    if not code:
        return None
    region = Region.objects.filter(code=code).first()
    if region is None:
        raise OrganisationSetupError(
            _(
                'Unknown region code "%(code)s". Region codes have two digits, '
                "for example 17 for Värmland."
            )
            % {"code": code}
        )
    return region


def clean_arguments(name, kind, municipality_code=None, region_code=None, website=""):
    """Validate everything before anything is written; return the organisation's fields."""
    name = _clean_name(name)
    kind = _clean_kind(kind)
    municipality = _find_municipality(municipality_code)
    region = _find_region(region_code)
    if municipality and region and municipality.region_id != region.pk:
        raise OrganisationSetupError(
            _("%(municipality)s is in %(actual)s, not in %(region)s.")
            % {"municipality": municipality, "actual": municipality.region, "region": region}
        )
    if kind == Organisation.Kind.MUNICIPALITY and municipality is None:
        raise OrganisationSetupError(
            _("A municipality needs its municipality code (--municipality).")
        )
    if kind == Organisation.Kind.REGION and region is None:
        raise OrganisationSetupError(_("A region needs its region code (--region)."))
    if municipality and region is None:
        region = municipality.region
    if website:
        try:
            URLValidator(schemes=["http", "https"])(website)
        except ValidationError as error:
            raise OrganisationSetupError(
                _(
                    '"%(website)s" is not a website address. Write it in full, for example '
                    "https://sunne.se."
                )
                % {"website": website}
            ) from error
    return {
        "name": name,
        "kind": kind,
        "municipality": municipality,
        "region": region,
        "website": website or "",
    }


@transaction.atomic
def set_up_organisation(tree, name, kind, municipality_code=None, region_code=None, website=""):
    """Create or update the organisation, its editors' group, collection and permissions,
    and the platform's roles and review workflow. Raises ``OrganisationSetupError``.

    ``tree`` is the site tree (``home.site_tree.ensure_site_tree()``): editors get their rights
    on its index pages.
    """
    values = clean_arguments(name, kind, municipality_code, region_code, website)
    _coordinators, _translators, changes = ensure_roles(tree)

    # The same organisation whatever the case of its name: "Sunne Kommun" is "Sunne kommun".
    organisation = Organisation.objects.filter(name__iexact=values["name"]).first()
    created = organisation is None
    if created:
        organisation = Organisation.objects.create(**values)
        changes.append(f'organisation "{organisation.name}"')
    else:
        # What the arguments leave out (a region, a website) keeps its recorded value.
        differing = [
            key
            for key, value in values.items()
            if key != "name" and value and getattr(organisation, key) != value
        ]
        for key in differing:
            setattr(organisation, key, values[key])
        if differing:
            organisation.save(update_fields=differing)
            changes.append(f'organisation "{organisation.name}": {", ".join(differing)}')

    changes += ensure_editors_access(organisation, tree)
    return SetupResult(organisation=organisation, created=created, changes=changes)
