"""Pages as interchange records, and records in the canonical form an export would give.

Import compares ``canonical(record)`` with ``page_record(page)`` to tell "unchanged" from
"updated", so both functions must agree on every normalisation (sorting, numbers, Markdown).
"""

from practices.models.outcomes import number

from . import spec
from .markdown import html_to_markdown, normalise, to_markdown
from .schema import to_decimal


def _drop_empty(record):
    return {key: value for key, value in record.items() if value not in (None, "", [], {})}


def _text_fields(page, record_type):
    fields = {
        "title": page.title,
        "summary": page.summary,
        "body": to_markdown(page.body),
    }
    for name in spec.RICH_TEXT_FIELDS[record_type]:
        fields[name] = html_to_markdown(getattr(page, name))
    for name in spec.PLAIN_TEXT_FIELDS[record_type]:
        fields[name] = getattr(page, name)
    return fields


def _translation(text, source_text):
    """A translation's text fields; those equal to the source's were not translated."""
    title = text["title"]
    rest = {key: value for key, value in text.items() if key != "title"}
    return {
        "title": title,
        **_drop_empty({key: value for key, value in rest.items() if value != source_text.get(key)}),
    }


def _indicator(values):
    item = {"key": values["key"], "value": number(values["value"]), "unit": values["unit"]}
    if values.get("target") is not None:
        item["target"] = number(values["target"])
    if values.get("measured_on"):
        item["measured_on"] = str(values["measured_on"])
    if values.get("label"):
        item["label"] = values["label"]
    return item


def page_record(page, translations=(), languages=None):
    """The interchange record for a source page and its translation pages.

    ``languages`` limits which translations are included (None: all given).
    """
    record_type = page.interchange_type
    text = _text_fields(page, record_type)
    record = {
        "external_id": page.external_id,
        "type": record_type,
        "locale": page.locale.language_code,
        **text,
        "organisation": page.organisation.name if page.organisation_id else None,
        # Read with .all(), not values_list(): a caller that prefetched the relations
        # (opendata.records, a page of records at once) then runs no query per record.
        "municipalities": sorted(place.code for place in page.municipalities.all()),
        "regions": sorted(place.code for place in page.regions.all()),
        "activity_types": sorted({term.slug for term in page.activity_types.all()}),
        "target_groups": sorted({term.slug for term in page.target_groups.all()}),
        "start_date": page.start_date.isoformat() if page.start_date else None,
        "end_date": page.end_date.isoformat() if page.end_date else None,
        "contact": _drop_empty(
            {"name": page.contact_name, "role": page.contact_role, "email": page.contact_email}
        ),
    }
    if record_type != "method":
        record["funding"] = [
            {"source": row.source, "amount_sek": row.amount_sek} for row in page.funding.all()
        ]
        record["indicators"] = [
            _indicator(
                {
                    "key": row.key,
                    "value": row.value,
                    "unit": row.unit,
                    "target": row.target,
                    "measured_on": row.measured_on,
                    "label": row.label,
                }
            )
            for row in page.indicators.all()
        ]
        record["methods"] = [link.method.external_id for link in page.method_links.all()]
        record["partners"] = sorted(partner.name for partner in page.partners.all())
    if record_type == "report":
        record["practices"] = [link.practice.external_id for link in page.linked_practices.all()]
    for name in spec.CHOICE_FIELDS[record_type]:
        record[name] = getattr(page, name)
    record["keywords"] = sorted(tag.name for tag in page.keywords.all())

    translated = {}
    for translation in translations:
        language = translation.locale.language_code
        if languages is not None and language not in languages:
            continue
        translated[language] = _translation(
            {**_text_fields(translation, record_type), "contact_role": translation.contact_role},
            {**text, "contact_role": page.contact_role},
        )
    record["translations"] = dict(sorted(translated.items()))
    return _drop_empty(record)


def canonical(record):
    """An incoming (valid) record as ``page_record`` would write it back."""
    record_type = record["type"]
    text = {
        "title": record["title"],
        "summary": record["summary"],
        "body": normalise(record.get("body") or ""),
    }
    for name in spec.RICH_TEXT_FIELDS[record_type]:
        text[name] = normalise(record.get(name) or "")
    for name in spec.PLAIN_TEXT_FIELDS[record_type]:
        text[name] = record.get(name) or ""
    result = {
        "external_id": record["external_id"],
        "type": record_type,
        "locale": record["locale"],
        **text,
        "organisation": (record.get("organisation") or "").strip() or None,
        "municipalities": sorted(set(record.get("municipalities") or [])),
        "regions": sorted(set(record.get("regions") or [])),
        "activity_types": sorted(set(record.get("activity_types") or [])),
        "target_groups": sorted(set(record.get("target_groups") or [])),
        "start_date": record.get("start_date"),
        "end_date": record.get("end_date"),
        "contact": _drop_empty(record.get("contact") or {}),
        "funding": [
            {"source": item["source"].strip(), "amount_sek": item["amount_sek"]}
            for item in record.get("funding") or []
        ],
        "indicators": [
            _indicator(
                {
                    **item,
                    "value": to_decimal(item["value"]),
                    "target": None if item.get("target") is None else to_decimal(item["target"]),
                }
            )
            for item in record.get("indicators") or []
        ],
        "methods": _unique(record.get("methods") or []),
        "practices": _unique(record.get("practices") or []),
        "partners": sorted({name.strip() for name in record.get("partners") or []}),
        "keywords": sorted({name.strip() for name in record.get("keywords") or []}),
    }
    for name in spec.CHOICE_FIELDS[record_type]:
        result[name] = record.get(name)
    translated = {}
    source_text = {**text, "contact_role": result["contact"].get("role", "")}
    for language, translation in (record.get("translations") or {}).items():
        merged = {key: translation.get(key) or "" for key in source_text}
        for key in merged:
            if key in ("body",) + spec.RICH_TEXT_FIELDS[record_type]:
                merged[key] = normalise(merged[key])
            if not merged[key] and key != "title":
                merged[key] = source_text[key]  # not translated: the source text is shown
        translated[language] = _translation(merged, source_text)
    result["translations"] = dict(sorted(translated.items()))
    if record_type == "method":
        result.pop("funding"), result.pop("indicators"), result.pop("methods")
    if record_type != "report":
        result.pop("practices")
    if record_type == "method":
        result.pop("partners")
    return _drop_empty(result)


def _unique(values):
    seen, out = set(), []
    for value in values:
        if value not in seen:
            seen.add(value)
            out.append(value)
    return out
