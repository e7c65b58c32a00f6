"""A real browser (Playwright driving Debian's Chromium) reads the demo site.

Fixtures (the demo site on a live server, the Chromium page) are in conftest.py.
"""

from playwright.sync_api import expect

from .conftest import RESULTS, browser_marks

pytestmark = browser_marks

# The search page's filter form (beside it, "Like my municipality" is a form of its own).
FACETS = "form.filters:not(.my-municipality)"


def follow(page, link):
    """Click a link and wait until the page it leads to has loaded.

    A click only starts a navigation: without the wait, the next locator can still read the
    page being left, and a check such as is_visible() does not retry.
    """
    target = link.evaluate("a => a.href")
    link.click()
    page.wait_for_url(target)


def test_reader_goes_from_home_to_a_practice(demo_site, browser_page):
    page = browser_page
    page.goto(f"{demo_site}/sv/")
    expect(page.locator("h1").first).to_be_visible()
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.getAttribute('href')") == "#main"
    page.screenshot(path=str(RESULTS / "home-sv.png"), full_page=True)

    follow(page, page.locator("nav.main-nav a").first)
    follow(page, page.locator(".card__title a").first)
    expect(page.locator("#facts-heading")).to_be_visible()
    expect(page.locator("h1").first).to_be_visible()
    page.screenshot(path=str(RESULTS / "practice-sv.png"), full_page=True)


def test_arabic_pages_read_right_to_left(demo_site, browser_page):
    page = browser_page
    page.goto(f"{demo_site}/ar/")
    assert page.evaluate("getComputedStyle(document.body).direction") == "rtl"
    follow(page, page.locator("nav.main-nav a").first)
    card = page.locator(".card").first.bounding_box()
    filters = page.locator(FACETS).bounding_box()
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
    # (wait_for_function evaluates a string, which the site's CSP forbids.)
    page.wait_for_selector("#site-search-suggestions option", state="attached")
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
    page.locator(f"{FACETS} button[type=submit]").click()
    # The filtered page loads after the click returns: wait for it, do not race it.
    page.wait_for_url("**/sv/search/?q=mentorskap&*")
    page.wait_for_load_state("load")
    expect(page.locator("form.filters input[type=checkbox]:checked")).to_have_count(1)
    page.screenshot(path=str(RESULTS / "search-sv.png"), full_page=True)


def test_search_page_mirrors_in_persian(demo_site, browser_page):
    page = browser_page
    page.goto(f"{demo_site}/fa/search/?q=mentor")
    assert page.evaluate("document.documentElement.dir") == "rtl"
    results = page.locator("section.listing").bounding_box()
    filters = page.locator(FACETS).bounding_box()
    assert filters["x"] > results["x"]
    page.screenshot(path=str(RESULTS / "search-fa.png"), full_page=True)
