"""The engine's record fields: each facet's keyword field is the facet's own (no other field
may take the name ``record_<facet>``), and a record's document fills it with the facet's
values."""

from datetime import UTC, date, datetime

from search.facets import FACETS
from search.records import ENGINE_FIELDS, FACET_FIELD, UNLISTED, Record, engine_fields


def test_every_facet_field_is_a_keyword_field_of_its_own():
    for facet in FACETS:
        assert ENGINE_FIELDS[FACET_FIELD.format(facet)]["type"] == "keyword", facet
    others = set(ENGINE_FIELDS) - {FACET_FIELD.format(facet) for facet in FACETS}
    assert len(others) + len(FACETS) == len(ENGINE_FIELDS)
    assert set(UNLISTED) == set(ENGINE_FIELDS)


def test_a_records_document_holds_its_facet_values_and_its_checked_day():
    record = Record(
        key=1,
        type="practice",
        source_id=10,
        source_language="sv",
        published=datetime(2024, 5, 1, tzinfo=UTC),
        checked=date(2026, 11, 2),
        pages={"sv": 10},
        facets={facet: frozenset() for facet in FACETS} | {"checked": frozenset(["2026"])},
    )
    fields = engine_fields(record, 10)
    assert fields[FACET_FIELD.format("checked")] == ["2026"]
    assert fields["record_checked_day"] == date(2026, 11, 2).toordinal()
    for facet in FACETS:
        assert isinstance(fields[FACET_FIELD.format(facet)], list), facet
