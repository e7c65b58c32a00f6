"""The map of where a method is used, in Chromium: the health-school method page in Swedish
and Arabic at 320 px and 1280 px. The SVG has its accessible name, the kommuner filled on it
are the ones the database's adoptions and practices place the method in, the page does not
scroll sideways, and axe-core finds nothing wrong in the map's section. Screenshots go to
test-results/.

Run alone: ``.venv/bin/python -m pytest tests/browser/test_maps.py -p no:xdist -q``.
"""

from pathlib import Path

import pytest
from django.utils import translation

from places.usage import method_usage
from practices.locales import locale
from practices.models import MethodPage

from .conftest import RESULTS, browser_marks

pytestmark = browser_marks

AXE = Path(__file__).resolve().parents[2] / "node_modules" / "axe-core" / "axe.min.js"
HEALTH_SCHOOL = "demo-method-health-school"
SECTION = "section[aria-labelledby='usage-map-heading']"

READ_MAP = """(selector) => {
    const section = document.querySelector(selector);
    const svg = section.querySelector('svg');
    const name = (svg.getAttribute('aria-labelledby') || '').split(' ')
        .map((id) => document.getElementById(id).textContent).join(' ');
    const filled = {};
    for (const path of svg.querySelectorAll(':scope > path[data-status]')) {
        filled[path.dataset.code] = path.dataset.status;
    }
    const rows = [...section.querySelectorAll('table tbody tr')].map(
        (row) => [row.dataset.code, row.dataset.status]);
    const box = svg.getBoundingClientRect();
    return {
        role: svg.getAttribute('role'),
        name,
        filled,
        rows,
        svgDirection: getComputedStyle(svg).direction,
        sectionDirection: getComputedStyle(section).direction,
        svgWidth: box.width,
        scrollWidth: document.documentElement.scrollWidth,
        innerWidth: window.innerWidth,
    };
}"""

AXE_RUN = """async (selector) => {
    const result = await axe.run(selector, {
        runOnly: {type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']},
    });
    return result.violations.map((v) => `${v.id}: ${v.nodes.map((n) => n.target).join(' | ')}`);
}"""


@pytest.fixture
def page_without_csp(chromium, demo_site):
    """A browser page that lets the test inject axe-core (the site's CSP forbids inline
    scripts, as it should)."""
    context = chromium.new_context(viewport={"width": 1280, "height": 900}, bypass_csp=True)
    yield context.new_page()
    context.close()


@pytest.mark.skipif(not AXE.exists(), reason="axe-core is not installed (npm ci)")
@pytest.mark.parametrize(("language", "direction"), [("sv", "ltr"), ("ar", "rtl")])
@pytest.mark.parametrize("width", [320, 1280])
def test_the_health_school_map_names_itself_and_fills_its_kommuner(
    demo_site, page_without_csp, language, direction, width
):
    browser_page = page_without_csp
    page_record = MethodPage.objects.get(external_id=HEALTH_SCHOOL, locale__language_code=language)
    usage = method_usage(page_record, locale(language))
    with translation.override(language):
        name = translation.gettext("Map of the municipalities where “%(method)s” is used") % {
            "method": page_record.title
        }
    assert usage.filled, "the demo places health schools in some kommuner"

    browser_page.set_viewport_size({"width": width, "height": 900})
    browser_page.goto(demo_site + page_record.url)
    browser_page.locator(SECTION).scroll_into_view_if_needed()
    facts = browser_page.evaluate(READ_MAP, SECTION)

    assert facts["role"] == "img"
    assert facts["name"] == name
    # Filled on the map: exactly the kommuner the adoptions and practices place it in.
    assert facts["filled"] == usage.filled
    assert {code for code, _ in facts["rows"]} >= set(usage.filled)
    assert all(usage.filled.get(code, status) == status for code, status in facts["rows"])
    # The map is never mirrored; the section around it follows the page.
    assert facts["svgDirection"] == "ltr"
    assert facts["sectionDirection"] == direction
    assert 0 < facts["svgWidth"] <= width
    assert facts["scrollWidth"] <= facts["innerWidth"], facts

    browser_page.locator(SECTION).screenshot(
        path=str(RESULTS / f"map-health-school-{language}-{width}.png")
    )
    browser_page.add_script_tag(path=str(AXE))
    assert browser_page.evaluate(AXE_RUN, SECTION) == []


@pytest.mark.parametrize("language", ["sv", "ar"])
def test_the_reuse_overview_maps_every_method_on_a_phone(demo_site, browser_page, language):
    with translation.override(language):
        name = translation.gettext("Map of the municipalities where the methods are used")
    browser_page.set_viewport_size({"width": 320, "height": 900})
    browser_page.goto(f"{demo_site}/{language}/reuse/")
    selector = "section[aria-labelledby='reuse-map-heading']"
    browser_page.locator(f"{selector} summary").click()  # unfold the table
    facts = browser_page.evaluate(READ_MAP, selector)
    assert facts["role"] == "img" and facts["name"] == name
    assert facts["filled"] and dict(facts["rows"]) == facts["filled"]
    assert facts["svgDirection"] == "ltr"
    assert facts["scrollWidth"] <= facts["innerWidth"], facts
    browser_page.locator(selector).screenshot(path=str(RESULTS / f"map-reuse-{language}-320.png"))
