"""The load test's readers (locust): each asks, in turn and without pause, for the home page,
a practice page, the search page, the search API and a static file.

Run by ``manage.py loadtest``, which serves the site and passes the addresses in the
environment (``LOADTEST_PRACTICE``, ``LOADTEST_QUERY``). Requests are named by what they are,
so the report has one row per kind of URL. A reader has no session, as most readers do not: the
page cache answers them.
"""

import os

from locust import FastHttpUser, constant, task

PRACTICE = os.environ.get("LOADTEST_PRACTICE", "/sv/")
QUERY = os.environ.get("LOADTEST_QUERY", "praktik")


class Reader(FastHttpUser):
    wait_time = constant(0)
    # Like a browser: compressed where the server compresses.
    default_headers = {"Accept-Encoding": "gzip", "Accept-Language": "sv"}

    @task
    def home(self):
        self.client.get("/sv/", name="home")

    @task
    def practice(self):
        self.client.get(PRACTICE, name="practice page")

    @task
    def search_page(self):
        self.client.get(f"/sv/search/?q={QUERY}", name="search page")

    @task
    def search_api(self):
        self.client.get(f"/api/search/?q={QUERY}&lang=sv", name="search API")

    @task
    def static_file(self):
        self.client.get("/static/css/site.css", name="static file")
