"""The PDF guide at ``<page url>pdf/``: a practice in Swedish and a method in Persian from the
demo content, read back with pdftotext (poppler-utils) and pypdf; what must answer 404; the
cache and its freshness after a publish."""

from http import HTTPStatus
from unittest import mock

import pytest
from django.contrib.auth.models import Group
from django.test import RequestFactory
from django.utils import translation
from django.utils.translation import gettext
from wagtail.models import PageViewRestriction

from guides import pdf
from guides.assets import local_files_fetcher
from practices.models import MethodPage, PracticePage
from practices.templatetags.practices_tags import figure
from reuse import comparison
from tests.helpers import load_demo, module_data, record, run_import

from .pdf_reading import has_figure, has_phrase, image_xobjects, needs_pdftotext, pdf_text

pytestmark = needs_pdftotext


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker):
    with module_data(django_db_blocker):
        load_demo(on_commit=False)
        yield


def page_of(model, external_id, language):
    return model.objects.get(external_id=external_id, locale__language_code=language)


def guide_url(page):
    return f"{page.url}pdf/"


def get_pdf(client, page):
    response = client.get(guide_url(page))
    assert response.status_code == HTTPStatus.OK, response.content[:300]
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF-")
    return response


def test_a_swedish_practice_guide_has_its_title_outcomes_and_logo(demo, db, client):
    practice = page_of(PracticePage, "demo-practice-premiar-primar", "sv")
    assert guide_url(practice).startswith("/sv/goda-exempel/premiar-primar-")
    response = get_pdf(client, practice)
    assert response["Content-Disposition"] == f'inline; filename="{practice.slug}.pdf"'
    text = pdf_text(response.content)
    assert " ".join(practice.title.split()) in text
    assert "Kunskapsplattformen" in text  # the platform's name beside the logo
    assert f"http://testserver{practice.url}" in text  # the page's address
    with translation.override("sv"):
        assert has_phrase(text, gettext("Last updated"))
    indicators = list(practice.indicators.all())
    assert indicators
    with translation.override("sv"):
        for indicator in indicators:
            assert has_phrase(text, str(indicator.display_label))
            assert has_figure(text, figure(indicator.value, indicator.unit))
            if indicator.target is not None:
                assert has_figure(text, figure(indicator.target, indicator.unit))
    assert image_xobjects(response.content), "the logo is not embedded as an image"


def test_a_persian_method_guide_has_its_kit_and_the_outcomes_where_it_ran(demo, db, client):
    method = page_of(MethodPage, "demo-method-soft-matching", "fa")
    response = get_pdf(client, method)
    text = pdf_text(response.content)
    assert image_xobjects(response.content)
    with translation.override("fa"):
        # pdftotext gives Arabic-script text in logical order, so whole words can be found.
        for word in method.title.split():
            assert has_phrase(text, word), word
        assert has_phrase(text, gettext("Implementation kit"))
        assert "☐" in text  # the steps as a checklist
        outcomes = comparison.compare(comparison.pages_for_method(method, method.locale))
        assert outcomes.rows
        for row in outcomes.rows:
            for cell in row.cells.values():
                assert has_figure(text, figure(cell.value, cell.unit)), (row.title, cell.key)
    # Contacts are named by role, never by address.
    assert "@" not in text


def test_guides_are_right_to_left_in_arabic_and_persian(demo, db):
    method = page_of(MethodPage, "demo-method-soft-matching", "fa")
    html = pdf.render_html(method, RequestFactory().get(method.url), "x")
    assert '<html lang="fa" dir="rtl">' in html
    practice = page_of(PracticePage, "demo-practice-premiar-primar", "sv")
    html = pdf.render_html(practice, RequestFactory().get(practice.url), "x")
    assert '<html lang="sv" dir="ltr">' in html


def test_other_pages_drafts_and_restricted_pages_have_no_guide(
    demo, db, client, django_capture_on_commit_callbacks
):
    practice = page_of(PracticePage, "demo-practice-premiar-primar", "sv")
    index = practice.get_parent()
    assert client.get(f"{index.url}pdf/").status_code == HTTPStatus.NOT_FOUND
    assert client.get("/sv/pdf/").status_code == HTTPStatus.NOT_FOUND
    assert client.get("/sv/goda-exempel/finns-inte/pdf/").status_code == HTTPStatus.NOT_FOUND

    draft = page_of(PracticePage, "demo-practice-soft-matching-gavle", "sv")
    url = guide_url(draft)
    draft.unpublish()
    assert client.get(url).status_code == HTTPStatus.NOT_FOUND

    restricted = page_of(PracticePage, "demo-practice-health-school-vaxjo", "sv")
    with django_capture_on_commit_callbacks(execute=True):
        restriction = PageViewRestriction.objects.create(
            page=restricted, restriction_type=PageViewRestriction.GROUPS
        )
        restriction.groups.set([Group.objects.get_or_create(name="Staff only")[0]])
    response = client.get(guide_url(restricted))
    assert response.status_code == HTTPStatus.NOT_FOUND
    assert restricted.title.encode() not in response.content


def test_a_post_is_refused(demo, db, client):
    practice = page_of(PracticePage, "demo-practice-premiar-primar", "sv")
    assert client.post(guide_url(practice)).status_code == HTTPStatus.METHOD_NOT_ALLOWED


def test_the_cache_serves_the_second_request_and_a_publish_renews_it(
    demo, db, client, django_capture_on_commit_callbacks
):
    practice = page_of(PracticePage, "demo-practice-premiar-primar", "sv")
    with mock.patch.object(pdf, "render_pdf", wraps=pdf.render_pdf) as render:
        first = get_pdf(client, practice).content
        second = get_pdf(client, practice).content
        assert render.call_count == 1
        assert second == first

        with django_capture_on_commit_callbacks(execute=True):
            practice.title = "Premiär Primär – uppdaterad vägledning"
            practice.save_revision().publish()
        third = get_pdf(client, practice).content
        assert render.call_count == 2
    assert "uppdaterad vägledning" in pdf_text(third)
    assert "uppdaterad vägledning" not in pdf_text(first)


def test_the_fetcher_serves_only_this_sites_static_and_media_files(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    (tmp_path / "images").mkdir()
    (tmp_path / "images" / "a.png").write_bytes(b"png")
    fetcher = local_files_fetcher("https://example.org/")
    font = fetcher.fetch("https://example.org/static/fonts/vazirmatn/Vazirmatn-Regular.ttf")
    assert font.read()[:4] == b"\x00\x01\x00\x00"
    assert fetcher.fetch("https://example.org/media/images/a.png").read() == b"png"
    for refused in (
        "https://elsewhere.example/static/img/logo.svg",  # another site
        "http://example.org/static/img/logo.svg",  # another origin
        "https://example.org/sv/",  # a page, not a file
        "https://example.org/static/../manage.py",
        "https://example.org/media/../../etc/passwd",
        "https://example.org/static/%2e%2e/manage.py",
        "file:///etc/passwd",
    ):
        with pytest.raises(ValueError):
            fetcher.fetch(refused)


def test_a_reviewed_page_gets_a_new_guide_with_the_review_date(demo, db, client):
    practice = page_of(PracticePage, "demo-practice-premiar-primar", "sv")
    with translation.override("sv"):
        label = gettext("Last reviewed by the owner")
    assert label not in pdf_text(get_pdf(client, practice).content)
    # As the dashboard's "still current" does: every translation, no new revision.
    PracticePage.objects.filter(translation_key=practice.translation_key).update(
        last_reviewed="2026-11-02"
    )
    text = pdf_text(get_pdf(client, practice).content)
    assert label in text
    assert "2 november 2026" in text


def test_a_page_whose_slug_is_pdf_is_still_served_as_a_page(demo, db, client):
    result = run_import(record(external_id="t-called-pdf", title="PDF"))
    assert result.rejections == []
    page = PracticePage.objects.get(external_id="t-called-pdf")
    assert page.url.endswith("/pdf/")
    response = client.get(page.url)
    assert response.status_code == HTTPStatus.OK
    assert response["Content-Type"].startswith("text/html")
    assert ">PDF</h1>" in response.content.decode()


def test_without_weasyprints_libraries_the_guide_says_so_and_the_page_still_works(
    demo, db, client, monkeypatch
):
    """A machine without Pango (``make run`` with only Python): a clear 503 page in the
    reader's language, and the practice itself unaffected."""
    monkeypatch.setattr(pdf, "weasyprint", lambda: (None, "cannot load library 'pango-1.0-0'"))
    practice = page_of(PracticePage, "demo-practice-premiar-primar", "sv")
    response = client.get(guide_url(practice))
    assert response.status_code == 503
    assert response["Content-Type"].startswith("text/html")
    with translation.override("sv"):
        assert gettext("The PDF guide is not available") in response.content.decode()
    assert client.get(practice.url).status_code == 200
