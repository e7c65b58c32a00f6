"""No way in by guessing: sign-ins lock after too many wrong passwords (per user name and per
address), a coordinator can unlock them, and password-reset mails are limited."""

from http import HTTPStatus

import pytest
from django.contrib.auth.models import Group, Permission
from django.core import mail
from django.core.cache import cache
from django.core.management import call_command
from django.test import Client, override_settings
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext

from organisations.scope import COORDINATORS

pytestmark = pytest.mark.django_db

LOGIN = "/admin/login/"
LIMIT = 10


@pytest.fixture(autouse=True)
def _fresh_counters():
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def editor(django_user_model):
    return django_user_model.objects.create_user(
        "editor", "editor@example.org", "right-password", is_staff=False
    )


@pytest.fixture
def coordinator(django_user_model, site_tree):
    call_command("setup_roles", verbosity=0)
    user = django_user_model.objects.create_user("coordinator", "c@example.org", "pw")
    user.groups.add(Group.objects.get(name=COORDINATORS))
    return user


def sign_in(client, username, password, address="192.0.2.10"):
    return client.post(LOGIN, {"username": username, "password": password}, REMOTE_ADDR=address)


def is_signed_in(client):
    return "_auth_user_id" in client.session


@override_settings(AXES_FAILURE_LIMIT=LIMIT)
def test_thirty_wrong_passwords_lock_the_account_then_the_right_one_is_refused(client, editor):
    statuses = [sign_in(client, "editor", f"wrong-{n}").status_code for n in range(30)]
    assert statuses[: LIMIT - 1] == [HTTPStatus.OK] * (LIMIT - 1)  # the form, with its error
    assert set(statuses[LIMIT:]) == {HTTPStatus.TOO_MANY_REQUESTS}
    locked = sign_in(client, "editor", "right-password")
    assert locked.status_code == HTTPStatus.TOO_MANY_REQUESTS
    html = locked.content.decode()
    language = html.split('<html lang="')[1].split('"')[0]
    with translation.override(language):
        assert gettext("Too many failed sign-in attempts") in html
    assert not is_signed_in(client)
    # The user name is locked from another address too.
    assert sign_in(client, "editor", "right-password", "198.51.100.7").status_code == 429


@override_settings(AXES_FAILURE_LIMIT=LIMIT)
def test_an_address_trying_many_user_names_is_locked(client, editor):
    for n in range(LIMIT):
        sign_in(client, f"guess-{n}", "secret", address="203.0.113.9")
    blocked = sign_in(client, "editor", "right-password", address="203.0.113.9")
    assert blocked.status_code == HTTPStatus.TOO_MANY_REQUESTS
    # The same user from elsewhere still gets in.
    assert sign_in(client, "editor", "right-password", address="192.0.2.200").status_code == 302


@override_settings(AXES_FAILURE_LIMIT=LIMIT)
def test_a_coordinator_unlocks_a_locked_account(client, editor, coordinator):
    for n in range(LIMIT):
        sign_in(client, "editor", f"wrong-{n}")
    assert sign_in(client, "editor", "right-password").status_code == 429

    other = Client()
    other.force_login(coordinator)
    page = other.get(reverse("organisations_lockouts:list"))
    assert page.status_code == HTTPStatus.OK
    assert "editor" in page.content.decode()
    attempt_id = page.context["attempts"][0].pk
    response = other.post(reverse("organisations_lockouts:unlock", args=[attempt_id]))
    assert response.status_code == HTTPStatus.FOUND

    assert sign_in(client, "editor", "right-password").status_code == HTTPStatus.FOUND
    assert is_signed_in(client)


def test_editors_cannot_see_or_unlock_sign_ins(client, editor, coordinator):
    staff = Group.objects.create(name="Admin access")
    staff.permissions.add(Permission.objects.get(codename="access_admin"))
    editor.groups.add(staff)
    client.force_login(editor)
    response = client.get(reverse("organisations_lockouts:list"))
    assert response.status_code in (HTTPStatus.FORBIDDEN, HTTPStatus.FOUND)
    assert client.post(reverse("organisations_lockouts:unlock", args=[1])).status_code in (
        HTTPStatus.FORBIDDEN,
        HTTPStatus.FOUND,
    )


@override_settings(PASSWORD_RESET_LIMIT={"requests": 5, "seconds": 3600})
def test_password_reset_mails_are_limited_per_address(client, editor):
    url = reverse("wagtailadmin_password_reset")
    statuses = [client.post(url, {"email": "editor@example.org"}).status_code for _ in range(20)]
    assert statuses[:5] == [HTTPStatus.FOUND] * 5
    assert set(statuses[5:]) == {HTTPStatus.TOO_MANY_REQUESTS}
    assert len(mail.outbox) == 5
    refused = client.post(url, {"email": "editor@example.org"}, HTTP_ACCEPT_LANGUAGE="en")
    assert "Too many password reset requests" in refused.content.decode()
