"""Export live practices, methods and reports as interchange records (JSON Lines)."""

import json
from collections import defaultdict

from . import spec
from .serialise import page_record


def export_records():
    """Yield one record per source page (methods first), with its live translations."""
    for record_type in sorted(spec.PAGE_MODELS, key=spec.TYPE_ORDER.get):
        model = spec.PAGE_MODELS[record_type]
        groups = defaultdict(list)
        pages = model.objects.live().select_related("locale", "organisation").order_by("id")
        for page in pages:
            groups[page.translation_key].append(page)
        sources = [(group[0], group[1:]) for group in groups.values()]
        sources.sort(key=lambda pair: pair[0].external_id)
        for source, translations in sources:
            yield page_record(source, translations)


def write_jsonl(records, handle):
    count = 0
    for record in records:
        handle.write(json.dumps(record, ensure_ascii=False) + "\n")
        count += 1
    return count
