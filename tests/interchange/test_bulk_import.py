"""import_content's bulk path writes what the record-by-record path writes, passes over
unchanged records without writing, and a record that fails leaves nothing of itself."""

import io
import json
import re

import pytest
from django.contrib.contenttypes.models import ContentType
from django.core.management import CommandError, call_command
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from taggit.models import Tag
from wagtail.models import Page, PageLogEntry, ReferenceIndex, Revision
from wagtail.search.models import IndexEntry
from wagtail_localize.models import (
    StringSegment,
    StringTranslation,
    TemplateSegment,
    Translation,
    TranslationLog,
    TranslationSource,
)

from benchmarks import corpus
from interchange.importer import Importer
from interchange.progress import Progress
from interchange.serialise import page_record
from opendata.models import DataVersion
from practices.models import CONTENT_PAGE_MODELS, Organisation, PracticePage
from search.models import RecordFacet
from semantic.models import PendingVector
from translation.status import statuses_for_keys

from ..helpers import record

pytestmark = pytest.mark.django_db

BODY = (
    "Första stycket om **språkcafé**.\n\n"
    "Andra stycket med [en länk](https://example.org).\n\n- en\n- två"
)


def hand_made():
    """Records with what the corpus has little of: bodies, rich text fields, lists, partners,
    funding, indicators, a translated body, a method with its own fields."""
    return [
        record(
            external_id="h-practice",
            body=BODY,
            challenge="Många *saknar* kontaktnät.",
            organisation="Sunne kommun",
            partners=["Röda Korset", "Sunne bibliotek"],
            keywords=["språk", "volontärer"],
            municipalities=["1766"],
            activity_types=["language-training"],
            target_groups=["women"],
            funding=[{"source": "ESF", "amount_sek": 120000}],
            indicators=[{"key": "in_work", "value": 45, "unit": "percent", "target": 40}],
            contact={"name": "Anna", "role": "Samordnare", "email": "anna@example.org"},
            start_date="2021-01-01",
            translations={
                "en": {
                    "title": "Language café",
                    "summary": "Volunteers and newcomers.",
                    "body": "First paragraph about **language café**.\n\nSecond paragraph "
                    "with [a link](https://example.org).\n\n- one\n- two",
                    "contact_role": "Coordinator",
                },
                "ar": {"title": "مقهى اللغة", "summary": "ملخص"},
            },
        ),
        record(
            external_id="h-method",
            type="method",
            title="Mjuk matchning",
            body=BODY,
            when_to_use="När arbetsgivare *tvekar*.",
            staff="Två handledare",
            cost_level="low",
            translations={"fa": {"title": "تطبیق نرم", "summary": "خلاصه"}},
        ),
        record(external_id="h-report", type="report", title="Slutrapport", regions=["17"]),
    ]


def content_pages():
    return [page for model in CONTENT_PAGE_MODELS for page in model.objects.all()]


def name_of(page):
    return (page.external_id, page.locale.language_code)


def what_was_written():
    """Everything an import writes, by record and language (ids and times left out)."""
    pages = sorted(content_pages(), key=name_of)
    keys = {page.translation_key: page.external_id for page in pages}
    by_pk = {page.pk: name_of(page) for page in pages}
    # Organisations are made in another order in bulk: by name.
    organisation_type = ContentType.objects.get_for_model(Organisation).pk
    organisations = {str(pk): name for pk, name in Organisation.objects.values_list("pk", "name")}
    # Keywords too (and PostgreSQL's sequences do not go back when a run is rolled back): by name.
    named = {organisation_type: organisations}
    named[ContentType.objects.get_for_model(Tag).pk] = {
        str(pk): name for pk, name in Tag.objects.values_list("pk", "name")
    }
    seen = {}
    for page in pages:
        revision = page.live_revision
        seen[name_of(page)] = {
            "place": (page.url_path, page.depth, page.slug, page.get_parent().pk),
            "state": (page.live, page.has_unpublished_changes, page.title, page.draft_title),
            "revision": (
                revision == page.latest_revision,
                revision.as_object().title,
                revision.as_object().summary,
            ),
            "logs": sorted(
                {entry.action for entry in PageLogEntry.objects.filter(page=page)}
                # One by one, a translation is a copy of the source, then renamed and edited;
                # in bulk it is written as it ends up.
                - {"wagtail.copy_for_translation", "wagtail.edit", "wagtail.rename"}
            ),
            "references": sorted(
                # A child row's content path has its id (a tag: "tagged_keywords.<id>.tag").
                (
                    to_type,
                    named.get(to_type, {}).get(to_id, to_id),
                    model_path,
                    re.sub(r"\.\d+\.", ".N.", content_path),
                )
                for to_type, to_id, model_path, content_path in ReferenceIndex.objects.filter(
                    object_id=str(page.pk)
                ).values_list("to_content_type", "to_object_id", "model_path", "content_path")
            ),
            "index": sorted(
                IndexEntry.objects.filter(object_id=str(page.pk))
                .exclude(content_type=organisation_type)
                .values_list("content_type", "title", "body", "autocomplete")
            ),
        }
    records = {}
    for page in pages:
        if page.external_id in records:
            continue
        source = min(
            (other for other in pages if other.external_id == page.external_id),
            key=lambda other: other.pk,
        )
        translations = [
            other for other in pages if other.external_id == page.external_id and other != source
        ]
        records[page.external_id] = page_record(source.specific, translations)
    sources = {}
    for source in TranslationSource.objects.all():
        name = keys[source.object_id]
        sources[name] = {
            "locale": source.locale.language_code,
            "strings": [
                # Paths name stream blocks by their ids (new in every import): by field path.
                (segment.context.field_path, segment.string.data)
                for segment in StringSegment.objects.filter(source=source).order_by("order")
            ],
            "templates": [
                (segment.context.field_path, segment.template.template)
                for segment in TemplateSegment.objects.filter(source=source).order_by("order")
            ],
            "translations": sorted(
                (t.target_locale.language_code, t.enabled)
                for t in Translation.objects.filter(source=source)
            ),
            "memory": sorted(
                (t.locale.language_code, t.context.field_path, t.data)
                for t in StringTranslation.objects.filter(context__object_id=source.object_id)
            ),
            "logs": sorted(
                log.locale.language_code for log in TranslationLog.objects.filter(source=source)
            ),
        }
    statuses = {
        keys[key]: [(s.language_code, s.status, s.progress) for s in statuses]
        for key, statuses in statuses_for_keys(keys).items()
    }
    facets = sorted(
        (keys[key], facet, value)
        for key, facet, value in RecordFacet.objects.values_list(
            "translation_key", "facet", "value"
        )
    )
    assert all(page_pk in by_pk for page_pk in by_pk)
    return {
        "organisations": sorted(
            IndexEntry.objects.filter(content_type=organisation_type).values_list(
                "title", "autocomplete"
            )
        ),
        "pages": seen,
        "records": records,
        "sources": sources,
        "statuses": statuses,
        "facets": facets,
    }


def lines(records):
    return [json.dumps(item, ensure_ascii=False) for item in records]


def test_records_written_in_bulk_equal_records_written_one_by_one(
    site_tree, django_capture_on_commit_callbacks
):
    records = hand_made() + list(corpus.generate(30))
    with transaction.atomic():
        # One by one, facets synced when each record's transaction commits.
        with django_capture_on_commit_callbacks(execute=True):
            result = Importer(bulk=False).run(lines(records))
        assert (
            result.summary
            == f"imported: {len(records)} created, 0 updated, 0 unchanged, 0 rejected"
        )
        one_by_one = what_was_written()
        transaction.set_rollback(True)
    assert content_pages() == []

    result = Importer(batch=12).run(lines(records))
    assert result.summary == f"imported: {len(records)} created, 0 updated, 0 unchanged, 0 rejected"
    in_bulk = what_was_written()

    assert Page.find_problems() == ([], [], [], [], [])
    for parent in {page.get_parent() for page in content_pages()}:
        assert parent.numchild == parent.get_children().count()
    assert len(in_bulk["pages"]) == corpus.page_count(records)
    assert in_bulk["sources"], "records with translations have translation sources"
    assert any(source["memory"] for source in in_bulk["sources"].values())
    assert in_bulk["facets"], "facets are synced when a batch ends"
    assert all(page["index"] for page in in_bulk["pages"].values()), "every page is indexed"
    assert in_bulk["organisations"], "organisations made in bulk are indexed"
    for part in ("records", "sources", "statuses", "facets", "organisations", "pages"):
        assert_same(in_bulk[part], one_by_one[part], part)


def assert_same(got, wanted, where):
    """Equal, or the first difference named by where it is."""
    if isinstance(got, dict) and isinstance(wanted, dict):
        assert sorted(got) == sorted(wanted), where
        for key in got:
            assert_same(got[key], wanted[key], f"{where}[{key!r}]")
    else:
        assert got == wanted, where


def test_importing_unchanged_records_again_writes_nothing(site_tree):
    records = hand_made() + list(corpus.generate(30))
    assert Importer(batch=10).run(lines(records)).rejections == []
    counts = (Revision.objects.count(), PageLogEntry.objects.count(), len(content_pages()))

    with CaptureQueriesContext(connection) as queries:
        result = Importer(batch=10).run(lines(records))
    assert result.summary == f"imported: 0 created, 0 updated, {len(records)} unchanged, 0 rejected"
    assert (Revision.objects.count(), PageLogEntry.objects.count(), len(content_pages())) == counts
    writes = [q["sql"] for q in queries if not q["sql"].lstrip().upper().startswith("SELECT")]
    assert [sql for sql in writes if "SAVEPOINT" not in sql] == []
    # Read a batch at a time: a fixed number of queries per batch, not per record.
    assert len(queries) < 3 * len(records)


def test_a_mixed_file_gets_the_right_outcome_for_each_record(site_tree):
    stored = [
        record(external_id="m-same"),
        record(external_id="m-changed"),
        record(external_id="m-method", type="method", title="Metod"),
        record(external_id="m-report", type="report", title="Rapport"),
    ]
    assert Importer().run(lines(stored)).rejections == []
    revisions = Revision.objects.count()

    incoming = [
        record(external_id="m-new", title="Ny praktik"),
        record(external_id="m-same"),
        record(external_id="m-changed", summary="En ny sammanfattning."),
        record(external_id="m-bad", municipalities=["9999"]),
        record(external_id="m-report"),  # the site has it as a report
        record(external_id="m-refers", methods=["m-method"]),
        record(external_id="m-new-method", type="method", title="Ny metod"),
    ]
    result = Importer().run(lines(incoming))
    assert result.summary == "imported: 3 created, 1 updated, 1 unchanged, 2 rejected"
    assert [(r.line, r.external_id) for r in result.rejections] == [(4, "m-bad"), (5, "m-report")]
    assert "the site already has this id as a report" in str(result.rejections[1])
    assert PracticePage.objects.get(external_id="m-changed").summary == "En ny sammanfattning."
    refers = PracticePage.objects.get(external_id="m-refers")
    assert [method.external_id for method in refers.methods] == ["m-method"]
    # One new revision for each page written: two new, one updated, one that refers.
    assert Revision.objects.count() == revisions + 4


def test_a_record_that_fails_mid_batch_leaves_nothing_and_the_rest_is_imported(
    site_tree, monkeypatch
):
    fill = Importer.fill_source

    def failing(self, page, item, wanted):
        if item["external_id"] == "f-bad":
            raise RuntimeError("disk full")
        fill(self, page, item, wanted)

    monkeypatch.setattr(Importer, "fill_source", failing)
    items = [
        record(external_id=f"f-{number}", title=f"Praktik {number}", organisation="Ny förening")
        for number in range(5)
    ]
    items.insert(
        2,
        record(external_id="f-bad", organisation="Bara här", translations={"en": {"title": "Bad"}}),
    )
    result = Importer(batch=4).run(lines(items))

    assert result.summary == "imported: 5 created, 0 updated, 0 unchanged, 1 rejected"
    assert str(result.rejections[0]) == 'line 3: external_id "f-bad": save: disk full'
    assert not PracticePage.objects.filter(external_id="f-bad").exists()
    assert not PracticePage.objects.filter(title="Bad").exists()
    assert sorted(PracticePage.objects.values_list("external_id", flat=True)) == [
        f"f-{number}" for number in range(5)
    ]
    assert Page.find_problems() == ([], [], [], [], [])
    # The failed batch was written record by record: each good record has one revision.
    for page in content_pages():
        assert Revision.objects.filter(object_id=str(page.pk)).count() == 1
    assert len({page.slug for page in content_pages()}) == 5


def test_progress_lines_give_done_total_rate_and_time_left():
    lines_written = []
    ticks = iter([0.0, 1.0, 6.0, 7.0, 20.0])
    progress = Progress(lines_written.append, every=5.0, clock=lambda: next(ticks))
    progress(10, 100)  # at 1 s: too soon after the start
    progress(30, 100)  # at 6 s: 5 records/s, 70 left
    progress(40, 100)  # at 7 s: too soon
    progress(100, 100)  # the end is always shown
    assert lines_written == [
        "  30/100 records, 5 records/s, about 14 s left",
        "  100/100 records, 5 records/s, done",
    ]
    assert Progress.line(500, 10_000, 5.0) == (
        "  500/10,000 records, 100 records/s, about 1 min 35 s left"
    )


def test_the_command_shows_progress_on_stderr_and_the_summary_last(site_tree, tmp_path):
    path = tmp_path / "records.jsonl"
    items = [record(external_id=f"c-{number}", title=f"Praktik {number}") for number in range(3)]
    items.append(record(external_id="c-bad", regions=["99"]))
    path.write_text("\n".join(lines(items)), encoding="utf-8")
    out, err = io.StringIO(), io.StringIO()
    with pytest.raises(CommandError):
        call_command(
            "import_content",
            str(path),
            "--batch",
            "2",
            "--progress-every",
            "0",
            stdout=out,
            stderr=err,
        )
    assert out.getvalue().strip().splitlines()[-1] == (
        "imported: 3 created, 0 updated, 0 unchanged, 1 rejected"
    )
    progress = [line for line in err.getvalue().splitlines() if "records/s" in line]
    assert progress[-1].startswith("  3/3 records, ") and progress[-1].endswith("done")
    rejection = 'rejected line 4: external_id "c-bad": regions: unknown region code "99"'
    assert rejection in err.getvalue()


def test_the_command_refuses_a_batch_below_one(site_tree, tmp_path):
    path = tmp_path / "records.jsonl"
    path.write_text(json.dumps(record()), encoding="utf-8")
    with pytest.raises(CommandError, match="--batch"):
        call_command("import_content", str(path), "--batch", "0")


def test_a_bulk_batch_tells_the_site_what_a_publish_tells_it(
    site_tree, django_capture_on_commit_callbacks
):
    """Downloads built again, new pages queued for their vectors, listings of the cache
    dropped: once for the batch, not per page."""
    before = DataVersion.current()
    items = [record(external_id=f"s-{number}", title=f"Praktik {number}") for number in range(3)]
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        assert Importer().run(lines(items)).rejections == []
    assert DataVersion.current() != before
    pages = content_pages()
    assert set(PendingVector.objects.values_list("page_id", flat=True)) == {p.pk for p in pages}
    # The page cache, the vector queue, the downloads: not one per page.
    assert len(callbacks) <= 4
