""" "Method adoptions" in the admin: an organisation records its own use of another's method."""

import importlib
from http import HTTPStatus

import pytest
from django.apps import apps
from django.contrib.auth.models import Group, Permission
from django.test import Client
from django.urls import reverse

from practices.models import AdoptionStatus, MethodAdoption, MethodPage
from reuse.permissions import ADOPTION_PERMISSIONS, grant_adoption_permissions

from .conftest import adopt

pytestmark = pytest.mark.django_db

URLS = "wagtailsnippets_practices_methodadoption"


def editor_of(organisation, username, django_user_model, *, permissions=True):
    """A user in ``organisation``'s editors' group, as ``create_organisation`` sets it up."""
    group = Group.objects.create(name=f"{organisation.name} – redaktörer")
    group.permissions.add(
        Permission.objects.get(content_type__app_label="wagtailadmin", codename="access_admin")
    )
    if permissions:
        grant_adoption_permissions(group)
    organisation.editors_group = group
    organisation.save()
    user = django_user_model.objects.create_user(username, password="pw")  # noqa: S106
    user.groups.add(group)
    return user


@pytest.fixture
def hylte_method(reuse_site):
    """The mentoring method belongs to Lerum: Sunne's editors cannot edit its page."""
    method = reuse_site.mentoring
    MethodPage.objects.filter(translation_key=method.translation_key).update(
        organisation=reuse_site.lerum
    )
    method.refresh_from_db()
    return method


@pytest.fixture
def sunne_editor(reuse_site, django_user_model):
    return editor_of(reuse_site.sunne, "sunne", django_user_model)


@pytest.fixture
def sunne_client(client, sunne_editor):
    client.force_login(sunne_editor)
    return client


def form_data(method, organisation, **overrides):
    data = {
        "method": method.pk,
        "organisation": organisation.pk,
        "status": "running",
        "start_date": "2025-09-01",
        "changes": "Vi träffas på biblioteket.",
        "practice": "",
    }
    data.update(overrides)
    return data


def test_editor_records_their_organisations_use_of_another_organisations_method(
    reuse_site, hylte_method, sunne_client
):
    response = sunne_client.get(reverse(f"{URLS}:add"))
    assert response.status_code == HTTPStatus.OK
    organisation = response.context["form"].fields["organisation"]
    assert list(organisation.queryset) == [reuse_site.sunne]
    assert response.context["form"].initial["organisation"] == reuse_site.sunne.pk

    response = sunne_client.post(
        reverse(f"{URLS}:add"),
        form_data(hylte_method, reuse_site.sunne, practice=reuse_site.sunne_practice.pk),
    )
    assert response.status_code == HTTPStatus.FOUND
    adoption = MethodAdoption.objects.get()
    assert adoption.method.pk == hylte_method.pk
    assert adoption.organisation == reuse_site.sunne
    assert adoption.practice.pk == reuse_site.sunne_practice.pk
    assert adoption.status == AdoptionStatus.RUNNING


def test_a_translation_chosen_as_method_is_stored_as_its_source(
    reuse_site, hylte_method, sunne_client
):
    response = sunne_client.post(
        reverse(f"{URLS}:add"), form_data(reuse_site.mentoring_en, reuse_site.sunne)
    )
    assert response.status_code == HTTPStatus.FOUND
    assert MethodAdoption.objects.get().method.pk == hylte_method.pk


def test_editor_cannot_record_for_another_organisation(reuse_site, hylte_method, sunne_client):
    response = sunne_client.post(reverse(f"{URLS}:add"), form_data(hylte_method, reuse_site.lerum))
    assert response.status_code == HTTPStatus.OK
    assert "organisation" in response.context["form"].errors
    assert not MethodAdoption.objects.exists()


def test_the_practice_must_belong_to_the_adopting_organisation(
    reuse_site, hylte_method, sunne_client
):
    response = sunne_client.post(
        reverse(f"{URLS}:add"),
        form_data(hylte_method, reuse_site.sunne, practice=reuse_site.lerum_practice.pk),
    )
    assert response.status_code == HTTPStatus.OK
    assert response.context["form"].errors["practice"] == [
        # The admin speaks the editors' language, Swedish.
        "Välj ett gott exempel från Sunne kommun, den organisation som har börjat använda metoden."
    ]
    # What the editor typed is still in the form.
    assert response.context["form"]["changes"].value() == "Vi träffas på biblioteket."
    assert not MethodAdoption.objects.exists()


def test_only_pages_of_the_right_type_can_be_chosen(reuse_site, hylte_method, sunne_client):
    response = sunne_client.post(
        reverse(f"{URLS}:add"),
        form_data(reuse_site.sunne_practice, reuse_site.sunne, practice=hylte_method.pk),
    )
    assert response.status_code == HTTPStatus.OK
    errors = response.context["form"].errors
    assert "method" in errors
    assert "practice" in errors
    assert not MethodAdoption.objects.exists()


def test_a_second_record_of_the_same_method_is_refused(reuse_site, hylte_method, sunne_client):
    adopt(hylte_method, reuse_site.sunne, status=AdoptionStatus.PLANNED)
    response = sunne_client.post(
        reverse(f"{URLS}:add"), form_data(reuse_site.mentoring_en, reuse_site.sunne)
    )
    assert response.status_code == HTTPStatus.OK
    assert response.context["form"].non_field_errors() == [
        "Organisationen har redan registrerat att den använder metoden. Ändra den "
        "registreringen i stället."
    ]
    assert MethodAdoption.objects.get().status == AdoptionStatus.PLANNED


def test_editor_lists_and_edits_only_their_own_organisations_adoptions(
    reuse_site, hylte_method, sunne_client
):
    own = MethodAdoption.objects.create(
        method=hylte_method, organisation=reuse_site.sunne, status=AdoptionStatus.PLANNED
    )
    MethodAdoption.objects.create(
        method=hylte_method, organisation=reuse_site.lerum, status=AdoptionStatus.RUNNING
    )
    response = sunne_client.get(reverse(f"{URLS}:list"))
    assert response.status_code == HTTPStatus.OK
    assert [row.pk for row in response.context["object_list"]] == [own.pk]

    response = sunne_client.post(
        reverse(f"{URLS}:edit", args=[own.pk]),
        form_data(hylte_method, reuse_site.sunne, status="finished"),
    )
    assert response.status_code == HTTPStatus.FOUND
    own.refresh_from_db()
    assert own.status == AdoptionStatus.FINISHED


def assert_refused(response):
    """Wagtail's refusal: back to the dashboard with its "no permission" message."""
    assert response.status_code == HTTPStatus.FOUND
    assert response.url == reverse("wagtailadmin_home")


def test_editor_cannot_touch_another_organisations_adoption(reuse_site, hylte_method, sunne_client):
    other = MethodAdoption.objects.create(
        method=hylte_method, organisation=reuse_site.lerum, status=AdoptionStatus.RUNNING
    )
    edit = reverse(f"{URLS}:edit", args=[other.pk])
    delete = reverse(f"{URLS}:delete", args=[other.pk])
    assert_refused(sunne_client.get(edit))
    assert_refused(sunne_client.post(edit, form_data(hylte_method, reuse_site.sunne)))
    assert_refused(sunne_client.get(delete))
    assert_refused(sunne_client.post(delete))
    assert_refused(sunne_client.get(reverse(f"{URLS}:history", args=[other.pk])))
    script = sunne_client.post(delete, headers={"x-requested-with": "XMLHttpRequest"})
    assert script.status_code == HTTPStatus.FORBIDDEN
    other.refresh_from_db()
    assert (other.organisation, other.status) == (reuse_site.lerum, AdoptionStatus.RUNNING)


def test_editor_removes_their_own_adoption(reuse_site, hylte_method, sunne_client):
    own = adopt(hylte_method, reuse_site.sunne, status=AdoptionStatus.PLANNED).adoptions.get()
    response = sunne_client.post(reverse(f"{URLS}:delete", args=[own.pk]))
    assert response.status_code == HTTPStatus.FOUND
    assert not MethodAdoption.objects.exists()


def test_users_without_the_permissions_are_refused(reuse_site, hylte_method, django_user_model):
    user = editor_of(reuse_site.network, "network", django_user_model, permissions=False)
    client = Client()
    client.force_login(user)
    assert_refused(client.get(reverse(f"{URLS}:list")))
    assert_refused(client.post(reverse(f"{URLS}:add"), form_data(hylte_method, reuse_site.network)))
    assert not MethodAdoption.objects.exists()


def test_coordinators_see_and_choose_every_organisation(
    reuse_site, hylte_method, client, django_user_model
):
    admin = django_user_model.objects.create_superuser("root", "root@example.se", "pw")
    adopt(hylte_method, reuse_site.sunne, status=AdoptionStatus.RUNNING)
    adopt(hylte_method, reuse_site.lerum, status=AdoptionStatus.RUNNING)
    client.force_login(admin)
    response = client.get(reverse(f"{URLS}:list"))
    assert len(response.context["object_list"]) == 2
    response = client.get(reverse(f"{URLS}:add"))
    assert response.context["form"].fields["organisation"].queryset.count() == 3
    response = client.post(reverse(f"{URLS}:add"), form_data(hylte_method, reuse_site.network))
    assert response.status_code == HTTPStatus.FOUND
    assert MethodAdoption.objects.count() == 3


def test_listing_filters_by_status_and_searches(
    reuse_site, hylte_method, client, django_user_model
):
    admin = django_user_model.objects.create_superuser("root", "root@example.se", "pw")
    adopt(hylte_method, reuse_site.sunne, status=AdoptionStatus.RUNNING)
    adopt(reuse_site.matching, reuse_site.lerum, status=AdoptionStatus.PLANNED)
    client.force_login(admin)
    response = client.get(reverse(f"{URLS}:list"), {"status": "planned"})
    assert [row.organisation for row in response.context["object_list"]] == [reuse_site.lerum]
    response = client.get(reverse(f"{URLS}:list"), {"q": "Sunne"})
    assert [row.organisation for row in response.context["object_list"]] == [reuse_site.sunne]


def test_method_page_form_no_longer_edits_adoptions(reuse_site):
    form_class = MethodPage.get_edit_handler().get_form_class()
    assert "adoptions" not in form_class.formsets


def test_data_migration_gives_existing_groups_the_permissions(reuse_site, django_user_model):
    migration = importlib.import_module("practices.migrations.0005_adoption_permissions")
    coordinators = Group.objects.create(name="Platform coordinators")
    editors = Group.objects.create(name="Sunne kommun – editors")
    reuse_site.sunne.editors_group = editors
    reuse_site.sunne.save()
    bystanders = Group.objects.create(name="Translators")

    for _run in range(2):  # idempotent
        migration.grant(apps, None)

    expected = {dotted.split(".", 1)[1] for dotted in ADOPTION_PERMISSIONS}
    for group in (coordinators, editors):
        held = set(group.permissions.values_list("codename", flat=True))
        assert held == expected, group.name
    assert not bystanders.permissions.exists()
