"""Who may record, change and remove method adoptions.

An adoption belongs to the adopting organisation. Anyone acting on adoptions needs the model
permissions (``ADOPTION_PERMISSIONS``, held by the coordinators' and every organisation's
editors' group); on top of that, an organisation editor acts only on their own
organisations' adoptions. Coordinators and superusers act on all of them.
"""

from django.contrib.auth.models import Permission
from wagtail.permission_policies import ModelPermissionPolicy

from organisations.scope import is_coordinator, organisation_ids
from practices.models import MethodAdoption

# "app_label.codename" of the model permissions the editors' and coordinators' groups hold.
ADOPTION_PERMISSIONS = [
    f"practices.{action}_methodadoption" for action in ("add", "change", "delete", "view")
]


def grant_adoption_permissions(group):
    """Give ``group`` the adoption permissions (idempotent)."""
    codenames = [dotted.split(".", 1)[1] for dotted in ADOPTION_PERMISSIONS]
    group.permissions.add(
        *Permission.objects.filter(content_type__app_label="practices", codename__in=codenames)
    )


def sees_all_adoptions(user):
    return is_coordinator(user)


def adoptions_for_user(user):
    """The adoptions ``user`` may see and manage: their organisations' (all for coordinators)."""
    adoptions = MethodAdoption.objects.all()
    if sees_all_adoptions(user):
        return adoptions
    return adoptions.filter(organisation__in=organisation_ids(user))


def may_manage(user, adoption):
    """Whether ``adoption`` belongs to an organisation ``user`` works for (or is a coordinator)."""
    return sees_all_adoptions(user) or adoption.organisation_id in organisation_ids(user)


class AdoptionPermissionPolicy(ModelPermissionPolicy):
    """Model permissions, limited to the user's own organisations' adoptions."""

    def user_has_permission_for_instance(self, user, action, instance):
        return self.user_has_permission(user, action) and may_manage(user, instance)

    def instances_user_has_any_permission_for(self, user, actions):
        if not self.user_has_any_permission(user, actions):
            return self.model.objects.none()
        return adoptions_for_user(user)
