"""Check one interchange record against the rules of docs/interchange.md.

Returns a list of ``Problem(rule, message)``; an empty list means the record may be written.
Lookups of codes and slugs go through a ``Vocabulary`` loaded once per import.
"""

import datetime
import re
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.core.validators import validate_email

from practices.models import ActivityType, Municipality, Region, TargetGroup

from . import spec

SLUG = re.compile(r"^[a-z0-9]+(?:[-_][a-z0-9]+)*$")


@dataclass(frozen=True)
class Problem:
    rule: str
    message: str

    def __str__(self):
        return f"{self.rule}: {self.message}"


class Vocabulary:
    """The codes and slugs a record may use, read from the database once."""

    def __init__(self):
        self.municipalities = set(Municipality.objects.values_list("code", flat=True))
        self.regions = set(Region.objects.values_list("code", flat=True))
        self.activity_types = set(ActivityType.objects.values_list("slug", flat=True))
        self.target_groups = set(TargetGroup.objects.values_list("slug", flat=True))


def parse_date(value):
    if not isinstance(value, str) or not re.fullmatch(r"\d{4}-\d{2}-\d{2}", value):
        raise ValueError
    return datetime.date.fromisoformat(value)


def is_number(value):
    return isinstance(value, int | float) and not isinstance(value, bool) and value == value


def to_decimal(value):
    """A JSON number as the Decimal the database keeps (two decimals)."""
    try:
        return Decimal(str(value)).quantize(Decimal("0.01"))
    except InvalidOperation as error:
        raise ValueError from error


def validate_record(record, vocabulary):  # noqa: C901 - one flat list of rules reads best
    problems = []

    def problem(rule, message):
        problems.append(Problem(rule, message))

    if not isinstance(record, dict):
        return [Problem("record", "each line must be a JSON object")]

    external_id = record.get("external_id")
    if not isinstance(external_id, str) or not external_id.strip():
        problem("external_id", "is required and must be a non-empty string")
    elif len(external_id) > 255:
        problem("external_id", "must be at most 255 characters")

    record_type = record.get("type")
    if record_type not in spec.PAGE_MODELS:
        problem("type", 'must be "practice", "method" or "report"')
        return problems

    unknown = sorted(set(record) - spec.allowed_fields(record_type))
    if unknown:
        problem("fields", "unknown field(s) for a %s: %s" % (record_type, ", ".join(unknown)))

    if record.get("locale") not in spec.LANGUAGES:
        problem("locale", "must be one of %s" % ", ".join(spec.LANGUAGES))

    _check_text(record, "title", problem, required=True, max_length=255)
    _check_text(record, "summary", problem, required=True)
    for name in ("body", "organisation") + spec.RICH_TEXT_FIELDS[record_type]:
        _check_text(record, name, problem, max_length=255 if name == "organisation" else None)
    for name in spec.PLAIN_TEXT_FIELDS[record_type]:
        _check_text(record, name, problem, max_length=255)
    for name, choices in spec.CHOICE_FIELDS[record_type].items():
        if name in record and record[name] not in choices:
            problem(name, "must be one of %s" % ", ".join(choices))

    for name, known, what in [
        ("municipalities", vocabulary.municipalities, "municipality code"),
        ("regions", vocabulary.regions, "region code"),
        ("activity_types", vocabulary.activity_types, "activity type"),
        ("target_groups", vocabulary.target_groups, "target group"),
    ]:
        values = _string_list(record, name, problem)
        for value in values:
            if value not in known:
                problem(name, 'unknown %s "%s"' % (what, value))

    for name in spec.NAME_LIST_FIELDS[record_type]:
        for value in _string_list(record, name, problem):
            if not value.strip() or len(value) > 255:
                problem(name, "names must be 1 to 255 characters")

    dates = {}
    for name in ("start_date", "end_date"):
        if record.get(name) is not None:
            try:
                dates[name] = parse_date(record[name])
            except ValueError:
                problem(name, 'must be a date written YYYY-MM-DD, not "%s"' % record[name])
    if len(dates) == 2 and dates["end_date"] < dates["start_date"]:
        problem("end_date", "must not be before start_date")

    _check_funding(record.get("funding"), problem)
    _check_indicators(record.get("indicators"), problem)
    _check_contact(record.get("contact"), problem)
    for name in spec.REFERENCE_FIELDS[record_type]:
        _string_list(record, name, problem)
    if record_type == "method" and record.get("methods"):
        problem("methods", "only practices and reports list the methods they applied")

    _check_translations(record, record_type, problem)
    return problems


def _check_text(record, name, problem, required=False, max_length=None):
    value = record.get(name)
    if value is None:
        if required:
            problem(name, "is required")
        return
    if not isinstance(value, str):
        problem(name, "must be a string")
    elif required and not value.strip():
        problem(name, "must not be empty")
    elif max_length and len(value) > max_length:
        problem(name, "must be at most %d characters (it has %d)" % (max_length, len(value)))


def _string_list(record, name, problem):
    values = record.get(name)
    if values is None:
        return []
    if not isinstance(values, list) or not all(isinstance(value, str) for value in values):
        problem(name, "must be a list of strings")
        return []
    return values


def _check_funding(funding, problem):
    if funding is None:
        return
    if not isinstance(funding, list):
        problem("funding", 'must be a list of {"source", "amount_sek"} objects')
        return
    for number, item in enumerate(funding, 1):
        if not isinstance(item, dict) or set(item) - {"source", "amount_sek"}:
            problem("funding", 'item %d must have only "source" and "amount_sek"' % number)
            continue
        if not isinstance(item.get("source"), str) or not item["source"].strip():
            problem("funding", "item %d needs a source" % number)
        amount = item.get("amount_sek")
        if not isinstance(amount, int) or isinstance(amount, bool) or amount < 0:
            problem("funding", "item %d: amount_sek must be a whole number of kronor ≥ 0" % number)


def _check_indicators(indicators, problem):
    if indicators is None:
        return
    if not isinstance(indicators, list):
        problem("indicators", "must be a list of indicator objects")
        return
    allowed = {"key", "value", "unit", "target", "measured_on", "label"}
    for number, item in enumerate(indicators, 1):
        if not isinstance(item, dict):
            problem("indicators", "item %d must be an object" % number)
            continue
        extra = sorted(set(item) - allowed)
        if extra:
            problem("indicators", "item %d has unknown field(s): %s" % (number, ", ".join(extra)))
        key = item.get("key")
        if not isinstance(key, str) or not SLUG.match(key) or len(key) > 64:
            problem("indicators", "item %d: key must be a slug such as in_work" % number)
        if not is_number(item.get("value")) or abs(item["value"]) >= 10**12:
            problem("indicators", "item %d: value must be a number" % number)
        if item.get("unit") not in ("count", "percent"):
            problem("indicators", 'item %d: unit must be "count" or "percent"' % number)
        if (
            "target" in item
            and item["target"] is not None
            and (not is_number(item["target"]) or abs(item["target"]) >= 10**12)
        ):
            problem("indicators", "item %d: target must be a number" % number)
        if item.get("measured_on") is not None:
            try:
                parse_date(item["measured_on"])
            except ValueError:
                problem("indicators", "item %d: measured_on must be YYYY-MM-DD" % number)
        if "label" in item and not isinstance(item["label"], str):
            problem("indicators", "item %d: label must be a string" % number)


def _check_contact(contact, problem):
    if contact is None:
        return
    if not isinstance(contact, dict) or set(contact) - {"name", "role", "email"}:
        problem("contact", 'must be an object with "name", "role" and "email"')
        return
    for key, value in contact.items():
        if not isinstance(value, str):
            problem("contact", "%s must be a string" % key)
    email = contact.get("email")
    if isinstance(email, str) and email:
        try:
            validate_email(email)
        except ValidationError:
            problem("contact", 'email "%s" is not a valid address' % email)


def _check_translations(record, record_type, problem):
    translations = record.get("translations")
    if translations is None:
        return
    if not isinstance(translations, dict):
        problem("translations", "must be an object: language code → {title, summary, body}")
        return
    fields = set(spec.translatable_fields(record_type))
    for language, translation in translations.items():
        rule = "translations.%s" % language
        if language not in spec.LANGUAGES:
            problem(rule, "unknown language; use one of %s" % ", ".join(spec.LANGUAGES))
            continue
        if language == record.get("locale"):
            problem(rule, "is the record's own language")
            continue
        if not isinstance(translation, dict):
            problem(rule, "must be an object with title, summary and body")
            continue
        extra = sorted(set(translation) - fields)
        if extra:
            problem(rule, "unknown field(s): %s" % ", ".join(extra))
        _check_text(
            translation, "title", lambda _r, m, rule=rule: problem(rule + ".title", m), True, 255
        )
        for name in fields - {"title"}:
            _check_text(
                translation, name, lambda _r, m, n=name, rule=rule: problem(f"{rule}.{n}", m)
            )
