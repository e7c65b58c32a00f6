"""The site survives its dependencies failing: Redis down means uncached pages and per-process
counters, never a 500; a hung database means a fast 503 (problem+json in the API); every API
error is problem+json; every response carries the security headers."""

import json
import logging
import shutil
import socket
import subprocess
import sys
import threading
import time
from http import HTTPStatus
from unittest import mock

import pytest
from django.core.cache import caches
from django.test import override_settings

from home.cache import ResilientRedisCache
from tests.conftest import REPO

pytestmark = pytest.mark.django_db


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def redis_caches(url):
    options = {"socket_connect_timeout": 0.5, "socket_timeout": 0.5}
    return {
        "default": {
            "BACKEND": "home.cache.ResilientRedisCache",
            "LOCATION": url,
            "OPTIONS": {**options, "FALLBACK": "local"},
        },
        "pages": {
            "BACKEND": "home.cache.ResilientRedisCache",
            "LOCATION": url,
            "KEY_PREFIX": "pages",
            "OPTIONS": {**options, "FALLBACK": None},
        },
    }


class TestRedisDown:
    def test_the_cache_answers_from_its_fallback_and_says_so_once(self, caplog):
        cache = ResilientRedisCache(
            f"redis://127.0.0.1:{free_port()}/0", {"OPTIONS": {"socket_connect_timeout": 0.2}}
        )
        with caplog.at_level(logging.WARNING, logger="home.cache"):
            assert cache.add("counter", 1) is True
            assert cache.incr("counter") == 2
            assert cache.get("counter") == 2
            cache.set("other", "x")
        assert cache.get("other") == "x"
        assert [record.message for record in caplog.records].count(caplog.records[0].message) == 1
        assert "Redis does not answer" in caplog.records[0].message

    def test_without_a_fallback_reads_miss_and_writes_are_dropped(self):
        cache = ResilientRedisCache(
            f"redis://127.0.0.1:{free_port()}/0",
            {"OPTIONS": {"socket_connect_timeout": 0.2, "FALLBACK": None}},
        )
        cache.set("page", "html")
        assert cache.get("page") is None
        assert cache.get_many(["page"]) == {}

    def test_pages_search_and_the_contact_limit_work_while_redis_is_down(self, client, site_tree):
        with override_settings(CACHES=redis_caches(f"redis://127.0.0.1:{free_port()}/0")):
            for cache in caches.all():
                cache.close()
            for url in ("/sv/", "/ar/", "/sv/search/?q=arbete", "/api/search/?q=arbete"):
                assert client.get(url).status_code == HTTPStatus.OK, url

    @pytest.mark.skipif(not shutil.which("redis-server"), reason="redis-server is not installed")
    def test_redis_stopped_in_the_middle_gives_no_error(self, client, site_tree):
        port = free_port()
        server = subprocess.Popen(  # noqa: S603 - Debian's redis-server, our own arguments
            [
                shutil.which("redis-server"),
                "--port",
                str(port),
                "--bind",
                "127.0.0.1",
                "--save",
                "",
                "--appendonly",
                "no",
            ],
            stdout=subprocess.DEVNULL,
        )
        try:
            deadline = time.monotonic() + 10
            while time.monotonic() < deadline:
                with socket.socket() as sock:
                    if sock.connect_ex(("127.0.0.1", port)) == 0:
                        break
                time.sleep(0.05)
            with override_settings(CACHES=redis_caches(f"redis://127.0.0.1:{port}/0")):
                assert caches["default"].add("alive", 1)  # Redis answers
                assert client.get("/sv/").status_code == HTTPStatus.OK
                server.kill()
                server.wait(timeout=10)
                statuses = [client.get(url).status_code for url in ("/sv/", "/en/") * 5]
                assert statuses == [HTTPStatus.OK] * 10
        finally:
            if server.poll() is None:
                server.kill()


HUNG_REQUEST = """
import json, os, sys, time
import django
django.setup()
from django.test import Client
client = Client(raise_request_exception=False)
results = []
for url in sys.argv[1:]:
    started = time.monotonic()
    response = client.get(url)
    results.append({
        "url": url,
        "status": response.status_code,
        "seconds": time.monotonic() - started,
        "type": response.get("Content-Type", ""),
        "retry": response.get("Retry-After", ""),
        "body": response.content.decode()[:2000],
    })
print(json.dumps(results))
"""


def test_a_hung_database_gives_a_fast_503(tmp_path):
    """A PostgreSQL address that accepts connections and never answers."""
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(50)
    port = listener.getsockname()[1]
    accepted = []

    def accept_and_stay_silent():
        while True:
            try:
                connection, _address = listener.accept()
            except OSError:
                return
            accepted.append(connection)

    threading.Thread(target=accept_and_stay_silent, daemon=True).start()
    script = tmp_path / "request.py"
    script.write_text(HUNG_REQUEST)
    try:
        result = subprocess.run(  # noqa: S603 - our own script and settings
            [sys.executable, str(script), "/ar/", "/api/search/?q=arbete"],
            cwd=REPO,
            env={
                "PATH": "/usr/bin:/bin",
                "PYTHONPATH": str(REPO),
                "DJANGO_SETTINGS_MODULE": "learning_platform.settings.test",
                "DATABASE_URL": f"postgres://postgres@127.0.0.1:{port}/hung",
            },
            capture_output=True,
            text=True,
            timeout=60,
        )
    finally:
        listener.close()
        for connection in accepted:
            connection.close()
    assert result.returncode == 0, result.stderr[-3000:]
    page, api = json.loads(result.stdout.strip().splitlines()[-1])
    assert page["status"] == HTTPStatus.SERVICE_UNAVAILABLE
    assert page["seconds"] < 6, page["seconds"]
    assert page["retry"] == "30"
    assert '<html lang="ar" dir="rtl">' in page["body"]
    assert api["status"] == HTTPStatus.SERVICE_UNAVAILABLE
    assert api["seconds"] < 6
    assert api["type"] == "application/problem+json"
    assert json.loads(api["body"])["status"] == 503


class TestApiErrors:
    def test_an_unknown_api_path_is_problem_json(self, client):
        response = client.get("/api/no-such-thing/")
        assert response.status_code == HTTPStatus.NOT_FOUND
        assert response["Content-Type"] == "application/problem+json"
        assert json.loads(response.content)["status"] == 404

    def test_an_error_inside_the_api_is_problem_json(self, client, site_tree):
        client.raise_request_exception = False
        with mock.patch("search.api.service.run", side_effect=RuntimeError("boom")):
            response = client.get("/api/search/?q=arbete")
        assert response.status_code == HTTPStatus.INTERNAL_SERVER_ERROR
        assert response["Content-Type"] == "application/problem+json"
        assert "boom" not in response.content.decode()


class TestSecurityHeaders:
    @pytest.mark.parametrize("url", ["/sv/", "/api/search/?q=x", "/admin/login/", "/ar/nope/"])
    def test_every_response_has_csp_and_permissions_policy(self, client, site_tree, url):
        response = client.get(url)
        policy = response["Content-Security-Policy"]
        assert "script-src 'self'" in policy
        assert "'unsafe-inline'" not in policy.split("script-src")[1].split(";")[0]
        assert "object-src 'none'" in policy
        assert "frame-ancestors 'self'" in policy
        assert "camera=()" in response["Permissions-Policy"]
