"""export_content, and export → import into an empty site → the same export."""

import io
import json

import pytest
from django.core.management import call_command
from wagtail.models import Page

from practices.models import MethodPage, Organisation, PracticePage, ProjectReportPage

from .conftest import DEMO_FILE, DEV_CORPUS


def export_text(tmp_path, name):
    path = tmp_path / name
    call_command("export_content", str(path), stderr=io.StringIO())
    return path.read_text(encoding="utf-8")


def empty_the_site():
    for model in (ProjectReportPage, PracticePage, MethodPage):
        for page in model.objects.all():
            Page.objects.filter(pk=page.pk).delete()
    Organisation.objects.all().delete()


@pytest.mark.django_db
@pytest.mark.parametrize(
    "source", [DEMO_FILE, pytest.param(DEV_CORPUS, marks=pytest.mark.dev_corpus)]
)
def test_export_then_import_into_an_empty_site_reproduces_the_content(tmp_path, source):
    call_command("import_content", str(source), stdout=io.StringIO(), stderr=io.StringIO())
    first = export_text(tmp_path, "first.jsonl")
    pages_before = Page.objects.count()

    empty_the_site()
    assert PracticePage.objects.count() == 0
    out = io.StringIO()
    call_command("import_content", str(tmp_path / "first.jsonl"), stdout=out, stderr=io.StringIO())
    records = len(first.splitlines())
    assert (
        out.getvalue().strip() == f"imported: {records} created, 0 updated, 0 unchanged, 0 rejected"
    )

    assert export_text(tmp_path, "second.jsonl") == first
    assert Page.objects.count() == pages_before


@pytest.mark.django_db
def test_export_writes_methods_first_with_translations_and_figures(tmp_path):
    call_command("import_content", str(DEMO_FILE), stdout=io.StringIO(), stderr=io.StringIO())
    records = [json.loads(line) for line in export_text(tmp_path, "demo.jsonl").splitlines()]
    types = [item["type"] for item in records]
    assert types == sorted(types, key=["method", "practice", "report"].index)
    premiar = next(item for item in records if item["external_id"] == "demo-report-premiar-primar")
    assert {"key": "towards_self_sufficiency", "value": 75, "unit": "percent"} in premiar[
        "indicators"
    ]
    assert set(premiar["translations"]) == {"en", "ar", "fa"}


@pytest.mark.django_db
def test_unpublished_pages_are_not_exported(tmp_path):
    call_command("import_content", str(DEMO_FILE), stdout=io.StringIO(), stderr=io.StringIO())
    method = MethodPage.objects.filter(locale__language_code="sv").first()
    method.unpublish()
    exported = [
        json.loads(line)["external_id"] for line in export_text(tmp_path, "x.jsonl").splitlines()
    ]
    assert method.external_id not in exported
