"""wagtail-localize's records for many new imported records at once.

``translation.records.record_translations`` makes an imported record's translation pages
wagtail-localize translations of its source page (a translation source with its segments, a
``Translation`` per language, the translation memory, a log entry), so that they show the same
status as translations made in the admin. It does so one row at a time: about 150 queries for a
record with one translation. ``record_new_translations`` writes the same rows for a batch of
new records (pages just written, no earlier source or translation) with a few multi-row
INSERTs per table; it pairs the strings with ``record_translations``' own rules.
"""

import json
import uuid
from collections import defaultdict

from django.contrib.contenttypes.models import ContentType
from django.core.serializers.json import DjangoJSONEncoder
from django.utils import timezone
from wagtail_localize.models import (
    OverridableSegment,
    RelatedObjectSegment,
    String,
    StringSegment,
    StringTranslation,
    Template,
    TemplateSegment,
    TranslatableObject,
    Translation,
    TranslationContext,
    TranslationLog,
    TranslationSource,
    get_schema_version,
)
from wagtail_localize.segments import (
    OverridableSegmentValue,
    RelatedObjectSegmentValue,
    StringSegmentValue,
    TemplateSegmentValue,
)
from wagtail_localize.segments.extract import extract_segments

# The pairing rules of ``record_translations`` itself, so both paths agree.
from translation.records import paired_strings
from translation.status import SAME_TEXT_TRANSLATES

BATCH = 1000
TEMPLATE_NAMESPACE = Template.BASE_UUID_NAMESPACE


def _json(value):
    return json.dumps(value, cls=DjangoJSONEncoder)


class _Rows:
    """The rows of one batch, gathered before they are written."""

    def __init__(self):
        self.strings = {}  # (locale id, data hash) → text
        self.templates = {}  # uuid → (template, format, string count)
        self.contexts = {}  # (translation key, path id) → TranslationContext (unsaved)
        self.objects = set()  # translation keys of related objects
        self.segments = []  # (source index, kind, value, key)


def record_new_translations(records, now=None):
    """``records``: ``[(source page, [translation pages])]``, all just written (no earlier
    translation source for them). Writes their translation sources, segments, translations,
    translation memory and log entries."""
    records = [(source, translations) for source, translations in records if translations]
    if not records:
        return
    now = now or timezone.now()
    page_type = ContentType.objects.get_for_model(records[0][0].get_translation_model())
    TranslatableObject.objects.bulk_create(
        [
            TranslatableObject(translation_key=source.translation_key, content_type=page_type)
            for source, _ in records
        ],
        ignore_conflicts=True,
        batch_size=BATCH,
    )
    versions = {}
    sources = TranslationSource.objects.bulk_create(
        [
            TranslationSource(
                object_id=source.translation_key,
                specific_content_type=ContentType.objects.get_for_model(type(source)),
                locale_id=source.locale_id,
                object_repr=str(source)[:200],
                content_json=source.to_json(),
                schema_version=_version(versions, source._meta.app_label),
                created_at=now,
                last_updated_at=now,
            )
            for source, _ in records
        ],
        batch_size=BATCH,
    )
    segments = _write_segments(records, sources)
    _write_translations(records, sources, segments, now)


def _version(versions, app_label):
    if app_label not in versions:
        versions[app_label] = get_schema_version(app_label)
    return versions[app_label]


def _write_segments(records, sources):
    """Each source's segments, as ``TranslationSource.refresh_segments`` makes them; returns
    per source its string segments grouped by field, in order (``_source_strings``)."""
    rows = _Rows()
    for index, (source, _) in enumerate(records):
        for value in extract_segments(source):
            key = source.translation_key
            context_key = (key, TranslationContext._get_path_id(value.path))
            if context_key not in rows.contexts:
                context = TranslationContext(
                    object_id=key, path=value.path, path_id=context_key[1], field_path=""
                )
                # ``get_field_path`` saves what it works out; here the context is saved below.
                context.save = _no_save
                context.get_field_path(source)
                del context.save
                rows.contexts[context_key] = context
            if isinstance(value, StringSegmentValue):
                string_key = (source.locale_id, String._get_data_hash(value.string.data))
                rows.strings.setdefault(string_key, value.string.data)
                rows.segments.append((index, "string", value, context_key, string_key))
            elif isinstance(value, TemplateSegmentValue):
                namespace = uuid.uuid5(TEMPLATE_NAMESPACE, value.format)
                template_key = uuid.uuid5(namespace, value.template)
                rows.templates.setdefault(
                    template_key, (value.template, value.format, value.string_count)
                )
                rows.segments.append((index, "template", value, context_key, template_key))
            elif isinstance(value, RelatedObjectSegmentValue):
                rows.objects.add((value.translation_key, value.content_type.pk))
                rows.segments.append((index, "related", value, context_key, None))
            elif isinstance(value, OverridableSegmentValue):
                rows.segments.append((index, "overridable", value, context_key, None))
    strings = _get_or_create_strings(rows.strings)
    templates = _get_or_create_templates(rows.templates)
    contexts = _create_contexts(rows.contexts)
    TranslatableObject.objects.bulk_create(
        [
            TranslatableObject(translation_key=key, content_type_id=content_type)
            for key, content_type in rows.objects
        ],
        ignore_conflicts=True,
        batch_size=BATCH,
    )
    made = defaultdict(list)
    for index, kind, value, context_key, key in rows.segments:
        common = {
            "source": sources[index],
            "context": contexts[context_key],
            "order": value.order,
        }
        if kind == "string":
            made[StringSegment].append(
                (index, StringSegment(string=strings[key], attrs=_json(value.attrs), **common))
            )
        elif kind == "template":
            made[TemplateSegment].append(
                (index, TemplateSegment(template=templates[key], **common))
            )
        elif kind == "related":
            made[RelatedObjectSegment].append(
                (index, RelatedObjectSegment(object_id=value.translation_key, **common))
            )
        else:
            made[OverridableSegment].append(
                (index, OverridableSegment(data_json=_json(value.data), **common))
            )
    for model, pairs in made.items():
        model.objects.bulk_create([segment for _, segment in pairs], batch_size=BATCH)
    grouped = [defaultdict(list) for _ in records]
    for index, segment in sorted(made[StringSegment], key=lambda pair: pair[1].order):
        grouped[index][segment.context.path.split(".", 1)[0]].append(segment)
    return grouped


def _no_save(*args, **kwargs):
    return None


def _get_or_create_strings(wanted):
    """``{(locale id, data hash): String}`` for the wanted strings, made where missing."""
    found = {}
    by_locale = defaultdict(list)
    for locale_id, data_hash in wanted:
        by_locale[locale_id].append(data_hash)
    for locale_id, hashes in by_locale.items():
        for first in range(0, len(hashes), BATCH):
            for string in String.objects.filter(
                locale_id=locale_id, data_hash__in=hashes[first : first + BATCH]
            ):
                found[(locale_id, string.data_hash)] = string
    missing = [key for key in wanted if key not in found]
    created = String.objects.bulk_create(
        [String(locale_id=key[0], data_hash=key[1], data=wanted[key]) for key in missing],
        batch_size=BATCH,
    )
    found.update(zip(missing, created, strict=True))
    return found


def _get_or_create_templates(wanted):
    found = {}
    keys = list(wanted)
    for first in range(0, len(keys), BATCH):
        for template in Template.objects.filter(uuid__in=keys[first : first + BATCH]):
            found[template.uuid] = template
    missing = [key for key in keys if key not in found]
    created = Template.objects.bulk_create(
        [
            Template(
                uuid=key,
                template=wanted[key][0],
                template_format=wanted[key][1],
                string_count=wanted[key][2],
            )
            for key in missing
        ],
        batch_size=BATCH,
    )
    found.update(zip(missing, created, strict=True))
    return found


def _create_contexts(wanted):
    # New records: their contexts are new too (their translation keys were made just now).
    created = TranslationContext.objects.bulk_create(list(wanted.values()), batch_size=BATCH)
    return dict(zip(wanted, created, strict=True))


def _write_translations(records, sources, segments, now):
    translations, memory, logs = [], [], []
    for (_source, targets), translation_source, source_strings in zip(
        records, sources, segments, strict=True
    ):
        for target in targets:
            translations.append(
                Translation(
                    source=translation_source,
                    target_locale_id=target.locale_id,
                    enabled=True,
                    translations_last_updated_at=now,
                    destination_last_updated_at=now,
                )
            )
            for segment, text in paired_strings(source_strings, target):
                if text == segment.string.data and segment.context.path not in SAME_TEXT_TRANSLATES:
                    continue  # still the source's text: untranslated
                memory.append(
                    StringTranslation(
                        translation_of_id=segment.string_id,
                        locale_id=target.locale_id,
                        context_id=segment.context_id,
                        data=text,
                        translation_type=StringTranslation.TRANSLATION_TYPE_MANUAL,
                    )
                )
            logs.append(
                TranslationLog(
                    source=translation_source,
                    locale_id=target.locale_id,
                    revision=getattr(target, "live_revision", None),
                )
            )
    Translation.objects.bulk_create(translations, batch_size=BATCH)
    StringTranslation.objects.bulk_create(memory, batch_size=BATCH)
    TranslationLog.objects.bulk_create(logs, batch_size=BATCH)
