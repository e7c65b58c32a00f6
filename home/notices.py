"""What a reader is told about the language of the page in front of them.

- **Not translated yet**: the reader asked for a language (the switcher's ``?from=<lang>``, or
  an alias page in that language's tree) in which this page has no translation. The notice is
  written in the reader's language and lists the languages the page can be read in.
- **Also available**: a ``?from=<lang>`` link reached a page that does have that translation
  (for instance, an old shared link): the notice offers it.
- **May be out of date**: this is a translation and its source changed after it was last
  translated; the notice links to the original and gives the date it changed.
- **Partly in the original language**: this is a translation, but some of its text is still
  the source's (a translation that has only its title and summary, say); those parts are
  marked with the source's ``lang`` and ``dir`` on the page, and the notice links to the
  original.
- **Machine translated**: translated by machine and not yet checked by a person.

Whether a translation is outdated or machine-made is the translation workflow's call
(``translation.status.translation_state``); this module only words it for readers.
"""

from dataclasses import dataclass, field

from django.conf import settings

from caching import fragments
from practices.locales import by_id
from translation.status import translation_state

from .alternates import (
    LanguageLink,
    content_language,
    is_page,
    language_links,
    requested_language,
)
from .languages import Language, get_language


@dataclass(frozen=True)
class Untranslated:
    # The language the reader wanted, and its name as a reader of that language writes it
    # (a lazy string: it renders in whatever language is active).
    wanted: Language
    wanted_name: object
    # Links to the versions that exist, each written in its language.
    available: list[LanguageLink]


@dataclass(frozen=True)
class AlsoAvailable:
    wanted: Language
    link: LanguageLink


@dataclass(frozen=True)
class Original:
    """The source a translation was made from, for the notices that link to it."""

    source_url: str
    source_language: Language
    source_language_name: object


@dataclass(frozen=True)
class Outdated(Original):
    updated_at: object = None


@dataclass(frozen=True)
class Notices:
    untranslated: Untranslated | None = None
    also_available: AlsoAvailable | None = None
    outdated: Outdated | None = None
    machine_translated: bool = False
    links: list[LanguageLink] = field(default_factory=list)
    # Set when parts of this translation are still in the source language.
    partial: Original | None = None

    def __bool__(self):
        return bool(
            self.untranslated
            or self.also_available
            or self.outdated
            or self.machine_translated
            or self.partial
        )


def language_name(code):
    """The language's name from settings.LANGUAGES, translated lazily into the active language."""
    return dict(settings.LANGUAGES).get(code, code)


def notices_for(request, page):
    """The notices for ``page`` as read by this request's reader (empty for non-pages)."""
    if not is_page(page):
        return Notices()
    links = language_links(request, page)
    untranslated, also_available = _language_notices(request, page, links)
    outdated, machine_translated, partial = _translation_notices(request, page)
    return Notices(untranslated, also_available, outdated, machine_translated, links, partial)


def _language_notices(request, page, links):
    written_in = content_language(page)
    wanted_code = requested_language(request)
    if wanted_code is None and written_in != by_id(page.locale_id).language_code:
        # An alias: this language's tree shows the source text until it is translated.
        wanted_code = by_id(page.locale_id).language_code
    if wanted_code is None or wanted_code == written_in:
        return None, None
    wanted = get_language(wanted_code)
    by_code = {link.language.code: link for link in links}
    wanted_link = by_code.get(wanted_code)
    if wanted_link is not None and wanted_link.translated:
        return None, AlsoAvailable(wanted, wanted_link)
    available = [link for link in links if link.translated]
    return Untranslated(wanted, language_name(wanted_code), available), None


def _translation_notices(request, page):
    """(outdated, machine translated, partial) for a translation; nothing for a source."""
    if content_language(page) != by_id(page.locale_id).language_code:
        # An alias shows its source's text: nothing here was translated.
        return None, False, None
    state = _translation_facts(request, page)
    if state is None:
        return None, False, None
    code = state["source_language"]
    original = Original(
        source_url=state["source_url"],
        source_language=get_language(code),
        source_language_name=language_name(code),
    )
    outdated = None
    if state["outdated"]:
        outdated = Outdated(**vars(original), updated_at=state["updated_at"])
    return outdated, state["machine_translated"], original if state["partial"] else None


def _translation_facts(request, page):
    """What the notices say about ``page`` as a translation (None for a source), kept in the
    fragment cache until its record changes: every publication in any language, and a
    machine translation marked as reviewed, bumps ``record:<key>``."""
    key = page.translation_key

    def compute():
        state = translation_state(page)
        if state.source is None:
            return None
        source = state.source
        return {
            "source_url": source.get_url(request),
            "source_language": by_id(source.locale_id).language_code,
            "outdated": state.outdated,
            "updated_at": state.source_updated_at or source.last_published_at,
            "machine_translated": state.machine_translated,
            "partial": state.partial,
        }

    return fragments.cached(f"translation-facts:{key}:{page.locale_id}", [f"record:{key}"], compute)
