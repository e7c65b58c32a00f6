"""`/` sends the reader to the home page in their language, and says why it may differ."""

from http import HTTPStatus

import pytest
from django.conf import settings

from home.languages import language_for_request, parse_accept_language, supported_code


@pytest.mark.parametrize(
    ("header", "expected"),
    [
        ("ar", ["ar"]),
        ("de, ar;q=0.8, en;q=0.9", ["de", "en", "ar"]),
        ("en;q=0.2, sv;q=0.9", ["sv", "en"]),
        ("ar;q=0, en;q=0.5", ["en"]),
        ("ar;q=abc, en", ["en"]),
        ("ar;q=7, fa", ["fa"]),
        ("*, sv;q=0.1", ["sv"]),
        ("fa-AF , prs;q=0.9", ["fa-AF", "prs"]),
        ("", []),
        (",,;", []),
    ],
)
def test_accept_language_is_read_by_quality(header, expected):
    assert parse_accept_language(header) == expected


@pytest.mark.parametrize(
    ("tag", "code"),
    [
        ("sv", "sv"),
        ("sv-SE", "sv"),
        ("en-GB", "en"),
        ("ar-SA", "ar"),
        ("AR_sy", "ar"),
        ("fa", "fa"),
        ("fa-AF", "fa"),
        ("fa-IR", "fa"),
        ("prs", "fa"),
        ("prs-AF", "fa"),
        ("pes", "fa"),
        ("de", None),
        ("", None),
        (None, None),
        ("x-klingon", None),
    ],
)
def test_language_tags_map_onto_the_site_languages(tag, code):
    assert supported_code(tag) == code


@pytest.mark.django_db
class TestRootRedirect:
    def get(self, client, **headers):
        response = client.get("/", headers=headers)
        assert response.status_code == HTTPStatus.FOUND
        return response

    @pytest.mark.parametrize(
        ("accept_language", "home"),
        [
            ("ar-SA,ar;q=0.9,en;q=0.5", "/ar/"),
            ("fa-AF", "/fa/"),
            ("prs", "/fa/"),
            ("de-DE, en;q=0.7, ar;q=0.6", "/en/"),
            ("en;q=0.3, ar;q=0.8", "/ar/"),
            ("de, fr", "/sv/"),
            ("ar;q=0, de", "/sv/"),
            ("not a header;;;", "/sv/"),
        ],
    )
    def test_browser_language_chooses_the_home_page(self, client, accept_language, home):
        response = self.get(client, accept_language=accept_language)
        assert response["Location"] == home

    def test_without_accept_language_the_reader_gets_swedish(self, client):
        assert self.get(client)["Location"] == "/sv/"

    def test_an_explicit_language_choice_wins_over_the_browser(self, client):
        client.cookies[settings.LANGUAGE_COOKIE_NAME] = "fa"
        response = self.get(client, accept_language="en")
        assert response["Location"] == "/fa/"

    def test_an_unknown_cookie_value_is_ignored(self, client):
        client.cookies[settings.LANGUAGE_COOKIE_NAME] = "klingon"
        response = self.get(client, accept_language="ar")
        assert response["Location"] == "/ar/"

    def test_caches_keep_readers_apart(self, client):
        response = self.get(client, accept_language="ar")
        vary = {value.strip().lower() for value in response["Vary"].split(",")}
        assert {"accept-language", "cookie"} <= vary

    def test_the_chosen_home_page_exists(self, client, site_tree):
        for accept_language in ("sv", "en", "ar", "fa-AF"):
            location = self.get(client, accept_language=accept_language)["Location"]
            assert client.get(location).status_code == HTTPStatus.OK


def test_language_for_request_defaults_to_the_site_language(rf):
    assert language_for_request(rf.get("/")) == settings.LANGUAGE_CODE
