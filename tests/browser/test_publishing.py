"""The editor's path end to end, in a real browser and in Swedish.

An editor of a newly set up organisation starts a practice from the dashboard, chooses two
outcome indicators from the list and municipalities with the chooser, and submits it for
review; the coordinator (the first administrator, as `make run` makes them) gets the email,
opens its link, and approves; the practice is then public.

This test writes through the live server, so it runs as a transactional test (what the server
commits must be visible to it on PostgreSQL too) and after every other browser test
(tests/conftest.py orders tests marked ``writes_demo`` last): its teardown empties the database.
"""

import re
from pathlib import Path

import pytest
from django.contrib.auth import get_user_model
from django.core import mail
from playwright.sync_api import expect

from home.site_tree import ensure_site_tree
from organisations.organisations import set_up_organisation
from organisations.workflow import TASK_NAME, WORKFLOW_NAME
from practices.models import PracticePage

from .conftest import ADMIN, CHROMIUM, RESULTS

pytestmark = [
    pytest.mark.browser,
    pytest.mark.writes_demo,
    pytest.mark.skipif(not Path(CHROMIUM).exists(), reason="Debian's chromium is not installed"),
    pytest.mark.django_db(transaction=True),
]

EDITOR = ("hylte-redaktor", "ett-langt-losenord-for-test")
TITLE = "Språkcafé på biblioteket i Hylte"


@pytest.fixture
def hylte_editor(demo_server):
    """A new organisation (Hylte kommun, as `manage.py create_organisation` sets it up) and
    one editor in its group."""
    organisation = set_up_organisation(
        ensure_site_tree(), "Hylte kommun", "municipality", municipality_code="1315"
    ).organisation
    editor = get_user_model().objects.create_user(
        EDITOR[0], email="redaktor@hylte.example.org", password=EDITOR[1]
    )
    editor.groups.add(organisation.editors_group)
    return editor


@pytest.fixture
def swedish_browser(chromium):
    """Opens a page in a browser of its own (its own cookies: one per person) that asks for
    Swedish, as a Swedish editor's does."""
    contexts = []

    def new_page():
        context = chromium.new_context(viewport={"width": 1280, "height": 900}, locale="sv-SE")
        contexts.append(context)
        return context.new_page()

    yield new_page
    for context in contexts:
        context.close()


def sign_in(page, site, username, password):
    page.goto(f"{site}/admin/login/")
    page.locator("#id_username").fill(username)
    page.locator("#id_password").fill(password)
    page.locator("#id_password").press("Enter")
    page.wait_for_url(f"{site}/admin/")


def add_indicator(page, position, label, value, target):
    page.locator("#id_indicators-ADD").click()  # "Lägg till Indikator"
    form = page.locator(f"#id_indicators-{position}-key")
    expect(form).to_be_visible()
    form.select_option(label=label)
    page.locator(f"#id_indicators-{position}-value").fill(value)
    page.locator(f"#id_indicators-{position}-target").fill(target)


def test_an_editor_submits_a_practice_and_the_coordinator_publishes_it(
    demo_server, hylte_editor, swedish_browser, settings
):
    site = demo_server.url
    # Links in the notification point at this server, as SITE_URL makes them point at the site.
    settings.WAGTAILADMIN_BASE_URL = site
    mail.outbox = []

    # The editor: from the dashboard to a new practice, in the right place.
    page = swedish_browser()
    sign_in(page, site, *EDITOR)
    page.get_by_role("link", name="Nytt gott exempel").click()
    page.wait_for_url(re.compile(r"/admin/pages/add/practices/practicepage/\d+/"))
    page.locator("#id_title").fill(TITLE)
    page.locator("#id_summary").fill(
        "Ett språkcafé varje vecka där nyanlända övar svenska med frivilliga."
    )

    # Facts: the editor's own municipality is chosen already; add a neighbour by searching.
    page.get_by_role("tab", name=re.compile(r"^\s*Fakta")).click()
    chooser = page.locator("[data-municipality-chooser]")
    assert chooser.locator("li", has_text="Hylte").locator("input").is_checked()
    chooser.locator("input[type=search]").fill("halmstad")
    chooser.locator("li:not([hidden])", has_text="Halmstad").locator("input").check()

    # Two indicators chosen from the vocabulary, by their Swedish labels.
    page.get_by_role("tab", name=re.compile(r"^\s*Resultat")).click()
    add_indicator(page, 0, "Deltagare", "48", "40")
    add_indicator(page, 1, "I arbete", "21", "25")
    page.screenshot(path=str(RESULTS / "publishing-editor-sv.png"), full_page=True)

    # Submit for review (the footer's more-actions menu).
    page.locator("footer .dropdown-toggle, footer [data-w-dropdown-target=toggle]").last.click()
    page.get_by_role("button", name=re.compile(f"Lämna in till {WORKFLOW_NAME}")).click()
    page.wait_for_url(re.compile(r"/admin/pages/\d+/"))
    page.screenshot(path=str(RESULTS / "publishing-submitted-sv.png"), full_page=True)
    practice = PracticePage.objects.get(title=TITLE)
    assert not practice.live
    assert practice.current_workflow_task.name == TASK_NAME
    assert practice.organisation.name == "Hylte kommun"
    assert sorted(m.name for m in practice.municipalities.all()) == ["Halmstad", "Hylte"]
    assert [(i.key, i.value, i.target) for i in practice.indicators.order_by("sort_order")] == [
        ("participants", 48, 40),
        ("in_work", 21, 25),
    ]

    # The coordinator is told, with a link that opens the page in the admin.
    to_coordinator = [message for message in mail.outbox if ADMIN[2] in message.to]
    assert to_coordinator, [message.to for message in mail.outbox]
    body = to_coordinator[0].body
    assert TITLE in body
    link = re.search(rf"{re.escape(site)}/admin/pages/{practice.pk}/edit/", body)
    assert link, body

    coordinator = swedish_browser()
    sign_in(coordinator, site, ADMIN[0], ADMIN[1])
    coordinator.goto(link.group(0))
    expect(coordinator.locator("#id_title")).to_have_value(TITLE)
    coordinator.locator(
        "footer .dropdown-toggle, footer [data-w-dropdown-target=toggle]"
    ).last.click()
    coordinator.get_by_role("button", name=re.compile(r"^\s*Godkänn\s*$")).click()
    expect(coordinator.locator(".messages")).to_contain_text("är godkänd och publicerad")

    practice.refresh_from_db()
    assert practice.live
    reader = swedish_browser()
    reader.goto(site + practice.url)
    expect(reader.locator("h1").first).to_have_text(TITLE)
    reader.screenshot(path=str(RESULTS / "publishing-published-sv.png"), full_page=True)
