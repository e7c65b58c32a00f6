"""export_content, and export → import into an empty site → the same export."""

import io
import json

import pytest
from django.core.management import call_command
from django.test import TestCase
from wagtail.models import Page

from practices.models import MethodPage, Organisation, PracticePage, ProjectReportPage

from .conftest import DEMO_FILE, DEV_CORPUS


def export_text(tmp_path, name):
    path = tmp_path / name
    call_command("export_content", str(path), stderr=io.StringIO())
    return path.read_text(encoding="utf-8")


def import_file(path):
    out = io.StringIO()
    call_command("import_content", str(path), stdout=out, stderr=io.StringIO())
    return out.getvalue().strip()


def empty_the_site():
    for model in (ProjectReportPage, PracticePage, MethodPage):
        for page in model.objects.all():
            Page.objects.filter(pk=page.pk).delete()
    Organisation.objects.all().delete()


def assert_round_trip(tmp_path):
    """Export, empty the site, import the export: the same export, the same pages."""
    first = export_text(tmp_path, "first.jsonl")
    pages_before = Page.objects.count()
    empty_the_site()
    assert PracticePage.objects.count() == 0
    records = len(first.splitlines())
    assert import_file(tmp_path / "first.jsonl") == (
        f"imported: {records} created, 0 updated, 0 unchanged, 0 rejected"
    )
    assert export_text(tmp_path, "second.jsonl") == first
    assert Page.objects.count() == pages_before


class TestDemoExport(TestCase):
    """The demo content, imported once for the class."""

    @classmethod
    def setUpTestData(cls):
        import_file(DEMO_FILE)

    @pytest.fixture(autouse=True)
    def _tmp_path(self, tmp_path):
        self.tmp_path = tmp_path

    def test_export_then_import_into_an_empty_site_reproduces_the_content(self):
        assert_round_trip(self.tmp_path)

    def test_export_writes_methods_first_with_translations_and_figures(self):
        records = [
            json.loads(line) for line in export_text(self.tmp_path, "demo.jsonl").splitlines()
        ]
        types = [item["type"] for item in records]
        assert types == sorted(types, key=["method", "practice", "report"].index)
        premiar = next(
            item for item in records if item["external_id"] == "demo-report-premiar-primar"
        )
        assert {"key": "towards_self_sufficiency", "value": 75, "unit": "percent"} in premiar[
            "indicators"
        ]
        assert set(premiar["translations"]) == {"en", "ar", "fa"}
        # Every translation carries every text field its source has.
        for item in records:
            for language, translation in item["translations"].items():
                for field in ("title", "summary", "body"):
                    assert translation.get(field), (item["external_id"], language, field)

    def test_unpublished_pages_are_not_exported(self):
        method = MethodPage.objects.filter(locale__language_code="sv").first()
        method.unpublish()
        exported = [
            json.loads(line)["external_id"]
            for line in export_text(self.tmp_path, "x.jsonl").splitlines()
        ]
        assert method.external_id not in exported
        assert exported


@pytest.mark.django_db
@pytest.mark.dev_corpus
def test_the_dev_corpus_survives_the_round_trip(tmp_path):
    import_file(DEV_CORPUS)
    assert_round_trip(tmp_path)
