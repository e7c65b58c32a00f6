"""Labels, numbers, amounts and dates on a page appear in the reader's language.

Taxonomy terms are per-language snippets; organisation kinds and indicator names are
translated choices; numbers, amounts and dates follow the language's formats (digits stay
Western in every language, see the README).
"""

import datetime
from http import HTTPStatus

from django.test import TestCase
from django.utils import translation
from django.utils.formats import date_format, get_format
from django.utils.translation import gettext

from home.site_tree import ensure_site_tree
from practices.models import ActivityType, Organisation, PracticePage, TargetGroup
from practices.models.outcomes import IndicatorKey
from practices.templatetags.practices_tags import figure, sek
from tests.helpers import record, run_import

LANGUAGES = ["sv", "en", "ar", "fa"]


def translations():
    return {
        code: {"title": f"Praktik i Sunne ({code})", "summary": f"Sammanfattning ({code})."}
        for code in ("en", "ar", "fa")
    }


class TestPageInTheReadersLanguage(TestCase):
    @classmethod
    def setUpTestData(cls):
        ensure_site_tree()
        result = run_import(
            record(
                external_id="t-labels",
                title="Praktik i Sunne",
                organisation="Sunne kommun",
                activity_types=["language-training"],
                target_groups=["new-arrivals"],
                start_date="2019-03-01",
                end_date="2021-11-30",
                funding=[{"source": "ESF", "amount_sek": 1250000}],
                indicators=[
                    {"key": "in_work", "value": 12.5, "unit": "percent", "target": 20},
                    {"key": "participants", "value": 1234, "unit": "count"},
                ],
                translations=translations(),
            )
        )
        assert result.rejections == [], result.rejections

    def html(self, language):
        page = PracticePage.objects.get(external_id="t-labels", locale__language_code=language)
        response = self.client.get(page.url)
        self.assertEqual(response.status_code, HTTPStatus.OK)
        return response.content.decode()

    def test_taxonomy_terms_in_each_language(self):
        for language in LANGUAGES:
            html = self.html(language)
            activity = ActivityType.objects.get(
                slug="language-training", locale__language_code=language
            )
            group = TargetGroup.objects.get(slug="new-arrivals", locale__language_code=language)
            self.assertIn(f"<li>{activity.name}</li>", html, language)
            self.assertIn(f"<li>{group.name}</li>", html, language)
        self.assertIn("<li>تعلّم اللغة</li>", self.html("ar"))
        self.assertIn("<li>آموزش زبان</li>", self.html("fa"))

    def test_organisation_kind_and_indicator_names_in_each_language(self):
        kind = Organisation.objects.get(name="Sunne kommun").get_kind_display
        for language in LANGUAGES:
            html = self.html(language)
            with translation.override(language):
                self.assertIn(f"({kind()})", html, language)
                self.assertIn(str(IndicatorKey.IN_WORK.label), html, language)
                self.assertIn(str(IndicatorKey.PARTICIPANTS.label), html, language)
                self.assertIn(gettext("Measured outcomes"), html, language)

    def test_dates_use_the_languages_month_names(self):
        start, end = datetime.date(2019, 3, 1), datetime.date(2021, 11, 30)
        for language in LANGUAGES:
            html = self.html(language)
            with translation.override(language):
                self.assertIn(date_format(start, "M Y"), html, language)
                self.assertIn(date_format(end, "M Y"), html, language)

    def test_numbers_and_amounts_use_the_languages_separators(self):
        for language in LANGUAGES:
            html = self.html(language)
            with translation.override(language):
                self.assertIn(figure(1234, "count"), html, language)
                self.assertIn(figure(12.5, "percent"), html, language)
                self.assertIn(sek(1250000), html, language)


class TestFigureFormats(TestCase):
    def test_swedish_groups_with_a_no_break_space_and_a_decimal_comma(self):
        with translation.override("sv"):
            self.assertEqual(figure(1234, "count"), "1\xa0234")
            self.assertTrue(figure(12.5, "percent").startswith("12,5"))
            self.assertTrue(sek(1250000).startswith("1\xa0250\xa0000"))

    def test_english_groups_with_commas(self):
        with translation.override("en"):
            self.assertEqual(figure(1234, "count"), "1,234")
            self.assertEqual(figure(12.5, "percent"), "12.5 %")
            self.assertEqual(sek(1250000), "1,250,000 SEK")

    def test_arabic_and_persian_group_thousands_with_western_digits(self):
        for language in ("ar", "fa"):
            with translation.override(language):
                self.assertEqual(figure(1234, "count"), "1,234", language)
                self.assertTrue(sek(1250000).startswith("1,250,000"), language)
                self.assertIn("12.5", figure(12.5, "percent"), language)
                self.assertEqual(get_format("NUMBER_GROUPING"), 3)
                # Everything not set in home/formats still comes from Django's formats.
                self.assertEqual(
                    get_format("DATE_FORMAT"), "j F، Y" if language == "ar" else "j F Y"
                )

    def test_empty_values_print_nothing(self):
        self.assertEqual(figure(None), "")
        self.assertEqual(sek(None), "")
