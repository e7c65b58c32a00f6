"""Record translations written outside wagtail-localize as wagtail-localize translations.

``import_content`` writes translated pages itself (the interchange format carries the
translated text). So that they show the same status as translations made in the admin or by
PO file, and can be continued there, ``record_translations`` then makes sure that

- the source page has an up-to-date ``TranslationSource`` (its segments = current text),
- each translated page has a ``Translation(source, target_locale)``,
- each source string that was translated has a ``StringTranslation``: the translated page's
  segments are extracted in the same order and paired with the source's, field by field (a
  field's segments pair by position when both have the same number of them, which they do when
  the structure is the same). A string whose text equals the source's was not translated (an
  import that carries only a title and summary copies the Swedish body): it gets no
  ``StringTranslation``, so the translation editor, the status and the public page all show it
  as untranslated. A field whose structure differs (say, three paragraphs against two) is left
  untranslated in the translation memory and logged; the page itself keeps the imported text.
- a ``TranslationLog`` says the translation was brought up to date now.
"""

import logging
from collections import defaultdict

from django.db import transaction
from django.utils import timezone
from wagtail_localize.models import (
    StringSegment,
    StringTranslation,
    Translation,
    TranslationLog,
    TranslationSource,
)
from wagtail_localize.segments import StringSegmentValue
from wagtail_localize.segments.extract import extract_segments

from .status import SAME_TEXT_TRANSLATES

logger = logging.getLogger(__name__)


@transaction.atomic
def record_translations(source, translations, user=None):
    """Make ``translations`` (pages or snippets) wagtail-localize translations of ``source``.

    Returns ``{language_code: number of source strings left untranslated}``.
    """
    if not translations:
        return {}
    translation_source, _created = TranslationSource.update_or_create_from_instance(source)
    source_strings = _source_strings(translation_source)
    untranslated = {}
    for target in translations:
        translation, _created = Translation.objects.get_or_create(
            source=translation_source,
            target_locale=target.locale,
            defaults={"enabled": True},
        )
        if not translation.enabled:
            translation.enabled = True
            translation.save(update_fields=["enabled"])
        pairs = paired_strings(source_strings, target)
        translated = sum(_store(segment, target.locale, text, user) for segment, text in pairs)
        now = timezone.now()
        Translation.objects.filter(pk=translation.pk).update(
            translations_last_updated_at=now, destination_last_updated_at=now
        )
        revision = getattr(target, "live_revision", None)
        TranslationLog.objects.create(
            source=translation_source, locale=target.locale, revision=revision
        )
        total = sum(len(segments) for segments in source_strings.values())
        untranslated[target.locale.language_code] = total - translated
    return untranslated


def paired_strings(source_strings, target):
    """[(source segment, the translation's text)] of ``target`` (a page or snippet), field by
    field in order (``source_strings``: the source's string segments grouped by field). A field
    whose segments differ in number from the source's is left out, and logged."""
    pairs, skipped = _pair(source_strings, _extracted_strings(target))
    if skipped:
        logger.info(
            "%s (%s): fields %s differ in structure from the source; "
            "left untranslated in the translation memory",
            target,
            target.locale.language_code,
            ", ".join(sorted(skipped)),
        )
    return pairs


def _field(path):
    # Stream block ids differ between a page and its imported translation (each is built from
    # its own text), so segments are grouped by field and paired by position within it.
    return path.split(".", 1)[0]


def _source_strings(translation_source):
    """The source's string segments grouped by field, in order."""
    grouped = defaultdict(list)
    for segment in (
        StringSegment.objects.filter(source=translation_source)
        .select_related("string", "context")
        .order_by("order")
    ):
        grouped[_field(segment.context.path)].append(segment)
    return grouped


def _extracted_strings(instance):
    grouped = defaultdict(list)
    instance = getattr(instance, "specific", instance)
    for segment in extract_segments(instance):
        if isinstance(segment, StringSegmentValue):
            grouped[_field(segment.path)].append(segment.string.data)
    return grouped


def _pair(source_strings, translated_strings):
    pairs, skipped = [], set()
    for path, segments in source_strings.items():
        texts = translated_strings.get(path, [])
        if len(texts) != len(segments):
            skipped.add(path)
            continue
        pairs.extend(zip(segments, texts, strict=True))
    return pairs, skipped


def _store(segment, locale, text, user):
    """Store ``text`` as the translation of ``segment``; False if it is still the source's."""
    existing = StringTranslation.objects.filter(
        translation_of_id=segment.string_id, locale=locale, context_id=segment.context_id
    ).first()
    if text == segment.string.data and segment.context.path not in SAME_TEXT_TRANSLATES:
        # Still the source text: untranslated, whatever an earlier import said.
        if existing is not None:
            existing.delete()
        return False
    if existing is None:
        StringTranslation.objects.create(
            translation_of_id=segment.string_id,
            locale=locale,
            context_id=segment.context_id,
            data=text,
            translation_type=StringTranslation.TRANSLATION_TYPE_MANUAL,
            last_translated_by=user,
        )
    elif existing.data != text or existing.has_error:
        existing.data = text
        existing.translation_type = StringTranslation.TRANSLATION_TYPE_MANUAL
        existing.tool_name = ""
        existing.last_translated_by = user
        existing.has_error = False
        existing.field_error = ""
        existing.save()
    return True
