"""The pages every public site must have: about, accessibility statement, personal data.

They are ordinary Wagtail pages (``InformationPage``) that editors change in the admin.
``ensure_information_pages`` creates whichever is missing, in every language, with the default
text in ``home/data/information_pages.json``; ``information_links`` gives the footer its links.
"""

import datetime
import json
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.db import transaction
from django.utils import translation
from wagtail.models import Locale

from caching import fragments
from practices.visibility import visible

from .languages import Language, get_language
from .models import HomePage, InformationPage, InformationPurpose

DEFAULT_TEXTS = Path(__file__).resolve().parent / "data" / "information_pages.json"
# The date the default accessibility statement was last reviewed against the site.
DEFAULT_REVIEW_DATE = datetime.date(2026, 12, 4)
# Slugs: Swedish in the Swedish tree, English in the others (Latin, easy to type and share).
SLUGS = {
    InformationPurpose.ABOUT: {"sv": "om-plattformen", "other": "about"},
    InformationPurpose.ACCESSIBILITY: {"sv": "tillganglighet", "other": "accessibility"},
    InformationPurpose.PERSONAL_DATA: {"sv": "personuppgifter", "other": "personal-data"},
}
_TEXT_KEYS = {
    InformationPurpose.ABOUT: "about",
    InformationPurpose.ACCESSIBILITY: "accessibility",
    InformationPurpose.PERSONAL_DATA: "personal-data",
}
ORDER = list(InformationPurpose)


def default_texts():
    return json.loads(DEFAULT_TEXTS.read_text(encoding="utf-8"))


def _slug(purpose, language):
    slugs = SLUGS[purpose]
    return slugs.get(language, slugs["other"])


@transaction.atomic
def ensure_information_pages():
    """Create the missing information pages under each language's home page.

    Idempotent: a page that exists (found by its purpose) is never changed, so editors' text
    stays. Returns the pages created.
    """
    texts = default_texts()
    source_locale = Locale.objects.get(language_code=settings.LANGUAGE_CODE)
    home = HomePage.objects.filter(locale=source_locale, depth=2).first()
    if home is None:
        return []
    contact = settings.PLATFORM_CONTACT_EMAIL
    created = []
    for purpose in ORDER:
        text = texts[_TEXT_KEYS[purpose]]
        source = InformationPage.objects.filter(locale=source_locale, purpose=purpose).first()
        if source is None:
            source = InformationPage(
                locale=source_locale,
                slug=_slug(purpose, source_locale.language_code),
                purpose=purpose,
                contact_email=contact,
                last_reviewed=DEFAULT_REVIEW_DATE
                if purpose == InformationPurpose.ACCESSIBILITY
                else None,
                **_fields(text[source_locale.language_code]),
            )
            home.add_child(instance=source)
            source.save_revision().publish()
            created.append(source)
        for locale in Locale.objects.exclude(pk=source_locale.pk):
            if source.get_translation_or_none(locale) is not None:
                continue
            home_translation = home.get_translation_or_none(locale)
            if home_translation is None:
                continue
            page = source.copy_for_translation(locale, copy_parents=False).specific
            for name, value in _fields(text[locale.language_code]).items():
                setattr(page, name, value)
            page.draft_title = page.title
            page.slug = _slug(purpose, locale.language_code)
            page.save_revision().publish()
            created.append(page)
    return created


def _fields(text):
    return {"title": text["title"], "summary": text["summary"], "body": text["body"]}


@dataclass(frozen=True)
class InformationLink:
    purpose: str
    title: str
    url: str
    # The page's own language (for ``lang``/``hreflang``): Swedish where no translation is live.
    language: Language


def information_links():
    """The information pages in the reader's language, else Swedish, as ``InformationLink``s.

    Every page's footer shows them: they are kept in the fragment cache until a home, index
    or information page changes (tag ``site``). One query when they are not.
    """
    wanted = translation.get_language() or settings.LANGUAGE_CODE
    return fragments.cached(f"information-links:{wanted}", ["site"], lambda: _links(wanted))


def _links(wanted):
    pages = {}
    for page in (
        visible(InformationPage.objects)
        .filter(locale__language_code__in={wanted, settings.LANGUAGE_CODE})
        .exclude(purpose="")
        .select_related("locale")
    ):
        code = page.locale.language_code
        if code == wanted or page.purpose not in pages:
            pages[page.purpose] = page
    return [
        InformationLink(str(purpose), page.title, page.url, get_language(page.locale.language_code))
        for purpose in ORDER
        if (page := pages.get(purpose)) is not None
    ]


def personal_data_url():
    """The address of the personal data page in the active language (else Swedish), or ""."""
    for link in information_links():
        if link.purpose == InformationPurpose.PERSONAL_DATA:
            return link.url
    return ""
