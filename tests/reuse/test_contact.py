"""Contact the owner: mail to the page's contact, never shown; honeypot, validation, rate limit."""

import re
import uuid
from http import HTTPStatus

import pytest
from django.core import mail
from django.core.cache import caches
from django.db import connection
from django.test.utils import CaptureQueriesContext, override_settings

from reuse import contact

pytestmark = pytest.mark.django_db

GOOD = {
    "name": "Amina Yusuf",
    "email": "amina@example.org",
    "message": "Hur hittade ni mentorerna, och hur många timmar i veckan lade de?",
    "website": "",
}


def contact_url(page, language="en"):
    return f"/{language}/contact/{page.pk}/"


def test_page_shows_a_form_and_never_the_address(client, reuse_site):
    for page in (reuse_site.sunne_practice, reuse_site.sunne_practice_en, reuse_site.mentoring):
        html = client.get(page.url).content.decode()
        assert 'class="contact-form"' in html
        assert f'action="/{page.locale.language_code}/contact/{page.pk}/"' in html
        assert page.contact_email not in html
        assert "mailto:" not in html
        assert 'name="csrfmiddlewaretoken"' in html
        # The honeypot is hidden from people and screen readers, and out of the tab order.
        assert '<div class="contact-trap" aria-hidden="true">' in html
        assert 'name="website" autocomplete="off" tabindex="-1"' in html


def test_page_without_address_has_no_form(client, reuse_site):
    html = client.get(reuse_site.lerum_practice.url).content.decode()
    assert 'class="contact-form"' not in html
    response = client.post(contact_url(reuse_site.lerum_practice, "sv"), GOOD)
    assert response.status_code == HTTPStatus.NOT_FOUND
    assert mail.outbox == []


def test_question_is_sent_to_the_contact_with_the_sender_as_reply_to(client, reuse_site):
    page = reuse_site.sunne_practice_en
    response = client.post(contact_url(page), GOOD)
    assert response.status_code == HTTPStatus.FOUND
    assert response["Location"] == f"/en/contact/{page.pk}/sent/"
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["projekt@sunne.example.se"]
    assert message.reply_to == ["amina@example.org"]
    assert message.from_email == "kunskapsplattformen@localhost"
    assert "Mentors in Sunne" in message.subject
    assert GOOD["message"] in message.body
    assert "Amina Yusuf" in message.body
    assert "http://testserver" + page.url in message.body

    confirmation = client.get(response["Location"])
    assert confirmation.status_code == HTTPStatus.OK
    html = confirmation.content.decode()
    assert "Your question has been sent" in html
    assert page.contact_email not in html


def test_sending_stores_nothing(client, reuse_site):
    with CaptureQueriesContext(connection) as queries:
        response = client.post(contact_url(reuse_site.mentoring, "sv"), GOOD)
    assert response.status_code == HTTPStatus.FOUND
    writes = [
        q["sql"]
        for q in queries.captured_queries
        if q["sql"].lstrip().upper().startswith(("INSERT", "UPDATE", "DELETE"))
    ]
    assert writes == []
    assert mail.outbox[0].to == ["metod@example.se"]


def test_bad_input_is_rejected_with_messages_and_nothing_lost(client, reuse_site):
    data = {"name": "", "email": "not-an-address", "message": "Hej", "website": ""}
    response = client.post(contact_url(reuse_site.sunne_practice_en), data)
    assert response.status_code == HTTPStatus.BAD_REQUEST
    assert mail.outbox == []
    html = response.content.decode()
    assert 'role="alert"' in html
    assert "Write your name." in html
    assert "Write the email address in the form name@example.se." in html
    assert "Write at least 10 characters so that they can answer." in html
    # Each invalid field points at its message, and what was typed is kept.
    assert 'aria-invalid="true"' in html
    assert 'aria-describedby="id_email_error id_email_help"' in html
    assert 'id="id_email_error"' in html
    assert 'value="not-an-address"' in html
    assert "Hej</textarea>" in html
    assert reuse_site.sunne_practice.contact_email not in html


def test_overlong_question_is_rejected(client, reuse_site):
    data = dict(GOOD, message="x" * 3001)
    response = client.post(contact_url(reuse_site.sunne_practice_en), data)
    assert response.status_code == HTTPStatus.BAD_REQUEST
    assert "Keep the question to at most 3000 characters (it has 3001)." in (
        response.content.decode()
    )
    assert mail.outbox == []


def test_honeypot_sends_nothing_but_looks_like_success(client, reuse_site):
    data = dict(GOOD, website="http://spam.example")
    response = client.post(contact_url(reuse_site.sunne_practice_en), data)
    assert response.status_code == HTTPStatus.FOUND
    assert mail.outbox == []


@override_settings(CONTACT_RATE_LIMIT={"requests": 3, "seconds": 3600})
def test_a_flood_is_refused(client, reuse_site):
    url = contact_url(reuse_site.sunne_practice_en)
    for _ in range(3):
        assert client.post(url, GOOD).status_code == HTTPStatus.FOUND
    response = client.post(url, GOOD)
    assert response.status_code == HTTPStatus.TOO_MANY_REQUESTS
    assert "Too many questions in a short time" in response.content.decode()
    assert "60 minutes" in response.content.decode()
    assert len(mail.outbox) == 3
    # Another client is not affected.
    other = client.post(url, GOOD, REMOTE_ADDR="192.0.2.7")
    assert other.status_code == HTTPStatus.FOUND
    assert len(mail.outbox) == 4


@override_settings(CONTACT_RATE_LIMIT={"requests": 2, "seconds": 3600})
def test_only_sent_questions_count_against_the_limit(client, reuse_site):
    url = contact_url(reuse_site.sunne_practice_en)
    for _ in range(4):  # a reader struggling with the form is never locked out by it
        assert client.post(url, {**GOOD, "email": "not an address"}).status_code == 400
    assert client.post(url, {**GOOD, "website": "http://spam.example"}).status_code == 302
    for _ in range(2):
        assert client.post(url, GOOD).status_code == HTTPStatus.FOUND
    assert client.post(url, GOOD).status_code == HTTPStatus.TOO_MANY_REQUESTS
    assert len(mail.outbox) == 2


def test_after_an_invalid_submit_the_title_says_error_and_focus_goes_to_the_summary(
    client, reuse_site
):
    for language, prefix in (("sv", "Fel:"), ("en", "Error:"), ("ar", "خطأ:")):
        page = getattr(reuse_site, "sunne_practice" if language == "sv" else "sunne_practice_en")
        response = client.post(contact_url(page, language), {**GOOD, "message": ""})
        assert response.status_code == HTTPStatus.BAD_REQUEST
        html = response.content.decode()
        title = re.search(r"<title>(.*?)</title>", html, re.S).group(1).strip()
        assert title.startswith(prefix + " "), title
        summary = re.search(r"<div [^>]*data-error-summary[^>]*>", html).group(0)
        assert 'tabindex="-1"' in summary and "autofocus" in summary
        # The form's heading follows the page's h1 (h2 below it, not h3).
        headings = re.findall(r"<h([1-6])[ >]", html[html.index("<main") :])
        assert headings[:2] == ["1", "2"], headings
    # Valid again: the page title has no error prefix.
    html = client.get(contact_url(reuse_site.sunne_practice, "sv")).content.decode()
    assert not re.search(r"<title>\s*Fel:", html)


def test_csrf_is_required(reuse_site):
    from django.test import Client

    strict = Client(enforce_csrf_checks=True)
    response = strict.post(contact_url(reuse_site.sunne_practice_en), GOOD)
    assert response.status_code == HTTPStatus.FORBIDDEN
    assert mail.outbox == []


def test_unpublished_page_takes_no_questions(client, reuse_site):
    reuse_site.sunne_practice_en.unpublish()
    response = client.post(contact_url(reuse_site.sunne_practice_en), GOOD)
    assert response.status_code == HTTPStatus.NOT_FOUND
    assert client.get(contact_url(reuse_site.tree["en"]["home"])).status_code == 404


def test_get_shows_the_form_on_its_own_page(client, reuse_site):
    response = client.get(contact_url(reuse_site.sunne_practice_en))
    assert response.status_code == HTTPStatus.OK
    html = response.content.decode()
    assert 'class="contact-form"' in html
    assert "Ask a question about “Mentors in Sunne”" in html


def test_the_limit_holds_in_a_real_redis_shared_by_every_process(client, reuse_site, redis_url):
    """Production counts in Redis (django's RedisCache), so the limit holds across workers."""
    redis_cache = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": redis_url,
            "KEY_PREFIX": f"test-{uuid.uuid4().hex}",
        },
        "pages": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"},
    }
    url = contact_url(reuse_site.sunne_practice_en)
    with override_settings(CACHES=redis_cache, CONTACT_RATE_LIMIT={"requests": 2, "seconds": 60}):
        cache = caches["default"]
        assert type(cache).__name__ == "RedisCache"
        for _ in range(2):
            assert client.post(url, GOOD).status_code == HTTPStatus.FOUND
        assert client.post(url, GOOD).status_code == HTTPStatus.TOO_MANY_REQUESTS
        # The count lives in Redis, with the window as its expiry.
        key = cache.make_and_validate_key(contact.rate_limit().key("127.0.0.1"))
        assert 0 < cache._cache.get_client(key).ttl(key) <= 60
        cache.clear()
    assert len(mail.outbox) == 2
