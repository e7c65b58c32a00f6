"""A translation that still carries Swedish text says so everywhere, by one rule: text equal to
its source's is untranslated, wherever it came from (import, PO file or translation editor).

The public page marks each Swedish part and says "parts only in Swedish"; the admin calls the
translation "in progress"; ``export_translations`` exports it; the search facet "language"
does not count it.
"""

import io
import re
import tempfile
from http import HTTPStatus

from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.test import TestCase
from django.urls import reverse
from wagtail.models import Locale
from wagtail.users.models import UserProfile
from wagtail_localize.models import StringSegment, StringTranslation

from home.site_tree import ensure_site_tree
from practices.models import PracticePage
from search.models import RecordFacet
from tests.helpers import record, run_import
from translation.status import IN_PROGRESS, TRANSLATED, language_statuses

BODY = (
    "## Så började det\n\n"
    "Kommunen bjöd in föreningar och arbetsgivare till ett första möte.\n\n"
    "## Så fortsatte det\n\n"
    "1. Volontärer utbildades.\n2. Träffar hölls varje vecka.\n\n"
    "## Resultat\n\n"
    "Trettio deltagare kom regelbundet under hösten."
)
# The first heading and paragraph translated; the rest still the Swedish text.
BODY_AR_HALF = (
    "## كيف بدأ المشروع\n\n"
    "دعت البلدية الجمعيات وأصحاب العمل إلى لقاء أول.\n\n"
    "## Så fortsatte det\n\n"
    "1. Volontärer utbildades.\n2. Träffar hölls varje vecka.\n\n"
    "## Resultat\n\n"
    "Trettio deltagare kom regelbundet under hösten."
)
BODY_EN = (
    "## How it started\n\n"
    "The municipality invited associations and employers to a first meeting.\n\n"
    "## How it went on\n\n"
    "1. Volunteers were trained.\n2. Meetings were held every week.\n\n"
    "## Results\n\n"
    "Thirty participants came regularly during the autumn."
)


MARKED = r'<div class="source-language" lang="sv" dir="ltr">(.*?)</div>'


def notices(html):
    match = re.search(r'<div class="translation-notices">.*?</div>\s*</div>', html, re.S)
    return match.group(0) if match else ""


class TestPartialTranslation(TestCase):
    @classmethod
    def setUpTestData(cls):
        ensure_site_tree()
        with cls.captureOnCommitCallbacks(execute=True):  # the search facets sync on commit
            result = cls.import_record()
        assert result.rejections == [], result.rejections

    @staticmethod
    def import_record():
        return run_import(
            record(
                external_id="t-partial",
                title="Språkcafé i Sunne",
                body=BODY,
                contact={"name": "Projektledare", "role": "Projektledare, Språkcafé"},
                translations={
                    # Only the title and summary: the body and the contact role stay Swedish.
                    "fa": {"title": "کافهٔ زبان در سونه", "summary": "دیدارهایی برای تمرین."},
                    # Half of the body translated.
                    "ar": {
                        "title": "مقهى اللغة في سونه",
                        "summary": "لقاءات لممارسة اللغة السويدية.",
                        "body": BODY_AR_HALF,
                        "contact_role": "مدير المشروع، مقهى اللغة",
                    },
                    # Everything translated.
                    "en": {
                        "title": "Language café in Sunne",
                        "summary": "Meetings to practise Swedish.",
                        "body": BODY_EN,
                        "contact_role": "Project manager, language café",
                    },
                },
            )
        )

    def page(self, language):
        return PracticePage.objects.get(external_id="t-partial", locale__language_code=language)

    def html(self, language):
        response = self.client.get(self.page(language).url)
        self.assertEqual(response.status_code, HTTPStatus.OK)
        return response.content.decode()

    def statuses(self):
        return {status.language_code: status for status in language_statuses(self.page("sv"))}

    # The public page ----------------------------------------------------------------------

    def test_title_and_summary_only_says_parts_are_in_swedish_in_the_readers_language(self):
        text = notices(self.html("fa"))
        self.assertIn("notice--partial", text)
        self.assertIn("بخش‌هایی از این صفحه هنوز ترجمه نشده‌اند", text)
        self.assertIn(f'href="{self.page("sv").url}" hreflang="sv"', text)

    def test_every_swedish_body_block_is_marked_and_no_translated_one(self):
        html = self.html("fa")
        marked = re.findall(MARKED, html, re.S)
        # Three headings, a paragraph twice and the steps: every block of the body.
        self.assertEqual(len(marked), 6, marked)
        self.assertIn("Så började det", marked[0])
        self.assertIn("<ol", "".join(marked))
        # The contact role is Swedish too.
        self.assertRegex(html, r'<span lang="sv" dir="ltr">Projektledare, Språkcafé</span>')

        half = self.html("ar")
        marked = re.findall(MARKED, half, re.S)
        self.assertEqual(len(marked), 4, marked)
        self.assertNotIn("كيف بدأ المشروع", "".join(marked))
        self.assertIn("<h2>كيف بدأ المشروع</h2>", half)
        self.assertIn("notice--partial", notices(half))

    def test_a_complete_translation_marks_nothing_and_has_no_notice(self):
        html = self.html("en")
        self.assertNotIn("source-language", html)
        self.assertNotIn("notice--partial", html)
        self.assertNotIn("notice--partial", self.html("sv"))

    # The admin and the offline round trip -----------------------------------------------

    def test_status_is_in_progress_never_translated_100_percent(self):
        statuses = self.statuses()
        self.assertEqual(statuses["fa"].status, IN_PROGRESS)
        self.assertLess(statuses["fa"].progress, 50)
        self.assertEqual(statuses["ar"].status, IN_PROGRESS)
        self.assertLess(statuses["ar"].progress, statuses["en"].progress)
        self.assertEqual(statuses["en"].status, TRANSLATED)
        self.assertEqual(statuses["en"].progress, 100)

    def test_the_admin_status_view_says_in_progress(self):
        user = get_user_model().objects.create_superuser("coordinator", "c@example.org", "pw")
        profile = UserProfile.get_for_user(user)
        profile.preferred_language = "en"
        profile.save()
        self.client.force_login(user)
        html = self.client.get(
            reverse("practices_translation:page", args=[self.page("fa").pk])
        ).content.decode()
        row = re.search(r'<tr>\s*<th scope="row" lang="fa">.*?</tr>', html, re.S)
        self.assertIsNotNone(row, html)
        self.assertIn("In progress", row.group(0))
        self.assertNotIn("100 %", row.group(0))

    def test_export_translations_exports_the_partly_translated_page(self):
        out = io.StringIO()
        directory = self.enterContext(tempfile.TemporaryDirectory())
        call_command("export_translations", "fa", directory, stdout=out)
        self.assertIn("practice-t-partial-fa.po: in_progress", out.getvalue())
        out = io.StringIO()
        call_command("export_translations", "en", directory + "/en", stdout=out)
        self.assertIn("exported: 0 file(s)", out.getvalue())

    def test_text_equal_to_the_source_entered_in_the_editor_is_untranslated(self):
        # A translator "translates" a string by copying the Swedish (the editor's path): the
        # English translation is no longer complete.
        english = Locale.objects.get(language_code="en")
        segment = (
            StringSegment.objects.filter(
                source__object_id=self.page("sv").translation_key, context__path="summary"
            )
            .select_related("string")
            .get()
        )
        StringTranslation.objects.filter(
            translation_of_id=segment.string_id, locale=english, context_id=segment.context_id
        ).update(data=segment.string.data)
        statuses = self.statuses()
        self.assertEqual(statuses["en"].status, IN_PROGRESS)
        self.assertLess(statuses["en"].progress, 100)

    # Search ------------------------------------------------------------------------------

    def test_the_language_facet_counts_only_complete_translations(self):
        languages = set(
            RecordFacet.objects.filter(
                translation_key=self.page("sv").translation_key, facet="language"
            ).values_list("value", flat=True)
        )
        self.assertEqual(languages, {"sv", "en"})
