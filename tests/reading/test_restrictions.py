"""A view restriction on a page applies to its translations: the page itself, search and the
listings keep them all private; lifting it opens them all; a new translation inherits it."""

from http import HTTPStatus

import pytest
from django.contrib.auth.models import Group
from wagtail.models import Locale, PageViewRestriction

from practices.models import PracticePage
from tests.helpers import record, run_import

pytestmark = pytest.mark.django_db

TRANSLATIONS = {
    "ar": {"title": "مقهى اللغة في سونه", "summary": "لقاءات لممارسة اللغة السويدية."},
    "en": {"title": "Language café in Sunne", "summary": "Meetings to practise Swedish."},
}


@pytest.fixture
def pages(site_tree, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        result = run_import(record(external_id="t-private", translations=TRANSLATIONS))
    assert result.rejections == []
    found = PracticePage.objects.filter(external_id="t-private")
    return {page.locale.language_code: page for page in found}


def restrict(page, commit):
    with commit(execute=True):
        restriction = PageViewRestriction.objects.create(
            page=page, restriction_type=PageViewRestriction.GROUPS
        )
        restriction.groups.set([Group.objects.get_or_create(name="Staff only")[0]])
    return restriction


def test_restricting_the_swedish_page_restricts_its_translations(
    client, pages, django_capture_on_commit_callbacks
):
    assert client.get(pages["ar"].url).status_code == HTTPStatus.OK
    assert "مقهى اللغة" in client.get("/ar/search/?q=سونه").content.decode()
    assert "Language café" in client.get(pages["en"].get_parent().url).content.decode()
    restrict(pages["sv"], django_capture_on_commit_callbacks)
    for language in ("sv", "ar", "en"):
        response = client.get(pages[language].url)
        assert response.status_code == HTTPStatus.FOUND, language  # to the login page
        assert "login" in response["Location"]
        restriction = PageViewRestriction.objects.get(page=pages[language])
        assert [group.name for group in restriction.groups.all()] == ["Staff only"]
    # Not in search or the listings, in any language.
    assert "مقهى اللغة" not in client.get("/ar/search/?q=سونه").content.decode()
    assert "Language café" not in client.get(pages["en"].get_parent().url).content.decode()
    assert not PracticePage.objects.filter(external_id="t-private").public().exists()


def test_lifting_the_restriction_opens_every_translation(
    client, pages, django_capture_on_commit_callbacks
):
    restriction = restrict(pages["ar"], django_capture_on_commit_callbacks)  # from a translation
    assert client.get(pages["sv"].url).status_code == HTTPStatus.FOUND
    with django_capture_on_commit_callbacks(execute=True):
        restriction.delete()
    for language in ("sv", "ar", "en"):
        assert client.get(pages[language].url).status_code == HTTPStatus.OK, language


def test_a_new_translation_of_a_restricted_page_is_restricted(
    pages, django_capture_on_commit_callbacks
):
    restrict(pages["sv"], django_capture_on_commit_callbacks)
    with django_capture_on_commit_callbacks(execute=True):
        persian = pages["sv"].copy_for_translation(Locale.objects.get(language_code="fa"))
    assert PageViewRestriction.objects.filter(page=persian).exists()
