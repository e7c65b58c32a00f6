"""Page types: where they may live, creating them in the admin as an editor, rendering them."""

from http import HTTPStatus

from django.urls import reverse
from django.utils import translation
from django.utils.html import strip_tags
from django.utils.text import slugify
from wagtail.models import Page
from wagtail.test.utils import WagtailPageTestCase
from wagtail.test.utils.form_data import inline_formset, nested_form_data, rich_text, streamfield

from home.models import HomePage, InformationPage
from home.site_tree import ensure_site_tree
from organisations.organisations import set_up_organisation
from practices.models import (
    ActivityType,
    MethodIndexPage,
    MethodPage,
    Municipality,
    PracticeIndexPage,
    PracticePage,
    ProjectReportPage,
    ReportIndexPage,
    TargetGroup,
)


class TreeTestCase(WagtailPageTestCase):
    @classmethod
    def setUpTestData(cls):
        cls.tree = ensure_site_tree()
        cls.sv = cls.tree["sv"]
        cls.editor = cls.create_user("editor", password="pw")  # noqa: S106
        # An organisation's editor, set up the way create_organisation does it.
        cls.organisation = set_up_organisation(
            cls.tree, "Sunne kommun", "municipality", municipality_code="1766"
        ).organisation
        cls.editor.groups.add(cls.organisation.editors_group)

    @staticmethod
    def form_errors(response):
        form = response.context and response.context.get("form")
        return form.errors.as_json() if form is not None else response.status_code

    def login_editor(self):
        self.client.force_login(self.editor)


class TestTreeRules(TreeTestCase):
    def test_home_holds_only_the_three_indexes_and_information_pages(self):
        self.assertAllowedSubpageTypes(
            HomePage, {PracticeIndexPage, MethodIndexPage, ReportIndexPage, InformationPage}
        )
        self.assertAllowedParentPageTypes(InformationPage, {HomePage})
        self.assertAllowedSubpageTypes(InformationPage, set())

    def test_each_index_holds_only_its_own_kind(self):
        self.assertAllowedSubpageTypes(PracticeIndexPage, {PracticePage})
        self.assertAllowedSubpageTypes(MethodIndexPage, {MethodPage})
        self.assertAllowedSubpageTypes(ReportIndexPage, {ProjectReportPage})

    def test_content_pages_live_only_under_their_index_and_have_no_children(self):
        self.assertAllowedParentPageTypes(PracticePage, {PracticeIndexPage})
        self.assertAllowedParentPageTypes(MethodPage, {MethodIndexPage})
        self.assertAllowedParentPageTypes(ProjectReportPage, {ReportIndexPage})
        for model in (PracticePage, MethodPage, ProjectReportPage):
            self.assertAllowedSubpageTypes(model, set())

    def test_a_practice_cannot_be_created_under_the_method_index(self):
        self.assertCanNotCreateAt(MethodIndexPage, PracticePage)
        self.assertCanNotCreateAt(HomePage, PracticePage)
        self.assertCanCreateAt(PracticeIndexPage, PracticePage)

    def test_every_language_has_its_own_home_and_indexes(self):
        for code in ("sv", "en", "ar", "fa"):
            home = self.tree[code]["home"]
            self.assertEqual(home.locale.language_code, code)
            self.assertEqual(home.translation_key, self.sv["home"].translation_key)
            for model in (PracticeIndexPage, MethodIndexPage, ReportIndexPage):
                self.assertEqual(self.tree[code][model].get_parent().pk, home.pk)

    def test_site_tree_is_idempotent(self):
        before = Page.objects.count()
        ensure_site_tree()
        self.assertEqual(Page.objects.count(), before)


class TestCreateInAdmin(TreeTestCase):
    def add_url(self, model, parent):
        return reverse(
            "wagtailadmin_pages:add",
            args=[model._meta.app_label, model._meta.model_name, parent.pk],
        )

    def multi_valued(self, data, **lists):
        """nested_form_data flattens lists; multi-select fields need them as lists."""
        data.update(
            municipalities=[Municipality.objects.get(code="1766").pk],
            activity_types=[
                ActivityType.objects.get(slug="mentorship", locale__language_code="sv").pk
            ],
            target_groups=[TargetGroup.objects.get(slug="women", locale__language_code="sv").pk],
            **lists,
        )
        return data

    def common(self, title):
        return {
            "title": title,
            "slug": slugify(title),
            "summary": "En sammanfattning.",
            "body": streamfield(
                [
                    ("heading", {"text": "Så gjorde vi", "level": "h2"}),
                    ("paragraph", rich_text("<p>Vi träffades varje vecka.</p>")),
                ]
            ),
            "organisation": self.organisation.pk,
            "start_date": "2016-06-01",
            "end_date": "2018-12-31",
            "contact_name": "Projektledare",
            "contact_role": "Samordnare",
            "contact_email": "integration@example.se",
            "keywords": "språkcafé, volontärer",
        }

    def test_editor_creates_a_practice_with_indicators_and_funding(self):
        self.login_editor()
        data = nested_form_data(
            {
                **self.common("Språkcafé i Sunne"),
                "challenge": rich_text("<p>Få mötesplatser.</p>"),
                "results": rich_text("<p>Fler i arbete.</p>"),
                "lessons_learned": rich_text("<p>Börja tidigt.</p>"),
                "funding": inline_formset([{"source": "AMIF", "amount_sek": 1200000}]),
                "indicators": inline_formset(
                    [
                        {
                            "key": "in_work",
                            "label": "",
                            "value": "45",
                            "unit": "percent",
                            "target": "40",
                            "measured_on": "2018-12-31",
                        }
                    ]
                ),
                "method_links": inline_formset([]),
                "images": inline_formset([]),
                "documents": inline_formset([]),
            }
        )
        data = self.multi_valued(data)
        response = self.client.post(self.add_url(PracticePage, self.sv[PracticeIndexPage]), data)
        self.assertEqual(response.status_code, HTTPStatus.FOUND, self.form_errors(response))
        page = PracticePage.objects.get(title="Språkcafé i Sunne")
        self.assertEqual(page.get_parent().pk, self.sv[PracticeIndexPage].pk)
        self.assertTrue(page.external_id.startswith("practice-"))
        self.assertEqual(page.organisation, self.organisation)
        revision = page.get_latest_revision_as_object()
        self.assertEqual([f.source for f in revision.funding.all()], ["AMIF"])
        indicator = revision.indicators.get()
        self.assertEqual(
            (indicator.key, indicator.unit, indicator.target_met), ("in_work", "percent", True)
        )
        self.assertEqual(sorted(revision.keywords.names()), ["språkcafé", "volontärer"])
        self.assertEqual([m.code for m in revision.municipalities.all()], ["1766"])
        self.assertEqual([t.slug for t in revision.activity_types.all()], ["mentorship"])

    def test_editor_creates_a_method(self):
        self.login_editor()
        data = nested_form_data(
            {
                **self.common("Mjuk matchning"),
                "when_to_use": rich_text("<p>När arbetsgivare behöver folk.</p>"),
                "prerequisites": rich_text(""),
                "staff": "En matchare",
                "cost_level": "low",
                "time_needed": "Sex månader",
                "variations": rich_text(""),
                "evidence": rich_text(""),
                "body": streamfield(
                    [
                        (
                            "steps",
                            {
                                "count": 1,
                                "0": {
                                    "value": rich_text("<p>Besök arbetsplatsen</p>"),
                                    "deleted": "",
                                    "order": 0,
                                    "id": "",
                                },
                            },
                        )
                    ]
                ),
            }
        )
        response = self.client.post(self.add_url(MethodPage, self.sv[MethodIndexPage]), data)
        self.assertEqual(response.status_code, HTTPStatus.FOUND, self.form_errors(response))
        page = MethodPage.objects.get(title="Mjuk matchning")
        self.assertEqual(page.cost_level, "low")
        self.assertTrue(page.external_id.startswith("method-"))
        steps = page.get_latest_revision_as_object().body[0]
        self.assertEqual(steps.block_type, "steps")
        self.assertEqual([strip_tags(str(step)) for step in steps.value], ["Besök arbetsplatsen"])

    def test_editor_creates_a_report(self):
        self.login_editor()
        data = nested_form_data(
            {
                **self.common("Slutrapport"),
                "report_document": "",
                "funding": inline_formset([{"source": "ESF", "amount_sek": 500000}]),
                "indicators": inline_formset(
                    [
                        {
                            "key": "participants",
                            "label": "",
                            "value": "120",
                            "unit": "count",
                            "target": "",
                            "measured_on": "",
                        }
                    ]
                ),
                "method_links": inline_formset([]),
                "linked_practices": inline_formset([]),
            }
        )
        data = self.multi_valued(data, partners=[self.organisation.pk])
        response = self.client.post(self.add_url(ProjectReportPage, self.sv[ReportIndexPage]), data)
        self.assertEqual(response.status_code, HTTPStatus.FOUND, self.form_errors(response))
        page = ProjectReportPage.objects.get(title="Slutrapport")
        revision = page.get_latest_revision_as_object()
        self.assertEqual(revision.participants, 120)
        self.assertEqual([p.name for p in revision.partners.all()], ["Sunne kommun"])

    def test_end_date_before_start_date_is_refused_with_a_message(self):
        self.login_editor()
        data = nested_form_data(
            {
                **self.common("Baklänges"),
                "start_date": "2020-01-01",
                "end_date": "2019-01-01",
                "when_to_use": rich_text(""),
                "prerequisites": rich_text(""),
                "staff": "",
                "cost_level": "",
                "time_needed": "",
                "variations": rich_text(""),
                "evidence": rich_text(""),
            }
        )
        response = self.client.post(self.add_url(MethodPage, self.sv[MethodIndexPage]), data)
        self.assertEqual(response.status_code, HTTPStatus.OK)
        with translation.override("sv"):  # the admin speaks the site's default language
            message = translation.gettext("The end date cannot be before the start date.")
        self.assertEqual(response.context["form"].errors["end_date"], [message])
        self.assertContains(response, message)
        self.assertFalse(MethodPage.objects.filter(title="Baklänges").exists())

    def test_anonymous_visitor_cannot_reach_the_add_view(self):
        response = self.client.get(self.add_url(PracticePage, self.sv[PracticeIndexPage]))
        self.assertEqual(response.status_code, HTTPStatus.FOUND)
        self.assertIn("/admin/login/", response["Location"])


def test_every_field_an_editor_fills_in_has_help_text():
    """Plain-language help on every field of practices, methods and reports (issue: "help
    text on every field in plain Swedish"; the Swedish is in the catalogue)."""
    missing = [
        f"{model.__name__}.{field.name}"
        for model in (PracticePage, MethodPage, ProjectReportPage)
        for field in model._meta.get_fields()
        if getattr(field, "concrete", False)
        and field.editable
        and not field.auto_created
        and field.model.__module__.startswith("practices.")
        and not field.help_text
    ]
    assert missing == []
