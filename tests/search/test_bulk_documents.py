"""What a rebuild does faster than page by page gives the same documents: the labels of a chunk
of pages read at once (in a few queries), the body's text read without Wagtail's HTML parser."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from wagtail.rich_text import get_text_for_indexing

from interchange.importer import Importer
from practices.models import CONTENT_PAGE_MODELS
from practices.text import body_text, rich_text_for_indexing
from search.documents import IndexDocument, prefetched_labels
from tests.conftest import DEMO_FILE
from tests.helpers import record, run_import

pytestmark = pytest.mark.django_db


def import_records(count):
    records = [
        record(
            external_id=f"b-{number}",
            type=("practice", "method", "report")[number % 3],
            title=f"Språkcafé nummer {number}",
            organisation="Röda Korset" if number % 2 else None,
            municipalities=["0180", "1480"][: 1 + number % 2] if number % 4 else None,
            regions=["12"] if number % 4 == 0 else None,
            activity_types=["language-training", "mentorship"][: 1 + number % 2],
            target_groups=["women"],
            keywords=["volontärer", "bibliotek"][: number % 3],
            translations={"en": {"title": f"Language café {number}", "summary": "A café."}}
            if number % 2
            else None,
        )
        for number in range(count)
    ]
    assert run_import(*records).rejections == []


def pages():
    return [
        page for model in CONTENT_PAGE_MODELS for page in model.get_indexed_objects().order_by("pk")
    ]


def test_labels_read_in_bulk_are_those_read_page_by_page(site_tree):
    import_records(9)
    alone = {page.pk: IndexDocument(page).labels for page in pages()}
    batch = pages()
    with prefetched_labels(batch):
        together = {page.pk: IndexDocument(page).labels for page in batch}
    assert together == alone
    assert len(alone) == 9 + 4  # four English translations
    joined = " ".join(alone.values())
    # Terms in every language, places with their region, the organisation and keywords.
    for word in ("women", "kvinnor", "stockholm", "göteborg", "skåne", "röda", "volontärer"):
        assert word in joined, word


def test_a_chunk_costs_the_same_queries_however_many_pages(site_tree):
    import_records(24)
    practices = [page for page in pages() if page.interchange_type == "practice"]

    def queries(batch):
        with CaptureQueriesContext(connection) as captured, prefetched_labels(batch):
            for page in batch:
                IndexDocument(page).labels  # noqa: B018 - reading it is the point
        return len(captured)

    assert len(practices) == 12
    assert queries(practices[:2]) == queries(practices) <= 8


@pytest.mark.parametrize(
    "source",
    [
        '<p>Fet <b>stil</b>&amp;co, <i>kursiv</i> och <a href="/x">en länk</a>.</p>',
        "<h2>Rubrik</h2><p>Ett</p><ul><li>ett</li><li>två&nbsp;tre</li></ul><p>slut<br/>rad</p>",
        "<blockquote>Citat</blockquote><ol><li>steg</li></ol>",
        "",
    ],
)
def test_rich_text_reads_as_wagtail_reads_it(source):
    assert rich_text_for_indexing(source) == get_text_for_indexing(source)


def test_body_text_is_the_streams_searchable_content(site_tree):
    lines = DEMO_FILE.read_text(encoding="utf-8").splitlines()
    assert Importer().run(lines).rejections == []
    checked = 0
    for page in pages():
        body = page.body
        assert body_text(body) == list(body.stream_block.get_searchable_content(body)), page
        checked += bool(len(body))
    assert checked >= 16
