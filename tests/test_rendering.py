"""What a visitor reads: every page type rendered from the demo content, in each language."""

import io
import re
from http import HTTPStatus

from django.core.management import call_command
from django.test import TestCase
from wagtail.models import Page

from interchange import spec
from practices.models import CONTENT_PAGE_MODELS, MethodPage, PracticePage, ProjectReportPage
from practices.untranslated import field_untranslated, untranslated_block_ids
from translation.status import TRANSLATED, language_statuses

TRANSLATIONS = ("en", "ar", "fa")


class TestDemoSite(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.out = io.StringIO()
        call_command("load_demo", stdout=cls.out, stderr=io.StringIO())

    def get(self, page):
        response = self.client.get(page.url)
        self.assertEqual(response.status_code, HTTPStatus.OK, page.url)
        return response

    def test_load_demo_publishes_the_seed_projects(self):
        self.assertIn("0 rejected", self.out.getvalue())
        titles = " ".join(PracticePage.objects.values_list("title", flat=True))
        for name in ("Connecting People", "Premiär Primär", "Halland"):
            self.assertIn(name, titles)
        self.assertGreaterEqual(MethodPage.objects.filter(locale__language_code="sv").count(), 5)

    def test_load_demo_twice_changes_nothing(self):
        out = io.StringIO()
        call_command("load_demo", stdout=out, stderr=io.StringIO())
        self.assertIn("0 created, 0 updated", out.getvalue())
        out = io.StringIO()
        call_command("load_demo", "--if-empty", stdout=out)
        self.assertIn("already has content", out.getvalue())

    def test_home_page_in_each_language(self):
        for code, direction in [("sv", "ltr"), ("en", "ltr"), ("ar", "rtl"), ("fa", "rtl")]:
            response = self.client.get(f"/{code}/")
            self.assertEqual(response.status_code, HTTPStatus.OK)
            self.assertContains(response, f'<html lang="{code}" dir="{direction}">')
            self.assertContains(response, 'href="#main"')

    def test_root_redirects_to_a_language(self):
        response = self.client.get("/")
        self.assertEqual(response.status_code, HTTPStatus.FOUND)
        self.assertRegex(response["Location"], r"^/(sv|en|ar|fa)/$")

    def test_every_live_page_renders(self):
        for page in Page.objects.live().filter(depth__gt=1).specific():
            self.get(page)

    def test_practice_page_shows_facts_outcomes_and_method_links(self):
        page = PracticePage.objects.get(
            external_id="demo-practice-premiar-primar", locale__language_code="sv"
        )
        response = self.get(page)
        self.assertContains(response, "<h1>%s</h1>" % page.title, html=False)
        self.assertContains(response, 'aria-labelledby="facts-heading"')
        self.assertContains(response, "Samordningsförbundet Insjöriket")
        for method in page.methods:
            self.assertContains(response, method.url)

    def test_report_indicator_table_shows_target_and_achieved(self):
        page = ProjectReportPage.objects.get(
            external_id="demo-report-premiar-primar", locale__language_code="sv"
        )
        response = self.get(page)
        self.assertContains(response, '<th scope="col">')
        self.assertContains(response, "75")
        indicators = list(page.indicators.all())
        self.assertTrue(indicators)
        for indicator in indicators:
            self.assertContains(response, indicator.display_label)

    def test_method_page_lists_steps_and_where_it_was_applied(self):
        method = (
            MethodPage.objects.filter(locale__language_code="sv")
            .exclude(practice_links=None)
            .first()
        )
        response = self.get(method)
        self.assertContains(response, '<ol class="steps">')
        for application in method.applications():
            self.assertContains(response, application.title)

    def test_translated_page_is_served_in_its_language_and_untranslated_body_falls_back(self):
        english = PracticePage.objects.get(
            external_id="demo-practice-sunne-connecting-people", locale__language_code="en"
        )
        response = self.get(english)
        self.assertContains(response, '<html lang="en" dir="ltr">')
        self.assertContains(response, english.title)

    def test_index_lists_one_card_per_record_and_filters(self):
        index = PracticePage.objects.filter(locale__language_code="en").first().get_parent()
        response = self.get(index)
        sources = PracticePage.objects.filter(locale__language_code="sv").count()
        self.assertEqual(response.context["paginator"].count, sources)
        response = self.client.get(index.url, {"activity_type": "entrepreneurship"})
        self.assertTrue(response.context["records"])
        self.assertLess(response.context["paginator"].count, sources)
        for record in response.context["records"]:
            self.assertIn("entrepreneurship", [t.slug for t in record.activity_types.all()])

    def test_unknown_page_is_a_404_with_the_site_layout(self):
        response = self.client.get("/sv/finns-inte/")
        self.assertEqual(response.status_code, HTTPStatus.NOT_FOUND)

    def test_every_demo_translation_carries_every_text_field_of_its_source(self):
        checked = 0
        for model in CONTENT_PAGE_MODELS:
            record_type = model.interchange_type
            fields = (
                ("title", "summary", "body", "contact_role")
                + spec.RICH_TEXT_FIELDS[record_type]
                + spec.PLAIN_TEXT_FIELDS[record_type]
            )
            for source in model.objects.filter(locale__language_code="sv"):
                translations = {
                    page.locale.language_code: page for page in source.get_translations().specific()
                }
                self.assertEqual(set(translations), set(TRANSLATIONS), source.external_id)
                for language, page in translations.items():
                    where = f"{source.external_id} ({language})"
                    for name in fields:
                        if getattr(source, name):
                            self.assertTrue(getattr(page, name), f"{where}: {name} is empty")
                            self.assertFalse(
                                field_untranslated(page, name), f"{where}: {name} is Swedish"
                            )
                    self.assertEqual(untranslated_block_ids(page, "body"), set(), where)
                    checked += 1
                for status in language_statuses(source):
                    if status.language_code in TRANSLATIONS:
                        self.assertEqual(
                            (status.status, status.progress),
                            (TRANSLATED, 100),
                            f"{source.external_id} ({status.language_code})",
                        )
        self.assertEqual(checked, 30 * 3)

    def test_demo_pages_in_arabic_and_persian_read_in_that_language(self):
        for model in CONTENT_PAGE_MODELS:
            for page in model.objects.filter(locale__language_code__in=("ar", "fa")):
                html = self.get(page).content.decode()
                html = html[html.index("<main") : html.index("</main>")]
                self.assertNotIn("source-language", html, page.url)
                self.assertNotIn("notice--partial", html, page.url)
                self.assertNotIn('lang="sv" dir="ltr"', html, page.url)

    def test_every_page_has_a_meta_description(self):
        pages = [page.url for page in Page.objects.live().filter(depth__gt=1).specific()]
        for url in pages + ["/sv/search/", "/ar/search/?q=arbete", "/en/reuse/", "/fa/nope/"]:
            html = self.client.get(url).content.decode()
            description = re.search(r'<meta name="description" content="([^"]+)">', html)
            self.assertIsNotNone(description, url)
            self.assertGreater(len(description.group(1).strip()), 20, url)

    def test_method_body_headings_nest_under_the_section_heading(self):
        method = MethodPage.objects.get(
            external_id="demo-method-health-school", locale__language_code="sv"
        )
        html = self.get(method).content.decode()
        section = re.search(
            r'<section aria-labelledby="how-heading">(.*?)</section>', html, re.S
        ).group(1)
        self.assertIn('<h2 id="how-heading">', section)
        self.assertEqual(section.count("<h2"), 1)
        self.assertGreater(section.count("<h3>"), 1)
