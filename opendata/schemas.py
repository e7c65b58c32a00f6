"""The open-data API's response shapes, for its OpenAPI schema: an interchange record
(``docs/interchange.md``, ``interchange.schema``) plus the platform's fields
(``opendata.records.PLATFORM_FIELDS``). Fields a record does not have are left out of the
JSON, as in the interchange format (the API answers with ``exclude_unset``)."""

import datetime
from typing import Literal

from ninja import Schema
from pydantic import Field

DATE_TIME = {"format": "date-time"}


class IndicatorOut(Schema):
    key: str
    value: int | float
    unit: Literal["count", "percent"]
    target: int | float | None = None
    measured_on: datetime.date | None = None
    label: str | None = None


class FundingOut(Schema):
    source: str
    amount_sek: int


class ContactOut(Schema):
    name: str | None = None
    role: str | None = None
    email: str | None = None


class TranslationOut(Schema):
    """A translation's text; fields equal to the source's are left out."""

    title: str
    summary: str | None = None
    body: str | None = None
    challenge: str | None = None
    results: str | None = None
    lessons_learned: str | None = None
    when_to_use: str | None = None
    prerequisites: str | None = None
    variations: str | None = None
    evidence: str | None = None
    staff: str | None = None
    time_needed: str | None = None
    contact_role: str | None = None


class AdoptionOut(Schema):
    """An organisation that uses a method: recorded by it, or implied by its practice that
    applied the method."""

    organisation: str | None = Field(description="The organisation's name.")
    status: Literal["planned", "running", "finished"]
    start_date: datetime.date | None = None
    end_date: datetime.date | None = None
    practice: str | None = Field(
        None, description="External id of the organisation's practice about it."
    )
    regions: list[str] = Field(description="Region (län) codes where it runs.")
    recorded: bool = Field(description="True when the organisation recorded the adoption.")
    changes: str = Field(description="What the organisation changed, in Swedish.")


class RecordOut(Schema):
    """One record in the interchange format, with the platform's fields."""

    external_id: str
    type: Literal["practice", "method", "report"]
    locale: str
    title: str
    summary: str
    body: str | None = None
    organisation: str | None = None
    municipalities: list[str] | None = None
    regions: list[str] | None = None
    activity_types: list[str] | None = None
    target_groups: list[str] | None = None
    start_date: datetime.date | None = None
    end_date: datetime.date | None = None
    funding: list[FundingOut] | None = None
    indicators: list[IndicatorOut] | None = None
    methods: list[str] | None = None
    practices: list[str] | None = None
    partners: list[str] | None = None
    keywords: list[str] | None = None
    contact: ContactOut | None = None
    challenge: str | None = None
    results: str | None = None
    lessons_learned: str | None = None
    when_to_use: str | None = None
    prerequisites: str | None = None
    variations: str | None = None
    evidence: str | None = None
    staff: str | None = None
    time_needed: str | None = None
    cost_level: Literal["low", "medium", "high"] | None = None
    translations: dict[str, TranslationOut] | None = None
    url: str = Field(description="The record's page, in `lang` where translated.")
    last_updated: str | None = Field(
        description="When the record (in any language) was last published.",
        json_schema_extra=DATE_TIME,
    )
    last_reviewed: datetime.date | None = Field(
        description="When its owner last confirmed it is still current."
    )
    adoptions: list[AdoptionOut] = Field(
        description="For a method: the organisations that use it. Empty for others."
    )


class RecordList(Schema):
    lang: str
    count: int
    page: int
    page_size: int
    updated_since: str | None = Field(json_schema_extra=DATE_TIME)
    next: str | None
    previous: str | None
    results: list[RecordOut]
