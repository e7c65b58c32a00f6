"""The alert pages on a 320 px wide phone, in every language: no sideways scrolling and no
axe-core violations, the form's error summary included. Reads only (nothing is signed up):
the demo site of the browser tests. (Here, not in ``tests/alerts/``: the browser fixtures are
session-wide, and a second Chromium in the same process cannot start.)"""

import pytest

from .conftest import RESULTS, browser_marks
from .test_reflow import AXE, AXE_RUN, MEASURE, PHONE

pytestmark = browser_marks

LANGUAGES = ("sv", "en", "ar", "fa")
SEARCH = "q=arbete&type=practice&region=14"


@pytest.mark.skipif(not AXE.exists(), reason="axe-core is not installed (npm ci)")
def test_alert_pages_reflow_at_320_px_and_pass_axe(demo_site, chromium):
    context = chromium.new_context(viewport=PHONE, bypass_csp=True)
    page = context.new_page()
    overflow, violations = [], []

    def check(language, name):
        measured = page.evaluate(MEASURE)
        if measured["scrollWidth"] > measured["clientWidth"]:
            overflow.append(f"{language} {name}: {measured}")
            page.screenshot(path=str(RESULTS / f"overflow-alerts-{language}-{name}.png"))
        page.add_script_tag(path=str(AXE))
        violations.extend(f"{language} {name}: {v}" for v in page.evaluate(AXE_RUN))

    for language in LANGUAGES:
        # From the search results to the form, by the link.
        page.goto(f"{demo_site}/{language}/search/?{SEARCH}")
        page.locator(".alert-signup a").click()
        page.wait_for_url(f"**/{language}/alerts/new/?*")
        assert page.locator("html").get_attribute("dir") == (
            "rtl" if language in ("ar", "fa") else "ltr"
        )
        check(language, "form")
        page.screenshot(path=str(RESULTS / f"phone-alerts-form-{language}.png"), full_page=True)
        # A wrong address: the error summary, the address kept.
        page.fill("#id_email", "not an address")
        with page.expect_navigation():
            page.locator(".alert-form button[type=submit]").click()
        assert page.locator(".error-summary").is_visible()
        assert page.input_value("#id_email") == "not an address"
        check(language, "form-error")
        page.goto(f"{demo_site}/{language}/alerts/unsubscribe/no-such-token/")
        check(language, "gone")
    context.close()
    assert not overflow, "\n".join(overflow)
    assert not violations, "\n".join(violations)
