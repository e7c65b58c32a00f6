"""A practice printed through Chromium's own print, in Swedish and Arabic: the print-only header
(the platform's logo and name, the page's address, the dates) is on paper, and the navigation,
language switcher, search box and contact form are not.

Run alone: ``.venv/bin/python -m pytest tests/browser/test_print.py -p no:xdist -q``.
"""

import pytest
from django.utils import translation
from django.utils.translation import gettext

from practices.models import PracticePage
from tests.guides.pdf_reading import needs_pdftotext, pdf_text

from .conftest import RESULTS, browser_marks

pytestmark = [*browser_marks, needs_pdftotext]

PRACTICE = "demo-practice-premiar-primar"
# What the screen shows around the content and paper must not: the main navigation's own
# entry, the search box's button and label, the contact form's fields and the skip link.
CHROME = (
    "Methods in use",
    "Search the platform",
    "Your email address",
    "Your question",
    "Skip to main content",
    "The Learning Platform is shared by Swedish municipalities, regions and organisations",
)
# Whether every heading and paragraph of the text is printed below the measured outcomes.
OUTCOMES_FIRST = """() => {
    const outcomes = document.querySelector("#outcomes-heading").getBoundingClientRect().top;
    const text = [...document.querySelectorAll(".content-main :is(h2, h3, p)")].filter(
        (element) => !element.closest("section[aria-labelledby='outcomes-heading']")
            && element.offsetParent !== null
    );
    return text.length > 0
        && text.every((element) => element.getBoundingClientRect().top > outcomes);
}"""
# The first link to a page of the site in the text, outside tables.
FIRST_LINK = """() => {
    const link = [...document.querySelectorAll(".content-main a[href^='/']")].find(
        (element) => !element.closest("table") && element.offsetParent !== null
    );
    return link ? link.getAttribute("href") : null;
}"""
# The language switcher names every language in its own name.
LANGUAGE_NAMES = ("Svenska", "English", "العربية", "دری")


def squeezed(text):
    """``text`` without whitespace: a long address wraps where the paper ends."""
    return "".join(text.split())


@pytest.mark.parametrize(("language", "direction"), [("sv", "ltr"), ("ar", "rtl")])
def test_a_printed_practice_has_the_logo_address_and_no_navigation(
    demo_site, browser_page, language, direction
):
    practice = PracticePage.objects.get(external_id=PRACTICE, locale__language_code=language)
    address = demo_site + practice.url
    page = browser_page
    page.goto(address)
    page.emulate_media(media="print")
    assert page.evaluate("document.documentElement.dir") == direction
    header = page.locator(".print-header")
    assert header.is_visible()
    assert page.locator(".print-header img").evaluate("img => img.naturalWidth") > 0  # the logo
    for hidden in (".site-header", ".language-switcher", ".site-search", ".contact-form"):
        assert not page.locator(hidden).first.is_visible(), hidden
    # The measured outcomes come before the text.
    assert page.evaluate(OUTCOMES_FIRST)
    if direction == "rtl":
        # The header starts on the right, as the text does.
        box = page.locator(".print-header__brand img").bounding_box()
        assert box["x"] > page.viewport_size["width"] / 2

    link = page.evaluate(FIRST_LINK)
    assert link, "no link to print in the text"

    content = page.pdf(format="A4", print_background=True)
    (RESULTS / f"print-practice-{language}.pdf").write_bytes(content)
    text = pdf_text(content)

    with translation.override(language):
        brand = gettext("The Learning Platform")
        chrome = [gettext(item) for item in CHROME]
        printed_on = gettext("Printed on")
    for word in brand.split():
        assert word in text, word
    assert printed_on in text
    assert squeezed(address) in squeezed(text)
    # A link in the text prints its whole address.
    assert squeezed(demo_site + link) in squeezed(text)
    for word in practice.title.split()[:4]:
        assert word in text, word
    for item in chrome:
        assert item not in text, item
    for name in LANGUAGE_NAMES:
        assert name not in text, name
