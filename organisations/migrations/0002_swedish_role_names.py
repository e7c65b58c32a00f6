"""The platform's groups, review workflow and task named in Swedish, the admin's language.

"Platform coordinators" → "Plattformssamordnare", "Translators" → "Översättare",
"<organisation> – editors" → "<organisation> – redaktörer", the "Coordinator review" workflow
→ "Samordnarens granskning" and its "Coordinator approval" task → "Samordnarens godkännande".
Members, permissions and review history stay with the renamed rows. A name already taken (a
site that made the Swedish group by hand) is left as it is.
"""

from django.db import migrations

GROUPS = {"Platform coordinators": "Plattformssamordnare", "Translators": "Översättare"}
OLD_SUFFIX, NEW_SUFFIX = " – editors", " – redaktörer"
WORKFLOWS = {"Coordinator review": "Samordnarens granskning"}
TASKS = {"Coordinator approval": "Samordnarens godkännande"}


def rename(model, old, new):
    if not model.objects.filter(name=new).exists():
        model.objects.filter(name=old).update(name=new)


def forwards(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    for old, new in GROUPS.items():
        rename(Group, old, new)
    Organisation = apps.get_model("practices", "Organisation")
    for organisation in Organisation.objects.exclude(editors_group=None):
        name = organisation.editors_group.name
        if name.endswith(OLD_SUFFIX):
            rename(Group, name, name.removesuffix(OLD_SUFFIX) + NEW_SUFFIX)
    Workflow = apps.get_model("wagtailcore", "Workflow")
    Task = apps.get_model("wagtailcore", "Task")
    for old, new in WORKFLOWS.items():
        rename(Workflow, old, new)
    for old, new in TASKS.items():
        rename(Task, old, new)


def backwards(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    for old, new in GROUPS.items():
        rename(Group, new, old)
    Organisation = apps.get_model("practices", "Organisation")
    for organisation in Organisation.objects.exclude(editors_group=None):
        name = organisation.editors_group.name
        if name.endswith(NEW_SUFFIX):
            rename(Group, name, name.removesuffix(NEW_SUFFIX) + OLD_SUFFIX)
    Workflow = apps.get_model("wagtailcore", "Workflow")
    Task = apps.get_model("wagtailcore", "Task")
    for old, new in WORKFLOWS.items():
        rename(Workflow, new, old)
    for old, new in TASKS.items():
        rename(Task, new, old)


class Migration(migrations.Migration):
    dependencies = [
        ("organisations", "0001_remove_wagtail_default_roles"),
        ("practices", "0006_indicator_vocabulary"),
        ("wagtailcore", "0098_apitoken"),
    ]

    operations = [migrations.RunPython(forwards, backwards)]
