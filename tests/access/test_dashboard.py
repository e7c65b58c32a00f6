"""The editors' dashboard panel: my organisation's drafts, pages in review, pages to check."""

from datetime import timedelta
from http import HTTPStatus

from django.test import TestCase, override_settings
from django.urls import reverse
from django.utils import timezone
from wagtail.models import Page

from organisations.dashboard import dashboard_sections
from organisations.workflow import review_workflow
from practices.models import MethodIndexPage, PracticeIndexPage, ReportIndexPage

from .world import build_world, make_practice


def titles(section):
    return {page.title for page in section.pages}


class TestDashboard(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.world = build_world()
        sunne, editor = cls.world.sunne, cls.world.users["sunne"]
        coordinator = cls.world.users["coordinator"]
        index = cls.world.index
        cls.stale = make_practice(index, sunne, editor, "Sunne old", True)
        long_ago = timezone.now() - timedelta(days=19 * 31)
        Page.objects.filter(pk=cls.stale.pk).update(
            last_published_at=long_ago, latest_revision_created_at=long_ago
        )
        cls.recent = make_practice(index, sunne, editor, "Sunne recent", True)

        cls.in_review = make_practice(index, sunne, editor, "Sunne in review", False)
        review_workflow().start(cls.in_review, editor)

        cls.needs_changes = make_practice(index, sunne, editor, "Sunne needs changes", False)
        state = review_workflow().start(cls.needs_changes, editor)
        task_state = state.current_task_state
        task_state.task.specific.on_action(
            task_state, coordinator, "reject", comment="Mer om resultaten, tack."
        )

    def test_sections_list_the_organisations_pages(self):
        sections = dashboard_sections(self.world.users["sunne"])

        assert titles(sections["drafts"]) == {"Sunne draft"}
        assert titles(sections["in_review"]) == {"Sunne in review"}
        assert titles(sections["needs_changes"]) == {"Sunne needs changes"}
        assert titles(sections["stale"]) == {"Sunne old"}
        assert sections["drafts"].total == 1

    def test_other_organisations_pages_are_not_listed(self):
        sections = dashboard_sections(self.world.users["hylte"])

        assert titles(sections["drafts"]) == {"Hylte draft"}
        listed = set().union(*(titles(section) for section in sections.values()))
        assert not any(title.startswith("Sunne") for title in listed)

    def test_review_period_follows_the_setting(self):
        with override_settings(CONTENT_REVIEW_AFTER_MONTHS=36):
            assert not dashboard_sections(self.world.users["sunne"])["stale"].pages
        later = timezone.now() + timedelta(days=19 * 31)
        stale = dashboard_sections(self.world.users["sunne"], now=later)["stale"]
        assert {"Sunne old", "Sunne recent", "Hylte live"} & titles(stale) == {
            "Sunne old",
            "Sunne recent",
        }

    def test_long_lists_are_cut_with_a_count(self):
        sections = dashboard_sections(self.world.users["coordinator"], limit=1)
        assert len(sections["drafts"].pages) == 1
        assert sections["drafts"].total == 2  # Sunne's and Hylte's drafts

    def test_panel_on_the_admin_dashboard(self):
        self.client.force_login(self.world.users["sunne"])
        response = self.client.get(reverse("wagtailadmin_home"))

        assert response.status_code == HTTPStatus.OK
        content = response.content.decode()
        assert 'id="organisation-pages-section"' in content
        for title in ("Sunne draft", "Sunne in review", "Sunne needs changes", "Sunne old"):
            assert title in content
        assert "Hylte draft" not in content
        edit_url = reverse("wagtailadmin_pages:edit", args=[self.stale.pk])
        assert f'href="{edit_url}"' in content

    def test_panel_not_shown_to_users_without_an_organisation(self):
        self.client.force_login(self.world.users["translator"])
        response = self.client.get(reverse("wagtailadmin_home"))
        assert 'id="organisation-pages-section"' not in response.content.decode()

    def test_new_page_actions_land_in_the_editor_under_the_right_index(self):
        self.client.force_login(self.world.users["sunne"])
        content = self.client.get(reverse("wagtailadmin_home")).content.decode()
        for model, index_model in [
            ("practicepage", PracticeIndexPage),
            ("methodpage", MethodIndexPage),
            ("projectreportpage", ReportIndexPage),
        ]:
            index = index_model.objects.get(locale__language_code="sv")
            url = reverse("wagtailadmin_pages:add", args=["practices", model, index.pk])
            assert f'href="{url}"' in content, model
            # The link opens the editor for that page type.
            assert self.client.get(url).status_code == HTTPStatus.OK
        # A translator cannot create pages: no such actions.
        self.client.force_login(self.world.users["translator"])
        content = self.client.get(reverse("wagtailadmin_home")).content.decode()
        assert "/pages/add/practices/" not in content

    def test_the_editors_guide_is_in_the_help_menu_in_swedish(self):
        self.client.force_login(self.world.users["sunne"])
        url = reverse("organisations_editors_guide")
        home = self.client.get(reverse("wagtailadmin_home")).content.decode()
        assert url in home  # the help menu's first item (the sidebar's JSON)
        assert "docs.wagtail.org" not in home and "guide.wagtail.org" not in home
        guide = self.client.get(url).content.decode()
        assert "Guide för redaktörer" in guide
        assert "Samordnarens granskning" in guide  # the review path, by the workflow's name
        index = PracticeIndexPage.objects.get(locale__language_code="sv")
        new_practice = reverse(
            "wagtailadmin_pages:add", args=["practices", "practicepage", index.pk]
        )
        assert f'href="{new_practice}"' in guide
