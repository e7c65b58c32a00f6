"""The language switcher, hreflang alternates and the "not translated yet" notice."""

import re
from http import HTTPStatus

from django.test import TestCase
from django.utils import translation
from django.utils.translation import gettext
from wagtail.models import Locale, Site

from home.site_tree import ensure_site_tree
from practices.models import PracticePage
from tests.helpers import record, run_import


def switcher_links(html):
    """``{language: (href, attributes)}`` for the links in the language switcher."""
    nav = re.search(r'<nav class="language-switcher".*?</nav>', html, re.S).group(0)
    links = {}
    for attributes, _text in re.findall(r"<a ([^>]*)>(.*?)</a>", nav, re.S):
        attrs = dict(re.findall(r'([\w-]+)="([^"]*)"', attributes))
        if "aria-current" in attributes and "aria-current" not in attrs:
            attrs["aria-current"] = ""
        links[attrs["lang"]] = attrs
    return links


def alternates(html):
    """``{hreflang: href}`` of the page's ``<link rel="alternate">`` elements."""
    return dict(re.findall(r'<link rel="alternate" hreflang="([^"]+)" href="([^"]+)">', html))


class ReadingTestCase(TestCase):
    @classmethod
    def setUpTestData(cls):
        ensure_site_tree()
        summary = run_import(
            record(
                external_id="t-translated",
                title="Språkcafé i Sunne",
                translations={
                    "en": {"title": "Language café in Sunne", "summary": "Meetings."},
                    "ar": {"title": "مقهى اللغة في سونه", "summary": "لقاءات."},
                },
            ),
            record(external_id="t-swedish-only", title="Läxhjälp i Arvika"),
        )
        assert summary.rejections == [], summary.rejections

    def page(self, external_id, language="sv"):
        return PracticePage.objects.get(external_id=external_id, locale__language_code=language)

    def get(self, url, **headers):
        response = self.client.get(url, **headers)
        self.assertEqual(response.status_code, HTTPStatus.OK, url)
        return response.content.decode()


class TestLanguageSwitcher(ReadingTestCase):
    def test_every_language_by_its_own_name_with_lang_and_dir(self):
        html = self.get(self.page("t-translated").url)
        links = switcher_links(html)
        self.assertEqual(list(links), ["sv", "en", "ar", "fa"])
        self.assertEqual(
            {code: attrs["dir"] for code, attrs in links.items()},
            {"sv": "ltr", "en": "ltr", "ar": "rtl", "fa": "rtl"},
        )
        for name in ("Svenska", "English", "العربية", "دری / فارسی"):
            self.assertIn(f">{name}", html)

    def test_links_go_to_the_same_page_in_each_language(self):
        page = self.page("t-translated")
        links = switcher_links(self.get(page.url))
        self.assertEqual(links["sv"]["aria-current"], "true")
        self.assertEqual(links["en"]["href"], self.page("t-translated", "en").url)
        self.assertEqual(links["ar"]["href"], self.page("t-translated", "ar").url)
        self.assertEqual(links["ar"]["hreflang"], "ar")
        self.assertNotIn("aria-current", links["en"])

    def test_the_active_language_is_marked_current_on_a_translation(self):
        links = switcher_links(self.get(self.page("t-translated", "ar").url))
        self.assertEqual([code for code, a in links.items() if "aria-current" in a], ["ar"])
        self.assertEqual(links["sv"]["href"], self.page("t-translated").url)

    def test_a_missing_translation_keeps_the_reader_on_the_page(self):
        page = self.page("t-translated")
        links = switcher_links(self.get(page.url))
        # No Persian translation: stay here, ask the page to say so in Persian.
        self.assertEqual(links["fa"]["href"], f"{page.url}?from=fa")
        self.assertEqual(links["fa"]["hreflang"], "sv")
        self.assertIn("language-switcher__untranslated", links["fa"]["class"])

    def test_an_unpublished_translation_is_not_offered(self):
        self.page("t-translated", "en").unpublish()
        page = self.page("t-translated")
        html = self.get(page.url)
        self.assertEqual(switcher_links(html)["en"]["href"], f"{page.url}?from=en")
        self.assertNotIn("en", alternates(html))

    def test_filters_carry_over_but_not_the_page_number(self):
        index = self.page("t-translated").get_parent()
        html = self.get(f"{index.url}?target_group=new-arrivals&page=1")
        href = switcher_links(html)["en"]["href"]
        self.assertTrue(href.startswith("/en/"), href)
        self.assertIn("target_group=new-arrivals", href)
        self.assertNotIn("page=", href)

    def test_views_that_are_not_pages_swap_the_language_prefix(self):
        html = self.get("/sv/search/?q=spr%C3%A5kcaf%C3%A9")
        links = switcher_links(html)
        self.assertEqual(links["ar"]["href"], "/ar/search/?q=spr%C3%A5kcaf%C3%A9")
        self.assertEqual(links["sv"]["aria-current"], "true")
        root = Site.objects.get(is_default_site=True).root_url
        self.assertEqual(alternates(html)["fa"], f"{root}/fa/search/")
        self.assertEqual(alternates(html)["x-default"], f"{root}/sv/search/")

    def test_switcher_works_without_javascript(self):
        html = self.get(self.page("t-translated").url)
        nav = re.search(r'<nav class="language-switcher".*?</nav>', html, re.S).group(0)
        self.assertNotIn("<script", nav)
        self.assertNotIn("onclick", nav)
        self.assertIn('aria-label="', nav)


class TestHreflang(ReadingTestCase):
    def test_alternates_are_exactly_the_live_translations(self):
        page = self.page("t-translated")
        found = alternates(self.get(page.url))
        self.assertEqual(
            found,
            {
                "sv": page.full_url,
                "en": self.page("t-translated", "en").full_url,
                "ar": self.page("t-translated", "ar").full_url,
                "x-default": page.full_url,
            },
        )
        self.assertTrue(page.full_url.startswith("http"))

    def test_every_translation_lists_the_same_set(self):
        expected = alternates(self.get(self.page("t-translated").url))
        for code in ("en", "ar"):
            self.assertEqual(alternates(self.get(self.page("t-translated", code).url)), expected)

    def test_an_untranslated_page_has_only_itself_and_x_default(self):
        page = self.page("t-swedish-only")
        url = page.full_url
        self.assertEqual(alternates(self.get(page.url)), {"sv": url, "x-default": url})


def language_notice(html):
    """The "not translated yet" / "also available" notice, or None."""
    match = re.search(r'<div class="notice notice--language"[^>]*>.*?</div>', html, re.S)
    return match.group(0) if match else None


class TestUntranslatedNotice(ReadingTestCase):
    def test_the_source_page_says_in_the_readers_language_that_it_is_not_translated(self):
        page = self.page("t-swedish-only")
        html = self.get(f"{page.url}?from=ar")
        notice = language_notice(html)
        self.assertIsNotNone(notice)
        self.assertIn('lang="ar" dir="rtl"', notice)
        # The page itself stays Swedish; the notice names the languages it can be read in.
        self.assertIn('<html lang="sv" dir="ltr">', html)
        self.assertIn(f'<a href="{page.url}" lang="sv" dir="ltr" hreflang="sv"', notice)
        self.assertIn(">Svenska</a>", notice)

    def test_the_notice_is_written_in_the_readers_language(self):
        html = self.get(f"{self.page('t-swedish-only').url}?from=fa")
        notice = language_notice(html)
        self.assertIn('lang="fa" dir="rtl"', notice)
        with translation.override("fa"):
            expected = gettext("This page has not been translated into %(language)s yet.") % {
                "language": gettext("Dari / Persian")
            }
        self.assertIn(expected, notice)

    def test_it_lists_every_language_the_page_exists_in(self):
        page = self.page("t-translated")
        notice = language_notice(self.get(f"{page.url}?from=fa"))
        for code in ("sv", "en", "ar"):
            self.assertIn(f'href="{self.page("t-translated", code).url}"', notice)
        self.assertNotIn('lang="fa" dir="rtl" hreflang', notice)

    def test_no_notice_without_a_wish_or_for_an_unknown_language(self):
        page = self.page("t-swedish-only")
        for query in ("", "?from=", "?from=klingon", "?from=sv", "?from=%3Cscript%3E"):
            html = self.get(page.url + query)
            self.assertIsNone(language_notice(html), query)
            self.assertNotIn("<script>", html)

    def test_a_wish_that_can_be_met_offers_the_translation(self):
        page = self.page("t-translated")
        html = self.get(f"{page.url}?from=ar")
        notice = language_notice(html)
        self.assertIn('lang="ar" dir="rtl"', notice)
        self.assertIn(f'href="{self.page("t-translated", "ar").url}"', notice)

    def test_cards_for_records_in_another_language_carry_the_readers_language(self):
        index = self.page("t-swedish-only").get_parent().localized
        ar_index = index.get_translation(Locale.objects.get(language_code="ar"))
        html = self.get(ar_index.url)
        self.assertIn(f'href="{self.page("t-swedish-only").url}?from=ar" lang="sv"', html)
        # Translated records link straight to their translation.
        self.assertIn(f'href="{self.page("t-translated", "ar").url}"', html)


class TestPreview(ReadingTestCase):
    def test_admin_preview_renders_the_switcher_and_notices(self):
        page = self.page("t-translated", "ar")
        response = page.make_preview_request()
        self.assertEqual(response.status_code, HTTPStatus.OK)
        html = response.content.decode()
        self.assertEqual(switcher_links(html)["sv"]["href"], self.page("t-translated").url)

    def test_preview_of_an_unsaved_draft_still_renders(self):
        parent = self.page("t-translated").get_parent()
        draft = PracticePage(
            title="Utkast", summary="Ännu inte sparad.", locale=parent.locale, slug="utkast"
        )
        draft.set_url_path(parent)
        response = draft.make_preview_request()
        self.assertEqual(response.status_code, HTTPStatus.OK)


class TestAliases(ReadingTestCase):
    """An alias in another language's tree shows the source text under that interface."""

    def setUp(self):
        source = self.page("t-swedish-only")
        arabic = Locale.objects.get(language_code="ar")
        parent = source.get_parent().get_translation(arabic)
        # As wagtail-localize makes them: same translation key, locale of the tree.
        self.alias = source.create_alias(
            parent=parent, update_locale=arabic, reset_translation_key=False
        )
        self.source = source

    def test_the_alias_says_it_is_not_translated_in_its_trees_language(self):
        html = self.get(self.alias.url)
        self.assertIn('<html lang="ar" dir="rtl">', html)
        notice = language_notice(html)
        self.assertIn('lang="ar" dir="rtl"', notice)
        self.assertIn(f'href="{self.source.url}"', notice)

    def test_the_switcher_leads_to_the_alias_but_hreflang_leaves_it_out(self):
        html = self.get(self.source.url)
        link = switcher_links(html)["ar"]
        self.assertEqual(link["href"], self.alias.url)
        self.assertEqual(link["hreflang"], "sv")
        self.assertIn("language-switcher__untranslated", link["class"])
        self.assertNotIn("ar", alternates(html))
        self.assertNotIn("ar", alternates(self.get(self.alias.url)))
