"""The interchange format (docs/interchange.md) as one declared schema: a pydantic model per
record type. ``validate_record`` checks a parsed JSON line against it and answers with
``Problem(rule, message)``s; an empty list means the record may be written.

The models are strict (a number is not a string, a list is not an object) and forbid unknown
fields, so a record of the wrong shape is rejected with a message, never half-read. Codes and
slugs are checked against the site's vocabulary, passed in the validation context.
"""

import datetime
import math
import re
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Annotated, Any, Literal

from django.core.exceptions import ValidationError as DjangoValidationError
from django.core.validators import validate_email
from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    ValidationError,
    ValidationInfo,
    field_validator,
    model_validator,
)
from pydantic_core import PydanticCustomError

from practices.models import ActivityType, Municipality, Region, TargetGroup

from . import spec

SLUG = re.compile(r"^[a-z0-9]+(?:[-_][a-z0-9]+)*$")
DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
MAX_NUMBER = 10**12


@dataclass(frozen=True)
class Problem:
    rule: str
    message: str

    def __str__(self):
        return f"{self.rule}: {self.message}"


class Vocabulary:
    """The codes and slugs a record may use, read from the database once per import."""

    def __init__(self):
        self.municipalities = set(Municipality.objects.values_list("code", flat=True))
        self.regions = set(Region.objects.values_list("code", flat=True))
        self.activity_types = set(ActivityType.objects.values_list("slug", flat=True))
        self.target_groups = set(TargetGroup.objects.values_list("slug", flat=True))


def parse_date(value):
    if not isinstance(value, str) or not DATE.fullmatch(value):
        raise ValueError
    return datetime.date.fromisoformat(value)


def to_decimal(value):
    """A JSON number as the Decimal the database keeps (two decimals)."""
    try:
        return Decimal(str(value)).quantize(Decimal("0.01"))
    except InvalidOperation as error:
        raise ValueError from error


# Field types ---------------------------------------------------------------------------


def _fail(message):
    raise PydanticCustomError("interchange", message)


def _text(value):
    if not isinstance(value, str):
        _fail("must be a string")
    return value


def _bounded(max_length):
    def check(value):
        if max_length and len(value) > max_length:
            _fail(f"must be at most {max_length} characters (it has {len(value)})")
        return value

    return check


def _not_blank(value):
    if not value.strip():
        _fail("must not be empty")
    return value


def _date(value):
    try:
        return parse_date(value)
    except ValueError:
        _fail(f'must be a date written YYYY-MM-DD, not "{str(value)[:40]}"')


def _string_list(value):
    if not isinstance(value, list) or not all(isinstance(item, str) for item in value):
        _fail("must be a list of strings")
    return value


def _number(name):
    def check(value):
        if (
            isinstance(value, bool)
            or not isinstance(value, int | float)
            or not math.isfinite(value)
            or abs(value) >= MAX_NUMBER
        ):
            _fail(f"{name} must be a number")
        return value

    return check


def _known(what, attribute):
    def check(values, info: ValidationInfo):
        known = getattr(info.context["vocabulary"], attribute)
        for value in values:
            if value not in known:
                _fail(f'unknown {what} "{value[:80]}"')
        return values

    return check


# How much text a field may hold: far above what a practice needs, low enough that a record
# cannot carry megabytes of text into the page, the index and every search.
MAX_SUMMARY = 10_000
MAX_BODY = 500_000
MAX_SECTION = 100_000

Summary = Annotated[str, BeforeValidator(_text), AfterValidator(_bounded(MAX_SUMMARY))]
RequiredSummary = Annotated[
    str, BeforeValidator(_text), AfterValidator(_not_blank), AfterValidator(_bounded(MAX_SUMMARY))
]
Body = Annotated[str, BeforeValidator(_text), AfterValidator(_bounded(MAX_BODY))]
Section = Annotated[str, BeforeValidator(_text), AfterValidator(_bounded(MAX_SECTION))]
ShortText = Annotated[str, BeforeValidator(_text), AfterValidator(_bounded(255))]
Title = Annotated[
    str, BeforeValidator(_text), AfterValidator(_not_blank), AfterValidator(_bounded(255))
]
Date = Annotated[datetime.date, BeforeValidator(_date)]
Strings = Annotated[list[str], BeforeValidator(_string_list)]


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", strict=True, frozen=True)


class Funding(_Strict):
    source: Annotated[str, BeforeValidator(_text), AfterValidator(_not_blank)]
    amount_sek: int = Field(ge=0)

    @field_validator("amount_sek", mode="before")
    @classmethod
    def _whole_kronor(cls, value):
        if isinstance(value, bool) or not isinstance(value, int) or value < 0:
            _fail("amount_sek must be a whole number of kronor ≥ 0")
        return value


class Indicator(_Strict):
    key: str
    value: Annotated[Any, BeforeValidator(_number("value"))]
    unit: str
    target: Annotated[Any, BeforeValidator(_number("target"))] | None = None
    measured_on: Annotated[datetime.date, BeforeValidator(lambda v: _indicator_date(v))] | None = (
        None
    )
    label: Annotated[str, BeforeValidator(lambda v: _labelled(v))] = ""

    @field_validator("key", mode="before")
    @classmethod
    def _slug(cls, value):
        if not isinstance(value, str) or not SLUG.match(value) or len(value) > 64:
            _fail("key must be a slug such as in_work")
        return value

    @field_validator("unit", mode="before")
    @classmethod
    def _unit(cls, value):
        if value not in ("count", "percent"):
            _fail('unit must be "count" or "percent"')
        return value


def _indicator_date(value):
    try:
        return parse_date(value)
    except ValueError:
        _fail("measured_on must be YYYY-MM-DD")


def _labelled(value):
    if not isinstance(value, str):
        _fail("label must be a string")
    return value


class Contact(_Strict):
    name: Annotated[str, BeforeValidator(lambda v: _contact_text("name", v))] = ""
    role: Annotated[str, BeforeValidator(lambda v: _contact_text("role", v))] = ""
    email: Annotated[str, BeforeValidator(lambda v: _contact_text("email", v))] = ""

    @field_validator("email")
    @classmethod
    def _address(cls, value):
        if value:
            try:
                validate_email(value)
            except DjangoValidationError:
                _fail(f'email "{value[:80]}" is not a valid address')
        return value


def _contact_text(key, value):
    if not isinstance(value, str):
        _fail(f"{key} must be a string")
    return value


class Translation(_Strict):
    """The text of one translation; which fields a type allows is checked by the record."""

    title: Title
    summary: Summary | None = None
    body: Body | None = None
    challenge: Section | None = None
    results: Section | None = None
    lessons_learned: Section | None = None
    when_to_use: Section | None = None
    prerequisites: Section | None = None
    variations: Section | None = None
    evidence: Section | None = None
    staff: ShortText | None = None
    time_needed: ShortText | None = None
    contact_role: ShortText | None = None


# Records -------------------------------------------------------------------------------


class Record(_Strict):
    """Fields every record type shares (docs/interchange.md, "Record")."""

    external_id: Annotated[str, BeforeValidator(lambda v: _external_id(v))]
    type: Literal["practice", "method", "report"]
    locale: Annotated[str, BeforeValidator(lambda v: _locale(v))]
    title: Title
    summary: RequiredSummary
    body: Body | None = None
    organisation: ShortText | None = None
    municipalities: Annotated[
        Strings, AfterValidator(_known("municipality code", "municipalities"))
    ] = []
    regions: Annotated[Strings, AfterValidator(_known("region code", "regions"))] = []
    activity_types: Annotated[
        Strings, AfterValidator(_known("activity type", "activity_types"))
    ] = []
    target_groups: Annotated[Strings, AfterValidator(_known("target group", "target_groups"))] = []
    start_date: Date | None = None
    end_date: Date | None = None
    funding: Annotated[list[Funding], BeforeValidator(lambda v: _list_of(v, "funding"))] = []
    indicators: Annotated[
        list[Indicator], BeforeValidator(lambda v: _list_of(v, "indicators"))
    ] = []
    methods: Strings = []
    contact: Annotated[Contact, BeforeValidator(lambda v: _object(v, "contact"))] | None = None
    translations: Annotated[
        dict[str, Translation], BeforeValidator(lambda v: _object(v, "translations"))
    ] = {}
    keywords: Annotated[Strings, AfterValidator(lambda v: _names(v))] = []

    @field_validator("translations")
    @classmethod
    def _languages(cls, translations, info: ValidationInfo):
        for language, translation in translations.items():
            allowed = set(spec.translatable_fields(info.data.get("type", "practice")))
            extra = sorted(name for name in translation.model_fields_set if name not in allowed)
            if extra:
                raise PydanticCustomError(
                    f"translations.{language}", "unknown field(s): " + ", ".join(extra)
                )
        return translations

    @model_validator(mode="after")
    def _period_and_languages(self):
        if self.start_date and self.end_date and self.end_date < self.start_date:
            raise PydanticCustomError("end_date", "must not be before start_date")
        for language in self.translations:
            if language not in spec.LANGUAGES:
                raise PydanticCustomError(
                    f"translations.{language}",
                    "unknown language; use one of " + ", ".join(spec.LANGUAGES),
                )
            if language == self.locale:
                raise PydanticCustomError(
                    f"translations.{language}", "is the record's own language"
                )
        return self


def _external_id(value):
    if not isinstance(value, str) or not value.strip():
        _fail("is required and must be a non-empty string")
    if len(value) > 255:
        _fail("must be at most 255 characters")
    return value


def _locale(value):
    if value not in spec.LANGUAGES:
        _fail("must be one of " + ", ".join(spec.LANGUAGES))
    return value


def _object(value, name):
    if not isinstance(value, dict):
        _fail(
            "must be an object: language code → {title, summary, body}"
            if name == "translations"
            else 'must be an object with "name", "role" and "email"'
        )
    return value


def _names(values):
    for value in values:
        if not value.strip() or len(value) > 255:
            _fail("names must be 1 to 255 characters")
    return values


Names = Annotated[Strings, AfterValidator(_names)]


def _list_of(value, name):
    if not isinstance(value, list):
        _fail(
            'must be a list of {"source", "amount_sek"} objects'
            if name == "funding"
            else "must be a list of indicator objects"
        )
    return value


class PracticeRecord(Record):
    challenge: Section | None = None
    results: Section | None = None
    lessons_learned: Section | None = None
    partners: Names = []


class MethodRecord(Record):
    when_to_use: Section | None = None
    prerequisites: Section | None = None
    variations: Section | None = None
    evidence: Section | None = None
    staff: ShortText | None = None
    time_needed: ShortText | None = None
    cost_level: Literal["low", "medium", "high"] | None = None

    @field_validator("methods")
    @classmethod
    def _no_methods(cls, methods):
        if methods:
            _fail("only practices and reports list the methods they applied")
        return methods


class ReportRecord(Record):
    partners: Names = []
    practices: Strings = []


RECORD_MODELS = {"practice": PracticeRecord, "method": MethodRecord, "report": ReportRecord}


# Problems ------------------------------------------------------------------------------

# Messages for pydantic's own checks (the rest come from the validators above).
MESSAGES = {
    "missing": "is required",
    "string_type": "must be a string",
    "list_type": "must be a list",
    "literal_error": "must be one of {expected}",
    "dict_type": "must be an object",
    "model_type": "must be an object",
    "model_attributes_type": "must be an object",
    "int_type": "must be a whole number",
    "greater_than_equal": "must be at least {ge}",
}
LISTS = {"funding", "indicators"}


def _problem(error, record_type):
    location = [str(part) for part in error["loc"]]
    kind = error["type"]
    context = error.get("ctx") or {}
    if kind in ("end_date",) or kind.startswith("translations."):
        return Problem(kind, error["msg"])
    message = error["msg"] if kind == "interchange" else MESSAGES.get(kind, error["msg"])
    if kind == "literal_error" and location == ["type"]:
        message = 'must be "practice", "method" or "report"'
    elif kind in MESSAGES:
        message = message.format(**context)
    if not location:
        return Problem("record", message)
    rule, rest = location[0], location[1:]
    if rule in LISTS and rest and rest[0].isdigit():
        # indicators.0.unit → "indicators": "item 1: unit must be ..."
        number = int(rest[0]) + 1
        if kind == "extra_forbidden":
            return Problem(rule, f"item {number} has unknown field(s): {rest[-1]}")
        return Problem(rule, f"item {number}: {message}")
    if rule == "translations" and rest:
        language, field = rest[0], rest[1:]
        if kind == "extra_forbidden":
            return Problem(f"translations.{language}", f"unknown field(s): {field[-1]}")
        if field:
            return Problem(f"translations.{language}.{field[0]}", message)
        return Problem(f"translations.{language}", message)
    if rule == "contact" and kind == "extra_forbidden":
        return Problem("contact", 'must be an object with "name", "role" and "email"')
    return Problem(rule, message)


def validate_record(record, vocabulary):
    """The problems of one parsed JSON line; an empty list means it may be written."""
    if not isinstance(record, dict):
        return [Problem("record", "each line must be a JSON object")]
    record_type = record.get("type")
    model = RECORD_MODELS.get(record_type)
    if model is None:
        problems = [Problem("type", 'must be "practice", "method" or "report"')]
        try:
            _external_id(record.get("external_id"))
        except PydanticCustomError as error:
            problems.insert(0, Problem("external_id", error.message()))
        return problems
    try:
        model.model_validate(record, context={"vocabulary": vocabulary})
    except ValidationError as error:
        problems, unknown = [], []
        for item in error.errors(include_url=False):
            if item["type"] == "extra_forbidden" and len(item["loc"]) == 1:
                unknown.append(str(item["loc"][0]))
            else:
                problems.append(_problem(item, record_type))
        if unknown:
            problems.insert(
                0,
                Problem(
                    "fields",
                    f"unknown field(s) for a {record_type}: {', '.join(sorted(unknown))}",
                ),
            )
        return problems
    return []
