"""The Content-Security-Policy holds everywhere and breaks nothing: the public site's search box,
the admin (sign-in, page editor with its rich text editor) and wagtail-localize's translation
editor work with no violation reported by Chromium."""

from practices.models import MethodPage, PracticePage

from .conftest import ADMIN, RESULTS, browser_marks

pytestmark = browser_marks


def watch_violations(page):
    violations = []
    page.on(
        "console",
        lambda message: (
            violations.append(message.text)
            if "Content Security Policy" in message.text or "Refused to" in message.text
            else None
        ),
    )
    page.on("pageerror", lambda error: violations.append(f"page error: {error}"))
    return violations


def test_public_site_and_admin_work_under_the_policy(demo_site, browser_page):
    page = browser_page
    violations = watch_violations(page)

    response = page.goto(f"{demo_site}/sv/")
    assert "script-src 'self'" in response.headers["content-security-policy"]
    box = page.locator("#site-search-q")
    box.type("ment", delay=30)
    # (Playwright's wait_for_function evaluates a string, which the policy forbids.)
    page.wait_for_selector("#site-search-suggestions option", state="attached")
    box.fill("mentorskap")
    box.press("Enter")
    page.wait_for_url("**/sv/search/?q=mentorskap")
    # The API's documentation: Swagger UI, served by the site itself.
    page.goto(f"{demo_site}/api/docs/")
    page.wait_for_selector(".swagger-ui .opblock", timeout=15000)

    page.goto(f"{demo_site}/admin/login/")
    page.locator("#id_username").fill(ADMIN[0])
    page.locator("#id_password").fill(ADMIN[1])
    page.locator("#id_password").press("Enter")
    page.wait_for_url(f"{demo_site}/admin/")
    assert "content-security-policy" in page.context.request.get(f"{demo_site}/admin/").headers

    practice = PracticePage.objects.get(
        external_id="demo-practice-premiar-primar", locale__language_code="sv"
    )
    page.goto(f"{demo_site}/admin/pages/{practice.pk}/edit/")
    page.wait_for_selector(
        "[data-draftail-editor], .Draftail-Editor, [data-controller~='w-draftail']"
    )
    page.wait_for_selector(".w-panel, form#page-edit-form")
    page.screenshot(path=str(RESULTS / "admin-edit-under-csp.png"))

    translation = MethodPage.objects.get(
        external_id="demo-method-health-school", locale__language_code="ar"
    )
    page.goto(f"{demo_site}/admin/pages/{translation.pk}/edit/")
    # wagtail-localize's translation editor is a React application: it renders the source and
    # its translation, segment by segment.
    page.get_by_text(translation.summary[:40]).first.wait_for(timeout=15000)
    page.screenshot(path=str(RESULTS / "translation-editor-under-csp.png"))

    assert violations == []
