"""Page rights that follow the organisation, not just the folder.

Organisation editors hold "add" on the practice, method and report index pages (see
``roles``). Wagtail would let them edit only the pages they created themselves, and
everything below a page they hold "change" on. We want neither: an editor of Sunne edits every
page that belongs to Sunne, whoever created it, and nothing that belongs to Hylte, even a page
they once created. ``OrganisationPagePermissionTester`` does that on top of Wagtail's tester:

- on a page of one of the user's organisations, "add" on an ancestor also grants "change";
- on any other page, the user's page rights (add, change, publish, lock, unlock, bulk delete)
  do not apply. Editing, deleting, moving, copying, publishing, locking, previewing the draft,
  viewing revisions and submitting for review are then refused.

Coordinators and superusers are not limited. Translators keep their rights on pages outside
the source language (their rights are granted on those trees only).

Every admin view asks ``page.permissions_for_user(user)`` before acting, so direct URLs are
refused, not just hidden (Wagtail answers with a redirect to the dashboard and a "no
permission" message, or 403 to script requests); ``ContentPage.permissions_for_user``
returns this tester.
"""

from django.conf import settings
from wagtail.models import PagePermissionTester
from wagtail.permission_policies.pages import PagePermissionPolicy

from .scope import (
    content_pages,
    is_organisation_scoped,
    is_source_locale,
    is_translator,
    organisation_ids,
)

# The rights that come from the page tree and are withheld on other organisations' pages.
TREE_ACTIONS = frozenset({"add", "change", "publish", "lock", "unlock", "bulk_delete"})


def belongs_to_user(page, user):
    """Whether ``page`` belongs to one of the organisations ``user`` edits for."""
    return page.organisation_id is not None and page.organisation_id in organisation_ids(user)


def is_foreign(page, user):
    """Whether ``user``'s page rights stop at ``page`` (see the module docstring)."""
    if not is_organisation_scoped(user):
        return False
    if is_translator(user) and not is_source_locale(page):
        return False
    return not belongs_to_user(page, user)


def keep_organisation_current(page):
    """Make the organisation chosen in the page's latest draft decide access at once.

    Wagtail keeps an unpublished change in a revision and shows it in the editor, while
    listings read the page record; the organisation is ownership, not content, so when a
    coordinator hands a page to another organisation both must agree straight away.
    """
    if page.pk is None or not hasattr(page, "organisation_id"):
        return False
    organisation_id = page.organisation_id
    return bool(
        type(page)
        .objects.filter(pk=page.pk)
        .exclude(organisation_id=organisation_id)
        .update(organisation_id=organisation_id)
    )


def hidden_drafts(user):
    """Unpublished pages of other organisations, which the user must not even see listed."""
    if not is_organisation_scoped(user):
        return content_pages().none()
    drafts = (
        content_pages()
        .filter(live=False)
        .exclude(pk__in=content_pages(organisation_ids(user)).values("pk"))
    )
    if is_translator(user):
        drafts = drafts.filter(locale__language_code=settings.LANGUAGE_CODE)
    return drafts


class OrganisationPagePermissionTester(PagePermissionTester):
    def __init__(self, user, page):
        super().__init__(user, page)
        self.foreign = False
        if not user.is_active or user.is_superuser:
            # Wagtail leaves ``permissions`` unset here, which breaks ``can_lock()`` for
            # anonymous visitors; an empty set answers "no" everywhere it is consulted.
            self.permissions = set()
            return
        if is_foreign(page, user):
            self.foreign = True
            self.permissions = self.permissions - TREE_ACTIONS
        elif "add" in self.permissions and is_organisation_scoped(user):
            self.permissions = self.permissions | {"change"}

    def can_view_revisions(self):
        return super().can_view_revisions() and (self.can_edit() or self.can_publish())

    def can_submit_for_moderation(self):
        return super().can_submit_for_moderation() and self.can_edit()

    def can_unlock(self):
        if self.foreign and not self.page.current_workflow_task:
            return False
        return super().can_unlock()


class OrganisationPagePermissionPolicy(PagePermissionPolicy):
    """Wagtail's page policy, minus other organisations' drafts in what a user may explore.

    ``explorable_instances`` feeds the explorer, the admin page search and the move chooser,
    so an editor of Sunne does not even find the titles of Hylte's unpublished pages there.
    Registered for all pages in ``hooks``.
    """

    def explorable_instances(self, user):
        pages = super().explorable_instances(user)
        return pages.exclude(pk__in=hidden_drafts(user).values("pk"))
