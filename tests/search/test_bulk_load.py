"""The benchmark's bulk loader writes what the importer writes, as far as anyone reads it."""

import pytest
from wagtail.models import Page

from benchmarks import corpus
from benchmarks.bulk_load import BulkLoader, BulkLoadError
from interchange.importer import Importer
from practices.models import CONTENT_PAGE_MODELS
from search import facets
from search.documents import document
from search.models import RecordFacet
from search.records import page_fields

from ..helpers import record

pytestmark = pytest.mark.django_db

SIZE = 40  # enough for every type, both source languages and translations into all four


def content_pages():
    return [page for model in CONTENT_PAGE_MODELS for page in model.objects.all()]


def what_search_reads():
    """Per page (by external id and language, not by id): its place in the site, its index
    document and its record's engine fields; and the records' facet rows."""
    facets.rebuild()
    pages = content_pages()
    names = {page.pk: (page.external_id, page.locale.language_code) for page in pages}
    seen = {}
    for page in pages:
        doc = document(page)
        fields = page_fields(page)
        fields["record_source"] = names[fields["record_source"]]
        fields["record_published"] = fields["record_published"] > 0  # when: not the same run
        fields["record_pages"] = sorted(
            (language, names[int(pk)])
            for language, pk in (item.split(":") for item in fields["record_pages"])
        )
        seen[names[page.pk]] = {
            "url": page.url_path,
            "depth": page.depth,
            "live": page.live,
            "title": page.title,
            "draft_title": page.draft_title,
            "text": doc.text,
            "title_forms": doc.title_forms,
            "text_forms": doc.text_forms,
            "labels": doc.labels,
            "engine": fields,
            "revision": page.live_revision.as_object().summary if page.live_revision else None,
        }
    keys = {page.translation_key: page.external_id for page in pages}
    rows = sorted(
        (keys[key], facet, value)
        for key, facet, value in RecordFacet.objects.values_list(
            "translation_key", "facet", "value"
        )
    )
    return seen, rows


def test_search_reads_the_same_pages_as_after_an_import(site_tree):
    records = list(corpus.generate(SIZE))
    assert Importer().run(corpus.lines(records)).rejections == []
    imported = what_search_reads()
    Page.objects.filter(pk__in=[page.pk for page in content_pages()]).delete()
    assert content_pages() == []

    assert BulkLoader(batch=15).load(records) == SIZE
    loaded = what_search_reads()
    assert len(loaded[0]) == corpus.page_count(records)
    # Without translation memory, every translation counts as complete: the language facet
    # lists each language the record has a page in, where the importer's lists only those
    # translated throughout (the corpus translates titles and summaries only).
    for (external_id, _language), seen in loaded[0].items():
        languages = sorted(language for name, language in loaded[0] if name == external_id)
        assert seen["engine"]["record_language"] == languages
    partly = [
        name
        for name, seen in imported[0].items()
        if len(seen["engine"]["record_language"]) == 1 and len(seen["engine"]["record_pages"]) > 1
    ]
    assert partly, "the corpus has partly translated records"
    assert without_languages(loaded) == without_languages(imported)


def without_languages(view):
    pages, rows = view
    pages = {
        name: {
            **seen,
            "engine": {k: v for k, v in seen["engine"].items() if k != "record_language"},
        }
        for name, seen in pages.items()
    }
    return pages, [row for row in rows if row[1] != "language"]


def test_loaded_records_are_unchanged_to_the_importer_and_the_tree_is_sound(site_tree, client):
    records = list(corpus.generate(SIZE))
    done = []
    BulkLoader(batch=15).load(records, progress=done.append)
    assert done == [15, 30, 40]

    result = Importer().run(corpus.lines(records))
    assert result.rejections == []
    assert result.counts["unchanged"] == SIZE
    assert len(content_pages()) == corpus.page_count(records)
    assert Page.find_problems() == ([], [], [], [], [])
    page = content_pages()[0]
    assert page.get_parent().numchild == page.get_parent().get_children().count()
    assert client.get(page.url).status_code == 200


def test_a_second_load_goes_on_after_the_first(site_tree):
    records = list(corpus.generate(20))
    BulkLoader().load(records[:10])
    BulkLoader().load(records[10:])
    assert Page.find_problems() == ([], [], [], [], [])
    assert len(content_pages()) == corpus.page_count(records)


@pytest.mark.parametrize(
    "bad, message",
    [
        (record(external_id="x-1", methods=["m-1"]), "x-1: refers to other records"),
        (record(external_id="x-2", title=""), "x-2: "),
        (record(external_id="bench-000000"), "bench-000000: the site already has this record"),
    ],
)
def test_a_record_it_cannot_write_stops_the_batch_and_writes_none_of_it(site_tree, bad, message):
    first = list(corpus.generate(1))
    BulkLoader().load(first)
    before = len(content_pages())
    good = record(external_id="x-good")
    with pytest.raises(BulkLoadError, match=message):
        BulkLoader().load([good, bad])
    assert len(content_pages()) == before
