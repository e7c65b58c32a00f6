"""An editor of one organisation sees no title of another organisation's draft, in any admin
view: the explorer of that page, the page chooser, the bulk actions' confirmation pages, the
page-types report, the page listing and the admin API. Coordinators see them all."""

import pytest
from django.urls import reverse

from .world import build_world

pytestmark = pytest.mark.django_db
SECRET = "Hylte draft"


@pytest.fixture
def world(db):
    world = build_world()
    draft = world.pages["hylte_draft"]
    draft.title = draft.draft_title = SECRET
    draft.save()
    return world


def views(world):
    draft = world.pages["hylte_draft"].pk
    index = world.index.pk
    return {
        "explorer of the draft": reverse("wagtailadmin_explore", args=[draft]),
        "explorer of its parent": reverse("wagtailadmin_explore", args=[index]),
        "chooser at the draft": reverse("wagtailadmin_choose_page_child", args=[draft]),
        "chooser at its parent": reverse("wagtailadmin_choose_page_child", args=[index]),
        "chooser search": reverse("wagtailadmin_choose_page_search") + "?q=draft",
        "bulk delete": reverse("wagtail_bulk_action", args=["wagtailcore", "page", "delete"])
        + f"?id={draft}",
        "bulk move": reverse("wagtail_bulk_action", args=["wagtailcore", "page", "move"])
        + f"?id={draft}",
        "bulk publish": reverse("wagtail_bulk_action", args=["wagtailcore", "page", "publish"])
        + f"?id={draft}",
        "page types report": reverse("wagtailadmin_reports:page_types_usage"),
        "admin search": reverse("wagtailadmin_pages:search") + "?q=draft",
        "admin API listing": f"/admin/api/main/pages/?child_of={index}",
        "admin API detail": f"/admin/api/main/pages/{draft}/",
    }


def test_another_organisations_draft_title_appears_in_no_admin_view(client, world):
    client.force_login(world.users["sunne"])
    leaks = []
    for name, url in views(world).items():
        response = client.get(url)
        body = response.content.decode()
        if SECRET in body:
            leaks.append(f"{name}: {url} ({response.status_code})")
    assert leaks == [], "\n".join(leaks)


def test_coordinators_still_see_the_draft(client, world):
    client.force_login(world.users["coordinator"])
    for name in (
        "explorer of its parent",
        "admin search",
        "page types report",
        "admin API listing",
        "admin API detail",
        "bulk delete",
        "chooser at its parent",
    ):
        response = client.get(views(world)[name])
        if name == "page types report":
            assert response.status_code == 200
            continue
        assert SECRET in response.content.decode(), name


def test_editors_still_see_their_own_draft(client, world):
    client.force_login(world.users["hylte"])
    response = client.get(views(world)["explorer of its parent"])
    assert SECRET in response.content.decode()
