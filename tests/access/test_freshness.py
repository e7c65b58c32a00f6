"""How fresh a page is: its owner confirms it is still current from the dashboard with one
click (no new revision), readers see the date, pages checked by nobody for 24 months say so,
and search sorts and filters by it."""

from datetime import date, timedelta
from http import HTTPStatus

from django.test import TestCase
from django.urls import reverse
from django.utils import timezone
from wagtail.models import Page

from organisations.dashboard import dashboard_sections
from practices import freshness
from practices.models import PracticePage
from search import catalogue, facets, service
from search.params import SearchParams

from .world import build_world, make_practice

THREE_YEARS = timedelta(days=3 * 365)
STALE_NOTICE = "notice--stale"


def age(page, delta):
    """Make ``page`` (all its translations) look published ``delta`` ago, as search sees it
    too."""
    then = timezone.now() - delta
    Page.objects.filter(translation_key=page.translation_key).update(
        last_published_at=then, latest_revision_created_at=then, first_published_at=then
    )
    facets.sync_records([page.translation_key])


class TestFreshness(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.world = build_world()
        cls.page = cls.world.pages["hylte_live"]  # with an English translation
        cls.english = cls.world.pages["hylte_live_en"]
        age(cls.page, THREE_YEARS)

    def setUp(self):
        self.page.refresh_from_db()

    def sign_in(self, who):
        self.client.force_login(self.world.users[who])

    def confirm(self, page=None):
        return self.client.post(
            reverse("organisations_still_current", args=[(page or self.page).pk])
        )

    def test_confirming_dates_every_translation_without_a_new_revision(self):
        revisions = self.page.revisions.count()
        published = self.page.last_published_at
        day = freshness.mark_reviewed(self.page, date(2026, 11, 2))
        for page in (self.page, self.english):
            page.refresh_from_db()
            assert page.last_reviewed == day
        assert self.page.revisions.count() == revisions
        assert self.page.last_published_at == published
        assert not self.page.has_unpublished_changes

    def test_the_confirmation_survives_the_next_publication(self):
        freshness.mark_reviewed(self.page, date(2026, 11, 2))
        self.page.refresh_from_db()
        self.page.summary = "Ändrad sammanfattning."
        self.page.save_revision().publish()
        self.page.refresh_from_db()
        assert self.page.summary == "Ändrad sammanfattning."
        assert self.page.last_reviewed == date(2026, 11, 2)

    def test_readers_are_told_when_nobody_has_checked_for_two_years(self):
        response = self.client.get(self.page.url)
        assert STALE_NOTICE in response.content.decode()
        freshness.mark_reviewed(self.page)
        response = self.client.get(self.page.url)
        html = response.content.decode()
        assert STALE_NOTICE not in html
        assert "Senast granskad av ägaren" in html
        assert timezone.localdate().isoformat() in html  # <time datetime="…">
        english = self.client.get(self.english.url).content.decode()
        assert "Last reviewed by the owner" in english

    def test_a_recent_update_is_a_check_too(self):
        age(self.page, timedelta(days=30))
        self.page.refresh_from_db()
        assert not freshness.is_stale(self.page)
        assert STALE_NOTICE not in self.client.get(self.page.url).content.decode()

    def test_still_current_from_the_dashboard(self):
        self.sign_in("hylte")
        user = self.world.users["hylte"]
        stale = {page.pk for page in dashboard_sections(user)["stale"].pages}
        assert self.page.pk in stale
        dashboard = self.client.get(reverse("wagtailadmin_home")).content.decode()
        assert reverse("organisations_still_current", args=[self.page.pk]) in dashboard

        response = self.confirm()
        assert response.status_code == HTTPStatus.FOUND
        self.page.refresh_from_db()
        assert self.page.last_reviewed == timezone.localdate()
        stale = {page.pk for page in dashboard_sections(user)["stale"].pages}
        assert self.page.pk not in stale
        messages = self.client.get(reverse("wagtailadmin_home")).content.decode()
        assert "bekräftad som fortfarande aktuell" in messages

    def test_only_the_owner_or_a_coordinator_can_confirm(self):
        self.sign_in("sunne")
        refused = self.confirm()  # Wagtail's admin answers "no permission" with a redirect
        assert refused.status_code == HTTPStatus.FOUND
        self.page.refresh_from_db()
        assert self.page.last_reviewed is None
        self.sign_in("coordinator")
        assert self.confirm().status_code == HTTPStatus.FOUND
        self.page.refresh_from_db()
        assert self.page.last_reviewed == timezone.localdate()

    def test_a_get_or_a_draft_confirms_nothing(self):
        self.sign_in("hylte")
        url = reverse("organisations_still_current", args=[self.page.pk])
        assert self.client.get(url).status_code == HTTPStatus.METHOD_NOT_ALLOWED
        draft = self.world.pages["hylte_draft"]
        response = self.confirm(draft)
        assert response.status_code == HTTPStatus.FOUND
        draft.refresh_from_db()
        assert draft.last_reviewed is None
        home = self.client.get(reverse("wagtailadmin_home")).content.decode()
        assert "Bara ett publicerat" in home

    def test_search_sorts_and_filters_by_when_it_was_checked(self):
        recent = PracticePage.objects.get(pk=self.page.pk)
        world = self.world
        other = make_practice(world.index, world.sunne, world.users["sunne"], "Sunne live", True)
        age(other, timedelta(days=400))
        with self.captureOnCommitCallbacks(execute=True):  # search hears of it on commit
            freshness.mark_reviewed(recent)  # three years old, confirmed today
        catalogue.clear()
        checked = service.run(SearchParams(language="sv", sort="checked"), log=False)
        titles = [result.page.title for result in checked.results]
        assert titles.index(recent.title) < titles.index(other.title)
        this_year = str(timezone.localdate().year)
        assert checked.facets["checked"][this_year] >= 1
        filtered = service.run(
            SearchParams(language="sv", filters={"checked": frozenset([this_year])}), log=False
        )
        found = [result.page.title for result in filtered.results]
        assert recent.title in found
        assert other.title not in found  # checked 400 days ago: an earlier year
