"""Which parts of a translated page are still in its source language, compared by content.

The rule is the one the translation status uses (``status._progress``): text equal to the
source's is untranslated, wherever it came from. A whole field is untranslated when its value
equals the source's; a body block when its content (type and value, without the block ids,
which differ between a page and its imported translation) equals one of the source's blocks.
Blocks without text of their own (images, documents) are never marked.

The public templates mark these parts with the source's ``lang`` and ``dir`` so that screen
readers switch voice and Swedish punctuation stays left to right inside an Arabic page.
"""

import json

from django.utils.translation import get_language_info

from practices.locales import by_id, default_locale

# Body blocks that hold no text a reader reads in a language.
NON_TEXT_BLOCKS = frozenset({"image", "document"})


def source_page(page):
    """The page in the default (source) locale with the same translation key, or None.

    Cached on the page: a template asks once per field.
    """
    cache = page.__dict__.setdefault("_source_page_cache", {})
    if "page" not in cache:
        default = default_locale()
        cache["page"] = (
            None
            if page.locale_id == default.pk
            else page.get_translations().filter(locale=default).specific().first()
        )
    return cache["page"]


def _without_ids(data):
    if isinstance(data, dict):
        return {key: _without_ids(value) for key, value in data.items() if key != "id"}
    if isinstance(data, list):
        return [_without_ids(item) for item in data]
    return data


def _block_key(raw_block):
    return json.dumps(_without_ids(raw_block), sort_keys=True, ensure_ascii=False)


def _comparable(value):
    if hasattr(value, "raw_data"):  # StreamValue
        return [_block_key(block) for block in value.raw_data]
    return str(value or "")


def source_attrs(page):
    """``(language, direction)`` of ``page``'s source, or None when ``page`` is the source."""
    source = source_page(page)
    if source is None:
        return None
    language = by_id(source.locale_id).language_code
    return language, "rtl" if get_language_info(language)["bidi"] else "ltr"


def field_untranslated(page, field_name):
    """True when a translation's field still holds its source's text."""
    source = source_page(page)
    if source is None:
        return False
    value = getattr(page, field_name, None)
    if not value:
        return False
    return _comparable(value) == _comparable(getattr(source, field_name, None))


def untranslated_block_ids(page, field_name):
    """Ids of the blocks of a translation's stream field whose content is the source's."""
    source = source_page(page)
    if source is None:
        return set()
    source_blocks = {_block_key(block) for block in getattr(source, field_name).raw_data}
    return {
        block["id"]
        for block in getattr(page, field_name).raw_data
        if block["type"] not in NON_TEXT_BLOCKS and _block_key(block) in source_blocks
    }
