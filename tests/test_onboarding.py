"""Onboarding: the first administrator is a platform coordinator with an address review
notifications reach, and the Wagtail Site follows SITE_URL (links in emails, hreflang)."""

import io

import pytest
from django.contrib.auth import get_user_model
from django.core.exceptions import ImproperlyConfigured
from django.core.management import CommandError, call_command
from django.test import override_settings
from wagtail.models import Site

from home.site_tree import ensure_site_tree
from organisations.scope import COORDINATORS

pytestmark = pytest.mark.django_db


def ensure_admin(monkeypatch, **environment):
    for name in ("ADMIN_USER", "ADMIN_PASSWORD", "ADMIN_EMAIL"):
        monkeypatch.delenv(name, raising=False)
    for name, value in environment.items():
        monkeypatch.setenv(name, value)
    out, err = io.StringIO(), io.StringIO()
    call_command("ensure_admin", stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def test_the_first_administrator_is_a_coordinator_with_the_given_address(monkeypatch):
    out, err = ensure_admin(
        monkeypatch,
        ADMIN_USER="anna",
        ADMIN_PASSWORD="a-long-passphrase",
        ADMIN_EMAIL="a@example.org",
    )
    admin = get_user_model().objects.get(username="anna")
    assert admin.is_superuser and admin.check_password("a-long-passphrase")
    assert admin.email == "a@example.org"
    assert list(admin.groups.values_list("name", flat=True)) == [COORDINATORS]
    assert "Review notifications go to a@example.org." in out and err == ""
    # Again: nothing more to do, nothing duplicated.
    out, _ = ensure_admin(monkeypatch, ADMIN_EMAIL="other@example.org")
    admin.refresh_from_db()
    assert admin.email == "a@example.org" and admin.groups.count() == 1
    assert "exists already" in out


def test_an_existing_administrator_without_address_or_group_is_completed(monkeypatch):
    admin = get_user_model().objects.create_superuser("old", email="", password="x")
    ensure_admin(monkeypatch, ADMIN_EMAIL="old@example.org")
    admin.refresh_from_db()
    assert admin.email == "old@example.org"
    assert admin.groups.filter(name=COORDINATORS).exists()


def test_without_an_address_it_says_that_nobody_is_notified(monkeypatch):
    monkeypatch.setattr("sys.stdin", io.StringIO(""))  # not a terminal: nobody to ask
    out, err = ensure_admin(monkeypatch)
    admin = get_user_model().objects.get(username="admin")
    assert admin.email == "" and admin.groups.filter(name=COORDINATORS).exists()
    assert "notifies nobody" in err and "ADMIN_EMAIL" in err
    assert "with password" in out  # the generated password, shown once


def test_a_wrong_address_is_refused_before_anything_changes(monkeypatch):
    with pytest.raises(CommandError, match="is not an email address"):
        ensure_admin(monkeypatch, ADMIN_EMAIL="not-an-address")
    assert not get_user_model().objects.exists()


@override_settings(SITE_URL="https://kunskap.example.org")
def test_the_site_follows_site_url():
    Site.objects.update(site_name="")  # as Wagtail's first migration leaves it
    ensure_site_tree()
    site = Site.objects.get(is_default_site=True)
    assert (site.hostname, site.port) == ("kunskap.example.org", 443)
    assert site.root_url == "https://kunskap.example.org"
    assert site.site_name == "Kunskapsplattformen"  # not "localhost" on the dashboard
    with override_settings(SITE_URL="http://127.0.0.1:8000"):
        ensure_site_tree()  # make setup again after SITE_URL changed
    site.refresh_from_db()
    assert site.root_url == "http://127.0.0.1:8000"


@override_settings(SITE_URL="kunskap.example.org")
def test_a_site_url_without_scheme_is_refused_with_a_message():
    with pytest.raises(ImproperlyConfigured, match="SITE_URL='kunskap.example.org'"):
        ensure_site_tree()
