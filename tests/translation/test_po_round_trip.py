"""export_translations / import_translations: the offline round trip and its refusals."""

import io
import json
import uuid

import polib
import pytest
from django.core.management import CommandError, call_command
from wagtail.models import Locale
from wagtail_localize.models import StringTranslation, TranslationSource

from practices.models import PracticePage
from tests.helpers import record, run_import
from translation.status import IN_PROGRESS, TRANSLATED, language_statuses

pytestmark = pytest.mark.django_db

FILE = "practice-t-practice-ar.po"


@pytest.fixture
def source(site_tree):
    result = run_import(
        record(
            challenge="Många **nyanlända** saknar någon att prata svenska med.",
            translations={
                "en": {
                    "title": "Language café",
                    "summary": "Volunteers meet.",
                    "challenge": "Many **new arrivals** have no one to speak Swedish with.",
                }
            },
        )
    )
    assert not result.rejections
    return PracticePage.objects.get(external_id="t-practice", locale__language_code="sv")


def export(language, directory):
    out = io.StringIO()
    call_command("export_translations", language, str(directory), stdout=out)
    return out.getvalue()


def run_import_translations(directory, *args, capture):
    out, err = io.StringIO(), io.StringIO()
    with capture(execute=True):
        call_command("import_translations", str(directory), *args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def translate_file(path, prefix="AR: "):
    po = polib.pofile(str(path))
    for entry in po:
        entry.msgstr = prefix + entry.msgid
    po.save(str(path))
    return po


def arabic_pages(source):
    return PracticePage.objects.filter(
        translation_key=source.translation_key, locale__language_code="ar"
    )


def ar_strings(source):
    return StringTranslation.objects.filter(
        context__object_id=source.translation_key, locale__language_code="ar"
    )


def test_export_writes_one_file_per_page_to_translate(source, tmp_path):
    output = export("ar", tmp_path)
    assert (tmp_path / FILE).exists()
    assert f"{FILE}: missing, 0/" in output
    po = polib.pofile(str(tmp_path / FILE))
    assert po.metadata["X-WagtailLocalize-TranslationID"]
    assert po.metadata["Language"] == "ar"
    msgids = {entry.msgctxt: entry.msgid for entry in po}
    assert msgids["title"] == "Språkcafé i Sunne"
    assert msgids["summary"] == source.summary
    assert all(entry.msgstr == "" for entry in po)
    # The English translation is complete, so nothing to do there.
    assert "exported: 0 file(s)" in export("en", tmp_path / "en")


def test_round_trip_saves_a_draft_for_review(source, tmp_path, django_capture_on_commit_callbacks):
    export("ar", tmp_path)
    translate_file(tmp_path / FILE)
    out, err = run_import_translations(tmp_path, capture=django_capture_on_commit_callbacks)
    assert err == ""
    assert f"{FILE}: " in out and "saved as draft" in out
    assert "imported: 1 file(s), 0 refused" in out
    page = arabic_pages(source).get()
    assert not page.live
    draft = page.get_latest_revision_as_object()
    assert draft.title == "AR: Språkcafé i Sunne"
    assert draft.summary == "AR: " + source.summary
    assert "AR: " in draft.challenge
    # Synchronised fields come from the source.
    assert draft.external_id == "t-practice"
    statuses = {s.language_code: s.status for s in language_statuses(source)}
    assert statuses["ar"] == IN_PROGRESS


def test_round_trip_with_publish(source, tmp_path, django_capture_on_commit_callbacks):
    export("ar", tmp_path)
    translate_file(tmp_path / FILE)
    out, _err = run_import_translations(
        tmp_path, "--publish", capture=django_capture_on_commit_callbacks
    )
    assert "published" in out
    page = arabic_pages(source).get()
    assert page.live
    assert page.title == "AR: Språkcafé i Sunne"
    statuses = {s.language_code: s.status for s in language_statuses(source)}
    assert statuses["ar"] == TRANSLATED
    assert all(t.translation_type == "manual" for t in ar_strings(source))
    # Nothing left to do in Arabic for this page now.
    assert FILE not in export("ar", tmp_path / "again")


def test_export_content_writes_po_translations_too(
    source, tmp_path, django_capture_on_commit_callbacks
):
    export("ar", tmp_path)
    translate_file(tmp_path / FILE)
    run_import_translations(tmp_path, "--publish", capture=django_capture_on_commit_callbacks)
    target = tmp_path / "content.jsonl"
    call_command("export_content", str(target), stdout=io.StringIO(), stderr=io.StringIO())
    records = [json.loads(line) for line in target.read_text(encoding="utf-8").splitlines()]
    translations = next(r for r in records if r["external_id"] == "t-practice")["translations"]
    assert translations["ar"]["title"] == "AR: Språkcafé i Sunne"
    assert translations["en"]["title"] == "Language café"


def test_outdated_translation_is_exported_with_what_is_still_valid(
    source, tmp_path, django_capture_on_commit_callbacks
):
    source.summary = "En ny sammanfattning."
    source.save_revision().publish()
    output = export("en", tmp_path)
    assert "practice-t-practice-en.po: outdated" in output
    po = polib.pofile(str(tmp_path / "practice-t-practice-en.po"))
    entries = {entry.msgctxt: entry for entry in po if not entry.obsolete}
    assert entries["title"].msgstr == "Language café"
    assert entries["summary"].msgid == "En ny sammanfattning."
    assert entries["summary"].msgstr == ""


def test_stale_file_is_refused_and_nothing_applied(
    source, tmp_path, django_capture_on_commit_callbacks
):
    export("ar", tmp_path)
    translate_file(tmp_path / FILE)
    source.summary = "Sammanfattningen ändrades efter exporten."
    source.save_revision().publish()
    with pytest.raises(CommandError) as error:
        run_import_translations(tmp_path, capture=django_capture_on_commit_callbacks)
    assert "1 file(s) refused" in str(error.value)
    assert not arabic_pages(source).exists()
    assert not ar_strings(source).exists()


def test_stale_file_after_the_source_was_synced_is_refused(
    source, tmp_path, django_capture_on_commit_callbacks
):
    export("ar", tmp_path)
    translate_file(tmp_path / FILE)
    source.summary = "Sammanfattningen ändrades efter exporten."
    source.save_revision().publish()
    TranslationSource.objects.get(object_id=source.translation_key).update_from_db()
    err = io.StringIO()
    with pytest.raises(CommandError), django_capture_on_commit_callbacks(execute=True):
        call_command("import_translations", str(tmp_path), stdout=io.StringIO(), stderr=err)
    message = err.getvalue()
    assert message.startswith(f"{FILE}: not imported: ")
    assert "does not match the current text" in message
    assert "no longer in the source: 1" in message
    assert not arabic_pages(source).exists()
    assert not ar_strings(source).exists()


def test_stale_message_names_the_changed_source(
    source, tmp_path, django_capture_on_commit_callbacks
):
    export("ar", tmp_path)
    translate_file(tmp_path / FILE)
    source.title = "Språkcafé i Sunne kommun"
    source.save_revision().publish()
    err = io.StringIO()
    with pytest.raises(CommandError), django_capture_on_commit_callbacks(execute=True):
        call_command("import_translations", str(tmp_path), stdout=io.StringIO(), stderr=err)
    assert 'The source page "Språkcafé i Sunne kommun" has changed since' in err.getvalue()


def test_good_files_are_applied_even_when_another_is_refused(
    source, tmp_path, django_capture_on_commit_callbacks
):
    export("ar", tmp_path)
    translate_file(tmp_path / FILE)
    (tmp_path / "broken.po").write_text("this is not a PO file\n", encoding="utf-8")
    err = io.StringIO()
    with pytest.raises(CommandError), django_capture_on_commit_callbacks(execute=True):
        call_command("import_translations", str(tmp_path), stdout=io.StringIO(), stderr=err)
    assert err.getvalue().startswith("broken.po: not imported: ")
    assert arabic_pages(source).exists()


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        (lambda po: po.metadata.pop("X-WagtailLocalize-TranslationID"), "has no X-WagtailLocalize"),
        (
            lambda po: po.metadata.update({"X-WagtailLocalize-TranslationID": str(uuid.uuid4())}),
            "No translation",
        ),
        (lambda po: [setattr(entry, "msgstr", "") for entry in po], "no translated strings"),
        (
            lambda po: setattr(po.find("Språkcafé i Sunne", by="msgid"), "msgstr", "x" * 300),
            "The translation of title is too long: 300 characters, at most 255.",
        ),
    ],
    ids=["no-header", "unknown-translation", "nothing-translated", "title-too-long"],
)
def test_bad_files_are_refused_with_a_reason(
    source, tmp_path, django_capture_on_commit_callbacks, change, expected
):
    export("ar", tmp_path)
    po = translate_file(tmp_path / FILE)
    change(po)
    po.save(str(tmp_path / FILE))
    err = io.StringIO()
    with pytest.raises(CommandError), django_capture_on_commit_callbacks(execute=True):
        call_command("import_translations", str(tmp_path), stdout=io.StringIO(), stderr=err)
    assert err.getvalue().startswith(f"{FILE}: not imported: ")
    assert expected in err.getvalue()
    assert not arabic_pages(source).exists()
    assert not ar_strings(source).exists()


def test_export_refuses_the_source_language_and_unknown_languages(site_tree, tmp_path):
    with pytest.raises(CommandError, match="source language"):
        export("sv", tmp_path)
    with pytest.raises(CommandError, match='no language "xx"'):
        export("xx", tmp_path)


def test_import_needs_an_existing_folder(tmp_path):
    with pytest.raises(CommandError, match="No such folder"):
        call_command("import_translations", str(tmp_path / "nowhere"))


def test_new_taxonomy_term_round_trip(site_tree, tmp_path, django_capture_on_commit_callbacks):
    """A term a coordinator added and sent for translation is exported and imported (live)."""
    from wagtail_localize.operations import translate_object

    from practices.models import ActivityType

    swedish = Locale.objects.get(language_code="sv")
    term = ActivityType.objects.create(locale=swedish, slug="homework-help", name="Läxhjälp")
    arabic = Locale.objects.get(language_code="ar")
    translate_object(term, [arabic])
    # wagtail-localize copies the Swedish label until someone translates it.
    assert ActivityType.objects.get(slug="homework-help", locale=arabic).name == "Läxhjälp"

    output = export("ar", tmp_path)
    assert "activitytype-homework-help-ar.po: in_progress, 0/1" in output
    po = polib.pofile(str(tmp_path / "activitytype-homework-help-ar.po"))
    assert [(entry.msgctxt, entry.msgid) for entry in po] == [("name", "Läxhjälp")]
    po[0].msgstr = "المساعدة في الواجبات المدرسية"
    po.save(str(tmp_path / "activitytype-homework-help-ar.po"))
    out, _err = run_import_translations(tmp_path, capture=django_capture_on_commit_callbacks)
    assert "published" in out  # terms have no drafts
    translated = ActivityType.objects.get(slug="homework-help", locale=arabic)
    assert translated.name == "المساعدة في الواجبات المدرسية"
    assert "activitytype-homework-help-ar.po" not in export("ar", tmp_path / "again")


def test_drafts_waiting_for_review_are_not_exported_again(
    source, tmp_path, django_capture_on_commit_callbacks
):
    export("ar", tmp_path)
    translate_file(tmp_path / FILE)
    run_import_translations(tmp_path, capture=django_capture_on_commit_callbacks)
    assert FILE not in export("ar", tmp_path / "again")


def test_partly_translated_file_leaves_the_rest_to_do(
    source, tmp_path, django_capture_on_commit_callbacks
):
    export("ar", tmp_path)
    po = polib.pofile(str(tmp_path / FILE))
    po.find("title", by="msgctxt").msgstr = "مقهى اللغة في سونه"
    po.save(str(tmp_path / FILE))
    run_import_translations(tmp_path, capture=django_capture_on_commit_callbacks)
    status = {s.language_code: s for s in language_statuses(source)}["ar"]
    assert status.status == IN_PROGRESS
    assert 0 < status.progress < 100
    output = export("ar", tmp_path / "again")
    assert f"{FILE}: in_progress, 1/" in output
