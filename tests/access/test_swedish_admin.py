"""The admin in Swedish: the pages an editor and a coordinator use show no English
interface text.

Every msgid of the project's and the admin apps' catalogues (Wagtail, wagtail-localize) is a
string the interface can print. Rendered in Swedish, a text node or a label equal to such an
English msgid was left untranslated (most often: Wagtail's Swedish catalogue lacks a string
added since it was last translated; ``home/admin_strings.py`` supplies those). Strings of two
words or more are checked (single words also occur in content and names).
"""

import re
from pathlib import Path

import polib
import wagtail
import wagtail_localize
from bs4 import BeautifulSoup
from django.test import TestCase
from django.urls import reverse

from practices.models import Indicator, MethodIndexPage, PracticeIndexPage

from .world import build_world

REPO = Path(__file__).resolve().parents[2]
PACKAGES = [Path(wagtail.__file__).parent, Path(wagtail_localize.__file__).parent]
# Every string the interface can print: the English catalogues hold all of the apps' msgids
# (a Swedish catalogue lacks the strings added since it was last translated).
SOURCES = [
    REPO / "locale" / "en" / "LC_MESSAGES" / "django.po",
    *(path for package in PACKAGES for path in package.glob("**/locale/en/LC_MESSAGES/django.po")),
]
SWEDISH = [
    REPO / "locale" / "sv" / "LC_MESSAGES" / "django.po",
    *(path for package in PACKAGES for path in package.glob("**/locale/sv/LC_MESSAGES/django.po")),
]
ATTRIBUTES = ("aria-label", "title", "placeholder", "alt")


def english_msgids():
    """Interface strings of two words or more, except those Swedish writes the same way."""
    same = set()
    for path in SWEDISH:
        for entry in polib.pofile(str(path)):
            if entry.msgstr.strip() == entry.msgid.strip():
                same.add(entry.msgid.strip())
    found = set()
    for path in SOURCES:
        for entry in polib.pofile(str(path)):
            text = entry.msgid.strip()
            if entry.obsolete or entry.msgid_plural or "%" in text or "{" in text:
                continue
            if len(text.split()) >= 2 and text not in same:
                found.add(text)
    return found


ENGLISH = english_msgids()


def add_args(model_name, index):
    return ["practices", model_name, index.pk]


def untranslated(html):
    soup = BeautifulSoup(html, "html.parser")
    for hidden in soup.find_all(["script", "style", "template"]):
        hidden.decompose()
    texts = {" ".join(node.split()) for node in soup.find_all(string=True)}
    for element in soup.find_all(True):
        texts.update(" ".join(str(element.get(name, "")).split()) for name in ATTRIBUTES)
    return sorted(text for text in texts if text in ENGLISH)


class TestSwedishAdmin(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.world = build_world()

    def crawl(self, user, urls):
        self.client.force_login(user)
        problems = {}
        for url in urls:
            response = self.client.get(url, HTTP_ACCEPT_LANGUAGE="sv")
            assert response.status_code == 200, (url, response.status_code)
            assert '<html lang="sv"' in response.content.decode()[:2000], url
            found = untranslated(response.content.decode())
            if found:
                problems[url] = found
        assert problems == {}, problems

    def editor_urls(self):
        practice_index = PracticeIndexPage.objects.get(locale__language_code="sv")
        method_index = MethodIndexPage.objects.get(locale__language_code="sv")
        draft = self.world.pages["sunne_draft"]
        return [
            reverse("wagtailadmin_home"),
            reverse("wagtailadmin_explore", args=[practice_index.pk]),
            reverse("wagtailadmin_explore", args=[method_index.pk]),
            reverse(
                "wagtailadmin_pages:add", args=["practices", "practicepage", practice_index.pk]
            ),
            reverse("wagtailadmin_pages:add", args=["practices", "methodpage", method_index.pk]),
            reverse("wagtailadmin_pages:edit", args=[draft.pk]),
            reverse("wagtailadmin_pages:history", args=[draft.pk]),
            reverse("wagtailadmin_account"),
            reverse("organisations_editors_guide"),
            reverse("wagtailimages:index"),
            reverse("wagtaildocs:index"),
        ]

    def test_an_editors_pages_are_in_swedish(self):
        self.crawl(self.world.users["sunne"], self.editor_urls())

    def test_a_coordinators_pages_are_in_swedish(self):
        indicator = Indicator.objects.get(slug="in_work", locale__language_code="sv")
        urls = [
            *self.editor_urls(),
            reverse("wagtailsnippets_practices_organisation:list"),
            # The vocabularies' rows in Swedish (each language's rows are content).
            reverse("wagtailsnippets_practices_activitytype:list") + "?locale=sv",
            reverse("wagtailsnippets_practices_indicator:list") + "?locale=sv",
            reverse("wagtailsnippets_practices_indicator:edit", args=[indicator.pk]),
            reverse("wagtailadmin_reports:locked_pages"),
        ]
        self.crawl(self.world.users["coordinator"], urls)


def test_the_check_finds_english_left_in_a_swedish_page():
    """The detector itself: an English interface string in a Swedish page is caught."""
    sample = next(iter(sorted(ENGLISH)))
    html = f'<html lang="sv"><body><p>Hej</p><button aria-label="{sample}">x</button></body></html>'
    assert untranslated(html) == [sample]
    assert untranslated('<html lang="sv"><body><p>Spara utkast</p></body></html>') == []
    assert re.search(r"\w", sample)
