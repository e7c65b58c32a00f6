"""The engine's record fields: each facet's keyword field is the facet's own (no other field
may take the name ``record_<facet>``), and a record's document fills it with the facet's
values."""

from datetime import UTC, date, datetime

import pytest
from django.test import TestCase

from practices.models import PracticePage
from search.facets import FACETS
from search.records import (
    ENGINE_FIELDS,
    FACET_FIELD,
    TRANSLATIONS_TEXT,
    UNLISTED,
    Record,
    engine_fields,
    fields_by_page,
)
from tests.helpers import record, run_import


def test_every_facet_field_is_a_keyword_field_of_its_own():
    for facet in FACETS:
        assert ENGINE_FIELDS[FACET_FIELD.format(facet)]["type"] == "keyword", facet
    others = set(ENGINE_FIELDS) - {FACET_FIELD.format(facet) for facet in FACETS}
    assert len(others) + len(FACETS) == len(ENGINE_FIELDS)
    assert set(UNLISTED) == set(ENGINE_FIELDS)


def test_a_records_document_holds_its_facet_values_and_its_checked_day():
    item = Record(
        key=1,
        type="practice",
        source_id=10,
        source_language="sv",
        published=datetime(2024, 5, 1, tzinfo=UTC),
        checked=date(2026, 11, 2),
        pages={"sv": 10},
        facets={facet: frozenset() for facet in FACETS} | {"checked": frozenset(["2026"])},
    )
    fields = engine_fields(item, 10)
    assert fields[FACET_FIELD.format("checked")] == ["2026"]
    assert fields["record_checked_day"] == date(2026, 11, 2).toordinal()
    for facet in FACETS:
        assert isinstance(fields[FACET_FIELD.format(facet)], list), facet


@pytest.mark.django_db
def test_a_lead_page_carries_its_translations_text_and_no_other_page_does(site_tree):
    """A search counts records as their lead pages, which must match whenever any page of
    the record does: the lead holds its translations' title and text."""
    item = record(
        external_id="t-lead",
        title="Språkcafé i Sunne",
        body="Vi träffas varje vecka.",
        translations={
            "en": {"title": "Language café", "summary": "Weekly meetings.", "body": "Interns"},
            "ar": {"title": "مقهى اللغة", "summary": "لقاءات أسبوعية."},
        },
    )
    alone = record(external_id="t-alone", title="Läxhjälp")
    with TestCase.captureOnCommitCallbacks(execute=True):
        assert run_import(item, alone).rejections == []
    pages = {
        page.locale.language_code: page
        for page in PracticePage.objects.filter(external_id="t-lead").select_related("locale")
    }
    single = PracticePage.objects.get(external_id="t-alone")
    fields = fields_by_page([pages["sv"].translation_key, single.translation_key])
    lead_text = fields[pages["sv"].pk][TRANSLATIONS_TEXT]
    for expected in ("Language café", "Weekly meetings.", "Interns", "مقهى اللغة"):
        assert expected in lead_text
    assert "Språkcafé" not in lead_text  # its own text is in its own fields
    assert fields[pages["en"].pk][TRANSLATIONS_TEXT] == ""
    assert fields[pages["ar"].pk][TRANSLATIONS_TEXT] == ""
    assert fields[single.pk][TRANSLATIONS_TEXT] == ""  # no translations
