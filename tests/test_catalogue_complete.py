"""Every string the code marks for translation is translated in all four catalogues.

``tests/test_locales.py`` checks the entries a catalogue has; this checks the catalogues have
every entry the code asks for, using the pure-Python extractor in
``learning_platform/i18n_catalogue.py`` (no GNU gettext needed), and tests that extractor and
``manage.py update_catalogues`` on small projects written to ``tmp_path``.
"""

import shutil
import subprocess

import polib
import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.utils.translation.template import templatize

from learning_platform.i18n_catalogue import (
    ExtractionError,
    Location,
    extract_messages,
    is_python_format,
    source_files,
)
from learning_platform.i18n_sync import (
    FUZZY,
    MISSING,
    NOT_PLURAL,
    OBSOLETE,
    UNTRANSLATED,
    format_problems,
    load_catalogue,
    translation_problems,
    translator_notes,
)

from .conftest import REPO

LANGUAGES = ["sv", "en", "ar", "fa"]


@pytest.fixture(scope="module")
def repo_messages():
    return extract_messages(REPO)


# --- The real catalogues -------------------------------------------------------------------


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_string_in_the_code_is_translated(language, repo_messages):
    path = REPO / "locale" / language / "LC_MESSAGES" / "django.po"
    problems = translation_problems(load_catalogue(path), repo_messages)
    heading = (
        f"{len(problems)} string(s) in the code are not translated in "
        f"locale/{language}/LC_MESSAGES/django.po. Run `manage.py update_catalogues` to add "
        "the missing entries, then translate them:"
    )
    if problems:
        pytest.fail(format_problems(problems, repo_messages, heading), pytrace=False)


def test_the_extractor_reads_the_project_code_and_templates(repo_messages):
    skip_link = repo_messages[(None, "Skip to main content")]
    assert "templates/base.html" in {location.path for location in skip_link.locations}
    assert "home/apps.py" in {location.path for location in repo_messages[(None, "Home")].locations}
    read = [path.relative_to(REPO) for path in source_files(REPO)]
    assert not any("migrations" in path.parts for path in read)
    assert not any(path.parts[0] in {"tests", "static", ".venv"} for path in read)


# --- The extractor, on small projects ------------------------------------------------------

PYTHON_SNIPPET = """\
from django.db import models
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext, npgettext_lazy, pgettext


class Thing(models.Model):
    name = models.CharField(verbose_name=gettext_lazy("name"), help_text=_("Say 'hi'."))


def describe(n, variable):
    _("x")
    # Translators: "y" as in the letter.
    pgettext("ctx", "y")
    ngettext("one %(n)s", "many %(n)s", n)
    npgettext_lazy("fruit", "%(n)s apple", "%(n)s apples", n)
    translation.gettext("attribute call")
    _(
        "joined "
        "over lines"
    )
    _("plus " + "joined")
    _(f"plain f-string")
    _(f"f-string {variable}")  # not a literal: skipped
    _(variable)
    _("")
    return "%(n)s" % {"n": n}
"""

TEMPLATE_SNIPPET = """\
{% load i18n %}
{% translate "a" %}
{% translate "b" context "c" %}
{% blocktranslate count counter=n %}1 thing{% plural %}{{ counter }} things{% endblocktranslate %}
{% blocktranslate trimmed %}
  spaced
  text {{ x }}
{% endblocktranslate %}
{% translate "100% sure" %}
{{ value|default:_("fallback") }}
{# Translators: not a call: _("comment") #}
{% comment %}{% translate "commented out" %}{% endcomment %}
{# Translators: the last one. #}
<p>{% translate "noted" %}</p>
"""


def write(path, text):
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


@pytest.fixture
def project(tmp_path):
    write(tmp_path / "home" / "snippets.py", PYTHON_SNIPPET)
    write(tmp_path / "templates" / "page.html", TEMPLATE_SNIPPET)
    return tmp_path


def test_python_calls_give_exact_msgids(project):
    messages = extract_messages(project)
    python = {
        key: message
        for key, message in messages.items()
        if all(location.path == "home/snippets.py" for location in message.locations)
    }
    assert list(python) == [
        (None, "name"),
        (None, "Say 'hi'."),
        (None, "x"),
        ("ctx", "y"),
        (None, "one %(n)s"),
        ("fruit", "%(n)s apple"),
        (None, "attribute call"),
        (None, "joined over lines"),
        (None, "plus joined"),
        (None, "plain f-string"),
    ]
    assert python[(None, "x")].msgid_plural is None
    assert python[(None, "one %(n)s")].msgid_plural == "many %(n)s"
    assert python[("fruit", "%(n)s apple")].msgid_plural == "%(n)s apples"
    # The location is the line of the (first) string, as xgettext reports it.
    assert python[(None, "joined over lines")].locations == [Location("home/snippets.py", 19)]
    assert python[("ctx", "y")].comments == ['Translators: "y" as in the letter.']
    assert python[(None, "x")].comments == []
    plural, locations = python[(None, "x")]  # unpacks as (msgid_plural, locations)
    assert (plural, [str(location) for location in locations]) == (None, ["home/snippets.py:12"])


def test_template_tags_give_exact_msgids(project):
    messages = extract_messages(project)
    template = {
        key: message
        for key, message in messages.items()
        if message.locations[0].path == "templates/page.html"
    }
    assert list(template) == [
        (None, "a"),
        ("c", "b"),
        (None, "1 thing"),
        (None, "spaced text %(x)s"),
        (None, "100%% sure"),  # templates double %, and look the doubled string up
        (None, "fallback"),
        (None, "noted"),
    ]
    assert template[(None, "1 thing")].msgid_plural == "%(counter)s things"
    assert template[(None, "a")].locations == [Location("templates/page.html", 2)]
    assert template[(None, "spaced text %(x)s")].locations == [Location("templates/page.html", 5)]
    # As with xgettext, the note block runs on through the (empty) {% comment %} above it.
    assert template[(None, "noted")].comments == [
        'Translators: not a call: _("comment")\n\nTranslators: the last one.'
    ]
    assert template[(None, "a")].comments == []


def test_blocktranslate_without_trimmed_keeps_the_whitespace(tmp_path):
    write(
        tmp_path / "home" / "templates" / "home" / "mail.txt",
        "{% load i18n %}{% blocktranslate with name=user.name %}Hello {{ name }},\n"
        "  welcome{% endblocktranslate %}\n"
        "{% blocktranslate context 'greeting' %}Hi{% endblocktranslate %}",
    )
    assert list(extract_messages(tmp_path)) == [
        (None, "Hello %(name)s,\n  welcome"),
        ("greeting", "Hi"),
    ]


def test_string_literals_mean_what_python_makes_of_them(tmp_path):
    write(
        tmp_path / "home" / "escapes.py",
        "from django.utils.translation import gettext as _\n"
        '_("Caf\\u00e9 \\N{EN DASH} \\x41")\n'
        "_('It\\'s \"quoted\"')\n"
        '_("""Two\nlines""")\n'
        '_(r"raw \\d")\n',
    )
    assert list(extract_messages(tmp_path)) == [
        (None, "Café – A"),  # xgettext 0.21 would keep \u00e9 and \N{…} as typed
        (None, 'It\'s "quoted"'),
        (None, "Two\nlines"),
        (None, "raw \\d"),
    ]


def test_calls_without_literal_arguments_are_not_messages(tmp_path):
    write(
        tmp_path / "home" / "dynamic.py",
        "from django.utils.translation import gettext as _, ngettext\n"
        "_(label)\n"
        '_(f"Hello {name}")\n'
        '_("")\n'
        "_(*parts)\n"
        "ngettext(singular, plural, n)\n"
        'format("not a gettext call")\n',
    )
    assert extract_messages(tmp_path) == {}


def test_the_same_string_in_several_places_is_one_message_with_every_location(tmp_path):
    write(tmp_path / "home" / "a.py", '_("Save")\n\n_("Save")\n')
    write(tmp_path / "templates" / "b.html", '{% load i18n %}\n{% translate "Save" %}\n')
    messages = extract_messages(tmp_path)
    assert list(messages) == [(None, "Save")]
    assert [str(location) for location in messages[(None, "Save")].locations] == [
        "home/a.py:1",
        "home/a.py:3",
        "templates/b.html:2",
    ]


def test_only_project_code_is_read(tmp_path):
    write(tmp_path / "home" / "kept.py", '_("kept")\n')
    write(tmp_path / "home" / "templates" / "home" / "kept.html", '{% translate "kept too" %}')
    for skipped in (
        "home/migrations/0001_initial.py",
        "home/tests/test_x.py",
        "home/static/x.py",
        "home/.venv/lib/x.py",
        "home/node_modules/x/y.py",
        "tests/test_y.py",
        "other_dir/z.py",
    ):
        write(tmp_path / skipped, '_("skipped")\n')
    # A template outside a templates/ directory is not a template.
    write(tmp_path / "home" / "data" / "notes.html", '{% translate "not a template" %}')
    assert list(extract_messages(tmp_path)) == [(None, "kept"), (None, "kept too")]


def test_a_broken_template_is_reported_with_its_file(tmp_path):
    write(
        tmp_path / "templates" / "broken.html",
        "{% load i18n %}{% blocktranslate %}Hi {% if x %}x{% endif %}{% endblocktranslate %}",
    )
    with pytest.raises(ExtractionError, match="templates/broken.html"):
        extract_messages(tmp_path)


def test_a_python_syntax_error_is_reported_with_its_file_and_line(tmp_path):
    write(tmp_path / "home" / "broken.py", '_("fine")\n_("unclosed"\n')
    with pytest.raises(ExtractionError, match=r"home/broken.py:2"):
        extract_messages(tmp_path)


XGETTEXT_KEYWORDS = [  # the options manage.py makemessages gives xgettext
    "--language=Python",
    "--keyword=gettext_noop",
    "--keyword=gettext_lazy",
    "--keyword=ngettext_lazy:1,2",
    "--keyword=pgettext:1c,2",
    "--keyword=npgettext:1c,2,3",
    "--keyword=pgettext_lazy:1c,2",
    "--keyword=npgettext_lazy:1c,2,3",
    "--from-code=UTF-8",
    "--add-comments=Translators",
]


@pytest.mark.skipif(shutil.which("xgettext") is None, reason="GNU xgettext is not installed")
@pytest.mark.parametrize("where", ["fixture", "repository"])
def test_the_extractor_agrees_with_makemessages(where, project, tmp_path_factory):
    """Where GNU gettext exists, xgettext (what makemessages runs) finds the same messages."""
    base = project if where == "fixture" else REPO
    work = tmp_path_factory.mktemp("xgettext")
    inputs = []
    for number, path in enumerate(source_files(base)):
        if path.suffix == ".py":
            inputs.append(str(path))
        else:  # what makemessages feeds xgettext for a template
            python_like = work / f"{number}.py"
            python_like.write_text(templatize(path.read_text(encoding="utf-8")), encoding="utf-8")
            inputs.append(str(python_like))
    listing = write(work / "files.txt", "\n".join(inputs) + "\n")
    result = subprocess.run(  # noqa: S603 - a fixed program and our own file list
        ["xgettext", *XGETTEXT_KEYWORDS, "--files-from", str(listing), "--output=-"],  # noqa: S607
        capture_output=True,
        text=True,
        check=True,
    )
    theirs = {
        (
            entry.msgctxt,
            entry.msgid,
            entry.msgid_plural or None,
            entry.comment,
            "python-format" in entry.flags,
        )
        for entry in polib.pofile(result.stdout)
    }
    ours = {
        (
            msgctxt,
            msgid,
            message.msgid_plural,
            translator_notes(message),
            is_python_format(msgid, message.msgid_plural),
        )
        for (msgctxt, msgid), message in extract_messages(base).items()
    }
    # The one deliberate difference the fixture shows: an f-string with a {placeholder} never
    # matches at run time, so it is not a message (see DIFFERENCES_FROM_XGETTEXT).
    assert ours == theirs - {(None, "f-string {variable}", None, "", False)}


# --- manage.py update_catalogues --------------------------------------------------------------

PO_HEADER = """\
msgid ""
msgstr ""
"Content-Type: text/plain; charset=UTF-8\\n"
"Language: {language}\\n"
"Plural-Forms: {plural_forms}\\n"

"""
PLURAL_FORMS = {
    "sv": "nplurals=2; plural=(n != 1);",
    "ar": (
        "nplurals=6; plural=n==0 ? 0 : n==1 ? 1 : n==2 ? 2 : n%100>=3 && n%100<=10 ? 3 : "
        "n%100>=11 ? 4 : 5;"
    ),
}
EXISTING_ENTRIES = {
    "sv": """\
#: home/old_place.py:1
msgid "Save"
msgstr "Spara"

#: home/views.py:9
#, fuzzy
msgid "Cancel"
msgstr "Avbryt kanske"

#: home/gone.py:1
msgid "Removed from the code"
msgstr "Borttagen ur koden"

#~ msgid "Back again"
#~ msgstr "Tillbaka igen"
""",
    "ar": """\
#: home/old_place.py:1
msgid "Save"
msgstr "حفظ"

#: home/gone.py:1
msgid "Removed from the code"
msgstr "حُذف من الشيفرة"
""",
}
APP_CODE = """\
from django.utils.translation import gettext as _, ngettext, pgettext


def labels(n):
    return [
        _("Save"),
        _("Cancel"),
        _("Back again"),
        # Translators: the verb, on a button.
        pgettext("verb", "Print"),
        ngettext("%(n)s page", "%(n)s pages", n),
    ]
"""


@pytest.fixture
def fake_project(tmp_path, settings):
    write(tmp_path / "home" / "labels.py", APP_CODE)
    for language, entries in EXISTING_ENTRIES.items():
        header = PO_HEADER.format(language=language, plural_forms=PLURAL_FORMS[language])
        write(tmp_path / "locale" / language / "LC_MESSAGES" / "django.po", header + entries)
    settings.BASE_DIR = tmp_path
    settings.LOCALE_PATHS = [tmp_path / "locale"]
    settings.LANGUAGES = [("sv", "Svenska"), ("ar", "العربية")]
    return tmp_path


def po_path(project, language):
    return project / "locale" / language / "LC_MESSAGES" / "django.po"


def entries_by_key(project, language):
    catalogue = polib.pofile(str(po_path(project, language)))
    return {(entry.msgctxt, entry.msgid): entry for entry in catalogue}


def run_command(*args):
    from io import StringIO

    out = StringIO()
    call_command("update_catalogues", *args, stdout=out)
    return out.getvalue()


def test_update_adds_missing_entries_and_keeps_translations(fake_project):
    run_command()

    sv = entries_by_key(fake_project, "sv")
    assert sv[(None, "Save")].msgstr == "Spara"
    assert sv[(None, "Save")].occurrences == [("home/labels.py", "6")]
    assert sv[(None, "Cancel")].msgstr == "Avbryt kanske"
    assert "fuzzy" in sv[(None, "Cancel")].flags  # a translator still has to confirm it
    assert not sv[(None, "Back again")].obsolete
    assert sv[(None, "Back again")].msgstr == "Tillbaka igen"
    assert sv[("verb", "Print")].msgstr == ""
    assert sv[("verb", "Print")].occurrences == [("home/labels.py", "10")]
    assert sv[("verb", "Print")].comment == "Translators: the verb, on a button."
    page = sv[(None, "%(n)s page")]
    assert page.msgid_plural == "%(n)s pages"
    assert page.msgstr_plural == {0: "", 1: ""}
    assert "python-format" in page.flags
    assert sv[(None, "Removed from the code")].obsolete
    assert sv[(None, "Removed from the code")].msgstr == "Borttagen ur koden"

    ar = entries_by_key(fake_project, "ar")
    assert ar[(None, "Save")].msgstr == "حفظ"
    assert ar[(None, "%(n)s page")].msgstr_plural == dict.fromkeys(range(6), "")
    assert ar[(None, "Removed from the code")].obsolete

    # Entries follow the code, as makemessages orders them; obsolete ones come last.
    catalogue = polib.pofile(str(po_path(fake_project, "sv")))
    assert [entry.msgid for entry in catalogue] == [
        "Save",
        "Cancel",
        "Back again",
        "Print",
        "%(n)s page",
        "Removed from the code",
    ]
    # The header is kept.
    assert catalogue.metadata["Plural-Forms"] == PLURAL_FORMS["sv"]


def test_update_twice_changes_nothing_the_second_time(fake_project):
    run_command()
    first = {language: po_path(fake_project, language).read_bytes() for language in ("sv", "ar")}
    output = run_command()
    assert "up to date" in output
    assert {language: po_path(fake_project, language).read_bytes() for language in first} == first


def test_check_lists_what_is_missing_and_writes_nothing(fake_project):
    before = po_path(fake_project, "sv").read_bytes()
    from io import StringIO

    out = StringIO()
    with pytest.raises(CommandError, match="sv, ar") as raised:
        call_command("update_catalogues", "--check", stdout=out)
    assert raised.value.returncode == 1
    report = out.getvalue()
    assert (
        "  2 would be added:\n"
        "    home/labels.py\n"
        '      line 10: msgctxt "verb" msgid "Print"\n'
        '      line 11: msgid "%(n)s page" msgid_plural "%(n)s pages"\n'
    ) in report
    assert (
        '1 would be revived from obsolete:\n    home/labels.py\n      line 8: msgid "Back' in report
    )
    assert (
        '1 would be marked obsolete (no longer in the code):\n    msgid "Removed from the code"'
    ) in report
    assert po_path(fake_project, "sv").read_bytes() == before

    run_command()
    assert "up to date" in run_command("--check")


def test_no_obsolete_removes_entries_the_code_no_longer_uses(fake_project):
    run_command("--no-obsolete", "--locale", "sv")
    assert (None, "Removed from the code") not in entries_by_key(fake_project, "sv")
    # Only the language asked for is touched.
    assert not entries_by_key(fake_project, "ar")[(None, "Removed from the code")].obsolete


def test_a_message_that_became_plural_keeps_its_translation_as_the_first_form(fake_project):
    write(
        po_path(fake_project, "sv"),
        PO_HEADER.format(language="sv", plural_forms=PLURAL_FORMS["sv"])
        + 'msgid "%(n)s page"\nmsgstr "%(n)s sida"\n',
    )
    run_command("--locale", "sv")
    entry = entries_by_key(fake_project, "sv")[(None, "%(n)s page")]
    assert entry.msgid_plural == "%(n)s pages"
    assert entry.msgstr_plural == {0: "%(n)s sida", 1: ""}
    assert "fuzzy" in entry.flags


def test_a_language_without_a_catalogue_is_an_error(fake_project):
    with pytest.raises(CommandError, match="No catalogue for 'fa'"):
        run_command("--locale", "fa")


def test_translation_problems_name_each_reason(fake_project):
    messages = extract_messages(fake_project)
    sv = po_path(fake_project, "sv")

    def reasons():
        problems = translation_problems(load_catalogue(sv), messages)
        return {problem.key[1]: problem.reason for problem in problems}

    assert reasons() == {
        "Cancel": FUZZY,
        "Back again": OBSOLETE,
        "Print": MISSING,
        "%(n)s page": MISSING,
    }
    run_command()
    assert reasons() == {"Cancel": FUZZY, "Print": UNTRANSLATED, "%(n)s page": UNTRANSLATED}

    # Every plural form must be filled in, and the entry must have plural forms at all.
    catalogue = load_catalogue(sv)
    entry = catalogue.find("%(n)s page")
    entry.msgstr_plural = {0: "%(n)s sida", 1: ""}
    catalogue.save()
    assert reasons()["%(n)s page"] == UNTRANSLATED
    entry.msgstr_plural = {0: "%(n)s sida", 1: "%(n)s sidor"}
    catalogue.save()
    assert "%(n)s page" not in reasons()
    write(
        sv,
        PO_HEADER.format(language="sv", plural_forms=PLURAL_FORMS["sv"])
        + 'msgid "%(n)s page"\nmsgstr "%(n)s sida"\n',
    )
    assert reasons()["%(n)s page"] == NOT_PLURAL


def test_the_failure_message_groups_missing_strings_by_file(fake_project):
    write(fake_project / "templates" / "page.html", '{% load i18n %}\n{% translate "Close" %}')
    messages = extract_messages(fake_project)
    problems = translation_problems(load_catalogue(po_path(fake_project, "ar")), messages)
    assert format_problems(problems, messages, "ar:") == "\n".join(
        [
            "ar:",
            "  home/labels.py",
            '    line 7: msgid "Cancel" — missing',
            '    line 8: msgid "Back again" — missing',
            '    line 10: msgctxt "verb" msgid "Print" — missing',
            '    line 11: msgid "%(n)s page" msgid_plural "%(n)s pages" — missing',
            "  templates/page.html",
            '    line 2: msgid "Close" — missing',
        ]
    )


def test_a_broken_catalogue_stops_the_run_before_anything_is_written(fake_project):
    before = po_path(fake_project, "sv").read_bytes()
    write(po_path(fake_project, "ar"), 'msgid "a"\nmsgstr "b"\nnot PO syntax\n')
    with pytest.raises(CommandError, match="Cannot read the 'ar' catalogue"):
        run_command()
    assert po_path(fake_project, "sv").read_bytes() == before


def test_code_that_cannot_be_read_is_a_clear_error(fake_project):
    before = po_path(fake_project, "sv").read_bytes()
    write(fake_project / "home" / "half_written.py", '_("unfinished"\n')
    with pytest.raises(CommandError, match=r"home/half_written.py:\d+: cannot parse"):
        run_command()
    assert po_path(fake_project, "sv").read_bytes() == before
