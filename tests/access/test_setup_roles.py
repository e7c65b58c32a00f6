"""`make setup` gives a fresh site its coordinators, translators and review workflow."""

import importlib
import io

import pytest
from django.apps import apps
from django.contrib.auth.models import Group
from django.core.management import call_command
from wagtail.models import Task, Workflow

from organisations.scope import COORDINATORS, TRANSLATORS
from organisations.workflow import WORKFLOW_NAME

pytestmark = pytest.mark.django_db


def run():
    out = io.StringIO()
    call_command("setup_roles", stdout=out)
    return out.getvalue()


def test_setup_roles_creates_the_groups_and_workflow_once():
    assert "set up (" in run()
    names = set(Group.objects.values_list("name", flat=True))
    assert {COORDINATORS, TRANSLATORS} <= names
    workflow = Workflow.objects.get(name=WORKFLOW_NAME, active=True)
    # The three index pages (practices, methods, reports) in each of the four languages.
    assert workflow.workflow_pages.count() >= 3
    groups, workflows = Group.objects.count(), Workflow.objects.count()

    assert "nothing changed" in run()
    assert (Group.objects.count(), Workflow.objects.count()) == (groups, workflows)


def test_wagtails_default_groups_and_workflow_are_gone(db):
    """Removed by organisations/0001: the platform's roles are its own."""
    assert not Group.objects.filter(name__in=["Editors", "Moderators"]).exists()
    assert not Workflow.objects.filter(name="Moderators approval").exists()
    assert not Task.objects.filter(name="Moderators approval").exists()


def test_english_role_names_of_earlier_installs_become_swedish(db):
    """organisations/0002 renames the groups, workflow and task, members and all."""
    migration = importlib.import_module("organisations.migrations.0002_swedish_role_names")
    Group.objects.filter(name__in=[COORDINATORS, TRANSLATORS]).delete()
    coordinators = Group.objects.create(name="Platform coordinators")
    Group.objects.create(name="Translators")
    workflow = Workflow.objects.create(name="Coordinator review")
    task = Task.objects.create(name="Coordinator approval")

    migration.forwards(apps, None)

    coordinators.refresh_from_db()
    assert coordinators.name == COORDINATORS == "Plattformssamordnare"
    assert Group.objects.filter(name="Översättare").exists()
    workflow.refresh_from_db()
    task.refresh_from_db()
    assert (workflow.name, task.name) == ("Samordnarens granskning", "Samordnarens godkännande")
    migration.forwards(apps, None)  # again: nothing to do
    assert Group.objects.filter(name=COORDINATORS).count() == 1
