"""Fixtures for the browser tests: the demo site on a live server and a Chromium page.

Playwright drives Debian's Chromium (Playwright cannot download its own browser here).
Screenshots go to test-results/. The tests are skipped when chromium is not installed
(.ci/run installs it).

Loading the demo (about 10 s) and starting Chromium are the slow parts, so both happen once per
test process: the demo is committed to the test database when the first browser test starts,
one live server and one Chromium serve every browser test, and each test gets a fresh browser
context (no cookies or storage from the one before). The browser tests run after every other
test (``tests/conftest.py`` orders them last), so the committed demo never meets a test that
expects an empty site.
"""

import io
import os
import shutil
from pathlib import Path
from unittest import mock

import pytest
from django.core.management import call_command
from pytest_django.live_server_helper import LiveServer

from tests.helpers import record, run_import

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
RESULTS = Path(__file__).resolve().parents[2] / "test-results"

# The tests read the database (each in a transaction rolled back at its end) and never write:
# what the server must show is committed by ``demo_server`` beforehand.
browser_marks = [
    pytest.mark.browser,
    pytest.mark.skipif(not Path(CHROMIUM).exists(), reason="Debian's chromium is not installed"),
    pytest.mark.django_db,
]
# The administrator the admin tests sign in as (user name, password, email).
ADMIN = ("browser-admin", "browser-admin-password", "coordinator@example.org")
# A practice only in Swedish, for the "not translated yet" notice.
SWEDISH_ONLY = record(external_id="t-browser-only-sv", title="Läxhjälp i Arvika")


@pytest.fixture(scope="session")
def demo_server(django_db_setup, django_db_blocker):
    """A live server on the test database, with the demo content loaded and committed."""
    with django_db_blocker.unblock():
        call_command("load_demo", stdout=io.StringIO(), stderr=io.StringIO())
        assert run_import(SWEDISH_ONLY).rejections == []
        # The first administrator as `make run` makes them: a platform coordinator with an
        # address that review notifications reach.
        environment = {"ADMIN_USER": ADMIN[0], "ADMIN_PASSWORD": ADMIN[1], "ADMIN_EMAIL": ADMIN[2]}
        with mock.patch.dict(os.environ, environment):
            call_command("ensure_admin", stdout=io.StringIO(), stderr=io.StringIO())
        server = LiveServer("localhost")
    server._live_server_modified_settings.enable()
    yield server
    server._live_server_modified_settings.disable()
    server.stop()


@pytest.fixture
def demo_site(demo_server):
    return demo_server.url


@pytest.fixture(scope="session")
def chromium():
    # Playwright's sync API runs an event loop in this thread; Django's ORM is used by the
    # test and the live server's threads regardless.
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
        yield browser
        browser.close()


@pytest.fixture
def browser_page(chromium, demo_site):
    context = chromium.new_context(viewport={"width": 1200, "height": 900})
    page = context.new_page()
    yield page
    context.close()
