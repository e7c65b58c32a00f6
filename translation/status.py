"""One translation status for every translated page, whether made in the admin, by PO file or
by ``import_content`` (all three end as wagtail-localize ``Translation`` rows, see ``records``).

Statuses of one language of a record (a translation group sharing a ``translation_key``):

- ``source``: the language the record was written in.
- ``translated``: a live page whose strings are all translated from the current source.
- ``in_progress``: a translation was started but its page is not live yet, or some strings are
  still untranslated (wagtail-localize shows the source text for those). A string whose
  translation equals the source text is untranslated (see ``_progress``).
- ``outdated``: the source text was changed (published) after the translation was last brought
  up to date: either the source has new text that was not yet sent for translation, or it was
  sent (the ``TranslationSource`` updated) but the translation has not been saved again since.
- ``missing``: no page in that language (aliases count as missing: they show the source text).

Everything is computed in a few set-based queries per batch of records (``statuses_for_keys``),
so the site-wide overview costs the same queries as one page; the only per-record work is the
text comparison for records whose source was published after its last sync (to tell a real
change from a republish with the same text).
"""

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import datetime
from functools import cached_property

from django.conf import settings
from django.db.models import Count, Exists, Max, OuterRef, Q
from django.utils.translation import pgettext_lazy
from wagtail.models import Page
from wagtail_localize.models import (
    StringSegment,
    StringTranslation,
    TemplateSegment,
    Translation,
    TranslationLog,
    TranslationSource,
)
from wagtail_localize.segments import StringSegmentValue, TemplateSegmentValue
from wagtail_localize.segments.extract import extract_segments

from practices.locales import all_locales, by_id

SOURCE = "source"
TRANSLATED = "translated"
IN_PROGRESS = "in_progress"
OUTDATED = "outdated"
MISSING = "missing"

STATUS_LABELS = {
    SOURCE: pgettext_lazy("translation status", "Source"),
    TRANSLATED: pgettext_lazy("translation status", "Translated"),
    IN_PROGRESS: pgettext_lazy("translation status", "In progress"),
    OUTDATED: pgettext_lazy("translation status", "Outdated"),
    MISSING: pgettext_lazy("translation status", "Missing"),
}
# Fields whose translation may rightly equal the source's: a translated page usually keeps its
# source's slug, which readers see only in the address. Every other string equal to its source
# is untranslated text shown in the source language.
SAME_TEXT_TRANSLATES = ("slug",)
# The order the overview counts them in.
TRANSLATION_STATUSES = (TRANSLATED, IN_PROGRESS, OUTDATED, MISSING)


@dataclass
class TranslationState:
    """How one page relates to its source: what the public page and its notices need."""

    source: Page | None = None
    outdated: bool = False
    machine_translated: bool = False
    source_updated_at: datetime | None = None
    # Some of the page's text is still the source's (see ``_progress``).
    partial: bool = False

    @property
    def is_translation(self):
        return self.source is not None


@dataclass
class LanguageStatus:
    language_code: str
    status: str
    page: Page | None = None
    progress: int | None = None
    machine_translated: bool = False
    source_updated_at: datetime | None = None
    translation: Translation | None = field(default=None, repr=False)

    @property
    def label(self):
        return STATUS_LABELS[self.status]

    @property
    def complete(self):
        """Every string of the source has a translation (the source itself is complete)."""
        return self.status == SOURCE or self.progress is None or self.progress == 100

    @property
    def readable(self):
        """The record can be read in this language: the language counts as "available".

        A live translation whose text is all translated, even if the source has changed since
        (outdated); not a page still partly in the source language, nor a draft.
        """
        return self.status in (SOURCE, TRANSLATED, OUTDATED) and self.complete

    @property
    def language_name(self):
        return dict(settings.WAGTAIL_CONTENT_LANGUAGES).get(self.language_code, self.language_code)


def content_languages():
    return [code for code, _name in settings.WAGTAIL_CONTENT_LANGUAGES]


def translation_state(page):
    """The state of ``page`` as a translation (``source`` is None when it is the source).

    Only ``page``'s own language is computed: a fixed eight queries for a translation, two for
    a source page.
    """
    key = page.translation_key
    snapshot = _Snapshot([key], languages=[by_id(page.locale_id).language_code])
    source = snapshot.source_page(key)
    if source is None or source.pk == page.pk:
        # A source page (the common case) costs two queries.
        return TranslationState()
    mine = next(iter(snapshot.statuses().get(key, [])), None)
    if mine is None or mine.status == SOURCE:
        return TranslationState()
    return TranslationState(
        source=source,
        outdated=mine.status == OUTDATED,
        machine_translated=mine.machine_translated,
        source_updated_at=mine.source_updated_at,
        partial=not mine.complete,
    )


def language_statuses(page):
    """One ``LanguageStatus`` per content language for the record ``page`` belongs to."""
    return statuses_for_keys([page.translation_key]).get(page.translation_key, [])


def statuses_for_keys(translation_keys, batch_size=500):
    """``{translation_key: [LanguageStatus, ...]}`` in the order of the content languages.

    Records are read in batches (a fixed number of queries each), so that the IN lists stay
    within every database's limits on large sites.
    """
    keys = list(translation_keys)
    result = {}
    for start in range(0, len(keys), batch_size):
        result.update(_Snapshot(keys[start : start + batch_size]).statuses())
    return result


def readable_languages(translation_keys):
    """``{translation_key: {language codes the record can be read in}}`` (see ``readable``)."""
    return {
        key: {status.language_code for status in statuses if status.readable}
        for key, statuses in statuses_for_keys(translation_keys).items()
    }


class _Snapshot:
    """Everything the statuses of a batch of records need, loaded in a fixed number of queries."""

    def __init__(self, keys, languages=None):
        self.keys = keys
        self.languages = languages or content_languages()
        self.locale_codes = {locale.pk: code for code, locale in all_locales().items()}

    @cached_property
    def pages(self):
        """``{translation key: {language code: page}}`` (the oldest page per language)."""
        pages = defaultdict(dict)
        for page in Page.objects.filter(translation_key__in=self.keys, depth__gt=1).order_by("id"):
            code = self.locale_codes[page.locale_id]
            pages[page.translation_key].setdefault(code, page)
        return pages

    @cached_property
    def sources(self):
        return self._sources()

    def source_page(self, key):
        """The page ``key``'s record was written in, or None if it has no page."""
        by_language = self.pages.get(key)
        if not by_language:
            return None
        return self._source_page(by_language, self.sources.get(key))

    def statuses(self):
        if not self.keys:
            return {}
        pages = self.pages
        sources = self.sources
        translations = self._translations(sources)
        applied = self._applied_at(sources)
        progress = self._progress(sources)
        machine = self._machine(sources)

        result = {}
        for key, by_language in pages.items():
            source = sources.get(key)
            source_page = self._source_page(by_language, source)
            source_changed = self._source_changed(source_page, source)
            statuses = []
            for language in self.languages:
                page = by_language.get(language)
                if page is not None and page.alias_of_id:
                    page = None
                statuses.append(
                    self._status(
                        language,
                        page,
                        source_page,
                        source,
                        translation=translations.get((key, language)),
                        source_changed=source_changed,
                        applied_at=applied.get((key, language)),
                        progress=progress.get((key, language)),
                        machine=(key, language) in machine,
                    )
                )
            result[key] = statuses
        return result

    # Loading -----------------------------------------------------------------------------

    def _sources(self):
        """The ``TranslationSource`` of each record (its source language's, if several)."""
        default = settings.LANGUAGE_CODE
        sources = {}
        for source in TranslationSource.objects.filter(object_id__in=self.keys).order_by("id"):
            key = source.object_id
            code = self.locale_codes[source.locale_id]
            current = sources.get(key)
            if current is None or (
                code == default and self.locale_codes[current.locale_id] != default
            ):
                sources[key] = source
        return sources

    def _translations(self, sources):
        by_source = {source.pk: key for key, source in sources.items()}
        return {
            (by_source[t.source_id], self.locale_codes[t.target_locale_id]): t
            for t in Translation.objects.filter(source_id__in=by_source, enabled=True)
        }

    def _applied_at(self, sources):
        """When each translation was last saved from its source (wagtail-localize's log)."""
        by_source = {source.pk: key for key, source in sources.items()}
        rows = (
            TranslationLog.objects.filter(source_id__in=by_source)
            .values("source_id", "locale_id")
            .annotate(last=Max("created_at"))
        )
        return {
            (by_source[row["source_id"]], self.locale_codes[row["locale_id"]]): row["last"]
            for row in rows
        }

    def _progress(self, sources):
        """Percent of each source's strings translated into each language.

        A string counts as translated when its translation has no error and differs from the
        source text: text equal to the source's is untranslated wherever it came from (the
        translation editor, a PO file or an import), so a page whose body is still Swedish is
        "in progress", never "translated 100 %".
        """
        by_source = {source.pk: key for key, source in sources.items()}
        totals = dict(
            StringSegment.objects.filter(source_id__in=by_source)
            .values("source_id")
            .annotate(n=Count("id"))
            .values_list("source_id", "n")
        )
        progress = {}
        for language in self.languages:
            done = dict(
                StringSegment.objects.filter(source_id__in=by_source)
                .filter(
                    Exists(
                        StringTranslation.objects.filter(
                            translation_of_id=OuterRef("string_id"),
                            context_id=OuterRef("context_id"),
                            locale__language_code=language,
                            has_error=False,
                        ).filter(
                            ~Q(data=OuterRef("string__data"))
                            | Q(context__path__in=SAME_TEXT_TRANSLATES)
                        )
                    )
                )
                .values("source_id")
                .annotate(n=Count("id"))
                .values_list("source_id", "n")
            )
            for source_id, key in by_source.items():
                total = totals.get(source_id, 0)
                progress[(key, language)] = (
                    100 if total == 0 else round(100 * done.get(source_id, 0) / total)
                )
        return progress

    def _machine(self, sources):
        """(key, language) pairs with a current string still as the machine translated it."""
        by_source = {source.pk: key for key, source in sources.items()}
        found = set()
        for language in self.languages:
            source_ids = (
                StringSegment.objects.filter(source_id__in=by_source)
                .filter(
                    Exists(
                        StringTranslation.objects.filter(
                            translation_of_id=OuterRef("string_id"),
                            context_id=OuterRef("context_id"),
                            locale__language_code=language,
                            translation_type=StringTranslation.TRANSLATION_TYPE_MACHINE,
                        )
                    )
                )
                .values_list("source_id", flat=True)
                .distinct()
            )
            found.update((by_source[source_id], language) for source_id in source_ids)
        return found

    def _source_page(self, by_language, source):
        if source is not None:
            page = by_language.get(self.locale_codes[source.locale_id])
            if page is not None:
                return page
        if settings.LANGUAGE_CODE in by_language:
            return by_language[settings.LANGUAGE_CODE]
        # The oldest page of the group, as import_content decides.
        return min(by_language.values(), key=lambda page: page.pk)

    def _source_changed(self, source_page, source):
        """True when the source's live text differs from what was last sent for translation."""
        if source is None:
            return False
        published = source_page.last_published_at
        if published is None or published <= source.last_updated_at:
            return False
        return segment_signature(source_page.specific) != stored_signature(source)

    # Deciding ----------------------------------------------------------------------------

    def _status(self, language, page, source_page, source, **facts):
        source_updated_at = source_page.last_published_at or source_page.latest_revision_created_at
        if page is not None and page.pk == source_page.pk:
            return LanguageStatus(language, SOURCE, page, source_updated_at=source_updated_at)
        if page is None:
            return LanguageStatus(language, MISSING, source_updated_at=source_updated_at)

        translation = facts["translation"]
        if translation is None:
            # A translated page that wagtail-localize does not manage (made by hand with
            # Wagtail's copy for translation): only its publication dates tell.
            outdated = bool(
                page.live
                and source_page.last_published_at
                and page.last_published_at
                and source_page.last_published_at > page.last_published_at
            )
            status = OUTDATED if outdated else (TRANSLATED if page.live else IN_PROGRESS)
            return LanguageStatus(language, status, page, source_updated_at=source_updated_at)

        applied_at = max(
            [moment for moment in (facts["applied_at"], page.last_published_at) if moment],
            default=None,
        )
        not_reapplied = applied_at is None or applied_at < source.last_updated_at
        progress = facts["progress"]
        if not page.live:
            status = IN_PROGRESS
        elif facts["source_changed"] or not_reapplied:
            status = OUTDATED
        elif page.has_unpublished_changes or (progress is not None and progress < 100):
            # A newer translation waits as a draft for review, or strings are missing.
            status = IN_PROGRESS
        else:
            status = TRANSLATED
        return LanguageStatus(
            language,
            status,
            page,
            progress=progress,
            machine_translated=facts["machine"],
            source_updated_at=source_updated_at,
            translation=translation,
        )


def segment_signature(instance):
    """The translatable text of ``instance`` as wagtail-localize would extract it."""
    signature = set()
    for segment in extract_segments(instance):
        if isinstance(segment, StringSegmentValue):
            signature.add(("string", segment.path, segment.string.data))
        elif isinstance(segment, TemplateSegmentValue):
            signature.add(("template", segment.path, segment.template))
    return signature


def stored_signature(source):
    """The same, for the text last stored in ``source`` (its segments)."""
    strings = StringSegment.objects.filter(source=source).values_list(
        "context__path", "string__data"
    )
    templates = TemplateSegment.objects.filter(source=source).values_list(
        "context__path", "template__template"
    )
    return {("string", path, data) for path, data in strings} | {
        ("template", path, template) for path, template in templates
    }


def overview(keys=None):
    """Counts per language and the outdated translations, for the coordinators' overview.

    ``keys`` limits it to some records; by default every page below the root is counted.
    """
    if keys is None:
        keys = (
            Page.objects.filter(depth__gt=1, alias_of__isnull=True)
            .values_list("translation_key", flat=True)
            .distinct()
        )
    statuses = statuses_for_keys(list(keys))
    counts = {
        language: dict.fromkeys((SOURCE, *TRANSLATION_STATUSES), 0)
        for language in content_languages()
    }
    outdated = []
    for language_statuses_ in statuses.values():
        source = next((s for s in language_statuses_ if s.status == SOURCE), None)
        for status in language_statuses_:
            counts[status.language_code][status.status] += 1
            if status.status == OUTDATED:
                outdated.append((status, source))
    # Most recently changed sources first.
    outdated.sort(
        key=lambda pair: pair[0].source_updated_at.timestamp() if pair[0].source_updated_at else 0,
        reverse=True,
    )
    return counts, outdated
