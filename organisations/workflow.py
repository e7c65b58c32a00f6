"""The "Coordinator review" workflow: editors submit, coordinators approve or ask for changes.

One ``GroupApprovalTask`` for the platform coordinators, assigned to the practice, method and
report index pages of every language, so it applies to every page below them (translations
too). Wagtail then keeps unapproved changes out of the live site and emails the people
involved (see ``WAGTAILADMIN_NOTIFICATION_*`` in the settings).
"""

from wagtail.models import GroupApprovalTask, Workflow, WorkflowPage, WorkflowTask

# In the platform's language, as the admin is (migration organisations/0002 renamed them).
WORKFLOW_NAME = "Samordnarens granskning"
TASK_NAME = "Samordnarens godkännande"


def review_workflow():
    return Workflow.objects.filter(name=WORKFLOW_NAME).first()


def ensure_review_workflow(tree, coordinators):
    changes = []
    workflow, created = Workflow.objects.get_or_create(name=WORKFLOW_NAME)
    if created:
        changes.append(f'workflow "{WORKFLOW_NAME}"')
    elif not workflow.active:
        workflow.active = True
        workflow.save(update_fields=["active"])
        changes.append(f'workflow "{WORKFLOW_NAME}" reactivated')

    task = GroupApprovalTask.objects.filter(name=TASK_NAME).first()
    if task is None:
        task = GroupApprovalTask.objects.create(name=TASK_NAME)
        changes.append(f'task "{TASK_NAME}"')
    if not task.groups.filter(pk=coordinators.pk).exists():
        task.groups.add(coordinators)
        changes.append(f'"{coordinators.name}" approve "{TASK_NAME}"')
    _link, created = WorkflowTask.objects.get_or_create(
        workflow=workflow, task=task, defaults={"sort_order": 0}
    )
    if created:
        changes.append(f'task "{TASK_NAME}" in workflow "{WORKFLOW_NAME}"')

    for pages in tree.values():
        for key, page in pages.items():
            if key == "home":
                continue
            assignment = WorkflowPage.objects.filter(page=page).first()
            if assignment is None or assignment.workflow_id != workflow.pk:
                WorkflowPage.objects.update_or_create(page=page, defaults={"workflow": workflow})
                changes.append(f'workflow "{WORKFLOW_NAME}" on "{page.title}" ({page.locale})')
    return changes


def approved_and_published(request, page):
    """True when this edit request was a reviewer's approval that ended the review and put
    the page live (Wagtail's edit view then says only that the page "has been updated")."""
    if not request.POST.get("action-workflow-action"):
        return False
    if request.POST.get("workflow-action-name") != "approve":
        return False
    fresh = type(page).objects.get(pk=page.pk)
    return fresh.live and not fresh.workflow_in_progress and not fresh.has_unpublished_changes
