"""Where each language's version of the current page is: the switcher's links and hreflang.

For a Wagtail page the other versions are its live, public translations (same
``translation_key``). A language without one keeps the reader on the page they are reading,
with ``?from=<lang>`` so that the page can say, in that language, that it is not translated
yet (see ``home.notices``). Views that are not pages (search, reuse, compare) exist in every
language: their other versions swap the language prefix of the path (Django's
``translate_url``).
"""

from dataclasses import dataclass
from urllib.parse import urlencode

from django.conf import settings
from django.urls import translate_url
from django.utils.translation import get_language
from wagtail.models import Page, Site

from practices.locales import by_id
from practices.visibility import visible

from .languages import Language, all_languages, supported_code

# The query parameter a switcher link sets when the reader's language has no translation.
FROM_PARAM = "from"
# Parameters that do not carry over to another language's version of a page: which page of a
# listing (counts differ between languages) and the "from" marker itself.
NOT_CARRIED_OVER = {FROM_PARAM, "page"}


@dataclass(frozen=True)
class LanguageLink:
    language: Language
    url: str
    # The language the linked document is written in (the link's hreflang).
    document_language: str
    # True when the link leads to a version written in ``language``.
    translated: bool
    current: bool


def is_page(page):
    return isinstance(page, Page) and page.pk is not None


def content_language(page):
    """The language a page is written in: an alias shows its original's text."""
    if page.alias_of_id and page.alias_of.locale_id != page.locale_id:
        return by_id(page.alias_of.locale_id).language_code
    return by_id(page.locale_id).language_code


def page_versions(page):
    """``(translations, aliases)``: live, public versions of ``page`` by language code.

    ``translations`` are written in their language; ``aliases`` are copies that wagtail-localize
    may keep in another language's tree while a page is untranslated (shown in the source
    language under that language's interface). The page itself is always included, so that a
    preview or a private page still finds itself.
    """
    cached = getattr(page, "_live_versions", None)
    if cached is not None:
        return cached
    translations, aliases = {}, {}
    versions = visible(Page.objects.filter(translation_key=page.translation_key)).select_related(
        "locale", "alias_of__locale"
    )
    for version in [*versions, page]:
        code = by_id(version.locale_id).language_code
        if content_language(version) == code:
            translations[code] = version
        else:
            aliases.setdefault(code, version)
    # The switcher, the hreflang links and the notices all ask during one render.
    page._live_versions = (translations, aliases)
    return translations, aliases


def carried_query(request, **extra):
    """The request's query string for another language's version, plus ``extra``."""
    params = [
        (key, value)
        for key, values in request.GET.lists()
        if key not in NOT_CARRIED_OVER
        for value in values
    ]
    params += [(key, value) for key, value in extra.items() if value]
    return f"?{urlencode(params)}" if params else ""


def language_links(request, page=None):
    """One link per language in LANGUAGES, in settings order, for the language switcher."""
    active = get_language()
    if is_page(page):
        return _page_links(request, page, active)
    path = request.get_full_path()
    return [
        LanguageLink(
            language=language,
            url=translate_url(path, language.code),
            document_language=language.code,
            translated=True,
            current=language.code == active,
        )
        for language in all_languages()
    ]


def _page_links(request, page, active):
    translations, aliases = page_versions(page)
    # A page being previewed in the admin may not have a URL of its own yet.
    here = page.get_url(request) or request.path
    links = []
    for language in all_languages():
        code = language.code
        version = translations.get(code) or aliases.get(code)
        url = version.get_url(request) if version is not None else None
        if url:
            written_in = content_language(version)
            links.append(
                LanguageLink(
                    language,
                    url + carried_query(request),
                    written_in,
                    translated=written_in == code,
                    current=code == active,
                )
            )
        else:
            # No version in this language: stay on this page and let it say so.
            url = here + carried_query(request, **{FROM_PARAM: code})
            links.append(LanguageLink(language, url, content_language(page), False, False))
    return links


@dataclass(frozen=True)
class Alternate:
    hreflang: str
    url: str


def hreflang_alternates(request, page=None):
    """``<link rel="alternate" hreflang>`` targets: each version written in its language.

    ``x-default`` is the Swedish (source-language) version where there is one. Aliases and
    the "not translated yet" links are left out: their text is not in the language they
    would claim.
    """
    if is_page(page):
        translations, _aliases = page_versions(page)
        urls = {
            code: translations[code].get_full_url(request)
            for code in _ordered_codes()
            if code in translations
        }
    else:
        # The same host as the pages' own full URLs: the Wagtail site's, not the request's.
        site = Site.find_for_request(request)
        root = site.root_url if site else request.build_absolute_uri("/").rstrip("/")
        urls = {code: root + translate_url(request.path, code) for code in _ordered_codes()}
    urls = {code: url for code, url in urls.items() if url}
    if not urls:
        return []
    alternates = [Alternate(code, url) for code, url in urls.items()]
    default = urls.get(settings.LANGUAGE_CODE)
    if default:
        alternates.append(Alternate("x-default", default))
    return alternates


def _ordered_codes():
    return [language.code for language in all_languages()]


def requested_language(request):
    """The language a reader asked for with ``?from=``, if it is one we serve."""
    return supported_code(request.GET.get(FROM_PARAM)) if request is not None else None


__all__ = [
    "FROM_PARAM",
    "Alternate",
    "LanguageLink",
    "content_language",
    "hreflang_alternates",
    "language_links",
    "page_versions",
    "requested_language",
]
