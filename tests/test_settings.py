import os
import subprocess
import sys

import pytest

from .conftest import REPO


def import_settings(module, **env):
    environment = {
        k: v
        for k, v in os.environ.items()
        if k not in ("SECRET_KEY", "ALLOWED_HOSTS", "REDIS_URL", "SITE_URL")
    }
    environment.update(env, DJANGO_SETTINGS_MODULE=module)
    return subprocess.run(
        [sys.executable, "-c", "import django; django.setup()"],
        cwd=REPO,
        env=environment,
        capture_output=True,
        text=True,
        check=False,
    )


@pytest.mark.parametrize(
    ("env", "message"),
    [
        ({}, "Set the SECRET_KEY environment variable"),
        ({"SECRET_KEY": "x" * 50}, "Set ALLOWED_HOSTS"),
        ({"SECRET_KEY": "x" * 50, "ALLOWED_HOSTS": "kunskap.example.se"}, "Set REDIS_URL"),
        (
            {
                "SECRET_KEY": "x" * 50,
                "ALLOWED_HOSTS": "kunskap.example.se",
                "REDIS_URL": "redis://127.0.0.1:6379/0",
            },
            "Set SITE_URL",
        ),
    ],
)
def test_production_refuses_to_start_without_its_secrets(env, message):
    result = import_settings("learning_platform.settings.production", **env)
    assert result.returncode != 0
    assert message in result.stderr


def test_production_starts_with_secret_and_hosts():
    result = import_settings(
        "learning_platform.settings.production",
        SECRET_KEY="x" * 50,
        ALLOWED_HOSTS="kunskap.example.se",
        REDIS_URL="redis://127.0.0.1:6379/0",
        SITE_URL="https://kunskap.example.se",
    )
    assert result.returncode == 0, result.stderr


def test_database_url_selects_the_database():
    from django.conf import settings

    expected = (
        "postgresql" if os.environ.get("DATABASE_URL", "").startswith("postgres") else "sqlite3"
    )
    assert settings.DATABASES["default"]["ENGINE"].endswith(expected)


def test_production_passes_the_deployment_checks():
    """``manage.py check --deploy``: HSTS, SSL redirect, secure cookies, and the rest."""
    environment = {k: v for k, v in os.environ.items() if k not in ("SECRET_KEY", "ALLOWED_HOSTS")}
    environment.update(
        DJANGO_SETTINGS_MODULE="learning_platform.settings.production",
        SECRET_KEY="k" * 20 + "-production-like-secret-" + "z" * 30,
        ALLOWED_HOSTS="kunskap.example.se",
        REDIS_URL="redis://127.0.0.1:6379/0",
        SITE_URL="https://kunskap.example.se",
    )
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=REPO,
        env=environment,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout
