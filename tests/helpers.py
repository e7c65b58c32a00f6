"""Small builders shared by the tests."""

import json

from interchange.importer import Importer


def record(**fields):
    """A valid practice record; keyword arguments override or add fields."""
    base = {
        "external_id": "t-practice",
        "type": "practice",
        "locale": "sv",
        "title": "Språkcafé i Sunne",
        "summary": "Träffar där nyanlända övar svenska med volontärer.",
    }
    base.update(fields)
    return {key: value for key, value in base.items() if value is not None}


def run_import(*records, raw_lines=()):
    lines = [json.dumps(item, ensure_ascii=False) for item in records] + list(raw_lines)
    return Importer().run(lines)
