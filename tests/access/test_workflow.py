"""Coordinator review: editors submit, coordinators approve or ask for changes, people are
told by email, and only approved content goes live."""

from http import HTTPStatus

from django.core import mail
from django.test import TestCase
from django.urls import reverse
from wagtail.models import Page, WorkflowState

from .forms import edit_form_data, post_edit
from .world import build_world


def latest(page):
    return Page.objects.get(pk=page.pk).specific


def workflow_action_url(page, action):
    state = latest(page).current_workflow_state
    task_state = state.current_task_state
    return reverse("wagtailadmin_pages:workflow_action", args=[page.pk, action, task_state.pk])


class TestReviewWorkflow(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.world = build_world()

    def setUp(self):
        self.page = self.world.pages["sunne_draft"]
        self.editor = self.world.users["sunne"]
        self.coordinator = self.world.users["coordinator"]

    def as_user(self, user):
        self.client.force_login(user)
        return self.client

    def test_submit_request_changes_resubmit_approve_live(self):
        # The editor submits.
        response = post_edit(
            self.as_user(self.editor), self.page, "submit", title="Språkcafé i Sunne"
        )
        assert response.status_code == HTTPStatus.FOUND, response.content.decode()[:2000]
        page = latest(self.page)
        assert page.current_workflow_state.status == WorkflowState.STATUS_IN_PROGRESS
        assert not page.live
        submitted = [m for m in mail.outbox if self.coordinator.email in m.to]
        assert submitted, "the coordinators are told about the submission"
        assert "Språkcafé i Sunne" in submitted[0].subject + submitted[0].body
        mail.outbox.clear()

        # The coordinator asks for changes, with a comment.
        response = self.as_user(self.coordinator).post(
            workflow_action_url(self.page, "reject"),
            {"comment": "Lägg till antal deltagare, tack."},
        )
        assert response.status_code in (HTTPStatus.OK, HTTPStatus.FOUND)
        page = latest(self.page)
        state = page.workflow_states.order_by("-created_at").first()
        assert state.status == WorkflowState.STATUS_NEEDS_CHANGES
        assert state.current_task_state.comment == "Lägg till antal deltagare, tack."
        assert not page.live
        told = [m for m in mail.outbox if self.editor.email in m.to]
        assert told, "the editor is told that changes were requested"
        assert "Lägg till antal deltagare, tack." in told[0].body
        mail.outbox.clear()

        # The editor changes the page and submits again: the same workflow resumes.
        response = post_edit(
            self.as_user(self.editor),
            self.page,
            "submit",
            title="Språkcafé i Sunne",
            summary="Träffar där 40 nyanlända övar svenska med volontärer.",
        )
        assert response.status_code == HTTPStatus.FOUND
        page = latest(self.page)
        assert page.current_workflow_state.pk == state.pk
        assert page.current_workflow_state.status == WorkflowState.STATUS_IN_PROGRESS
        assert not page.live
        mail.outbox.clear()

        # The coordinator approves: the page goes live with the approved text.
        response = self.as_user(self.coordinator).post(
            workflow_action_url(self.page, "approve"), {"comment": ""}
        )
        assert response.status_code in (HTTPStatus.OK, HTTPStatus.FOUND)
        page = latest(self.page)
        assert page.live
        assert page.current_workflow_state is None
        assert page.title == "Språkcafé i Sunne"
        assert "40 nyanlända" in page.summary
        approved = [m for m in mail.outbox if self.editor.email in m.to]
        assert approved, "the editor is told that the page was approved"

        self.client.logout()
        assert self.client.get(page.url).status_code == HTTPStatus.OK

    def test_approving_in_the_editor_says_the_page_is_published(self):
        post_edit(self.as_user(self.editor), self.page, "submit", title="Språkcafé i Sunne")
        client = self.as_user(self.coordinator)
        data = edit_form_data(client, self.page)
        data.update({"action-workflow-action": "true", "workflow-action-name": "approve"})
        response = client.post(
            reverse("wagtailadmin_pages:edit", args=[self.page.pk]), data, follow=True
        )
        assert latest(self.page).live
        shown = [str(message) for message in response.context["messages"]]
        assert shown == ["”Språkcafé i Sunne” är godkänd och publicerad."], shown  # Swedish admin

    def test_saving_a_draft_keeps_wagtails_message(self):
        client = self.as_user(self.editor)
        response = post_edit(client, self.page, title="Språkcafé i Sunne")
        assert response.status_code == HTTPStatus.FOUND
        shown = [str(m) for m in client.get(response["Location"]).context["messages"]]
        assert not any("published" in message for message in shown), shown

    def test_editor_cannot_publish_without_review(self):
        live_page = self.world.pages["hylte_live"]
        editor = self.world.users["hylte"]
        # Without the right to publish, "publish" only saves a draft.
        post_edit(self.as_user(editor), live_page, "publish", title="Rushed")

        page = latest(live_page)
        assert page.title == "Hylte live"
        assert page.has_unpublished_changes
        assert page.get_latest_revision_as_object().title == "Rushed"
        self.client.logout()
        assert "Rushed" not in self.client.get(page.url).content.decode()

    def test_other_organisation_cannot_review(self):
        post_edit(self.as_user(self.editor), self.page, "submit")
        hylte = self.world.users["hylte"]
        url = workflow_action_url(self.page, "approve")
        response = self.as_user(hylte).post(url, {"comment": ""})
        assert response.status_code in (HTTPStatus.FOUND, HTTPStatus.FORBIDDEN)
        assert not latest(self.page).live
        # Nor can the editor approve their own submission.
        self.as_user(self.editor).post(url, {"comment": ""})
        assert not latest(self.page).live
        assert latest(self.page).current_workflow_state.status == WorkflowState.STATUS_IN_PROGRESS

    def test_workflow_applies_to_every_content_type_and_language(self):
        for name in ("sunne_draft", "hylte_live", "hylte_live_en"):
            workflow = latest(self.world.pages[name]).get_workflow()
            assert workflow is not None and workflow.name == "Samordnarens granskning"
