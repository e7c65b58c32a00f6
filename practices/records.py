"""One record, many translations: the page a reader should see, for one record or many.

A record (a practice, method or report) is the set of pages sharing a ``translation_key``.
Readers see the translation in their language when it is live and public, else the source
page. ``records_for_reader`` does it for a list of records in one query; ``page_for_reader``
for one page (templates: the ``localized_page`` filter). The search snapshot keeps the same
rule for its records (``search.catalogue.Record.page_for``).
"""

from collections import OrderedDict

from practices.locales import active_locale
from practices.visibility import visible


def pick_translation(pages, locale):
    """From the live pages of one record, the one in ``locale``, else the oldest (the source)."""
    pages = sorted(pages, key=lambda page: page.pk)
    for page in pages:
        if page.locale_id == locale.pk:
            return page
    return pages[0] if pages else None


def page_for_reader(page, locale=None):
    """``page``'s live, public translation in ``locale`` (default: the active one), else
    ``page`` itself."""
    locale = locale or active_locale()
    if page.locale_id == locale.pk:
        return page
    translation = visible(page.get_translations()).filter(locale=locale).first()
    return translation.specific if translation is not None else page


def records_for_reader(queryset, translation_keys, locale):
    """One live, public page per translation key, in the reader's locale where one exists.

    Keeps the order of ``translation_keys``.
    """
    grouped = OrderedDict((key, []) for key in translation_keys)
    pages = visible(queryset).filter(translation_key__in=list(grouped)).select_related("locale")
    for page in pages:
        grouped[page.translation_key].append(page)
    chosen = (pick_translation(pages, locale) for pages in grouped.values())
    return [page for page in chosen if page is not None]
