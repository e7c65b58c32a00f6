"""A real browser (Playwright driving Debian's Chromium) reads the demo site.

Screenshots go to test-results/. Skipped when Debian's chromium is not installed
(.ci/run installs it).
"""

import io
import os
import shutil
from pathlib import Path

import pytest
from django.core.management import call_command

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
RESULTS = Path(__file__).resolve().parents[2] / "test-results"

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(not Path(CHROMIUM).exists(), reason="Debian's chromium is not installed"),
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


@pytest.fixture
def demo_site(live_server):
    call_command("load_demo", stdout=io.StringIO(), stderr=io.StringIO())
    return live_server.url


@pytest.fixture
def browser_page(demo_site):
    # Playwright's sync API runs an event loop in this thread; Django's ORM is only used by
    # the live server's own threads from here on.
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    from playwright.sync_api import sync_playwright

    RESULTS.mkdir(exist_ok=True)
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM,
            headless=True,
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--no-first-run",
            ],
        )
        page = browser.new_page(viewport={"width": 1200, "height": 900})
        yield page
        browser.close()


def test_reader_goes_from_home_to_a_practice(demo_site, browser_page):
    page = browser_page
    page.goto(f"{demo_site}/sv/")
    assert page.locator("h1").first.is_visible()
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.getAttribute('href')") == "#main"
    page.screenshot(path=str(RESULTS / "home-sv.png"), full_page=True)

    page.locator("nav.main-nav a").first.click()
    page.locator(".card__title a").first.click()
    assert page.locator("h1").first.is_visible()
    assert page.locator("#facts-heading").is_visible()
    page.screenshot(path=str(RESULTS / "practice-sv.png"), full_page=True)


def test_arabic_pages_read_right_to_left(demo_site, browser_page):
    page = browser_page
    page.goto(f"{demo_site}/ar/")
    assert page.evaluate("getComputedStyle(document.body).direction") == "rtl"
    page.locator("nav.main-nav a").first.click()
    card = page.locator(".card").first.bounding_box()
    filters = page.locator("form.filters").bounding_box()
    # In right-to-left the filter column stands to the right of the results.
    assert filters["x"] > card["x"]
    page.screenshot(path=str(RESULTS / "index-ar.png"), full_page=True)


def test_search_by_keyboard_with_suggestions_and_facets(demo_site, browser_page):
    page = browser_page
    page.goto(f"{demo_site}/sv/")
    box = page.locator("#site-search-q")
    box.focus()
    box.type("ment", delay=30)
    # The datalist fills from the autocomplete endpoint.
    page.wait_for_function(
        "document.querySelectorAll('#site-search-suggestions option').length > 0"
    )
    box.fill("mentorskap")
    box.press("Enter")
    page.wait_for_url("**/sv/search/?q=mentorskap")
    status = page.locator("#results-heading")
    assert "träff" in status.inner_text()
    first_title = page.locator(".result .card__title a").first.inner_text()
    assert first_title
    # Tick a facet with the keyboard and submit the filter form without JavaScript tricks.
    facet = page.locator("form.filters input[type=checkbox]").first
    facet.focus()
    page.keyboard.press("Space")
    page.locator("form.filters button[type=submit]").click()
    assert "q=mentorskap" in page.url and "=" in page.url.split("q=mentorskap")[-1]
    assert page.locator("form.filters input[type=checkbox]:checked").count() == 1
    page.screenshot(path=str(RESULTS / "search-sv.png"), full_page=True)


def test_search_page_mirrors_in_persian(demo_site, browser_page):
    page = browser_page
    page.goto(f"{demo_site}/fa/search/?q=mentor")
    assert page.evaluate("document.documentElement.dir") == "rtl"
    results = page.locator("section.listing").bounding_box()
    filters = page.locator("form.filters").bounding_box()
    assert filters["x"] > results["x"]
    page.screenshot(path=str(RESULTS / "search-fa.png"), full_page=True)
