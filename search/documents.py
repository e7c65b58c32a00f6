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

import threading
from contextlib import contextmanager

from django.utils.functional import cached_property
from modelsearch import index

from practices.models import ContentPage
from practices.text import body_text, plain_text

from .analysis import LANGUAGES, analyse, tokens, word_forms


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
        parts.extend(str(item) for item in body_text(page.body) if item)
        for name in page.search_text_fields:
            parts.append(plain_text(getattr(page, name, "") or ""))
        return "\n".join(part for part in parts if part)

    @cached_property
    def text_forms(self):
        return self._extra_forms(self.text, self.language)

    @cached_property
    def labels(self):
        page = self.page
        batch = getattr(_labels_batch, "labels", None)
        if batch is not None and page.pk in batch:
            return batch[page.pk]
        pieces = [_term_labels(type(term), term.translation_key) for term in _terms(page)]
        for municipality in page.municipalities.all():
            pieces += (analyse(municipality.name, "sv"), analyse(municipality.region.name, "sv"))
        pieces += (analyse(region.name, "sv") for region in page.regions.all())
        if page.organisation_id:
            pieces.append(analyse(page.organisation.name, "sv"))
        tags = sorted(tag.name for tag in page.keywords.all())
        pieces += (analyse(name, self.language) for name in tags)
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


def _terms(page):
    """The page's activity types, then its target groups, each by name (their ordering)."""
    return [*page.activity_types.all(), *page.target_groups.all()]


def _term_labels(model, translation_key):
    """The term's name in every language it has, analysed in that language, as one string."""
    return _labels_of_terms(model, [translation_key])[translation_key]


_labels_batch = threading.local()


@contextmanager
def prefetched_labels(pages):
    """Within the block, the ``labels`` of ``pages`` (content pages; others are passed over)
    are read for all of them at once: a few queries on the relation tables rather than a
    related manager per page and relation (with Django's prefetching, a third of a rebuild's
    time went there). Each page's labels are the same as read alone."""
    if getattr(_labels_batch, "labels", None) is not None:
        yield
        return
    pages = [page for page in pages if isinstance(page, ContentPage) and page.pk is not None]
    _labels_batch.labels = _read_labels(pages) if pages else {}
    try:
        yield
    finally:
        _labels_batch.labels = None


def _relation_rows(model, name, ids, *columns, order):
    """(page id, *columns) rows of ``model``'s many-to-many ``name`` for pages ``ids``."""
    field = model._meta.get_field(name)
    through = field.remote_field.through
    source, target = field.m2m_field_name(), field.m2m_reverse_field_name()
    return (
        through.objects.filter(**{f"{source}_id__in": ids})
        .order_by(f"{target}__{order}")
        .values_list(f"{source}_id", *(f"{target}__{column}" for column in columns))
    )


def _read_labels(pages):
    """{page id: labels} of content pages, as ``IndexDocument.labels`` makes them."""
    pieces = {page.pk: [] for page in pages}
    by_model = {}
    for page in pages:
        by_model.setdefault(type(page), []).append(page.pk)
    for model, ids in by_model.items():
        for name in ("activity_types", "target_groups"):
            term_model = model._meta.get_field(name).related_model
            rows = list(_relation_rows(model, name, ids, "translation_key", order="name"))
            labels = _labels_of_terms(term_model, {key for _page, key in rows})
            for page_id, key in rows:
                pieces[page_id].append(labels[key])
        for page_id, place, region in _relation_rows(
            model, "municipalities", ids, "name", "region__name", order="name"
        ):
            pieces[page_id] += (analyse(place, "sv"), analyse(region, "sv"))
        for page_id, place in _relation_rows(model, "regions", ids, "name", order="code"):
            pieces[page_id].append(analyse(place, "sv"))
    for page in pages:
        if page.organisation_id:
            pieces[page.pk].append(analyse(page.organisation.name, "sv"))
    languages = {page.pk: page_language(page) for page in pages}
    for model, ids in by_model.items():
        tagged = model._meta.get_field("keywords").through
        rows = (
            tagged.objects.filter(content_object_id__in=ids)
            .order_by("tag__name")
            .values_list("content_object_id", "tag__name")
        )
        for page_id, name in rows:
            pieces[page_id].append(analyse(name, languages[page_id]))
    return {
        page_id: " ".join(piece for piece in page_pieces if piece)
        for page_id, page_pieces in pieces.items()
    }


def _labels_of_terms(model, keys):
    """{translation key: labels} of ``model``'s terms with these keys, read in one query
    (what the shared cache does not hold already)."""
    cache = getattr(_batch, "labels", None)
    if cache is None:
        cache = {}
    wanted = [key for key in keys if (model, key) not in cache]
    if wanted:
        grouped = {}
        for term in model.objects.filter(translation_key__in=wanted).select_related("locale"):
            grouped.setdefault(term.translation_key, []).append(term)
        for key in wanted:
            cache[(model, key)] = " ".join(
                analyse(term.name, term.locale.language_code) for term in grouped.get(key, [])
            )
    return {key: cache[(model, key)] for key in keys}


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
