"""Outcome indicators as a managed vocabulary: the standard ones in four languages, editors
choose from the list, imports keep every key (adding unknown ones for a coordinator to check,
or rejecting them with --strict-indicators), and "less is better" indicators judge targets the
other way round."""

import io

import pytest
from django.core.exceptions import ValidationError
from django.core.management import CommandError, call_command
from django.utils import translation

from practices.models import Indicator, PracticeIndicator, PracticePage, indicator_terms
from tests.helpers import record, run_import

pytestmark = pytest.mark.django_db

STANDARD = {"participants", "in_work", "in_studies", "in_internship", "towards_self_sufficiency"}


def test_the_standard_indicators_exist_in_every_language():
    assert set(Indicator.objects.values_list("slug", flat=True)) >= STANDARD
    for language, label in [("sv", "I arbete"), ("en", "In work"), ("fa", "مشغول به کار")]:
        assert indicator_terms(language)["in_work"] == (label, True)
    assert Indicator.objects.filter(slug="in_work").count() == 4
    assert not Indicator.objects.filter(slug__in=STANDARD, proposed=True).exists()


def test_a_page_shows_the_indicator_in_the_readers_language(site_tree):
    result = run_import(
        record(
            external_id="t-ind",
            indicators=[{"key": "in_work", "value": 40, "unit": "percent", "target": 35}],
        )
    )
    assert result.rejections == []
    indicator = PracticePage.objects.get(external_id="t-ind").indicators.get()
    with translation.override("en"):
        assert indicator.display_label == "In work"
    with translation.override("ar"):
        assert indicator.display_label == "يعملون"
    assert indicator.target_met is True


def test_an_unknown_key_is_kept_and_added_to_the_list_for_a_coordinator(site_tree):
    item = {"key": "companies_started", "label": "Started a company", "value": 7, "unit": "count"}
    lines = [record(external_id="t-new-key", indicators=[item])]
    importer_result = run_import(*lines)
    assert importer_result.rejections == []
    assert importer_result.new_indicators == ["companies_started"]
    terms = Indicator.objects.filter(slug="companies_started")
    assert terms.count() == 4 and all(term.proposed for term in terms)
    assert {term.name for term in terms} == {"Started a company"}
    assert len({term.translation_key for term in terms}) == 1
    page = PracticePage.objects.get(external_id="t-new-key")
    assert page.indicators.get().key == "companies_started"
    # Imported again: nothing new to report.
    assert run_import(*lines).new_indicators == []


def test_strict_import_rejects_unknown_keys_naming_them(site_tree, tmp_path):
    path = tmp_path / "records.jsonl"
    path.write_text(
        '{"external_id": "t-typo", "type": "practice", "locale": "sv", "title": "Praktik", '
        '"summary": "Om praktik.", "indicators": [{"key": "in_wrok", "value": 3, '
        '"unit": "count"}]}\n',
        encoding="utf-8",
    )
    err = io.StringIO()
    with pytest.raises(CommandError, match="1 record"):
        call_command(
            "import_content", str(path), "--strict-indicators", stdout=io.StringIO(), stderr=err
        )
    assert '"in_wrok"' in err.getvalue() and "not in the list" in err.getvalue()
    assert not PracticePage.objects.filter(external_id="t-typo").exists()
    assert not Indicator.objects.filter(slug="in_wrok").exists()


def test_the_editors_form_refuses_a_key_that_is_not_in_the_list():
    with pytest.raises(ValidationError) as refused:
        PracticeIndicator(key="in_wrok", value=3, unit="count").clean()
    assert "in_wrok" in str(refused.value) and "list" in str(refused.value)
    PracticeIndicator(key="in_work", value=3, unit="percent").clean()  # no error


def test_a_row_without_a_unit_takes_the_indicators_usual_unit():
    participants = PracticeIndicator(key="participants", value=48)
    participants.full_clean(exclude=["page"])
    assert participants.unit == "count"  # the vocabulary's unit for participants
    in_work = PracticeIndicator(key="in_work", value=21)
    in_work.full_clean(exclude=["page"])
    assert in_work.unit == "percent"
    # An editor who has the other unit keeps it.
    counted = PracticeIndicator(key="in_work", value=21, unit="count")
    counted.full_clean(exclude=["page"])
    assert counted.unit == "count"


def test_less_is_better_indicators_meet_their_target_by_staying_under_it():
    drop_outs = Indicator.objects.get(slug="participants", locale__language_code="sv")
    Indicator.objects.create(
        slug="dropped_out",
        locale=drop_outs.locale,
        name="Avbrott",
        unit="percent",
        higher_is_better=False,
    )
    assert PracticeIndicator(key="dropped_out", value=8, unit="percent", target=10).target_met
    assert not PracticeIndicator(key="dropped_out", value=12, unit="percent", target=10).target_met
    assert PracticeIndicator(key="in_work", value=12, unit="percent", target=10).target_met
