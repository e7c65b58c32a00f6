"""The search page: a form that works without JavaScript, accessible, in every language."""

import re

import pytest

pytestmark = pytest.mark.django_db


def test_search_page_lists_results_and_facets(corpus, client):
    response = client.get("/sv/search/?q=asylsökande&type=practice")
    assert response.status_code == 200
    html = response.content.decode()
    assert 'role="search"' in html and '<label for="search-q">' in html
    # The count is a heading, not a live region; the live region is separate and starts empty
    # (search.js fills it only when the reader changes the search).
    assert re.search(r'<h2 id="results-heading"[^>]*>\s*2 träffar', html)
    assert not re.search(r"<h2[^>]*role=", html)
    assert re.search(r'<p class="visually-hidden" role="status" data-results-status></p>', html)
    assert 'name="type" value="practice" id="f-type-practice" checked' in html
    assert '<label for="f-activity_type-health-promotion">' in html
    assert "Hälsoskola för asylsökande i Växjö" in html
    assert re.search("<mark>asylsökande</mark>", html, re.IGNORECASE)


def test_filters_survive_pagination(corpus, client):
    html = client.get("/sv/search/?activity_type=mentorship&page_size=1").content.decode()
    assert 'href="/sv/search/?activity_type=mentorship&amp;page=2&amp;page_size=1"' in html


def test_reader_language_and_right_to_left(corpus, client):
    html = client.get("/ar/search/?q=karlstad").content.decode()
    assert '<html lang="ar" dir="rtl">' in html
    assert "مقهى اللغة في مكتبة كارلستاد" in html
    fallback = client.get("/fa/search/?q=karlstad").content.decode()
    assert 'lang="sv"' in fallback  # the Swedish source, marked as such
    assert "Språkcafé på biblioteket i Karlstad" in fallback
    # The link keeps the reader's language, so the Swedish page says it is not translated yet.
    link = re.search(r'<a href="([^"]+)" lang="sv">Språkcafé på biblioteket', fallback).group(1)
    assert link.endswith("?from=fa")
    assert 'href="/sv/' in fallback and link.startswith("/sv/")


def test_zero_results_offer_a_way_out(corpus, client):
    html = client.get("/en/search/?q=språkcafé&type=method").content.decode()
    assert "Nothing matches this search." in html
    assert 'href="/en/search/?q=spr%C3%A5kcaf%C3%A9"' in html
    assert "/en/search/?activity_type=mentorship" in html


def test_bad_parameters_are_reported_not_fatal(corpus, client):
    response = client.get("/sv/search/?q=mentor&page=zero&activity_type=bogus")
    assert response.status_code == 200
    html = response.content.decode()
    assert 'role="alert"' in html and "bogus" in html
    assert "Mentorskapsprogram" in html


def test_engine_down_shows_a_message_not_an_error(corpus, client, monkeypatch):
    from search import service

    monkeypatch.setattr(
        service,
        "ranked_pages",
        lambda groups, language=None, engine_failed=False: ([], False, True),
    )
    response = client.get("/sv/search/?q=mentor")
    assert response.status_code == 200
    assert "Sökningen fungerar inte just nu" in response.content.decode()
