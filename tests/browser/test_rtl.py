"""Arabic and Dari/Persian read right to left in a real browser; the language switcher works;
the focus ring and the contact form work by keyboard.

Playwright drives Debian's Chromium against the demo site; screenshots go to test-results/.
"""

import re

from playwright.sync_api import expect

from practices.models import PracticePage

from .conftest import RESULTS, SWEDISH_ONLY, browser_marks

pytestmark = browser_marks

PRACTICE = "demo-practice-premiar-primar"


def practice_url(base, language, external_id=PRACTICE):
    page = PracticePage.objects.get(external_id=external_id, locale__language_code=language)
    return base + page.url


def centre_x(locator):
    box = locator.bounding_box()
    return box["x"] + box["width"] / 2


LANGUAGES = [("sv", "ltr"), ("en", "ltr"), ("ar", "rtl"), ("fa", "rtl")]


def test_practice_page_layout_follows_the_writing_direction(demo_site, browser_page):
    # One test for the four languages: loading the demo site is the slow part.
    page = browser_page
    fonts = []
    page.on(
        "response",
        lambda response: fonts.append(response.url) if ".woff2" in response.url else None,
    )
    middle = page.viewport_size["width"] / 2
    for language, direction in LANGUAGES:
        page.goto(practice_url(demo_site, language))
        assert page.evaluate("document.documentElement.lang") == language
        assert page.evaluate("document.documentElement.dir") == direction
        assert page.evaluate("getComputedStyle(document.body).direction") == direction

        navigation = centre_x(page.locator("nav.main-nav a").first)
        facts = centre_x(page.locator("aside.facts"))
        main_text = centre_x(page.locator(".content-main"))
        if direction == "rtl":
            # Navigation and facts box start on the right; the text column is to their left.
            assert navigation > middle, language
            assert facts > middle, language
            assert facts > main_text, language
        else:
            assert navigation < middle, language
            assert facts < middle, language
            assert facts < main_text, language
        page.screenshot(path=str(RESULTS / f"practice-{language}.png"), full_page=True)
        if direction == "ltr":
            # Latin pages (visited first) download no webfont: the switcher's Arabic-script
            # language names use the system font there.
            page.evaluate("document.fonts.ready")
            assert not fonts, (language, fonts)

        if direction == "rtl":
            # Arabic script is set in the site's own font, served by the site (no CDN).
            page.evaluate("document.fonts.ready")
            h1_font = page.evaluate("getComputedStyle(document.querySelector('h1')).fontFamily")
            assert "Vazirmatn" in h1_font
            assert page.evaluate("document.fonts.check('16px Vazirmatn', 'العربية')")
    assert fonts and all(url.startswith(demo_site) for url in fonts)


def check_switcher_goes_to_the_translation(demo_site, browser_page):
    page = browser_page
    page.goto(practice_url(demo_site, "sv"))
    switcher = page.locator("nav.language-switcher")
    assert switcher.locator("a[aria-current]").get_attribute("lang") == "sv"
    switcher.locator("a[lang=ar]").click()
    # wait_for_url, not wait_for_load_state: the latter can answer for the page being left.
    page.wait_for_url(practice_url(demo_site, "ar"))
    assert page.evaluate("document.documentElement.dir") == "rtl"
    assert page.locator("nav.language-switcher a[aria-current]").get_attribute("lang") == "ar"
    # The switcher sits at the inline end: on the left in Arabic.
    assert centre_x(page.locator("nav.language-switcher li").last) < 600
    page.screenshot(path=str(RESULTS / "switcher-ar.png"))


def check_untranslated_page_says_so_in_the_readers_language(demo_site, browser_page):
    url = practice_url(demo_site, "sv", SWEDISH_ONLY["external_id"])
    page = browser_page
    page.goto(url)
    assert page.locator(".notice--language").count() == 0
    page.locator("nav.language-switcher a[lang=fa]").click()
    page.wait_for_url(f"{url}?from=fa")
    notice = page.locator(".notice--language")
    expect(notice).to_be_visible()
    assert notice.get_attribute("lang") == "fa"
    assert notice.get_attribute("dir") == "rtl"
    assert (
        page.evaluate("getComputedStyle(document.querySelector('.notice--language')).direction")
        == "rtl"
    )
    # The page stays Swedish and left to right; the notice offers the Swedish original.
    assert page.evaluate("document.documentElement.lang") == "sv"
    assert notice.locator("a[lang=sv]").get_attribute("href").endswith(url.removeprefix(demo_site))
    page.screenshot(path=str(RESULTS / "untranslated-notice-fa.png"))


def check_switcher_is_reachable_by_keyboard(demo_site, browser_page):
    page = browser_page
    page.goto(f"{demo_site}/ar/")
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.getAttribute('href')") == "#main"
    order = []
    for _ in range(4):
        page.keyboard.press("Tab")
        order.append(page.evaluate("document.activeElement.getAttribute('lang')"))
    assert order == ["sv", "en", "ar", "fa"]
    # Back to English, then Enter.
    page.keyboard.press("Shift+Tab")
    page.keyboard.press("Shift+Tab")
    assert page.evaluate("document.activeElement.getAttribute('lang')") == "en"
    page.keyboard.press("Enter")
    page.wait_for_url(f"{demo_site}/en/")
    assert page.evaluate("document.documentElement.dir") == "ltr"


FOCUSED = """() => {
    const el = document.activeElement;
    const style = getComputedStyle(el);
    let parent = el.parentElement;
    let background = 'rgb(255, 255, 255)';
    while (parent) {
        const colour = getComputedStyle(parent).backgroundColor;
        if (colour !== 'rgba(0, 0, 0, 0)' && colour !== 'transparent') {
            background = colour;
            break;
        }
        parent = parent.parentElement;
    }
    return {
        what: `${el.tagName} ${el.textContent.trim().slice(0, 30)}`,
        outline: style.outlineColor,
        outlineWidth: parseFloat(style.outlineWidth),
        outlineStyle: style.outlineStyle,
        shadow: style.boxShadow,
        background,
    };
}"""


def rgb(text):
    return [int(value) for value in re.findall(r"\d+", text)[:3]]


def luminance(colour):
    def channel(value):
        value /= 255
        return value / 12.92 if value <= 0.03928 else ((value + 0.055) / 1.055) ** 2.4

    red, green, blue = (channel(value) for value in colour)
    return 0.2126 * red + 0.7152 * green + 0.0722 * blue


def contrast(first, second):
    lighter, darker = sorted((luminance(first), luminance(second)), reverse=True)
    return (lighter + 0.05) / (darker + 0.05)


def check_focus_ring_stands_out_on_every_background(demo_site, browser_page):
    """Two rings (outline and shadow): one of them reaches 3:1 against whatever is behind."""
    page = browser_page
    page.goto(practice_url(demo_site, "sv"))
    backgrounds = set()
    for _ in range(45):
        page.keyboard.press("Tab")
        ring = page.evaluate(FOCUSED)
        if ring["what"].startswith("BODY"):
            break
        assert ring["outlineStyle"] == "solid" and ring["outlineWidth"] >= 2, ring
        assert ring["shadow"] != "none", ring
        behind = rgb(ring["background"])
        best = max(contrast(rgb(ring["outline"]), behind), contrast(rgb(ring["shadow"]), behind))
        assert best >= 3, ring
        backgrounds.add(ring["background"])
    # The walk crossed the dark language bar, the blue header and the white page at least.
    assert len(backgrounds) >= 3, backgrounds


def check_contact_form_errors_take_focus(demo_site, browser_page):
    page = browser_page
    practice = PracticePage.objects.get(external_id=PRACTICE, locale__language_code="en")
    page.goto(f"{demo_site}/en/contact/{practice.pk}/")
    page.locator("#id_name").fill("Amina")
    # The form posts to its own address: wait for that navigation to finish.
    with page.expect_navigation():
        page.locator("form.contact-form button[type=submit]").click()
    assert page.title().startswith("Error: ")
    assert page.evaluate("document.activeElement.hasAttribute('data-error-summary')")
    # The reader's input is kept.
    assert page.locator("#id_name").input_value() == "Amina"


def test_language_switcher_focus_and_forms_by_keyboard(demo_site, browser_page):
    # Several checks on one demo site: loading it is the slow part.
    check_switcher_goes_to_the_translation(demo_site, browser_page)
    check_untranslated_page_says_so_in_the_readers_language(demo_site, browser_page)
    check_switcher_is_reachable_by_keyboard(demo_site, browser_page)
    check_focus_ring_stands_out_on_every_background(demo_site, browser_page)
    check_contact_form_errors_take_focus(demo_site, browser_page)


def test_root_follows_the_browser_language(demo_site, browser_page):
    browser = browser_page.context.browser
    for locale, home in [("fa-AF", "/fa/"), ("ar-SY", "/ar/"), ("de-DE", "/sv/")]:
        context = browser.new_context(locale=locale)
        try:
            page = context.new_page()
            page.goto(f"{demo_site}/")
            assert page.url == f"{demo_site}{home}", locale
        finally:
            context.close()
