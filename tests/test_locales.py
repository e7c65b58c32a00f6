"""The four interface catalogues are complete, and the site speaks the reader's language."""

import re

import polib
import pytest

from .conftest import REPO

LANGUAGES = ["sv", "en", "ar", "fa"]
PLACEHOLDER = re.compile(r"%\(\w+\)[sd]")


@pytest.mark.parametrize("language", LANGUAGES)
def test_catalogue_has_no_untranslated_or_fuzzy_entries(language):
    catalogue = polib.pofile(str(REPO / "locale" / language / "LC_MESSAGES" / "django.po"))
    assert len(catalogue) > 100
    problems = []
    for entry in catalogue:
        if entry.obsolete:
            continue
        translations = list(entry.msgstr_plural.values()) if entry.msgid_plural else [entry.msgstr]
        if "fuzzy" in entry.flags or not all(t.strip() for t in translations):
            problems.append(entry.msgid)
            continue
        wanted = set(PLACEHOLDER.findall(entry.msgid))
        if any(set(PLACEHOLDER.findall(t)) != wanted for t in translations):
            problems.append(f"placeholders differ: {entry.msgid}")
    assert problems == []


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("language", "text"),
    [
        ("sv", "Hoppa till huvudinnehållet"),
        ("ar", "الانتقال إلى المحتوى الرئيسي"),
        ("en", "Skip to main content"),
    ],
)
def test_interface_strings_follow_the_url_language(client, site_tree, language, text):
    response = client.get(f"/{language}/")
    assert text in response.content.decode()
