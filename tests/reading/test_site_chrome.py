"""What every public site must have: who runs it, an accessibility statement, how personal data
is handled (linked from every footer, in every language), a favicon and logo, a 500 page in
the reader's language, compressed HTML and self-hosted API documentation."""

import gzip
import io
import re
from http import HTTPStatus
from unittest import mock

from django.core.management import call_command
from django.test import RequestFactory, TestCase

from home.information import ensure_information_pages
from home.models import InformationPage, InformationPurpose
from home.site_tree import ensure_site_tree
from home.views import server_error
from practices.models import PracticePage
from tests.helpers import record, run_import

LANGUAGES = ("sv", "en", "ar", "fa")


def footer(html):
    return re.search(r'<footer class="site-footer">.*?</footer>', html, re.S).group(0)


class TestInformationPages(TestCase):
    @classmethod
    def setUpTestData(cls):
        ensure_site_tree()
        cls.created = ensure_information_pages()
        result = run_import(record(contact={"name": "Ann Exempel", "email": "a@example.org"}))
        assert result.rejections == [], result.rejections

    def test_three_pages_in_four_languages_with_their_default_text(self):
        self.assertEqual(len(self.created), 3 * 4)
        for purpose in InformationPurpose:
            pages = InformationPage.objects.live().filter(purpose=purpose)
            self.assertEqual(
                sorted(page.locale.language_code for page in pages), sorted(LANGUAGES), purpose
            )
            titles = {page.title for page in pages}
            self.assertEqual(len(titles), 4, f"{purpose}: a title left untranslated")
        statement = InformationPage.objects.get(
            purpose=InformationPurpose.ACCESSIBILITY, locale__language_code="sv"
        )
        self.assertIn("DIGG", statement.body)
        self.assertIn("2018:1937", statement.body)
        self.assertIsNotNone(statement.last_reviewed)

    def test_setting_up_again_creates_nothing_and_keeps_editors_text(self):
        about = InformationPage.objects.get(purpose="about", locale__language_code="sv")
        about.title = "Om oss"
        about.save_revision().publish()
        self.assertEqual(ensure_information_pages(), [])
        out = io.StringIO()
        call_command("setup_roles", stdout=out)
        about.refresh_from_db()
        self.assertEqual(about.title, "Om oss")
        self.assertEqual(InformationPage.objects.count(), 12)

    def test_every_footer_links_the_three_pages_in_the_readers_language(self):
        practice = PracticePage.objects.get(external_id="t-practice")
        for language in LANGUAGES:
            expected = [
                page.url for page in InformationPage.objects.filter(locale__language_code=language)
            ]
            for url in (f"/{language}/", f"/{language}/search/", f"/{language}/nope/"):
                html = footer(self.client.get(url).content.decode())
                for link in expected:
                    self.assertIn(f'href="{link}" hreflang="{language}"', html, url)
        # A page in Swedish links the Swedish pages.
        html = footer(self.client.get(practice.url).content.decode())
        self.assertIn('href="/sv/tillganglighet/"', html)

    def test_information_page_renders_with_contact_and_review_date(self):
        page = InformationPage.objects.get(purpose="accessibility", locale__language_code="ar")
        response = self.client.get(page.url)
        self.assertEqual(response.status_code, HTTPStatus.OK)
        html = response.content.decode()
        self.assertIn('<html lang="ar" dir="rtl">', html)
        self.assertIn('href="mailto:kunskapsplattformen@example.org"', html)
        self.assertIn("آخر مراجعة في", html)
        self.assertIn(f'<meta name="description" content="{page.summary}">', html)

    def test_the_contact_form_links_the_personal_data_page(self):
        practice = PracticePage.objects.get(external_id="t-practice")
        html = self.client.get(practice.url).content.decode()
        form = re.search(r'<form class="contact-form".*?</form>', html, re.S).group(0)
        self.assertIn('href="/sv/personuppgifter/"', form)


class TestSiteFiles(TestCase):
    def test_favicon_answers(self):
        response = self.client.get("/favicon.ico")
        self.assertEqual(response.status_code, HTTPStatus.OK)
        body = b"".join(response.streaming_content)
        self.assertEqual(body[:4], b"\x00\x00\x01\x00")  # an ICO file

    def test_logo_in_the_header_and_the_admin(self):
        ensure_site_tree()
        html = self.client.get("/sv/").content.decode()
        self.assertRegex(
            html, r'<a class="site-name"[^>]*><img class="site-logo" src="[^"]*logo\.svg"'
        )
        login = self.client.get("/admin/login/").content.decode()
        self.assertIn("img/logo.svg", login)

    def test_html_is_served_compressed(self):
        ensure_site_tree()
        response = self.client.get("/sv/", HTTP_ACCEPT_ENCODING="gzip")
        self.assertEqual(response["Content-Encoding"], "gzip")
        self.assertIn(b"<html", gzip.decompress(response.content))

    def test_api_docs_have_a_language_and_use_no_outside_files(self):
        html = self.client.get("/api/docs/").content.decode()
        self.assertIn('<html lang="en">', html)
        sources = re.findall(r'(?:src|href)="([^"]+)"', html)
        self.assertTrue(sources)
        for source in sources:
            self.assertTrue(source.startswith("/"), source)


class TestServerErrorPage(TestCase):
    def test_500_page_in_the_language_of_the_url_without_the_database(self):
        expected = {
            "sv": ("ltr", "Något gick fel"),
            "en": ("ltr", "Something went wrong"),
            "ar": ("rtl", "حدث خطأ ما"),
            "fa": ("rtl", "مشکلی پیش آمد"),
        }
        for language, (direction, heading) in expected.items():
            request = RequestFactory().get(f"/{language}/goda-exempel/nagot/")
            with self.assertNumQueries(0):
                response = server_error(request)
            self.assertEqual(response.status_code, HTTPStatus.INTERNAL_SERVER_ERROR)
            html = response.content.decode()
            self.assertIn(f'<html lang="{language}" dir="{direction}">', html)
            self.assertIn(f"<h1>{heading}</h1>", html)
            self.assertIn("css/site.css", html)
        # Outside a language prefix (the admin): Swedish; the API answers problem+json.
        html = server_error(RequestFactory().get("/admin/pages/")).content.decode()
        self.assertIn('<html lang="sv" dir="ltr">', html)
        api = server_error(RequestFactory().get("/api/search/"))
        self.assertEqual(api["Content-Type"], "application/problem+json")

    def test_an_error_in_a_view_shows_it_in_the_readers_language(self):
        self.client.raise_request_exception = False
        with mock.patch("search.views.service.run", side_effect=RuntimeError("boom")):
            response = self.client.get("/fa/search/?q=kar")
        self.assertEqual(response.status_code, HTTPStatus.INTERNAL_SERVER_ERROR)
        self.assertIn("<h1>مشکلی پیش آمد</h1>", response.content.decode())
