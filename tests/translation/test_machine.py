"""Machine translation: off by default, labelled until a person has edited or reviewed it."""

import importlib.util

import pytest
from django.test import override_settings
from wagtail.models import Locale
from wagtail_localize.models import StringTranslation

from practices.models import PracticePage
from translation import machine
from translation.po import import_file, prepare_translation
from translation.status import language_statuses, translation_state

from .conftest import DUMMY_TRANSLATOR

pytestmark = pytest.mark.django_db

SETTINGS_FILE = "learning_platform/settings/base.py"


def load_settings(monkeypatch, **environment):
    for name in ("DEEPL_API_KEY", "MACHINE_TRANSLATOR"):
        monkeypatch.delenv(name, raising=False)
    for name, value in environment.items():
        monkeypatch.setenv(name, value)
    spec = importlib.util.spec_from_file_location("settings_under_test", SETTINGS_FILE)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_machine_translation_is_off_by_default(monkeypatch):
    assert not hasattr(load_settings(monkeypatch), "WAGTAILLOCALIZE_MACHINE_TRANSLATOR")


def test_deepl_key_from_the_environment_switches_it_on(monkeypatch):
    config = load_settings(monkeypatch, DEEPL_API_KEY="abc:fx").WAGTAILLOCALIZE_MACHINE_TRANSLATOR
    assert config["CLASS"].endswith("DeepLTranslator")
    assert config["OPTIONS"]["AUTH_KEY"] == "abc:fx"


def test_dummy_translator_for_demonstrations(monkeypatch):
    config = load_settings(
        monkeypatch, MACHINE_TRANSLATOR="dummy"
    ).WAGTAILLOCALIZE_MACHINE_TRANSLATOR
    assert config["CLASS"].endswith("DummyTranslator")


def test_machine_translate_does_nothing_when_off(pages, superuser):
    with override_settings(WAGTAILLOCALIZE_MACHINE_TRANSLATOR=None):
        translation = prepare_translation(pages["sv"], Locale.objects.get(language_code="ar"))
        assert machine.machine_translator() is None
        assert not machine.machine_translate(translation, superuser)


@pytest.fixture
def machine_translated(pages, superuser, django_capture_on_commit_callbacks):
    """The practice machine translated into Arabic and published."""
    with override_settings(WAGTAILLOCALIZE_MACHINE_TRANSLATOR=DUMMY_TRANSLATOR):
        translation = prepare_translation(pages["sv"], Locale.objects.get(language_code="ar"))
        assert machine.machine_translate(translation, superuser)
        with django_capture_on_commit_callbacks(execute=True):
            translation.save_target(user=superuser, publish=True)
    page = PracticePage.objects.get(
        translation_key=pages["sv"].translation_key, locale=translation.target_locale
    )
    return translation, page


def test_machine_translation_is_labelled(machine_translated, pages):
    translation, page = machine_translated
    assert page.live
    # The dummy translator reverses the words.
    assert page.title == "Sunne i Språkcafé"
    state = translation_state(page)
    assert state.machine_translated
    assert state.source.pk == pages["sv"].pk
    statuses = {s.language_code: s for s in language_statuses(page)}
    assert statuses["ar"].machine_translated
    assert not statuses["en"].machine_translated
    assert not translation_state(pages["en"]).machine_translated


def test_editing_one_string_leaves_the_label(machine_translated, superuser):
    translation, page = machine_translated
    title = StringTranslation.objects.get(
        context__object_id=page.translation_key, context__path="title", locale=page.locale
    )
    title.data = "مقهى اللغة في سونه"
    title.translation_type = StringTranslation.TRANSLATION_TYPE_MANUAL
    title.save()
    assert translation_state(page).machine_translated


def test_a_person_replacing_every_string_removes_the_label(machine_translated, tmp_path):
    translation, page = machine_translated
    po = translation.export_po()
    for entry in po:
        entry.msgstr = "نص: " + entry.msgid
    po.save(str(tmp_path / "ar.po"))
    import_file(tmp_path / "ar.po", publish=True)
    assert not translation_state(page).machine_translated


def test_review_removes_the_label(machine_translated, superuser):
    translation, page = machine_translated
    assert machine.mark_reviewed(translation, superuser) > 0
    assert not translation_state(page).machine_translated
    assert machine.mark_reviewed(translation, superuser) == 0


def test_after_review_the_public_page_stops_saying_machine(
    machine_translated, superuser, client, django_capture_on_commit_callbacks
):
    translation, page = machine_translated
    notice = "notice--machine"
    assert notice in client.get(page.url).content.decode()  # and kept in the fragment cache
    with django_capture_on_commit_callbacks(execute=True):
        machine.mark_reviewed(translation, superuser)
    assert notice not in client.get(page.url).content.decode()
