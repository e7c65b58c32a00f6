"""The interface speaks sv, en, ar and fa: every string in the code is in the four catalogues,
translated, with its placeholders, and the committed .mo files are the compiled catalogues.

Extraction and compiling are GNU gettext's, through Django (``make messages``).
"""

import re
import shutil
import subprocess
import sys

import polib
import pytest

from tests.conftest import REPO

LANGUAGES = ("sv", "en", "ar", "fa")
PLACEHOLDER = re.compile(r"%\((\w+)\)[sdfr]|%[sdf]")
# What `make messages` leaves out of the extraction (Makefile: MAKEMESSAGES_OPTIONS).
NOT_EXTRACTED = (".venv", "node_modules", "tests", "benchmarks", "staticfiles", "test-results")


def catalogue(language, root=REPO):
    return polib.pofile(str(root / "locale" / language / "LC_MESSAGES" / "django.po"))


def messages(po):
    return {(entry.msgctxt, entry.msgid) for entry in po if not entry.obsolete}


def problems(po):
    found = []
    for entry in po:
        if entry.obsolete:
            continue
        where = f"{entry.msgid!r} ({entry.occurrences[0][0] if entry.occurrences else '?'})"
        if "fuzzy" in entry.flags:
            found.append(f"fuzzy: {where}")
        translations = list(entry.msgstr_plural.values()) if entry.msgid_plural else [entry.msgstr]
        if not all(translations):
            found.append(f"untranslated: {where}")
            continue
        wanted = sorted(PLACEHOLDER.findall(entry.msgid))
        for text in translations:
            if sorted(PLACEHOLDER.findall(text)) != wanted:
                found.append(f"placeholders differ: {where}: {text!r}")
    return found


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_message_is_translated_with_its_placeholders(language):
    po = catalogue(language)
    assert len(messages(po)) > 400
    assert problems(po) == []


def test_the_checks_see_what_is_wrong():
    po = polib.POFile()
    po.append(polib.POEntry(msgid="Hello %(name)s", msgstr="Hej"))
    po.append(polib.POEntry(msgid="Empty", msgstr=""))
    po.append(polib.POEntry(msgid="Guess", msgstr="Gissning", flags=["fuzzy"]))
    found = problems(po)
    assert [reason.split(":")[0] for reason in found] == [
        "placeholders differ",
        "untranslated",
        "fuzzy",
    ]


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_committed_mo_file_is_the_compiled_catalogue(language):
    po = catalogue(language)
    mo = polib.mofile(str(REPO / "locale" / language / "LC_MESSAGES" / "django.mo"))
    compiled = {(entry.msgctxt, entry.msgid): entry.msgstr or entry.msgstr_plural for entry in mo}
    written = {
        (entry.msgctxt, entry.msgid): entry.msgstr or entry.msgstr_plural
        for entry in po
        if not entry.obsolete and entry.translated()
    }
    assert compiled == written, "run `make messages` and commit locale/*/django.mo"


@pytest.mark.skipif(not shutil.which("xgettext"), reason="GNU gettext is not installed")
def test_makemessages_finds_nothing_new(tmp_path):
    # Extract from a copy of the project, so the repository's catalogues stay as they are.
    copy = tmp_path / "project"
    skipped = (".venv", "node_modules", "staticfiles", "test-results", ".git", "*.mo")
    shutil.copytree(REPO, copy, ignore=shutil.ignore_patterns(*skipped))
    result = subprocess.run(  # noqa: S603 - our own manage.py with fixed arguments
        [
            sys.executable,
            "manage.py",
            "makemessages",
            *("-l", "sv", "-l", "en", "-l", "ar", "-l", "fa"),
            "--add-location=file",
            "--no-obsolete",
            *(f"--ignore={folder}/*" for folder in NOT_EXTRACTED),
        ],
        cwd=copy,
        capture_output=True,
        text=True,
        env={"PATH": "/usr/bin:/bin", "DJANGO_SETTINGS_MODULE": "learning_platform.settings.test"},
    )
    assert result.returncode == 0, result.stderr
    for language in LANGUAGES:
        extracted = messages(catalogue(language, copy))
        committed = messages(catalogue(language))
        assert extracted - committed == set(), f"{language}: run `make messages`"
        assert committed - extracted == set(), f"{language}: strings no longer in the code"
