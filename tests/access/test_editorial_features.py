"""Revision compare, scheduled publishing, page locking and editor comments are on."""

from datetime import timedelta
from http import HTTPStatus
from unittest import mock

from django.core.management import call_command
from django.test import TestCase
from django.urls import reverse
from django.utils import timezone
from wagtail.models import Comment, Page

from .forms import edit_form_data, post_edit
from .world import build_world


def latest(page):
    return Page.objects.get(pk=page.pk).specific


class EditorialTestCase(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.world = build_world()

    def as_user(self, actor):
        self.client.force_login(self.world.users[actor])
        return self.client


class TestRevisionCompare(EditorialTestCase):
    def test_coordinator_compares_revisions(self):
        page = self.world.pages["hylte_live"]
        post_edit(self.as_user("hylte"), page, title="Hylte live, reworded")
        url = reverse("wagtailadmin_pages:revisions_compare", args=[page.pk, "live", "latest"])

        response = self.as_user("coordinator").get(url)

        assert response.status_code == HTTPStatus.OK
        content = response.content.decode()
        assert "Hylte live" in content and "reworded" in content
        # The history lists both revisions.
        history = self.client.get(reverse("wagtailadmin_pages:history", args=[page.pk]))
        assert history.status_code == HTTPStatus.OK

    def test_other_organisation_cannot_compare(self):
        page = self.world.pages["hylte_live"]
        post_edit(self.as_user("hylte"), page, title="Hylte live, reworded")
        url = reverse("wagtailadmin_pages:revisions_compare", args=[page.pk, "live", "latest"])

        response = self.as_user("sunne").get(url)

        assert response.status_code == HTTPStatus.FOUND
        assert response["Location"] == reverse("wagtailadmin_home")


class TestScheduledPublishing(EditorialTestCase):
    def test_page_goes_live_when_its_time_comes(self):
        page = self.world.pages["sunne_draft"]
        go_live_at = timezone.localtime() + timedelta(days=2)

        post_edit(
            self.as_user("coordinator"),
            page,
            "publish",
            go_live_at=go_live_at.strftime("%Y-%m-%d %H:%M"),
        )

        page = latest(page)
        assert not page.live
        revision = page.latest_revision
        assert revision.approved_go_live_at is not None

        call_command("publish_scheduled")
        assert not latest(page).live  # not yet

        three_days_later = timezone.now() + timedelta(days=3)
        with mock.patch("django.utils.timezone.now", return_value=three_days_later):
            call_command("publish_scheduled")
        assert latest(page).live


class TestLocking(EditorialTestCase):
    def test_locked_page_cannot_be_edited_by_another_editor(self):
        page = self.world.pages["hylte_live"]
        response = self.as_user("coordinator").post(
            reverse("wagtailadmin_pages:lock", args=[page.pk])
        )
        assert response.status_code == HTTPStatus.FOUND
        assert latest(page).locked

        editor = self.world.users["hylte"]
        perms = latest(page).permissions_for_user(editor)
        assert perms.page_locked()
        assert not perms.can_unlock()
        assert not perms.can_submit_for_moderation()

        post_edit(self.as_user("hylte"), page, title="Edited while locked")
        assert latest(page).get_latest_revision_as_object().title == "Hylte live"

        # Editors cannot lock or unlock; the coordinator unlocks and editing works again.
        response = self.as_user("hylte").post(reverse("wagtailadmin_pages:unlock", args=[page.pk]))
        assert latest(page).locked
        self.as_user("coordinator").post(reverse("wagtailadmin_pages:unlock", args=[page.pk]))
        assert not latest(page).locked
        post_edit(self.as_user("hylte"), page, title="Edited after unlock")
        assert latest(page).get_latest_revision_as_object().title == "Edited after unlock"

    def test_editors_cannot_lock(self):
        page = self.world.pages["hylte_live"]
        response = self.as_user("hylte").post(reverse("wagtailadmin_pages:lock", args=[page.pk]))
        assert response["Location"] == reverse("wagtailadmin_home")
        assert not latest(page).locked


class TestComments(EditorialTestCase):
    def test_coordinator_comments_and_editor_sees_it(self):
        page = self.world.pages["sunne_draft"]
        client = self.as_user("coordinator")
        data = edit_form_data(client, page)
        data.update(
            {
                "comments-TOTAL_FORMS": "1",
                "comments-INITIAL_FORMS": "0",
                "comments-0-id": "",
                "comments-0-contentpath": "summary",
                "comments-0-position": "",
                "comments-0-text": "Kan ni lägga till resultat i siffror?",
                "comments-0-resolved": "",
                "comments-0-replies-TOTAL_FORMS": "0",
                "comments-0-replies-INITIAL_FORMS": "0",
                "comments-0-replies-MIN_NUM_FORMS": "0",
                "comments-0-replies-MAX_NUM_FORMS": "1000",
            }
        )
        response = client.post(reverse("wagtailadmin_pages:edit", args=[page.pk]), data)
        assert response.status_code == HTTPStatus.FOUND

        comment = Comment.objects.get(page=page)
        assert comment.user == self.world.users["coordinator"]
        assert comment.contentpath == "summary"

        response = self.as_user("sunne").get(reverse("wagtailadmin_pages:edit", args=[page.pk]))
        assert "resultat i siffror" in response.content.decode()
        # Hylte's editors cannot open the page, so they cannot read its comments either.
        response = self.as_user("hylte").get(reverse("wagtailadmin_pages:edit", args=[page.pk]))
        assert "resultat i siffror" not in response.content.decode()
