"""A translation that still shows some of its source's text marks that text as Swedish."""

import re
from http import HTTPStatus

from django.test import TestCase
from wagtail.models import Site

from home.site_tree import ensure_site_tree
from practices.models import PracticePage
from tests.helpers import record, run_import


class TestSourceLanguageMarks(TestCase):
    @classmethod
    def setUpTestData(cls):
        ensure_site_tree()
        summary = run_import(
            record(
                external_id="t-partly",
                challenge="Många nyanlända kvinnor saknar kontakt med arbetsgivare.",
                results="Tolv av tjugo deltagare fick arbete.",
                translations={
                    "ar": {
                        "title": "مقهى اللغة في سونه",
                        "summary": "لقاءات لممارسة اللغة السويدية.",
                        "results": "حصل اثنا عشر من أصل عشرين مشاركاً على عمل.",
                    },
                },
            ),
        )
        assert summary.rejections == [], summary.rejections
        Site.clear_site_root_paths_cache()

    def html(self, language):
        page = PracticePage.objects.get(external_id="t-partly", locale__language_code=language)
        response = self.client.get(page.url)
        self.assertEqual(response.status_code, HTTPStatus.OK)
        return response.content.decode()

    def test_untranslated_field_is_marked_swedish_left_to_right(self):
        html = self.html("ar")
        self.assertRegex(
            html,
            r'<div lang="sv" dir="ltr"><p>Många nyanlända kvinnor saknar kontakt med arbetsgivare',
        )

    def test_translated_fields_are_not_marked(self):
        html = self.html("ar")
        results = re.search(r"<div([^>]*)><p>حصل اثنا عشر", html)
        self.assertIsNotNone(results)
        self.assertNotIn("lang=", results.group(1))
        lead = re.search(r'<p class="lead"([^>]*)>', html).group(1)
        self.assertNotIn("lang=", lead)

    def test_source_page_marks_nothing(self):
        html = self.html("sv")
        self.assertNotIn('lang="sv" dir="ltr"><p>Många', html)
        self.assertIn("<div><p>Många nyanlända kvinnor", html)
