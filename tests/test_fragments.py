"""What pages share through the fragment cache (``caching.fragments``) changes as soon as what
it shows changes: the navigation and footer, a record's own HTML, the restricted sections."""

import pytest
from django.test import RequestFactory
from wagtail.models import PageViewRestriction

from caching import fragments, tags
from practices.models import MethodPage, Organisation, PracticeIndexPage, PracticePage
from tests.helpers import record, run_import

pytestmark = pytest.mark.django_db

METHOD = record(
    external_id="fr-method",
    type="method",
    title="Mentorskap i arbetslivet",
    summary="Nyanlända matchas med en mentor.",
)
PRACTICE = record(
    external_id="fr-practice",
    title="Mentorer i Sunne",
    summary="Tjugo mentorspar.",
    organisation="Sunne kommun",
    methods=["fr-method"],
)


@pytest.fixture
def site(site_tree, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        assert run_import(METHOD, PRACTICE).rejections == []
    return site_tree


def practice():
    return PracticePage.objects.get(external_id="fr-practice", locale__language_code="sv")


def method():
    return MethodPage.objects.get(external_id="fr-method", locale__language_code="sv")


def publish(page, commit, **fields):
    for name, value in fields.items():
        setattr(page, name, value)
    with commit(execute=True):
        page.save_revision().publish()


def test_a_value_is_kept_until_one_of_its_tags_moves_on():
    calls = []

    def compute():
        calls.append(1)
        return len(calls)

    assert fragments.cached("k", ["a", "b"], compute) == 1
    assert fragments.cached("k", ["a", "b"], compute) == 1
    tags.bump("b")
    assert fragments.cached("k", ["a", "b"], compute) == 2
    tags.bump("unrelated")
    assert fragments.cached("k", ["a", "b"], compute) == 2


def test_navigation_shows_a_renamed_section(site, client, django_capture_on_commit_callbacks):
    assert ">Goda exempel</a>" in client.get("/sv/").content.decode()
    index = PracticeIndexPage.objects.get(locale__language_code="sv")
    publish(index, django_capture_on_commit_callbacks, title="Exempel som fungerat")
    html = client.get("/sv/").content.decode()
    assert ">Exempel som fungerat</a>" in html
    assert ">Goda exempel</a>" not in html


def test_record_page_shows_its_new_text(site, client, django_capture_on_commit_callbacks):
    page = practice()
    assert "Tjugo mentorspar." in client.get(page.url).content.decode()
    publish(page, django_capture_on_commit_callbacks, summary="Trettio mentorspar.")
    assert "Trettio mentorspar." in client.get(page.url).content.decode()


def test_record_page_shows_a_linked_method_renamed(
    site, client, django_capture_on_commit_callbacks
):
    url = practice().url
    assert "Mentorskap i arbetslivet" in client.get(url).content.decode()
    publish(method(), django_capture_on_commit_callbacks, title="Mentorskap på jobbet")
    html = client.get(url).content.decode()
    assert "Mentorskap på jobbet" in html
    assert "Mentorskap i arbetslivet" not in html


def test_record_page_shows_its_organisation_renamed(
    site, client, django_capture_on_commit_callbacks
):
    url = practice().url
    assert "Sunne kommun" in client.get(url).content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        Organisation.objects.filter(name="Sunne kommun").update(name="Sunne")
        # .update() sends no signal: a rename in the admin saves the organisation.
        organisation = Organisation.objects.get(name="Sunne")
        organisation.save()
    html = client.get(url).content.decode()
    assert "Sunne kommun" not in html


def test_a_preview_is_never_taken_from_nor_kept_in_the_cache(site, client):
    page = practice()
    client.get(page.url)  # the live text is now cached
    request = RequestFactory().get(page.url)
    request.is_preview = True
    page.summary = "Ett utkast som ingen läsare ska se."
    preview = page.serve(request)
    preview.render()
    assert "Ett utkast som ingen läsare ska se." in preview.content.decode()
    assert "Ett utkast som ingen läsare ska se." not in client.get(page.url).content.decode()


def test_a_new_restriction_hides_the_page_from_listings_at_once(site, client):
    index = PracticeIndexPage.objects.get(locale__language_code="sv")
    page = practice()
    assert page.title in client.get(index.url).content.decode()
    # No commit needed: the rest of this transaction sees its own restriction.
    PageViewRestriction.objects.create(page=page, restriction_type="login")
    assert page.title not in client.get(index.url).content.decode()
    assert page.title not in client.get("/sv/").content.decode()
