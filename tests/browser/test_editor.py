"""The editor's path in a real browser: the municipality chooser in the page editor."""

import re

from playwright.sync_api import expect

from practices.models import PracticePage

from .conftest import ADMIN, RESULTS, browser_marks

pytestmark = browser_marks


def sign_in(page, site):
    page.goto(f"{site}/admin/login/")
    page.locator("#id_username").fill(ADMIN[0])
    page.locator("#id_password").fill(ADMIN[1])
    page.locator("#id_password").press("Enter")
    page.wait_for_url(f"{site}/admin/")


def test_the_municipality_chooser_narrows_the_list_as_you_type(demo_site, browser_page):
    page = browser_page
    sign_in(page, demo_site)
    practice = PracticePage.objects.get(
        external_id="demo-practice-premiar-primar", locale__language_code="sv"
    )
    page.goto(f"{demo_site}/admin/pages/{practice.pk}/edit/")
    # The admin speaks the browser's language (English here): Fakta / Facts.
    page.get_by_role("tab", name=re.compile(r"^\s*(Fakta|Facts)")).click()
    chooser = page.locator("[data-municipality-chooser]")
    search = chooser.locator("input[type=search]")
    expect(search).to_be_visible()
    checkboxes = chooser.locator("li:not([hidden]) input[type=checkbox]")
    assert checkboxes.count() == 290  # everything, before a search
    search.fill("vaxjo")  # without the Swedish letters
    expect(chooser.locator("li:not([hidden])", has_text="Växjö")).to_have_count(1)
    # The five municipalities Premiär Primär ran in stay in view, chosen.
    expect(checkboxes).to_have_count(6)
    assert chooser.locator("input:checked").count() == 5
    expect(chooser.locator("[data-municipality-status]")).to_contain_text("6")
    # Choosing with the keyboard.
    box = chooser.locator("li:not([hidden])", has_text="Växjö").locator("input")
    box.focus()
    page.keyboard.press("Space")
    assert box.is_checked()
    expect(chooser.locator("[data-municipality-status]")).to_contain_text("6")
    page.screenshot(path=str(RESULTS / "admin-municipality-chooser.png"))
