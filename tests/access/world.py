"""Two organisations, their editors, a coordinator, a translator, and a few pages.

Built once per test class (``setUpTestData``) by the access tests.
"""

from types import SimpleNamespace

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from wagtail.models import Locale

from home.site_tree import ensure_site_tree
from organisations.organisations import set_up_organisation
from organisations.scope import COORDINATORS, TRANSLATORS
from practices.models import PracticeIndexPage, PracticePage

PASSWORD = "a-long-test-password"  # noqa: S105


def make_user(username, *groups):
    user = get_user_model().objects.create_user(
        username=username, email=f"{username}@example.se", password=PASSWORD
    )
    user.groups.add(*groups)
    return user


def make_practice(index, organisation, owner, title, live):
    page = PracticePage(
        title=title,
        slug=title.lower().replace(" ", "-"),
        summary=f"{title}: a summary.",
        organisation=organisation,
        owner=owner,
        live=False,
    )
    index.add_child(instance=page)
    revision = page.save_revision(user=owner)
    if live:
        revision.publish()
    page.refresh_from_db()
    return page


def build_world():
    tree = ensure_site_tree()
    sunne = set_up_organisation(
        tree, "Sunne kommun", "municipality", municipality_code="1766"
    ).organisation
    hylte = set_up_organisation(
        tree, "Hylte kommun", "municipality", municipality_code="1315"
    ).organisation
    world = SimpleNamespace(tree=tree, sunne=sunne, hylte=hylte)
    world.users = {
        "sunne": make_user("sunne-editor", sunne.editors_group),
        "hylte": make_user("hylte-editor", hylte.editors_group),
        "coordinator": make_user("coordinator", Group.objects.get(name=COORDINATORS)),
        "translator": make_user("translator", Group.objects.get(name=TRANSLATORS)),
    }
    index = PracticeIndexPage.objects.get(locale__language_code="sv")
    world.index = index
    world.pages = {
        "sunne_draft": make_practice(index, sunne, world.users["sunne"], "Sunne draft", False),
        "hylte_draft": make_practice(index, hylte, world.users["hylte"], "Hylte draft", False),
        "hylte_live": make_practice(index, hylte, world.users["hylte"], "Hylte live", True),
    }
    english = Locale.objects.get(language_code="en")
    translation = world.pages["hylte_live"].copy_for_translation(english)
    translation.save_revision().publish()
    world.pages["hylte_live_en"] = PracticePage.objects.get(pk=translation.pk)
    return world
