"""The issue's "done when" on the demo content: adoptions recorded in the admin show on the
method page and the overview; the comparison and its CSV show Premiär Primär's figures."""

import csv
import io
from http import HTTPStatus

from django.contrib.auth.models import Group, Permission
from django.core.management import call_command
from django.test import TestCase
from django.urls import reverse
from wagtail.test.utils import WagtailTestUtils

from practices.models import (
    MethodPage,
    Municipality,
    Organisation,
    PracticePage,
    ProjectReportPage,
)
from reuse.permissions import grant_adoption_permissions

HEALTH_SCHOOL = "demo-method-health-school"


class TestReuseOnDemoContent(WagtailTestUtils, TestCase):
    @classmethod
    def setUpTestData(cls):
        call_command("load_demo", stdout=io.StringIO(), stderr=io.StringIO())

    def method(self, external_id=HEALTH_SCHOOL, language="en"):
        return MethodPage.objects.get(external_id=external_id, locale__language_code=language)

    def test_method_page_counts_the_practices_that_applied_it(self):
        response = self.client.get(self.method().url)
        self.assertEqual(response.status_code, HTTPStatus.OK)
        # Integration Halland (Halland), Samordningsförbundet Insjöriket (Västra Götaland),
        # Support Group Network (no place given) and the illustrative practices of Växjö
        # (Kronoberg), Luleå (Norrbotten) and Norrköping (Östergötland) list the health school
        # in "methods applied" (the evaluation report is not an adoption).
        self.assertContains(response, "Used by 6 organisations in 5 regions")
        self.assertContains(response, "Samordningsförbundet Insjöriket")
        premiar = PracticePage.objects.get(
            external_id="demo-practice-premiar-primar", locale__language_code="en"
        )
        self.assertContains(response, f'href="{premiar.url}#outcomes-heading"')

    def test_comparison_and_csv_show_premiar_primar_figures(self):
        response = self.client.get(f"/en/compare/method/{HEALTH_SCHOOL}/")
        self.assertEqual(response.status_code, HTTPStatus.OK)
        rows = response.context["comparison"].rows
        premiar = [row for row in rows if "Premiär Primär" in row.title]
        self.assertEqual(len(premiar), 2)  # the practice and the report
        for label, figure in [
            ("In studies (%)", "20 %"),
            ("In an internship (%)", "13 %"),
            ("Moved towards self-sufficiency (%)", "75 %"),
        ]:
            self.assertContains(response, label)
            self.assertContains(response, f'<span class="bar-chart__value">{figure}')

        response = self.client.get(f"/en/compare/method/{HEALTH_SCHOOL}/csv/")
        rows = list(
            csv.reader(io.StringIO(b"".join(response.streaming_content).decode("utf-8-sig")))
        )
        header = rows[0]
        premiar_rows = [row for row in rows[1:] if "Premiär Primär" in row[0]]
        self.assertEqual(len(premiar_rows), 2)
        for label, value in [
            ("In studies (%): achieved", "20"),
            ("In an internship (%): achieved", "13"),
            ("Moved towards self-sufficiency (%): achieved", "75"),
        ]:
            self.assertEqual({row[header.index(label)] for row in premiar_rows}, {value})

    def test_activity_type_comparison_on_demo_content(self):
        response = self.client.get("/sv/compare/activity/health-promotion/")
        self.assertEqual(response.status_code, HTTPStatus.OK)
        self.assertTrue(
            any("Premiär Primär" in row.title for row in response.context["comparison"].rows)
        )

    def test_adoption_recorded_in_the_admin_shows_on_method_page_and_overview(self):
        """An editor of Hylte records Hylte's use of a method Hylte does not own."""
        hylte = Organisation.objects.create(
            name="Hylte kommun",
            kind="municipality",
            municipality=Municipality.objects.get(code="1315"),
        )
        editors = Group.objects.create(name="Hylte kommun – redaktörer")
        editors.permissions.add(
            Permission.objects.get(content_type__app_label="wagtailadmin", codename="access_admin")
        )
        grant_adoption_permissions(editors)
        hylte.editors_group = editors
        hylte.save()
        editor = self.create_user("hylte", password="pw")  # noqa: S106
        editor.groups.add(editors)

        method = self.method(language="sv")
        self.assertNotEqual(method.organisation_id, hylte.pk)
        self.client.force_login(editor)
        response = self.client.post(
            reverse("wagtailsnippets_practices_methodadoption:add"),
            {
                # Chosen in English: recorded on the Swedish source.
                "method": self.method(language="en").pk,
                "organisation": hylte.pk,
                "status": "running",
                "start_date": "2025-09-01",
                "changes": "Vi träffas på biblioteket.",
                "practice": "",
            },
        )
        self.assertEqual(response.status_code, HTTPStatus.FOUND, self.problem(response))
        self.assertEqual(method.adoptions.get().organisation, hylte)

        self.client.logout()
        response = self.client.get(self.method().url)
        self.assertContains(response, "Used by 7 organisations in 5 regions")  # Hylte: Halland
        self.assertContains(response, "Hylte kommun")
        self.assertContains(response, '<span lang="sv">Vi träffas på biblioteket.</span>')
        overview = self.client.get("/en/reuse/")
        item = next(
            i
            for i in overview.context["overview"].methods
            if i.method.translation_key == method.translation_key
        )
        self.assertEqual(item.organisation_count, 7)
        self.assertIn(hylte, [a.organisation for a in item.adoptions])

    @staticmethod
    def problem(response):
        """What the admin complained about, for the failure message."""
        context = response.context
        if context is None:
            return response.status_code
        form = context.get("form")
        messages = [str(m) for m in context.get("messages", [])]
        if form is None:
            return (response.status_code, messages)
        return (form.errors.as_json(), messages)

    def test_demo_has_comparisons_worth_reading(self):
        """At least 30 records; at least three methods whose comparison has three or more
        rows with targets; every contact address at example.org; finished projects finished."""
        sources = [
            page
            for model in (MethodPage, PracticePage, ProjectReportPage)
            for page in model.objects.filter(locale__language_code="sv")
        ]
        self.assertGreaterEqual(len(sources), 30)
        rich = []
        for method in MethodPage.objects.filter(locale__language_code="en"):
            response = self.client.get(f"/en/compare/method/{method.external_id}/")
            rows = response.context["comparison"].rows
            if sum(1 for row in rows if row.targets_set) >= 3:
                rich.append(method.external_id)
                self.assertContains(response, '<line class="bar-chart__target"')
        self.assertGreaterEqual(len(rich), 3, rich)
        emails = {page.contact_email for page in sources if page.contact_email}
        self.assertTrue(emails)
        self.assertEqual({email.rsplit("@", 1)[1] for email in emails}, {"example.org"})
        for page in sources:
            if page.contact_name and page.contact_role:
                self.assertNotIn(page.contact_name, page.contact_role, page.external_id)
        premiar = PracticePage.objects.get(
            external_id="demo-practice-premiar-primar", locale__language_code="en"
        )
        method_page = self.client.get(self.method().url)
        self.assertContains(method_page, "Finished")
        # A finished project shows its period, not "since" its start.
        self.assertContains(method_page, "Sep 2015 to Aug 2018")  # Integration Halland
        self.assertNotContains(method_page, "since Sep 2015")
        self.assertIsNotNone(premiar.end_date)
