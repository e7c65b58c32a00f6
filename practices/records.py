"""One record, many translations: pick the page a reader should see for each record.

A record (a practice, method or report) is the set of pages sharing a ``translation_key``.
Readers see the translation in their language when it is live, else the source page.
"""

from collections import OrderedDict


def pick_translation(pages, locale):
    """From the live pages of one record, the one in ``locale``, else the oldest (the source)."""
    pages = sorted(pages, key=lambda page: page.pk)
    for page in pages:
        if page.locale_id == locale.pk:
            return page
    return pages[0] if pages else None


def records_for_reader(queryset, translation_keys, locale):
    """One live, public page per translation key, in the reader's locale where one exists.

    Keeps the order of ``translation_keys``.
    """
    grouped = OrderedDict((key, []) for key in translation_keys)
    for page in queryset.live().public().filter(translation_key__in=list(grouped)):
        grouped[page.translation_key].append(page)
    chosen = (pick_translation(pages, locale) for pages in grouped.values())
    return [page for page in chosen if page is not None]
