"""``update_index`` writes in bulk what the per-object path wrote, and publishing stays O(record).

The backends build a chunk's index entries in one pass over each page's fields and write them
in one statement (PostgreSQL: the vectors computed from arrays of text; SQLite: one prepared
update), and the facet rows are read from the relation tables as values. Each test here holds
the bulk result against the per-object way it replaced, on the demo content: stock's indexer
reading each field once per column (SQLite), stock's ``add_items`` per text-search
configuration (PostgreSQL), facet values read through page objects and their relations.
"""

import io
from collections import defaultdict
from importlib import import_module

import pytest
from django.db import connection
from django.db.models import Avg
from django.db.models.functions import Length
from django.test import TestCase
from django.test.utils import CaptureQueriesContext
from modelsearch import index as search_index
from modelsearch.backends import get_search_backend
from modelsearch.conf import get_app_config
from modelsearch.index import SearchField, get_indexed_models
from modelsearch.management.commands.rebuild_modelsearch_index import Command as RebuildCommand
from modelsearch.utils import get_content_type_pk

from practices.freshness import checked_on
from practices.models import CONTENT_PAGE_MODELS, PracticePage
from search import facets
from search.documents import indexed_fields, prefetched_labels
from search.models import RecordFacet
from tests.helpers import load_demo, module_data, record, run_import
from translation.status import readable_languages

IndexEntry = get_app_config().get_model("IndexEntry")


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker):
    with module_data(django_db_blocker):
        load_demo()  # with what its commits do: search's facet rows
        yield


def rebuild_index():
    RebuildCommand(stdout=io.StringIO(), stderr=io.StringIO()).handle(
        backend_name="default", verbosity=0, schema_only=False, chunk_size=1000
    )


def indexed_objects():
    """(model, objects) of every indexed model, as ``update_index`` reads them."""
    for model in get_indexed_models():
        yield model, list(model.get_indexed_objects().order_by("pk"))


def entry_rows():
    """{(content type, object id): the entry's columns as text}, the vectors as PostgreSQL
    prints them."""
    columns = "title, autocomplete, body, title_norm"
    if connection.vendor == "postgresql":
        columns = "title::text, autocomplete::text, body::text, title_norm, title_text, body_text"
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT content_type_id, object_id, {columns} "  # noqa: S608 - fixed names
            f"FROM {IndexEntry._meta.db_table}"
        )
        return {(row[0], row[1]): row[2:] for row in cursor.fetchall()}


# SQLite: stock's indexer, reading every field once per column (what the backend did) -------


# Each backend's modules import only on their own database (see search.backends.database).
def backend_module(name):
    return import_module(name)


def reference_sqlite_entry(obj):
    stock = backend_module("modelsearch.backends.database.sqlite.sqlite")
    is_heavy = backend_module("search.backends.sqlite")._is_heavy
    indexer = stock.ObjectIndexer(obj, get_search_backend())
    indexer.search_fields = indexed_fields(type(obj))

    def texts(wanted):
        return " ".join(
            value
            for field in indexer.search_fields
            for current, value in indexer.prepare_field(obj, field)
            if isinstance(current, SearchField) and is_heavy(current) == wanted
        )

    with prefetched_labels([obj]):
        return texts(True), indexer.autocomplete, texts(False)


def test_a_rebuild_writes_the_entries_the_per_object_path_writes(demo, db):
    rebuild_index()
    written = entry_rows()
    pages = sum(len(objects) for model, objects in indexed_objects())
    assert len(written) == pages > 60
    if connection.vendor == "postgresql":
        expected = reference_postgres_rows()
    else:
        expected = {}
        for model, objects in indexed_objects():
            for obj in objects:
                key = (get_content_type_pk(model), str(obj.pk))
                expected[key] = (*reference_sqlite_entry(obj), written[key][3])
    assert written == expected
    # Every title norm is the average title length over the title's length, as stock's full
    # refresh sets it (rows without a title keep 1.0).
    average = (
        IndexEntry.objects.annotate(n=Length("title")).filter(n__gt=0).aggregate(Avg("n"))["n__avg"]
    )
    for entry in IndexEntry.objects.annotate(n=Length("title")).filter(n__gt=0)[:50]:
        assert entry.title_norm == pytest.approx(average / entry.n)


def reference_postgres_rows():
    """The rows stock's ``add_items`` wrote with our indexer, one statement per configuration
    (the path the backend replaced), read back after writing them over the bulk ones."""
    stock = backend_module("modelsearch.backends.database.postgres.postgres")
    document_indexer = backend_module("search.backends.postgres").DocumentIndexer
    backend = get_search_backend()
    original = stock.ObjectIndexer
    stock.ObjectIndexer = document_indexer
    default = backend.config
    try:
        for model, objects in indexed_objects():
            index = backend.get_index_for_model(model)
            groups = defaultdict(list)
            for obj in objects:
                groups[backend.config_for(obj)].append(obj)
            with prefetched_labels(objects):
                for config, group in groups.items():
                    backend.config = config
                    stock.PostgresIndex.add_items(index, model, group)
        stock.PostgresIndex._refresh_title_norms(index, full=True)
    finally:
        stock.ObjectIndexer = original
        backend.config = default
    return entry_rows()


def test_a_rebuild_of_an_unchanged_index_rewrites_no_entry(demo, db):
    rebuild_index()
    before = entry_versions()
    assert rows_written_by(rebuild_index) == 0
    assert entry_versions() == before
    page = PracticePage.objects.live().first()
    # Its summary, not its title: a new title changes the average title length, and with it
    # every entry's title norm.
    PracticePage.objects.filter(pk=page.pk).update(summary="En helt ny sammanfattning.")
    rebuild_index()
    after = entry_versions()
    changed = {
        object_id for key, object_id in before if before[key, object_id] != after[key, object_id]
    }
    assert changed == {str(page.pk)}
    entry = IndexEntry.objects.get(
        content_type_id=get_content_type_pk(PracticePage), object_id=str(page.pk)
    )
    assert "sammanfattning" in entry.body


def entry_versions():
    """Each entry's row version: its ``ctid`` on PostgreSQL (an update writes a new version
    even when nothing changes), its columns on SQLite."""
    if connection.vendor != "postgresql":
        return entry_rows()
    table = IndexEntry._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT content_type_id, object_id, ctid::text FROM {table}")  # noqa: S608
        return {(row[0], row[1]): row[2] for row in cursor.fetchall()}


def rows_written_by(action):
    """Rows ``action`` inserted, updated or deleted: SQLite counts them itself (triggers'
    included); on PostgreSQL, the entries whose row version changed."""
    if connection.vendor == "postgresql":
        before = entry_versions()
        action()
        after = entry_versions()
        return sum(1 for key in before.keys() | after.keys() if before.get(key) != after.get(key))
    connection.ensure_connection()
    changes = connection.connection.total_changes
    action()
    return connection.connection.total_changes - changes


# Facets: values read through page objects and their relations (what facets did) -----------


def reference_facet_rows():
    pages = []
    for model in CONTENT_PAGE_MODELS:
        pages.extend(
            model.objects.live()
            .select_related("locale")
            .prefetch_related(
                "activity_types", "target_groups", "regions", "municipalities__region"
            )
        )
    pages.sort(key=lambda page: page.pk)
    by_record = defaultdict(list)
    for page in pages:
        by_record[page.translation_key].append(page)
    readable = readable_languages(by_record)
    rows = set()
    for key, record_pages in by_record.items():
        source = record_pages[0]
        municipalities = list(source.municipalities.all())
        regions = {region.code for region in source.regions.all()}
        regions.update(municipality.region.code for municipality in municipalities)
        checked = checked_on(source)
        values = {
            "type": {source.interchange_type},
            "activity_type": {term.slug for term in source.activity_types.all()},
            "target_group": {term.slug for term in source.target_groups.all()},
            "region": regions,
            "municipality": {municipality.code for municipality in municipalities},
            "municipality_group": {m.group for m in municipalities if m.group},
            "year": {str(source.start_date.year)} if source.start_date else set(),
            "checked": {str(checked.year)} if checked else set(),
            "language": {page.locale.language_code for page in record_pages}
            & readable.get(key, set()),
        }
        rows.update((key, facet, value) for facet, found in values.items() for value in found)
    return rows


def facet_rows():
    return set(RecordFacet.objects.values_list("translation_key", "facet", "value"))


def test_facet_rows_are_those_read_through_page_objects(demo, db):
    expected = reference_facet_rows()
    RecordFacet.objects.all().delete()
    records = facets.rebuild()
    assert facet_rows() == expected
    assert records == len({key for key, _facet, _value in expected}) > 20
    assert {facet for _key, facet, _value in expected} >= {
        "type",
        "activity_type",
        "target_group",
        "municipality",
        "region",
        "language",
        "year",
    }


def test_syncing_some_records_rewrites_only_theirs(demo, db):
    facets.rebuild()
    expected = facet_rows()
    page = PracticePage.objects.live().first()
    other = RecordFacet.objects.exclude(translation_key=page.translation_key).first()
    RecordFacet.objects.filter(translation_key=page.translation_key).delete()
    RecordFacet.objects.filter(pk=other.pk).update(value="stale")
    facets.sync_records([page.translation_key])
    assert facet_rows() == (expected - {(other.translation_key, other.facet, other.value)}) | {
        (other.translation_key, other.facet, "stale")
    }


# Publishing one page stays O(that record) ------------------------------------------------


def import_practices(first, count):
    records = [
        record(
            external_id=f"o-{number}",
            title=f"Språkcafé nummer {number}",
            municipalities=["0180", "1480"],
            activity_types=["language-training", "mentorship"],
            target_groups=["women"],
            keywords=["volontärer"],
            translations={"en": {"title": f"Language café {number}", "summary": "A café."}},
        )
        for number in range(first, first + count)
    ]
    with TestCase.captureOnCommitCallbacks(execute=True):
        assert run_import(*records).rejections == []


def one_record_queries():
    """Queries to index the newest page and to sync its record's facet rows."""
    page = PracticePage.objects.order_by("-pk").first()
    with CaptureQueriesContext(connection) as indexing:
        search_index.insert_or_update_object(page)
    with CaptureQueriesContext(connection) as syncing:
        facets.sync_records([page.translation_key])
    return len(indexing), len(syncing)


def test_indexing_and_syncing_one_record_costs_the_same_on_a_bigger_site(site_tree):
    import_practices(0, 2)
    small = one_record_queries()
    import_practices(2, 12)
    assert one_record_queries() == small
    assert small[0] <= 12 and small[1] <= 30


def test_facet_rows_of_a_site_without_content_are_none(site_tree):
    assert facets.rebuild() == 0
    assert not RecordFacet.objects.exists()


def facet_row_ids():
    return {
        (key, facet, value): pk
        for pk, key, facet, value in RecordFacet.objects.values_list(
            "pk", "translation_key", "facet", "value"
        )
    }


def test_a_facet_rebuild_writes_only_the_rows_that_changed(demo, db):
    facets.rebuild()
    before = facet_row_ids()
    facets.rebuild()
    assert facet_row_ids() == before
    gone, kept = RecordFacet.objects.order_by("pk")[:2]
    gone.delete()
    RecordFacet.objects.create(translation_key=kept.translation_key, facet="year", value="1900")
    facets.rebuild()
    after = facet_row_ids()
    assert after.keys() == before.keys()
    changed = {row for row in before if before[row] != after[row]}
    assert changed == {(gone.translation_key, gone.facet, gone.value)}


def test_only_records_of_one_page_skip_the_translation_statuses(site_tree):
    records = [
        record(external_id="one-alone", title="Språkcafé utan översättning"),
        record(
            external_id="one-translated",
            title="Språkcafé med översättning",
            translations={"en": {"title": "Language café", "summary": "A café."}},
        ),
    ]
    with TestCase.captureOnCommitCallbacks(execute=True):
        assert run_import(*records).rejections == []
    alone, translated = (
        PracticePage.objects.get(external_id=external_id, locale__language_code="sv")
        for external_id in ("one-alone", "one-translated")
    )
    assert facets.single_page_records() == {alone.translation_key}
    assert facets.single_page_records([translated.translation_key]) == set()
