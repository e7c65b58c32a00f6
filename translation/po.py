"""Offline translation with PO files, in wagtail-localize's own format.

``export_language`` writes one PO file per page that is untranslated, in progress or outdated in
a language (``Translation.export_po``: every source string as a ``msgid`` with its field path as
``msgctxt``, strings already translated filled in, and the ``X-WagtailLocalize-TranslationID``
header naming the translation). ``import_file`` applies a translated file back: it checks the
file against the current source first and refuses a stale one as a whole, so a translator never
half-applies strings written for text that has since changed.

Imported translations are saved as drafts by default, so a reviewer can read them before they
go live (the page's status shows "In progress" until then); ``publish=True`` publishes them.
"""

import re
import uuid
from dataclasses import dataclass
from pathlib import Path

import polib
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import FieldDoesNotExist, ObjectDoesNotExist, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _
from wagtail.models import DraftStateMixin, Locale
from wagtail_localize.models import (
    StringSegment,
    Translation,
    TranslationSource,
)

from practices.models import ActivityType, TargetGroup

from .status import (
    IN_PROGRESS,
    MISSING,
    OUTDATED,
    SOURCE,
    segment_signature,
    statuses_for_keys,
    stored_signature,
)

TRANSLATION_ID_HEADER = "X-WagtailLocalize-TranslationID"


class POFileError(Exception):
    """A PO file that cannot be applied; the message says why, for the translator."""


@dataclass
class ExportedFile:
    path: Path
    status: str
    title: str
    strings: int
    translated: int


@dataclass
class ImportedFile:
    path: Path
    instance: object  # the translated page or snippet
    strings: int
    published: bool


# Export -----------------------------------------------------------------------------------


def export_language(language_code, directory, pages=None, snippets=True):
    """Write a PO file for each page that needs translating into ``language_code``.

    ``pages`` limits the export (a queryset or list of pages); by default every page below the
    root is considered. With ``snippets``, taxonomy terms whose translation into the language
    was started (``Translation`` exists) and is incomplete or outdated are written too.
    Returns the files written, as ``ExportedFile``s.
    """
    from wagtail.models import Page

    target = _content_locale(language_code)
    directory = Path(directory)
    directory.mkdir(parents=True, exist_ok=True)
    if pages is None:
        pages = Page.objects.filter(depth__gt=1, alias_of__isnull=True)
    keys = {page.translation_key for page in pages}
    todo = []
    for statuses in statuses_for_keys(keys).values():
        by_language = {status.language_code: status for status in statuses}
        mine = by_language.get(language_code)
        source = next((status for status in statuses if status.status == SOURCE), None)
        if mine is None or source is None or not _needs_translator(mine):
            continue
        if not source.page.live:
            continue  # nothing published to translate yet
        todo.append((source.page.specific, mine.status))
    if snippets:
        todo.extend(_snippets_to_translate(target))
    written = [_write(instance, state, target, directory) for instance, state in todo]
    return sorted(written, key=lambda exported: exported.path.name)


def _needs_translator(language_status):
    """Missing, outdated, or started with strings still untranslated.

    A complete translation waiting as a draft for review is the reviewer's, not the
    translator's; so is a draft made by hand outside wagtail-localize (no progress known).
    """
    if language_status.status in (MISSING, OUTDATED):
        return True
    progress = language_status.progress
    return language_status.status == IN_PROGRESS and progress is not None and progress < 100


def _write(instance, state, target, directory):
    translation = prepare_translation(instance, target)
    po = translation.export_po()
    po.metadata["Language"] = target.language_code
    po.header = _describe(instance)
    path = directory / file_name(instance, target.language_code)
    po.save(str(path))
    entries = [entry for entry in po if not entry.obsolete]
    return ExportedFile(
        path=path,
        status=state,
        title=str(instance),
        strings=len(entries),
        translated=sum(1 for entry in entries if entry.msgstr),
    )


def _snippets_to_translate(target):
    """Taxonomy terms with a started translation into ``target`` that is not done."""
    content_types = ContentType.objects.get_for_models(ActivityType, TargetGroup).values()
    translations = Translation.objects.filter(
        source__specific_content_type__in=content_types, target_locale=target, enabled=True
    ).select_related("source")
    for translation in translations:
        try:
            instance = translation.source.get_source_instance()
        except ObjectDoesNotExist:
            continue
        try:
            translation.get_target_instance()
        except ObjectDoesNotExist:
            yield instance, MISSING
            continue
        if segment_signature(instance) != stored_signature(translation.source):
            yield instance, OUTDATED
            continue
        total, done = translation.get_progress()
        if done < total:
            yield instance, IN_PROGRESS


@transaction.atomic
def prepare_translation(source_instance, target_locale):
    """The ``Translation`` of ``source_instance`` into ``target_locale``, its source up to date."""
    source, created = TranslationSource.get_or_create_from_instance(source_instance)
    if not created and segment_signature(source_instance) != stored_signature(source):
        source.update_from_db()
    translation, _created = Translation.objects.get_or_create(
        source=source, target_locale=target_locale, defaults={"enabled": True}
    )
    if not translation.enabled:
        translation.enabled = True
        translation.save(update_fields=["enabled"])
    return translation


def file_name(instance, language_code):
    """``<type>-<external id or slug>-<language>.po``, e.g. ``practice-sunne-cafe-ar.po``."""
    specific = getattr(instance, "specific", instance)
    kind = getattr(specific, "interchange_type", "") or specific._meta.model_name
    identifier = getattr(specific, "external_id", "") or specific.slug or str(instance.pk)
    identifier = re.sub(r"[^A-Za-z0-9_.-]+", "-", identifier).strip("-.") or str(instance.pk)
    return f"{kind}-{identifier}-{language_code}.po"


def _describe(instance):
    where = getattr(instance, "url_path", "") or getattr(instance, "slug", "")
    return "%s (%s, %s)" % (instance, instance._meta.verbose_name, where)


def _content_locale(language_code):
    try:
        locale = Locale.objects.get(language_code=language_code)
    except Locale.DoesNotExist:
        codes = ", ".join(Locale.objects.values_list("language_code", flat=True))
        raise POFileError(
            _('There is no language "%(code)s" on this site (languages: %(codes)s).')
            % {"code": language_code, "codes": codes}
        ) from None
    return locale


# Import -----------------------------------------------------------------------------------


def import_directory(directory, publish=False):
    """Apply every ``*.po`` in ``directory``; returns ``(imported, failures)``.

    ``failures`` is a list of ``(path, message)``; nothing of a failed file is applied.
    """
    imported, failures = [], []
    for path in sorted(Path(directory).glob("*.po")):
        try:
            imported.append(import_file(path, publish=publish))
        except POFileError as error:
            failures.append((path, str(error)))
    return imported, failures


def import_file(path, publish=False):
    """Apply one translated PO file, or raise ``POFileError`` having applied nothing."""
    path = Path(path)
    po = _read(path)
    translation = _translation_for(po)
    _check_current(po, translation)
    entries = [entry for entry in po if not entry.obsolete and entry.msgstr]
    if not entries:
        raise POFileError(_("The file has no translated strings (every msgstr is empty)."))
    # Snippets without drafts (the taxonomy terms) can only be saved live.
    source_model = translation.source.specific_content_type.model_class()
    _check_lengths(po, source_model)
    publish = publish or not issubclass(source_model, DraftStateMixin)
    try:
        with transaction.atomic():
            warnings = translation.import_po(po)
            if warnings:
                raise POFileError(
                    _("Some strings do not match the current source: %(details)s")
                    % {"details": "; ".join(str(warning) for warning in warnings)}
                )
            translation.save_target(publish=publish)
    except ValidationError as error:
        raise POFileError(
            _("The translated page cannot be saved: %(reason)s")
            % {"reason": " ".join(error.messages)}
        ) from None
    return ImportedFile(
        path=path,
        instance=translation.get_target_instance(),
        strings=len(entries),
        published=publish,
    )


def _check_lengths(po, model):
    """Refuse translations longer than their field allows (a title of 300 characters)."""
    for entry in po:
        if entry.obsolete or not entry.msgstr or not entry.msgctxt or "." in entry.msgctxt:
            continue
        try:
            field = model._meta.get_field(entry.msgctxt)
        except FieldDoesNotExist:
            continue
        limit = getattr(field, "max_length", None)
        if limit and len(entry.msgstr) > limit:
            raise POFileError(
                _(
                    "The translation of %(field)s is too long: %(length)d characters, "
                    "at most %(limit)d."
                )
                % {"field": entry.msgctxt, "length": len(entry.msgstr), "limit": limit}
            )


def _read(path):
    try:
        return polib.pofile(str(path), encoding="utf-8")
    except (OSError, UnicodeDecodeError, ValueError) as error:
        raise POFileError(
            _("The file cannot be read as a PO file (%(reason)s).") % {"reason": error}
        ) from None


def _translation_for(po):
    identifier = po.metadata.get(TRANSLATION_ID_HEADER, "").strip()
    if not identifier:
        raise POFileError(
            _(
                "The file has no %(header)s header: it was not written by export_translations "
                "(or wagtail-localize's PO download)."
            )
            % {"header": TRANSLATION_ID_HEADER}
        )
    try:
        translation = Translation.objects.select_related("source", "target_locale").get(
            uuid=uuid.UUID(identifier)
        )
    except (ValueError, Translation.DoesNotExist):
        raise POFileError(
            _(
                "No translation %(id)s exists on this site: it was exported from another "
                "site, or the translation was deleted since. Export the file again."
            )
            % {"id": identifier}
        ) from None
    if not translation.enabled:
        raise POFileError(
            _("The translation %(id)s was switched off in the admin; it is not applied.")
            % {"id": identifier}
        )
    return translation


def _check_current(po, translation):
    """Refuse a file whose strings are not exactly the current source's (a stale export)."""
    source = translation.source
    try:
        instance = source.get_source_instance()
    except ObjectDoesNotExist:
        raise POFileError(_("The source of this translation has been deleted.")) from None
    if segment_signature(instance) != stored_signature(source):
        raise POFileError(
            _(
                'The source page "%(title)s" has changed since this file was exported. '
                "Export the file again and translate the new version."
            )
            % {"title": instance}
        )
    current = set(
        StringSegment.objects.filter(source=source).values_list("context__path", "string__data")
    )
    in_file = {(entry.msgctxt or "", entry.msgid) for entry in po if not entry.obsolete}
    if in_file != current:
        unknown = len(in_file - current)
        missing = len(current - in_file)
        raise POFileError(
            _(
                'The file does not match the current text of "%(title)s": the source changed '
                "since the export. Strings in the file that are no longer in the source: "
                "%(unknown)d; strings of the source that are not in the file: %(missing)d. "
                "Export the file again."
            )
            % {"title": instance, "unknown": unknown, "missing": missing}
        )
