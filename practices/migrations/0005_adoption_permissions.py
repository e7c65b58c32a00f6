"""Give the coordinators' and the organisations' editors' groups the adoption permissions.

Organisations' editors record their own organisation's use of a method; coordinators manage
every adoption. Idempotent: groups that already hold a permission keep it once. Groups created
later get the permissions from ``organisations.roles``.
"""

from django.contrib.auth.management import create_permissions
from django.db import migrations

CODENAMES = [f"{action}_methodadoption" for action in ("add", "change", "delete", "view")]
COORDINATORS = "Platform coordinators"


def grant(apps, schema_editor):
    # Permissions are normally created after all migrations; this one needs them now. The
    # historical app config has no models module, which ``create_permissions`` checks for.
    app_config = apps.get_app_config("practices")
    models_module = getattr(app_config, "models_module", None)
    app_config.models_module = models_module or True
    try:
        create_permissions(app_config, apps=apps, verbosity=0)
    finally:
        app_config.models_module = models_module
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    permissions = list(
        Permission.objects.filter(content_type__app_label="practices", codename__in=CODENAMES)
    )
    groups = Group.objects.filter(organisation__isnull=False) | Group.objects.filter(
        name=COORDINATORS
    )
    for group in groups.distinct():
        group.permissions.add(*permissions)


def revoke(apps, schema_editor):
    Permission = apps.get_model("auth", "Permission")
    Permission.objects.filter(content_type__app_label="practices", codename__in=CODENAMES).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("practices", "0004_method_adoption"),
    ]

    operations = [migrations.RunPython(grant, revoke)]
