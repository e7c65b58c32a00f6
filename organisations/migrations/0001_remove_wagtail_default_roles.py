"""Remove what Wagtail's own first migrations set up and the platform does not use.

Wagtail creates an "Editors" group (which may edit every page, beside the platform's
organisation editors), a "Moderators" group and a "Moderators approval" workflow on the root
page. The platform's roles are the Platform coordinators, the Translators and one editors'
group per organisation (``organisations.roles``), reviewing in "Coordinator review"
(``organisations.workflow``). So:

- the two groups are **deleted** when nobody is a member (a site that put people in them keeps
  them, for an administrator to move the people first);
- the workflow and its task are **deleted** when no page was ever reviewed in them, otherwise
  **deactivated** (the review history stays readable).
"""

from django.conf import settings
from django.db import migrations

WAGTAIL_GROUPS = ("Editors", "Moderators")
WAGTAIL_WORKFLOW = "Moderators approval"


def remove(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    User = apps.get_model(*settings.AUTH_USER_MODEL.split("."))
    Workflow = apps.get_model("wagtailcore", "Workflow")
    WorkflowState = apps.get_model("wagtailcore", "WorkflowState")
    Task = apps.get_model("wagtailcore", "Task")
    TaskState = apps.get_model("wagtailcore", "TaskState")
    for group in Group.objects.filter(name__in=WAGTAIL_GROUPS):
        if not User.objects.filter(groups=group).exists():
            group.delete()
    for model, states in ((Workflow, WorkflowState), (Task, TaskState)):
        for item in model.objects.filter(name=WAGTAIL_WORKFLOW):
            used = states.objects.filter(**{model._meta.model_name: item}).exists()
            if used:
                item.active = False
                item.save(update_fields=["active"])
            else:
                item.delete()

class Migration(migrations.Migration):
    dependencies = [
        ("auth", "0012_alter_user_first_name_max_length"),
        ("wagtailcore", "0098_apitoken"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [migrations.RunPython(remove, migrations.RunPython.noop)]
