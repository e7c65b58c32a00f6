"""The per-page translation status view, the review action and the coordinators' overview."""

from http import HTTPStatus

import pytest
from django.test import override_settings
from django.urls import reverse
from wagtail.models import Locale

from practices.models import PracticePage
from translation import machine
from translation.po import prepare_translation
from translation.status import translation_state

from .conftest import DUMMY_TRANSLATOR

pytestmark = pytest.mark.django_db


def page_url(page):
    return reverse("practices_translation:page", args=[page.pk])


def test_page_status_lists_every_language(client, pages, superuser):
    client.force_login(superuser)
    response = client.get(page_url(pages["en"]))
    assert response.status_code == HTTPStatus.OK
    html = response.content.decode()
    for text in ("Swedish", "English", "Arabic", "Translated", "Source", "Missing", "100 %"):
        assert text in html
    assert reverse("wagtail_localize:submit_page_translation", args=[pages["sv"].pk]) in html
    assert reverse("wagtailadmin_pages:edit", args=[pages["en"].pk]) in html


def test_page_status_shows_outdated(client, pages, superuser):
    source = PracticePage.objects.get(pk=pages["sv"].pk)
    source.summary = "Ändrad sammanfattning."
    source.save_revision().publish()
    client.force_login(superuser)
    assert "Outdated" in client.get(page_url(pages["en"])).content.decode()


def test_page_status_needs_edit_rights(client, pages, plain_editor):
    client.force_login(plain_editor)
    response = client.get(page_url(pages["sv"]))
    assert response.status_code == HTTPStatus.FOUND
    assert response["Location"] == reverse("wagtailadmin_home")


def test_page_status_of_unknown_page_is_404(client, superuser, site_tree):
    client.force_login(superuser)
    # (LocaleMiddleware first tries the URL with a language prefix.)
    response = client.get(reverse("practices_translation:page", args=[999999]), follow=True)
    assert response.status_code == HTTPStatus.NOT_FOUND


def test_page_header_has_a_translation_status_button(client, pages, superuser):
    client.force_login(superuser)
    response = client.get(reverse("wagtailadmin_pages:edit", args=[pages["sv"].pk]))
    assert page_url(pages["sv"]) in response.content.decode()


def test_overview_for_coordinators(client, pages, superuser):
    source = PracticePage.objects.get(pk=pages["sv"].pk)
    source.summary = "Ändrad sammanfattning."
    source.save_revision().publish()
    client.force_login(superuser)
    response = client.get(reverse("practices_translation:overview"))
    assert response.status_code == HTTPStatus.OK
    html = response.content.decode()
    assert "1 outdated translation" in html
    assert reverse("wagtailadmin_pages:edit", args=[pages["en"].pk]) in html
    assert "Language café" in html
    en_row = next(row for row in response.context["rows"] if row["language_code"] == "en")
    # translated, in progress, outdated, missing
    assert en_row["counts"][2] == 1


def test_overview_is_refused_to_others(client, pages, plain_editor):
    client.force_login(plain_editor)
    response = client.get(reverse("practices_translation:overview"))
    assert response.status_code == HTTPStatus.FOUND
    assert response["Location"] == reverse("wagtailadmin_home")


def test_menu_item_only_for_coordinators(client, site_tree, superuser, plain_editor):
    overview_url = reverse("practices_translation:overview")
    client.force_login(superuser)
    assert overview_url in client.get(reverse("wagtailadmin_home")).content.decode()
    client.force_login(plain_editor)
    assert overview_url not in client.get(reverse("wagtailadmin_home")).content.decode()


def test_review_button_marks_machine_translation_reviewed(
    client, pages, superuser, django_capture_on_commit_callbacks
):
    with override_settings(WAGTAILLOCALIZE_MACHINE_TRANSLATOR=DUMMY_TRANSLATOR):
        translation = prepare_translation(pages["sv"], Locale.objects.get(language_code="fa"))
        machine.machine_translate(translation, superuser)
        with django_capture_on_commit_callbacks(execute=True):
            translation.save_target(user=superuser, publish=True)
    page = translation.get_target_instance()
    assert translation_state(page).machine_translated
    client.force_login(superuser)
    html = client.get(page_url(page)).content.decode()
    assert "Machine translated, not yet reviewed" in html
    response = client.post(reverse("practices_translation:reviewed", args=[page.pk]), follow=True)
    assert "marked as reviewed" in response.content.decode()
    assert not translation_state(page).machine_translated


def test_review_needs_post_and_edit_rights(client, pages, superuser, plain_editor):
    url = reverse("practices_translation:reviewed", args=[pages["en"].pk])
    client.force_login(superuser)
    assert client.get(url).status_code == HTTPStatus.METHOD_NOT_ALLOWED
    client.force_login(plain_editor)
    response = client.post(url)
    assert response["Location"] == reverse("wagtailadmin_home")


def test_imported_translation_opens_in_the_translation_editor(client, pages, superuser):
    """An import_content translation can be continued in wagtail-localize's editor."""
    client.force_login(superuser)
    response = client.get(reverse("wagtailadmin_pages:edit", args=[pages["en"].pk]))
    assert response.status_code == HTTPStatus.OK
    html = response.content.decode()
    assert 'class="js-translation-editor"' in html
    assert "Language café" in html
