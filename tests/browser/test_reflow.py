"""Every public page type, in every language, on a 320 px wide phone: no sideways scrolling
(WCAG 1.4.10 Reflow) and no axe-core violations (WCAG 2.1 A and AA rules).

One test walks every page in every language: loading the demo site is the slow part. It
collects every failure before asserting, so one run lists them all.
"""

from pathlib import Path

import pytest
from django.urls import reverse
from django.utils import translation

from home.models import InformationPage
from home.site_tree import ensure_site_tree
from practices.models import MethodPage, PracticePage, ProjectReportPage

from .conftest import RESULTS, browser_marks

pytestmark = browser_marks

AXE = Path(__file__).resolve().parents[2] / "node_modules" / "axe-core" / "axe.min.js"
LANGUAGES = ("sv", "en", "ar", "fa")
PHONE = {"width": 320, "height": 640}

# Elements wider than the viewport (outside scroll regions) make the page scroll sideways; the
# list names them so a failure says where to look.
MEASURE = """() => {
    const root = document.documentElement;
    const width = root.clientWidth;
    const wide = [];
    for (const el of document.body.querySelectorAll('*')) {
        if (el.closest('.table-scroll') && !el.classList.contains('table-scroll')) continue;
        const box = el.getBoundingClientRect();
        if (box.width && (box.right > width + 1 || box.left < -1)) {
            const name = `${el.tagName.toLowerCase()}.${el.className}`;
            wide.push(`${name} ${Math.round(box.left)}..${Math.round(box.right)}`);
        }
    }
    const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
    const range = document.createRange();
    while (walker.nextNode()) {
        const node = walker.currentNode;
        if (!node.textContent.trim() || node.parentElement.closest('.table-scroll')) continue;
        range.selectNodeContents(node);
        const box = range.getBoundingClientRect();
        if (box.width && (box.right > width + 1 || box.left < -1)) {
            const text = node.textContent.trim().slice(0, 40);
            wide.push(`text "${text}" ${Math.round(box.left)}..${Math.round(box.right)}`);
        }
    }
    return {scrollWidth: root.scrollWidth, clientWidth: width, wide: wide.slice(0, 8)};
}"""

AXE_RUN = """async () => {
    const result = await axe.run(document, {
        runOnly: {
            type: 'tag',
            values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'best-practice'],
        },
    });
    const where = v => v.nodes.slice(0, 3).map(n => n.target.join(' ')).join(' | ');
    return result.violations.map(v => `${v.id}: ${where(v)}`);
}"""


def _page_url(model, language, external_id):
    return model.objects.get(external_id=external_id, locale__language_code=language).url


def public_urls(language):
    """(name, path) of every public page type in ``language`` on the demo site."""
    tree = ensure_site_tree()[language]
    with translation.override(language):
        urls = [
            ("home", tree["home"].url),
            *[(model.__name__, page.url) for model, page in tree.items() if model != "home"],
            ("practice", _page_url(PracticePage, language, "demo-practice-premiar-primar")),
            ("practice-2", _page_url(PracticePage, language, "demo-practice-asf-twelve-regions")),
            ("method", _page_url(MethodPage, language, "demo-method-health-school")),
            ("report", _page_url(ProjectReportPage, language, "demo-report-premiar-primar")),
            ("search", reverse("search") + "?q=arbete"),
            ("search-filtered", reverse("search") + "?q=arbete&type=practice&region=14"),
            ("search-empty", reverse("search") + "?q=zzzxqv"),
            ("reuse", reverse("reuse_overview")),
            (
                "compare-method",
                reverse("reuse_compare_method", args=["demo-method-health-school"]),
            ),
            ("compare-activity", reverse("reuse_compare_activity", args=["internship"])),
            (
                "contact",
                reverse(
                    "reuse_contact",
                    args=[
                        PracticePage.objects.get(
                            external_id="demo-practice-premiar-primar", locale__language_code="sv"
                        ).pk
                    ],
                ),
            ),
            ("places", reverse("places_index")),
            ("place-municipality", reverse("place", args=["1766"])),
            ("place-region", reverse("place", args=["17"])),
            ("404", f"/{language}/no-such-page/"),
        ]
    urls += [
        (f"info-{page.purpose}", page.url)
        for page in InformationPage.objects.live().filter(locale__language_code=language)
    ]
    return urls


def check_results_come_first(page, language):
    """On a phone the facets wait behind "Filter (n)"; chosen filters show as chips."""
    assert not page.locator("details.filter-disclosure").evaluate("d => d.open"), language
    assert not page.locator("form.filters input[type=checkbox]").first.is_visible(), language
    assert page.locator("#results-heading").bounding_box()["y"] < 800, language
    assert page.locator(".chips a.chip").count() == 3, language  # two filters and "clear all"
    summary = page.locator("details.filter-disclosure > summary")
    assert "(2)" in summary.inner_text(), language
    summary.click()
    assert page.locator("form.filters input[type=checkbox]:checked").count() == 2, language
    # On a wide screen the facets stand beside the results, without the disclosure.
    page.set_viewport_size({"width": 1280, "height": 900})
    assert not summary.is_visible(), language
    assert page.locator("form.filters input[type=checkbox]").first.is_visible(), language
    page.set_viewport_size(PHONE)


@pytest.mark.skipif(not AXE.exists(), reason="axe-core is not installed (npm ci)")
def test_every_public_page_reflows_at_320_px_and_passes_axe(demo_site, chromium):
    # axe-core is injected as an inline script, which the site's policy rightly refuses: this
    # context lets it in (the policy itself is tested in test_csp.py).
    context = chromium.new_context(viewport=PHONE, bypass_csp=True)
    page = context.new_page()
    overflow, violations, seen = [], [], 0
    for language in LANGUAGES:
        urls = public_urls(language)
        assert len([name for name, _url in urls if name.startswith("info-")]) == 3, language
        for name, path in urls:
            response = page.goto(demo_site + path)
            expected = 404 if name == "404" else 200
            assert response.status == expected, (language, name, response.status)
            seen += 1
            measured = page.evaluate(MEASURE)
            if measured["scrollWidth"] > measured["clientWidth"]:
                overflow.append(f"{language} {name} {path}: {measured}")
                page.screenshot(path=str(RESULTS / f"overflow-{language}-{name}.png"))
            page.add_script_tag(path=str(AXE))
            violations += [f"{language} {name}: {v}" for v in page.evaluate(AXE_RUN)]
            if name == "search-filtered":
                check_results_come_first(page, language)
        page.goto(demo_site + _page_url(PracticePage, language, "demo-practice-premiar-primar"))
        page.screenshot(path=str(RESULTS / f"phone-practice-{language}.png"), full_page=True)
    context.close()
    assert seen >= 4 * 18
    assert not overflow, "\n".join(overflow)
    assert not violations, "\n".join(violations)
