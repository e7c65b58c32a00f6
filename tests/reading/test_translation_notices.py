"""A translation says when its source changed after it, and when a machine made it."""

import datetime
import re
from http import HTTPStatus
from unittest import mock

from django.test import TestCase
from django.utils import timezone, translation
from django.utils.formats import date_format
from django.utils.translation import gettext

from home.site_tree import ensure_site_tree
from practices.models import PracticePage
from tests.helpers import record, run_import
from translation.status import TranslationState

TRANSLATIONS = {
    "en": {"title": "Homework help in Arvika", "summary": "Volunteers help with homework."},
    "ar": {"title": "مساعدة في الواجبات المدرسية في أرفيكا", "summary": "متطوعون يساعدون."},
}


def notices(html):
    match = re.search(r'<div class="translation-notices">.*?</main>', html, re.S)
    return match.group(0) if match else ""


class TestTranslationNotices(TestCase):
    @classmethod
    def setUpTestData(cls):
        ensure_site_tree()
        result = run_import(
            record(external_id="t-homework", title="Läxhjälp i Arvika", translations=TRANSLATIONS)
        )
        assert result.rejections == [], result.rejections

    def page(self, language):
        return PracticePage.objects.get(external_id="t-homework", locale__language_code=language)

    def get(self, page):
        response = self.client.get(page.url)
        self.assertEqual(response.status_code, HTTPStatus.OK)
        return response.content.decode()

    def test_an_up_to_date_translation_has_no_notice(self):
        self.assertEqual(notices(self.get(self.page("ar"))), "")
        self.assertEqual(notices(self.get(self.page("sv"))), "")

    def test_a_translation_whose_source_changed_says_it_may_be_out_of_date(self):
        source = self.page("sv")
        source.summary = "Volontärer hjälper barn och vuxna med läxor, nu även på lördagar."
        source.save_revision().publish()
        html = self.get(self.page("en"))
        text = notices(html)
        self.assertIn("notice--outdated", text)
        self.assertIn(f'href="{source.url}" hreflang="sv"', text)
        # The Swedish source itself is never "out of date".
        self.assertNotIn("notice--outdated", self.get(source))

    def test_the_outdated_notice_names_the_source_language_and_date(self):
        source = self.page("sv")
        changed = timezone.make_aware(datetime.datetime(2026, 3, 14, 10, 30))
        state = TranslationState(source=source, outdated=True, source_updated_at=changed)
        with mock.patch("home.notices.translation_state", return_value=state):
            text = notices(self.get(self.page("ar")))
        with translation.override("ar"):
            expected = gettext(
                "This translation may be out of date. "
                "The original in %(language)s was updated on %(date)s."
            ) % {"language": gettext("Swedish"), "date": date_format(changed, "DATE_FORMAT")}
        self.assertIn(expected, text)
        self.assertIn("2026", text)

    def test_a_machine_translation_says_so(self):
        state = TranslationState(source=self.page("sv"), machine_translated=True)
        with mock.patch("home.notices.translation_state", return_value=state):
            text = notices(self.get(self.page("ar")))
        self.assertIn("notice--machine", text)
        self.assertNotIn("notice--outdated", text)
        with translation.override("ar"):
            self.assertIn(gettext("Translated by machine, not yet checked by a person."), text)

    def test_both_notices_can_show_together(self):
        state = TranslationState(
            source=self.page("sv"), outdated=True, machine_translated=True, source_updated_at=None
        )
        with mock.patch("home.notices.translation_state", return_value=state):
            text = notices(self.get(self.page("en")))
        self.assertIn("notice--outdated", text)
        self.assertIn("notice--machine", text)

    def test_pages_that_are_not_wagtail_pages_have_no_notices(self):
        response = self.client.get("/ar/search/?q=arvika")
        self.assertEqual(response.status_code, HTTPStatus.OK)
        self.assertNotIn("translation-notices", response.content.decode())
