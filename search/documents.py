"""What a content page puts in the search index, beyond its raw text.

A page is indexed in its own language (PostgreSQL's configuration for that language, SQLite's
tokenizer, Elasticsearch's analyser). Besides the fields the content model declares in its
``search_fields`` (title, summary), the search backends index four fields derived here
(``DOCUMENT_FIELDS``, added by ``indexed_fields``): the plain ``text`` of the summary, body and
the model's ``search_text_fields``, and

- ``title_forms``: the stems and compound parts of the title's words;
- ``labels``: its activity types and target groups in all four languages, its places,
  organisation and keywords, each with their stems and parts. This is what lets an English query
  find a Swedish-only practice, and a search for "Halmstad" find what ran there;
- ``text_forms``: the stems and compound parts of the summary and body.

The content model knows nothing of this: it declares plain fields, and every backend
(``search.backends``) builds its index entries from ``indexed_fields(model)``.
"""

import html
import re
import threading
from contextlib import contextmanager

from django.utils.functional import cached_property
from modelsearch import index

from practices.models import ContentPage

from .analysis import LANGUAGES, analyse, tokens, word_forms

TAG = re.compile(r"<[^>]*>")


def plain_text(rich_text):
    """The text of a rich-text field: tags become spaces (so words either side stay apart),
    entities become characters. Wagtail writes well-formed HTML; a regular expression reads it
    several times faster than Django's ``strip_tags`` (an HTML parser), a tenth of indexing."""
    return html.unescape(TAG.sub(" ", rich_text))


def page_language(page):
    code = page.locale.language_code if page.locale_id else "sv"
    return code if code in LANGUAGES else "sv"


class IndexDocument:
    def __init__(self, page):
        self.page = page
        self.language = page_language(page)

    @cached_property
    def title_forms(self):
        return self._extra_forms(self.page.title, self.language)

    @cached_property
    def text(self):
        """Plain text of the summary, body and the page type's other text fields."""
        page = self.page
        parts = [page.summary or ""]
        body = page.body
        parts.extend(str(item) for item in body.stream_block.get_searchable_content(body) if item)
        for name in page.search_text_fields:
            parts.append(plain_text(getattr(page, name, "") or ""))
        return "\n".join(part for part in parts if part)

    @cached_property
    def text_forms(self):
        return self._extra_forms(self.text, self.language)

    @cached_property
    def labels(self):
        page = self.page
        pieces = []
        for relation in ("activity_types", "target_groups"):
            for term in getattr(page, relation).all():
                pieces.append(_term_labels(term))
        # .all(): a rebuild prefetched them (ContentPage.get_indexed_objects).
        places = list(page.municipalities.all()) + list(page.regions.all())
        for place in places:
            pieces.append(analyse(place.name, "sv"))
            region = getattr(place, "region", None)
            if region is not None:
                pieces.append(analyse(region.name, "sv"))
        if page.organisation_id:
            pieces.append(analyse(page.organisation.name, "sv"))
        for tag in page.keywords.all():
            pieces.append(analyse(tag.name, self.language))
        return " ".join(piece for piece in pieces if piece)

    @staticmethod
    def _extra_forms(text, language):
        """The forms of the words in ``text`` other than the words themselves."""
        extra = {}
        for word in dict.fromkeys(tokens(text)):  # each word once: a body repeats many
            for form in word_forms(word, language)[1:]:
                extra[form] = None
        return " ".join(extra)


_batch = threading.local()


@contextmanager
def shared_term_labels():
    """Within the block, each taxonomy term's labels in the four languages are read and analysed
    once, not once per page that has it (``update_index``: a query per term and page was two
    thirds of a rebuild's time). Outside it, always read afresh: an editor may have just renamed
    a term."""
    if getattr(_batch, "labels", None) is not None:
        yield
        return
    _batch.labels = {}
    try:
        yield
    finally:
        _batch.labels = None


def _term_labels(term):
    """The term's name in every language it has, analysed in that language, as one string."""
    cache = getattr(_batch, "labels", None)
    key = (type(term), term.translation_key)
    if cache is not None and key in cache:
        return cache[key]
    translations = term.get_translations(inclusive=True).select_related("locale")
    labels = " ".join(
        analyse(translation.name, translation.locale.language_code) for translation in translations
    )
    if cache is not None:
        cache[key] = labels
    return labels


def document(page):
    """The page's ``IndexDocument``, built once per page object (every field asks for it)."""
    cached = page.__dict__.get("_search_document")
    if cached is None:
        cached = page.__dict__["_search_document"] = IndexDocument(page)
    return cached


class DocumentField(index.SearchField):
    """A field of the index that search derives from a content page, not a model attribute."""

    def __init__(self, part, boost=None):
        super().__init__(f"search_{part}", boost=boost)
        self.part = part

    def get_value(self, obj):
        return getattr(document(obj), self.part)

    def get_definition_model(self, cls):
        # Elasticsearch names a field after the model defining it: these belong to every
        # content page alike (``practices_contentpage__search_labels``).
        return ContentPage


# Boosts: the title's word forms 3 (the title itself is 2), taxonomy/places/organisation 2,
# the text and its forms 1. The database backends put fields boosted 2 or more in the weighted
# title column, the engines in the title's catch-all field (``engine.field_boost``).
DOCUMENT_FIELDS = (
    DocumentField("title_forms", boost=3),
    DocumentField("labels", boost=2),
    DocumentField("text"),
    DocumentField("text_forms"),
)


def derived_fields(model):
    """The fields search derives for ``model``'s pages (none for other models)."""
    return DOCUMENT_FIELDS if issubclass(model, ContentPage) else ()


def indexed_fields(model):
    """The fields every backend indexes for ``model``: its own, plus the derived ones.

    The derived fields go around the summary, as the content model once declared them: the
    title's forms and the labels before it, the text and its forms after it. The order decides
    the words' positions in a PostgreSQL vector, which its ranking reads (word distances).
    """
    fields = list(model.get_search_fields())
    derived = derived_fields(model)
    if not derived:
        return fields
    summary = next(
        (position for position, field in enumerate(fields) if field.field_name == "summary"),
        len(fields),
    )
    before = [field for field in derived if (field.boost or 0) >= 2]
    after = [field for field in derived if (field.boost or 0) < 2]
    return [
        *fields[:summary],
        *before,
        *fields[summary : summary + 1],
        *after,
        *fields[summary + 1 :],
    ]
