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
        pages = model.objects.select_related("locale", "organisation").order_by("id")
        for page in pages:
            groups[page.translation_key].append(page)
        # The oldest page of a group is the source; a record whose source is not live is not
        # published, and only live translations go with it.
        sources = [
            (group[0], [page for page in group[1:] if page.live])
            for group in groups.values()
            if group[0].live
        ]
        sources.sort(key=lambda pair: pair[0].external_id)
        for source, translations in sources:
            yield page_record(source, translations)


def write_jsonl(records, handle):
    count = 0
    for record in records:
        handle.write(json.dumps(record, ensure_ascii=False) + "\n")
        count += 1
    return count
