"""The platform's groups and what each may do, set up idempotently.

- **Platform coordinators** review and publish everything, lock pages, manage taxonomy and
  organisations, and approve in the "Coordinator review" workflow.
- **Translators** edit the pages of the translated (non-Swedish) trees and submit
  translations; they cannot touch Swedish source pages or publish. Translated pages share
  the source page's images and documents, so translators have no collections.
- **"<organisation> – redaktörer"** (one group per organisation) create and edit their
  organisation's practices, methods and reports, submit them for review, and use their
  organisation's collection of images and documents.

Every ``ensure_*`` function returns a list of what it changed (empty when nothing was
missing), so the management command can say whether a run changed anything.
"""

from django.conf import settings
from django.contrib.auth.models import Group, Permission
from django.contrib.contenttypes.models import ContentType
from wagtail.models import Collection, GroupCollectionPermission, GroupPagePermission, Page

from .scope import COORDINATORS, TRANSLATORS
from .workflow import ensure_review_workflow

# "app_label.codename" of the model permissions each group holds.
COORDINATOR_PERMISSIONS = [
    "wagtailadmin.access_admin",
    "wagtail_localize.submit_translation",
    *(
        f"practices.{action}_{model}"
        for model in (
            "organisation",
            "activitytype",
            "targetgroup",
            "indicator",
            "methodadoption",
        )
        for action in ("add", "change", "delete", "view")
    ),
    "practices.view_region",
    "practices.view_municipality",
]
TRANSLATOR_PERMISSIONS = ["wagtailadmin.access_admin", "wagtail_localize.submit_translation"]
# Editors record their organisation's use of other organisations' methods (reuse);
# reuse.permissions keeps them to their own organisations' records.
EDITOR_PERMISSIONS = [
    "wagtailadmin.access_admin",
    *(f"practices.{action}_methodadoption" for action in ("add", "change", "delete", "view")),
]

COORDINATOR_PAGE_ACTIONS = ["add", "change", "publish", "lock", "unlock", "bulk_delete"]
TRANSLATOR_PAGE_ACTIONS = ["change"]
# "add" only: ``permissions.OrganisationPagePermissionTester`` turns it into "change" on the
# organisation's own pages. Publishing goes through the review workflow.
EDITOR_PAGE_ACTIONS = ["add"]

MEDIA_MODELS = [("wagtailimages", "image"), ("wagtaildocs", "document")]
COORDINATOR_MEDIA_ACTIONS = ["add", "change", "choose", "delete"]
EDITOR_MEDIA_ACTIONS = ["add", "change", "choose"]


EDITORS_SUFFIX = " – redaktörer"


def editors_group_name(organisation_name):
    """The name of an organisation's editors' group, within ``Group.name``'s 150 characters.

    Not translated: it names a database row that is found by its name, in any language.
    """
    limit = Group._meta.get_field("name").max_length - len(EDITORS_SUFFIX)
    return organisation_name[:limit].rstrip() + EDITORS_SUFFIX


def _permission(app_label, codename):
    return Permission.objects.get(content_type__app_label=app_label, codename=codename)


def ensure_group(name):
    group, created = Group.objects.get_or_create(name=name)
    return group, ([f'group "{name}"'] if created else [])


def ensure_model_permissions(group, dotted_names):
    changes = []
    held = set(group.permissions.values_list("content_type__app_label", "codename").iterator())
    for dotted in dotted_names:
        app_label, codename = dotted.split(".", 1)
        if (app_label, codename) not in held:
            group.permissions.add(_permission(app_label, codename))
            changes.append(f'permission {dotted} for "{group.name}"')
    return changes


def ensure_page_permissions(group, page, actions):
    page_type = ContentType.objects.get_for_model(Page)
    changes = []
    for action in actions:
        permission = Permission.objects.get(content_type=page_type, codename=f"{action}_page")
        _obj, created = GroupPagePermission.objects.get_or_create(
            group=group, page=page, permission=permission
        )
        if created:
            changes.append(f'page permission {action} on "{page.title}" for "{group.name}"')
    return changes


def ensure_collection_permissions(group, collection, actions):
    changes = []
    for app_label, model in MEDIA_MODELS:
        for action in actions:
            _obj, created = GroupCollectionPermission.objects.get_or_create(
                group=group,
                collection=collection,
                permission=_permission(app_label, f"{action}_{model}"),
            )
            if created:
                changes.append(
                    f'{action} {model}s in collection "{collection.name}" for "{group.name}"'
                )
    return changes


def ensure_roles(tree):
    """Create the coordinators' and translators' groups and the review workflow.

    ``tree`` is ``home.site_tree.ensure_site_tree()``'s answer. Returns
    ``(coordinators, translators, changes)``.
    """
    root_page = Page.get_first_root_node()
    root_collection = Collection.get_first_root_node()

    coordinators, changes = ensure_group(COORDINATORS)
    changes += ensure_model_permissions(coordinators, COORDINATOR_PERMISSIONS)
    changes += ensure_page_permissions(coordinators, root_page, COORDINATOR_PAGE_ACTIONS)
    changes += ensure_collection_permissions(
        coordinators, root_collection, COORDINATOR_MEDIA_ACTIONS
    )

    translators, created = ensure_group(TRANSLATORS)
    changes += created
    changes += ensure_model_permissions(translators, TRANSLATOR_PERMISSIONS)
    for code, pages in tree.items():
        if code != settings.LANGUAGE_CODE:
            changes += ensure_page_permissions(translators, pages["home"], TRANSLATOR_PAGE_ACTIONS)

    changes += ensure_review_workflow(tree, coordinators)
    return coordinators, translators, changes


def content_index_pages(tree, language_code=None):
    """The practice, method and report index pages of one language (default: the source)."""
    pages = tree[language_code or settings.LANGUAGE_CODE]
    return [page for key, page in pages.items() if key != "home"]


def ensure_editors_access(organisation, tree):
    """The editors' group and collection of ``organisation``, with their permissions."""
    # An organisation renamed in the admin keeps its group (and the group's members).
    group = organisation.editors_group
    changes = []
    if group is None:
        name = editors_group_name(organisation.name)
        if Group.objects.filter(name=name, organisation__isnull=False).exists():
            # Long names cut to the same group name: tell them apart by the record's id.
            name = editors_group_name(f"{organisation.name[:120]} ({organisation.pk})")
        group, changes = ensure_group(name)
    changes += ensure_model_permissions(group, EDITOR_PERMISSIONS)
    for index_page in content_index_pages(tree):
        changes += ensure_page_permissions(group, index_page, EDITOR_PAGE_ACTIONS)

    collection = organisation.collection
    if collection is None:
        collection = Collection.get_first_root_node().add_child(name=organisation.name)
        changes.append(f'collection "{collection.name}"')
    changes += ensure_collection_permissions(group, collection, EDITOR_MEDIA_ACTIONS)

    if organisation.editors_group_id != group.pk or organisation.collection_id != collection.pk:
        organisation.editors_group = group
        organisation.collection = collection
        organisation.save(update_fields=["editors_group", "collection"])
    return changes
