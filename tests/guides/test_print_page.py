"""Every public page carries the print stylesheet and a print-only header; practices,
methods and reports link to their PDF guide."""

import re
from http import HTTPStatus

import pytest
from django.contrib.staticfiles import finders
from django.utils import translation
from django.utils.translation import gettext

from practices.models import MethodPage, PracticePage, ProjectReportPage
from tests.helpers import load_demo, module_data
from tests.reading.test_stylesheet import PHYSICAL, without_comments


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker):
    with module_data(django_db_blocker):
        load_demo(on_commit=False)
        yield


def header_of(html):
    match = re.search(r'<div class="print-header" hidden>(.*?)</div>', html, re.S)
    assert match, "no print header"
    return match.group(1)


def test_the_print_stylesheets_use_only_logical_directions():
    for name in ("css/print.css", "guides/guide.css"):
        with open(finders.find(name), encoding="utf-8") as handle:
            css = without_comments(handle.read())
        assert [line for line in css.splitlines() if PHYSICAL.search(line)] == [], name


def test_the_guide_fonts_and_their_licence_ship_with_the_project():
    for weight in ("Regular", "Bold"):
        path = finders.find(f"fonts/vazirmatn/Vazirmatn-{weight}.ttf")
        assert path, weight
        with open(path, "rb") as handle:
            assert handle.read(4) == b"\x00\x01\x00\x00"
    with open(finders.find("fonts/vazirmatn/OFL.txt"), encoding="utf-8") as handle:
        assert "SIL Open Font License" in handle.read()


@pytest.mark.parametrize(
    ("model", "external_id", "language"),
    [
        (PracticePage, "demo-practice-premiar-primar", "sv"),
        (MethodPage, "demo-method-soft-matching", "ar"),
        (ProjectReportPage, "demo-report-premiar-primar", "fa"),
    ],
)
def test_content_pages_print_their_address_dates_and_link_their_guide(
    demo, db, client, model, external_id, language
):
    page = model.objects.get(external_id=external_id, locale__language_code=language)
    html = client.get(page.url).content.decode()
    assert 'href="/static/css/print.css" media="print"' in html
    assert ':root { --print-origin: "http://testserver"; }' in html
    header = header_of(html)
    assert f"http://testserver{page.url}" in header
    assert 'src="/static/img/logo.svg"' in header
    with translation.override(language):
        assert gettext("The Learning Platform") in header
        assert gettext("Printed on") in header
        assert gettext("Last updated") in header
        assert gettext("Print / Download PDF guide") in html
    assert f'href="{page.url}pdf/"' in html


def test_the_header_says_when_the_owner_last_reviewed_the_page(demo, db, client):
    page = PracticePage.objects.get(
        external_id="demo-practice-premiar-primar", locale__language_code="sv"
    )
    with translation.override("sv"):
        label = gettext("Last reviewed by the owner")
    assert label not in header_of(client.get(page.url).content.decode())
    PracticePage.objects.filter(translation_key=page.translation_key).update(
        last_reviewed="2026-11-02"
    )
    header = header_of(client.get(page.url).content.decode())
    assert label in header
    assert 'datetime="2026-11-02"' in header


@pytest.mark.parametrize("url", ["/sv/", "/en/search/?q=mentor", "/ar/", "/fa/search/"])
def test_other_pages_print_the_header_but_link_no_guide(demo, db, client, url):
    response = client.get(url)
    assert response.status_code == HTTPStatus.OK
    html = response.content.decode()
    assert "http://testserver" + url.replace("&", "&amp;") in header_of(html)
    assert 'class="guide-link"' not in html
