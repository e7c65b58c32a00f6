"""Fixtures for the browser tests: the demo site on a live server and a Chromium page.

Playwright drives Debian's Chromium (Playwright cannot download its own browser here).
Screenshots go to test-results/. The tests are skipped when chromium is not installed
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

browser_marks = [
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
