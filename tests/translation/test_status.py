"""Translation status: source, translated, in progress, outdated, missing, machine translated."""

import pytest
from wagtail.models import Locale
from wagtail_localize.models import StringTranslation, Translation, TranslationSource

from practices.models import PracticePage
from tests.helpers import record, run_import
from translation.status import (
    IN_PROGRESS,
    MISSING,
    OUTDATED,
    SOURCE,
    TRANSLATED,
    language_statuses,
    overview,
    translation_state,
)

pytestmark = pytest.mark.django_db


def imported(**fields):
    result = run_import(
        record(
            translations={"en": {"title": "Language café", "summary": "Meetings with volunteers."}},
            **fields,
        )
    )
    assert not result.rejections, result.rejections
    pages = PracticePage.objects.filter(external_id="t-practice").order_by("id")
    return {page.locale.language_code: page for page in pages}


def statuses_of(page):
    return {status.language_code: status.status for status in language_statuses(page)}


def republish_source(page, **changes):
    page = PracticePage.objects.get(pk=page.pk)
    for name, value in changes.items():
        setattr(page, name, value)
    page.save_revision().publish()
    return page


def test_imported_translation_is_a_wagtail_localize_translation(site_tree):
    pages = imported()
    source = TranslationSource.objects.get(object_id=pages["sv"].translation_key)
    translation = Translation.objects.get(source=source, target_locale=pages["en"].locale)
    assert translation.get_progress()[0] == translation.get_progress()[1] > 0
    title = StringTranslation.objects.get(
        context__object_id=pages["sv"].translation_key,
        context__path="title",
        locale=pages["en"].locale,
    )
    assert title.data == "Language café"
    assert title.translation_type == StringTranslation.TRANSLATION_TYPE_MANUAL


def test_statuses_per_language(site_tree):
    pages = imported()
    statuses = language_statuses(pages["en"])
    assert [s.language_code for s in statuses] == ["sv", "en", "ar", "fa"]
    assert {s.language_code: s.status for s in statuses} == {
        "sv": SOURCE,
        "en": TRANSLATED,
        "ar": MISSING,
        "fa": MISSING,
    }
    by_language = {s.language_code: s for s in statuses}
    assert by_language["en"].page.pk == pages["en"].pk
    assert by_language["en"].progress == 100
    assert by_language["ar"].page is None
    assert by_language["ar"].progress is None


def test_translation_state_of_source_and_translation(site_tree):
    pages = imported()
    source_state = translation_state(pages["sv"])
    assert source_state.source is None
    assert not source_state.outdated
    state = translation_state(pages["en"])
    assert state.source.pk == pages["sv"].pk
    assert not state.outdated
    assert not state.machine_translated
    assert state.source_updated_at == PracticePage.objects.get(pk=pages["sv"].pk).last_published_at


def test_changing_the_source_text_makes_the_translation_outdated(site_tree):
    pages = imported()
    republish_source(pages["sv"], summary="Ny sammanfattning.")
    assert statuses_of(pages["en"])["en"] == OUTDATED
    assert translation_state(pages["en"]).outdated


def test_republishing_the_source_unchanged_is_not_outdated(site_tree):
    pages = imported()
    republish_source(pages["sv"])
    assert statuses_of(pages["en"])["en"] == TRANSLATED


def test_synced_source_not_yet_applied_is_outdated(site_tree):
    pages = imported()
    republish_source(pages["sv"], summary="Ny sammanfattning.")
    TranslationSource.objects.get(object_id=pages["sv"].translation_key).update_from_db()
    assert statuses_of(pages["en"])["en"] == OUTDATED


def test_reimporting_the_translation_brings_it_up_to_date(site_tree):
    imported()
    pages = imported(summary="Ny sammanfattning.")
    assert statuses_of(pages["en"])["en"] == TRANSLATED


def test_unpublished_translation_is_in_progress(site_tree):
    pages = imported()
    pages["en"].unpublish()
    assert statuses_of(pages["sv"])["en"] == IN_PROGRESS


def test_missing_strings_make_it_in_progress(site_tree):
    pages = imported()
    StringTranslation.objects.filter(
        context__object_id=pages["sv"].translation_key,
        context__path="summary",
        locale=pages["en"].locale,
    ).delete()
    status = {s.language_code: s for s in language_statuses(pages["sv"])}["en"]
    assert status.status == IN_PROGRESS
    assert 0 < status.progress < 100


def test_started_translation_without_a_page_is_missing(site_tree):
    pages = imported()
    source = TranslationSource.objects.get(object_id=pages["sv"].translation_key)
    Translation.objects.create(source=source, target_locale=Locale.objects.get(language_code="ar"))
    assert statuses_of(pages["sv"])["ar"] == MISSING


def test_overview_counts_and_lists_outdated(site_tree):
    pages = imported()
    republish_source(pages["sv"], summary="Ny sammanfattning.")
    counts, outdated = overview()
    assert counts["en"][OUTDATED] == 1
    assert counts["sv"][SOURCE] >= 1
    assert [status.page.pk for status, _source in outdated] == [pages["en"].pk]
    assert outdated[0][1].page.pk == pages["sv"].pk


def test_translation_made_in_the_admin_has_the_same_statuses(
    site_tree, django_capture_on_commit_callbacks
):
    """ "Translate this page" starts a draft (in progress); publishing it makes it translated."""
    from django.contrib.auth import get_user_model
    from wagtail_localize.operations import translate_object

    run_import(record())
    source = PracticePage.objects.get(external_id="t-practice")
    user = get_user_model().objects.create_superuser("admin", "a@example.org", "pw")
    arabic = Locale.objects.get(language_code="ar")
    with django_capture_on_commit_callbacks(execute=True):
        translate_object(source, [arabic], user=user)
    page = PracticePage.objects.get(translation_key=source.translation_key, locale=arabic)
    assert not page.live  # nothing Swedish is published under /ar/
    status = {s.language_code: s for s in language_statuses(source)}["ar"]
    assert (status.status, status.progress) == (IN_PROGRESS, 0)

    translation = Translation.objects.get(source__object_id=source.translation_key)
    for segment in translation.source.stringsegment_set.select_related("string", "context"):
        StringTranslation.objects.create(
            translation_of=segment.string,
            context=segment.context,
            locale=arabic,
            data="ع " + segment.string.data,
            translation_type=StringTranslation.TRANSLATION_TYPE_MANUAL,
        )
    with django_capture_on_commit_callbacks(execute=True):
        translation.save_target(user=user, publish=True)
    assert statuses_of(source)["ar"] == TRANSLATED
    assert PracticePage.objects.get(pk=page.pk).title == "ع Språkcafé i Sunne"
