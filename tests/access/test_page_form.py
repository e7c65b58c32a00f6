"""Editors' new pages belong to their own organisation; they cannot hand pages to another."""

import re
from http import HTTPStatus

from bs4 import BeautifulSoup
from django.test import TestCase
from django.urls import reverse

from practices.models import Municipality, PracticePage

from .forms import form_data, post_edit
from .world import build_world, make_user


class TestOrganisationChoice(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.world = build_world()

    def add_url(self):
        return reverse(
            "wagtailadmin_pages:add", args=["practices", "practicepage", self.world.index.pk]
        )

    def organisation_options(self, html):
        select = BeautifulSoup(html, "html.parser").find("select", attrs={"name": "organisation"})
        return {
            option.text.strip(): option.has_attr("selected")
            for option in select.find_all("option")
            if option.get("value")
        }

    def test_editor_is_offered_only_their_organisation_preselected(self):
        self.client.force_login(self.world.users["sunne"])
        response = self.client.get(self.add_url())
        assert self.organisation_options(response.content.decode()) == {"Sunne kommun": True}

    def test_coordinator_chooses_any_organisation(self):
        self.client.force_login(self.world.users["coordinator"])
        form = self.client.get(self.add_url()).context["form"]
        # Wagtail's organisation chooser, over every organisation.
        assert set(form.fields["organisation"].queryset) == {self.world.sunne, self.world.hylte}

    def test_editor_of_two_organisations_chooses_between_them(self):
        editor = make_user("both", self.world.sunne.editors_group, self.world.hylte.editors_group)
        self.client.force_login(editor)
        options = self.organisation_options(self.client.get(self.add_url()).content.decode())
        assert set(options) == {"Sunne kommun", "Hylte kommun"}

    def create(self, organisation):
        self.client.force_login(self.world.users["sunne"])
        data = form_data(self.client.get(self.add_url()).content.decode())
        data.update(
            title="Jobbspår i Sunne",
            slug="jobbspar-i-sunne",
            summary="Utbildning och praktik som leder till jobb.",
            organisation=str(organisation.pk),
        )
        return self.client.post(self.add_url(), data)

    def test_editor_cannot_create_a_page_for_another_organisation(self):
        response = self.create(self.world.hylte)

        assert response.status_code == HTTPStatus.OK  # the form again
        assert "Choose one of your own organisations" in response.content.decode() or (
            # the admin may be shown in Swedish
            response.context["form"].errors.get("organisation")
        )
        assert not PracticePage.objects.filter(slug="jobbspar-i-sunne").exists()

    def test_editor_creates_a_draft_for_their_organisation(self):
        response = self.create(self.world.sunne)

        assert response.status_code == HTTPStatus.FOUND
        page = PracticePage.objects.get(slug="jobbspar-i-sunne")
        assert page.organisation == self.world.sunne
        assert not page.live
        # A colleague edits it; Hylte cannot.
        colleague = make_user("sunne-colleague", self.world.sunne.editors_group)
        assert page.permissions_for_user(colleague).can_edit()
        assert not page.permissions_for_user(self.world.users["hylte"]).can_edit()

    def test_editor_cannot_hand_their_page_to_another_organisation(self):
        page = self.world.pages["sunne_draft"]
        self.client.force_login(self.world.users["sunne"])

        response = post_edit(self.client, page, organisation=str(self.world.hylte.pk))

        assert response.status_code == HTTPStatus.OK
        assert response.context["form"].errors.get("organisation")
        assert PracticePage.objects.get(pk=page.pk).organisation == self.world.sunne


class TestIndicatorChoice(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.world = build_world()

    def test_editor_chooses_the_indicator_from_the_list_in_swedish(self):
        self.client.force_login(self.world.users["sunne"])
        url = reverse(
            "wagtailadmin_pages:add", args=["practices", "practicepage", self.world.index.pk]
        )
        html = self.client.get(url).content.decode()
        # The inline panel's empty form holds the row an editor adds.
        found = re.search(r'<select name="indicators-__prefix__-key".*?</select>', html, re.S)
        assert found, "the indicator is chosen from a list, not typed"
        options = dict(re.findall(r'<option value="([^"]*)"[^>]*>([^<]*)</option>', found[0]))
        assert options["in_work"] == "I arbete"
        assert options["participants"] == "Deltagare"
        assert "" in options  # nothing chosen yet

    def test_new_page_starts_with_the_editors_municipality_in_a_searchable_list(self):
        url = reverse(
            "wagtailadmin_pages:add", args=["practices", "practicepage", self.world.index.pk]
        )
        self.client.force_login(self.world.users["sunne"])
        html = self.client.get(url).content.decode()
        chooser = re.search(r"<div class=\"municipality-chooser\".*?</ul>", html, re.S)[0]
        assert 'type="search"' in chooser and "Sök efter en kommun" in chooser
        boxes = re.findall(r'<input type="checkbox" name="municipalities"[^>]*>', chooser)
        assert len(boxes) == 290
        checked = [box for box in boxes if " checked" in box]
        sunne = Municipality.objects.get(code="1766")
        assert len(checked) == 1 and f'value="{sunne.pk}"' in checked[0]
        # A coordinator's new page starts with none chosen.
        self.client.force_login(self.world.users["coordinator"])
        html = self.client.get(url).content.decode()
        assert 'name="municipalities" value="' in html
        assert not re.search(r'name="municipalities"[^>]* checked', html)
