"""Saved-search alerts: sign-up with double opt-in, the digest of what was published since,
one-click unsubscribe (RFC 8058), expiry, rate limits and bad input."""

import datetime
import io
import re
from http import HTTPStatus

import pytest
from django.core import mail
from django.core.management import CommandError, call_command
from django.test import Client, override_settings
from django.utils import timezone, translation
from django.utils.translation import gettext, ngettext
from wagtail.models import Page

from alerts import subscriptions
from alerts.models import Subscription
from home.information import ensure_information_pages
from home.models import InformationPage, InformationPurpose
from tests.helpers import record, run_import

pytestmark = pytest.mark.django_db

SEARCH = "q=mentor&activity_type=mentorship"
PLACEHOLDER = re.compile(r"%\((\w+)\)")
ADDRESS = "amina@example.org"


ONCE_A_WEEK = (
    "Once a week, when practices, methods or reports matching your search have been published "
    "or updated, you get one email listing them: their titles, summaries and links. When there "
    "is nothing new, you get nothing."
)
DIGEST_SUBJECT = (
    "%(count)d new or updated record for your search on the Learning Platform",
    "%(count)d new or updated records for your search on the Learning Platform",
)
TOO_MANY = (
    "Too many sign-ups in a short time from your connection or for this address. "
    "Nothing was sent. Please try again in %(minutes)d minute.",
    "Too many sign-ups in a short time from your connection or for this address. "
    "Nothing was sent. Please try again in %(minutes)d minutes.",
)
WEEKLY_COUNT = ("%(counter)s confirmed weekly alert", "%(counter)s confirmed weekly alerts")


def sv(message, count=None, name=None):
    """``message`` as a Swedish reader sees it: the tests hold before and after the catalogues
    have the alerts' translations."""
    with translation.override("sv"):
        if count is None:
            return gettext(message)
        singular, plural = message
        placeholder = name or PLACEHOLDER.search(singular).group(1)
        return ngettext(singular, plural, count) % {placeholder: count}


def mentoring(external_id, title, **fields):
    return record(
        external_id=external_id,
        title=title,
        summary="Mentorer som stöttar nyanlända in i arbete.",
        activity_types=["mentorship"],
        **fields,
    )


def language_cafe():
    return record(
        external_id="t-cafe",
        title="Språkcafé med mentor i Sunne",
        summary="Träffar där nyanlända övar svenska med en mentor.",
        activity_types=["language-training"],
    )


@pytest.fixture
def publish(site_tree, django_capture_on_commit_callbacks):
    """Import and publish records with the commit callbacks run (search facets sync on commit),
    as a real import would."""

    def publish(*records):
        with django_capture_on_commit_callbacks(execute=True):
            result = run_import(*records)
        assert result.summary.endswith(" 0 rejected"), result.summary

    return publish


def sign_up(client, search=SEARCH, language="sv", email=ADDRESS, frequency="weekly", **extra):
    return client.post(
        f"/{language}/alerts/new/?{search}", {"email": email, "frequency": frequency}, **extra
    )


def link(message, kind):
    """The confirm or unsubscribe address in a mail's text."""
    return re.search(rf"http://localhost(/\w\w/alerts/{kind}/[\w-]+/)", message.body).group(1)


def backdate(subscription, days, field="confirmed_at"):
    Subscription.objects.filter(pk=subscription.pk).update(
        **{field: timezone.now() - datetime.timedelta(days=days)}
    )


def send_alerts(*args):
    out = io.StringIO()
    call_command("send_alerts", *args, stdout=out, stderr=io.StringIO())
    return out.getvalue()


def test_round_trip_subscribe_confirm_publish_digest_unsubscribe(client, publish):
    publish(mentoring("t-old", "Mentorskap i Lerum"))
    Page.objects.filter(title="Mentorskap i Lerum").update(
        first_published_at=timezone.now() - datetime.timedelta(days=30),
        last_published_at=timezone.now() - datetime.timedelta(days=30),
    )

    # The search page leads to the form for the same search.
    html = client.get(f"/sv/search/?{SEARCH}&sort=newest&page=1").content.decode()
    assert f'href="/sv/alerts/new/?{SEARCH.replace("&", "&amp;")}"' in html
    form = client.get(f"/sv/alerts/new/?{SEARCH}")
    assert form.status_code == HTTPStatus.OK
    page = form.content.decode()
    assert sv("Search text: “%(query)s”") % {"query": "mentor"} in page  # the search, in words
    assert "Mentorskap" in page
    assert sv("What we keep, and why") in page
    assert 'value="weekly" id="id_frequency_0" required checked' in page  # weekly by default

    # Sign up: an unconfirmed row and one confirmation mail.
    response = sign_up(client)
    assert response.status_code == HTTPStatus.FOUND
    assert response["Location"] == "/sv/alerts/sent/"
    assert sv("Check your inbox") in client.get(response["Location"]).content.decode()
    subscription = Subscription.objects.get()
    assert (subscription.email, subscription.search, subscription.language) == (
        ADDRESS,
        SEARCH,
        "sv",
    )
    assert subscription.frequency == "weekly" and subscription.confirmed_at is None
    assert len(mail.outbox) == 1
    confirmation = mail.outbox[0]
    assert confirmation.to == [ADDRESS]
    assert confirmation.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    confirm_path = link(confirmation, "confirm")
    assert subscription.token in confirm_path

    # A GET (a mail scanner) confirms nothing; the button does, and says what comes when.
    assert sv("Confirm and start the alerts") in client.get(confirm_path).content.decode()
    subscription.refresh_from_db()
    assert subscription.confirmed_at is None
    confirmed = client.post(confirm_path).content.decode()
    assert sv("Your search alert is on") in confirmed
    assert sv(ONCE_A_WEEK) in confirmed  # what comes, and when
    subscription.refresh_from_db()
    assert subscription.confirmed_at is not None

    # A matching page and one that does not match are published; a week passes.
    publish(mentoring("t-new", "Mentorskap för nyanlända i Borås"), language_cafe())
    backdate(subscription, 8)

    assert "1 digests sent" in send_alerts()
    assert len(mail.outbox) == 2
    digest = mail.outbox[1]
    assert digest.to == [ADDRESS]
    assert digest.subject == sv(DIGEST_SUBJECT, count=1)
    assert "Mentorskap för nyanlända i Borås" in digest.body
    assert "Mentorskap i Lerum" not in digest.body  # published before the subscription
    assert "Språkcafé" not in digest.body  # not in the search
    new_page = Page.objects.get(title="Mentorskap för nyanlända i Borås")
    html_part, mime = digest.alternatives[0]
    assert mime == "text/html"
    assert f'href="http://localhost{new_page.url}"' in html_part
    assert f"http://localhost{new_page.url}" in digest.body
    unsubscribe_path = link(digest, "unsubscribe")
    assert digest.extra_headers["List-Unsubscribe"] == f"<http://localhost{unsubscribe_path}>"
    assert digest.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"

    # Nothing more until the next period and something new.
    assert "0 digests sent" in send_alerts()
    assert len(mail.outbox) == 2

    # GET shows a button and unsubscribes nobody; the one-click POST (no cookie, no CSRF
    # token, as a mail client sends it) deletes the row.
    assert sv("Stop the alerts") in client.get(unsubscribe_path).content.decode()
    assert Subscription.objects.filter(pk=subscription.pk).exists()
    mail_client = Client(enforce_csrf_checks=True)
    response = mail_client.post(
        unsubscribe_path,
        "List-Unsubscribe=One-Click",
        content_type="application/x-www-form-urlencoded",
    )
    assert response.status_code == HTTPStatus.OK
    assert not Subscription.objects.exists()
    assert sv("The alert is stopped") in response.content.decode()
    assert client.get(unsubscribe_path).status_code == HTTPStatus.NOT_FOUND


def confirmed_subscription(client, search=SEARCH, language="sv", frequency="weekly"):
    sign_up(client, search=search, language=language, frequency=frequency)
    subscription = Subscription.objects.get(search=search, language=language)
    client.post(link(mail.outbox[-1], "confirm"))
    subscription.refresh_from_db()
    return subscription


def test_a_page_that_does_not_match_sends_nothing(client, publish):
    subscription = confirmed_subscription(client)
    publish(language_cafe())
    backdate(subscription, 8)
    sent_before = len(mail.outbox)
    assert "1 due, 0 digests sent" in send_alerts()
    assert len(mail.outbox) == sent_before
    subscription.refresh_from_db()
    assert subscription.last_sent_at is None  # still waiting for its first digest


def test_a_weekly_alert_waits_for_its_week_and_a_daily_one_its_day(client, publish):
    weekly = confirmed_subscription(client)
    daily = confirmed_subscription(client, search="activity_type=mentorship", frequency="daily")
    publish(mentoring("t-new", "Mentorskap i Borås"))
    backdate(weekly, 2)
    backdate(daily, 2)
    mail.outbox.clear()
    assert "1 due, 1 digests sent" in send_alerts()
    assert [message.to for message in mail.outbox] == [[ADDRESS]]
    assert "- Typ av insats: Mentorskap\n" in mail.outbox[0].body  # the search in words
    assert "Mentorskap i Borås" in mail.outbox[0].body
    assert sv("New and updated on the Learning Platform since yesterday, for your search:") in (
        mail.outbox[0].body
    )
    # --frequency picks one kind only.
    backdate(weekly, 8)
    assert "0 due" in send_alerts("--frequency", "daily")


def test_unconfirmed_subscriptions_get_nothing_and_expire(client, publish):
    sign_up(client)
    subscription = Subscription.objects.get()
    assert len(mail.outbox) == 1
    # Signing up again, for this or another search, sends no second mail and stores nothing.
    assert sign_up(client).status_code == HTTPStatus.FOUND
    assert sign_up(client, search="q=arbete").status_code == HTTPStatus.FOUND
    assert len(mail.outbox) == 1
    assert Subscription.objects.count() == 1

    publish(mentoring("t-new", "Mentorskap i Borås"))
    backdate(subscription, 8, field="created_at")
    assert "1 unconfirmed deleted" in send_alerts()
    assert len(mail.outbox) == 1
    assert not Subscription.objects.exists()
    assert client.get(link(mail.outbox[0], "confirm")).status_code == HTTPStatus.NOT_FOUND


def test_an_old_confirmation_link_no_longer_confirms(client, site_tree):
    sign_up(client)
    backdate(Subscription.objects.get(), 8, field="created_at")
    response = client.post(link(mail.outbox[0], "confirm"))
    assert response.status_code == HTTPStatus.NOT_FOUND
    assert sv("This link no longer works") in response.content.decode()
    assert not Subscription.objects.exists()


@override_settings(ALERTS_RATE_LIMIT={"requests": 2, "seconds": 3600})
def test_sign_ups_are_limited_per_client_and_per_address(client, site_tree):
    for number in range(2):
        assert sign_up(client, email=f"person{number}@example.org").status_code == 302
    response = sign_up(client, email="third@example.org")
    assert response.status_code == HTTPStatus.TOO_MANY_REQUESTS
    html = response.content.decode()
    assert sv(TOO_MANY, count=60) in html
    assert 'value="third@example.org"' in html  # what the reader typed is kept
    assert Subscription.objects.count() == 2

    # Another client, the same address: the address's own limit.
    other = {"REMOTE_ADDR": "192.0.2.7"}
    for _attempt in range(2):
        sign_up(client, email="person0@example.org", **other)
    response = sign_up(client, email="person0@example.org", REMOTE_ADDR="192.0.2.8")
    assert response.status_code == HTTPStatus.TOO_MANY_REQUESTS
    assert len(mail.outbox) == 2


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"email": "not an address", "frequency": "weekly"}, "name@example.se"),
        ({"email": "", "frequency": "weekly"}, "Write the email address"),
        ({"email": ADDRESS, "frequency": "hourly"}, "Choose weekly or daily"),
    ],
)
def test_bad_input_is_explained_and_kept(client, site_tree, data, message):
    response = client.post(f"/en/alerts/new/?{SEARCH}", data)
    assert response.status_code == HTTPStatus.BAD_REQUEST
    html = response.content.decode()
    assert message in html
    assert "Nothing was sent" in html
    if data["email"]:
        assert f'value="{data["email"]}"' in html
    assert not Subscription.objects.exists()
    assert mail.outbox == []


def test_a_search_the_search_page_refuses_is_refused_with_its_reason(client, site_tree):
    url = "/en/alerts/new/?q=mentor&activity_type=juggling"
    assert client.get(url).status_code == HTTPStatus.BAD_REQUEST
    response = client.post(url, {"email": ADDRESS, "frequency": "daily"})
    assert response.status_code == HTTPStatus.BAD_REQUEST
    html = response.content.decode()
    assert "Unknown value for activity_type: juggling" in html
    assert f'value="{ADDRESS}"' in html
    assert 'value="daily" id="id_frequency_1" required checked' in html
    long_query = "q=" + "a" * 201
    assert "too long" in client.get(f"/en/alerts/new/?{long_query}").content.decode()
    assert not Subscription.objects.exists()


def test_paging_and_sort_are_not_part_of_the_saved_search(client, site_tree):
    sign_up(client, search="sort=newest&page=3&activity_type=mentorship&q=+mentor++")
    assert Subscription.objects.get().search == SEARCH


def test_arabic_pages_and_mails_are_right_to_left(client, site_tree):
    page = client.get(f"/ar/alerts/new/?{SEARCH}").content.decode()
    assert '<html lang="ar" dir="rtl">' in page
    sign_up(client, language="ar")
    message = mail.outbox[0]
    assert "/ar/alerts/confirm/" in message.body
    assert 'dir="rtl"' in message.alternatives[0][0]
    confirmed = client.post(link(message, "confirm")).content.decode()
    assert 'dir="rtl"' in confirmed


def test_coordinators_see_counts_never_addresses(client, site_tree, django_user_model):
    confirmed_subscription(client)
    admin = django_user_model.objects.create_superuser("coordinator", "c@example.org", "pw")
    client.force_login(admin)
    html = client.get("/admin/").content.decode()
    assert sv(WEEKLY_COUNT, count=1, name="counter") in html
    assert ADDRESS not in html
    assert subscriptions.counts() == {"daily": 0, "weekly": 1, "pending": 0}


def test_the_personal_data_page_says_what_alerts_keep_in_every_language(client, site_tree):
    ensure_information_pages()
    headings = {
        "sv": "Bevakning av sökningar",
        "en": "Alerts about new search results",
        "ar": "التنبيهات بالنتائج الجديدة للبحث",
        "fa": "اطلاع‌رسانی دربارهٔ نتایج جدید جستجو",
    }
    for language, heading in headings.items():
        page = InformationPage.objects.get(
            purpose=InformationPurpose.PERSONAL_DATA, locale__language_code=language
        )
        html = client.get(page.url).content.decode()
        assert f"<h2>{heading}</h2>" in html
        # The sign-up form links to it, in the reader's language.
        form = client.get(f"/{language}/alerts/new/?{SEARCH}").content.decode()
        assert f'href="{page.url}"' in form


def test_a_saved_search_the_site_can_no_longer_ask_is_reported_not_widened(publish):
    Subscription.objects.create(
        email=ADDRESS,
        search="activity_type=removed-term",
        language="sv",
        frequency="daily",
        confirmed_at=timezone.now() - datetime.timedelta(days=2),
    )
    publish(mentoring("t-new", "Mentorskap i Borås"))
    errors = io.StringIO()
    with pytest.raises(CommandError, match="1 alerts could not be sent"):
        call_command("send_alerts", stdout=io.StringIO(), stderr=errors)
    assert "removed-term" in errors.getvalue()
    assert mail.outbox == []


def test_a_digest_is_claimed_once(site_tree):
    subscription = Subscription.objects.create(
        email=ADDRESS, search=SEARCH, language="sv", confirmed_at=timezone.now()
    )
    now = timezone.now()
    assert subscriptions.claim(subscription, now)
    assert not subscriptions.claim(subscription, now)  # a second run at the same time
