"""After a publish, each process reads the changed records again, not its whole snapshot."""

from dataclasses import replace
from datetime import timedelta

import pytest
from django.utils import timezone
from wagtail.models import PageViewRestriction

from practices.models import MethodPage, PracticePage, ProjectReportPage
from search import catalogue
from search.models import SearchChange, SearchState

from .conftest import RECORDS, ids

pytestmark = pytest.mark.django_db

WHOLE_LOAD = catalogue.load  # the real one: the ``loads`` fixture counts calls


@pytest.fixture
def commit(django_capture_on_commit_callbacks):
    return lambda: django_capture_on_commit_callbacks(execute=True)


@pytest.fixture
def loads(monkeypatch):
    """The number of whole reloads since the fixture started."""
    calls = []

    def counting_load(version):
        calls.append(version)
        return WHOLE_LOAD(version)

    catalogue.clear()
    monkeypatch.setattr(catalogue, "load", counting_load)
    yield calls
    catalogue.clear()


def assert_same_as_whole_reload(snapshot):
    whole = WHOLE_LOAD(SearchState.current())
    assert snapshot.version == whole.version
    assert snapshot.records == whole.records
    assert snapshot.page_records == whole.page_records
    assert snapshot.page_languages == whole.page_languages
    assert snapshot.titles == whole.titles
    assert totals(snapshot) == totals(whole)
    assert [r.key for r in snapshot.index().records] == [r.key for r in whole.index().records]
    assert snapshot.title_words() == whole.title_words()
    assert snapshot.vocabulary >= whole.vocabulary


def totals(snapshot):
    """{facet: {value: records}} over the whole snapshot."""
    index = snapshot.index()
    return index.counts(index.all, {})


def sv_page(external_id):
    return PracticePage.objects.get(external_id=external_id, locale__language_code="sv")


def warm(snapshot):
    """Compute the derived tables a running site has, so that they are carried over."""
    snapshot.index()
    snapshot.title_words()
    return snapshot


def test_publishing_reads_only_the_changed_record_again(corpus, search, commit, loads):
    before = warm(catalogue.get_catalogue())
    assert len(loads) == 1
    page = sv_page("s-health")
    page.title = "Hälsoskola med tolkstöd i Växjö"
    with commit():
        page.save_revision().publish()

    after = catalogue.get_catalogue()
    assert len(loads) == 1, "a publish must not reload the whole snapshot"
    assert after is not before and after.version != before.version
    assert after.titles[page.pk] == "Hälsoskola med tolkstöd i Växjö"
    assert before.titles[page.pk] == "Hälsoskola för asylsökande i Växjö"  # not changed in place
    assert "tolkstöd" in after.vocabulary
    assert ids(search("tolkstöd")) == ["s-health"]
    assert catalogue.get_catalogue() is after  # same version: the same snapshot
    assert_same_as_whole_reload(after)


def test_unpublish_delete_and_translate_keep_the_snapshot_exact(corpus, search, commit, loads):
    warm(catalogue.get_catalogue())
    with commit():
        sv_page("s-health").unpublish()
    snapshot = catalogue.get_catalogue()
    assert_same_as_whole_reload(snapshot)
    assert not search(municipality="0780").results

    report = ProjectReportPage.objects.get(external_id="s-report")
    key = report.translation_key.int
    with commit():
        report.delete()
    snapshot = catalogue.get_catalogue()
    assert key not in snapshot.records
    assert_same_as_whole_reload(snapshot)

    cafe = sv_page("s-cafe")
    fa = cafe.locale.__class__.objects.get(language_code="fa")
    with commit():
        translation = cafe.copy_for_translation(fa, copy_parents=True)
        translation.title = "کافه زبان در کتابخانه کارلستاد"
        translation.save_revision().publish()
    snapshot = catalogue.get_catalogue()
    assert snapshot.records[cafe.translation_key.int].pages["fa"] == translation.pk
    assert_same_as_whole_reload(snapshot)
    assert totals(snapshot)["language"]["fa"] == 1
    assert len(loads) == 1, "each change was read incrementally"


def test_view_restriction_reloads_the_whole_snapshot(corpus, commit, loads, site_tree):
    catalogue.get_catalogue()
    page = sv_page("s-health")
    with commit():
        PageViewRestriction.objects.create(page=page, restriction_type="login")
    snapshot = catalogue.get_catalogue()
    assert len(loads) == 2
    assert page.pk not in snapshot.page_records


def test_many_changed_records_reload_the_whole_snapshot(corpus, loads, monkeypatch):
    catalogue.get_catalogue()
    monkeypatch.setattr(catalogue, "INCREMENTAL_LIMIT", 1)
    keys = [sv_page("s-health").translation_key, sv_page("s-cafe").translation_key]
    SearchState.bump(keys)
    catalogue.get_catalogue()
    assert len(loads) == 2


def test_a_snapshot_of_another_database_state_is_reloaded_whole(corpus, loads):
    snapshot = catalogue.get_catalogue()
    # As after restoring a backup: this database never had the snapshot's version.
    SearchChange.objects.filter(version=snapshot.version).delete()
    SearchState.bump([sv_page("s-health").translation_key])
    catalogue.get_catalogue()
    assert len(loads) == 2


def test_a_snapshot_older_than_the_change_rows_kept_is_reloaded_whole(corpus, loads):
    snapshot = catalogue.get_catalogue()
    catalogue._current = replace(snapshot, refreshed_at=timezone.now() - timedelta(days=2))
    SearchState.bump([sv_page("s-health").translation_key])
    catalogue.get_catalogue()
    assert len(loads) == 2


def test_a_change_that_commits_late_is_still_read(corpus, loads):
    snapshot = catalogue.get_catalogue()
    page = sv_page("s-health")
    PracticePage.objects.filter(pk=page.pk).update(title="Hälsoskola, sent ändrad")
    # Written by a transaction that began before the snapshot and committed after it.
    SearchChange.objects.create(
        version=snapshot.version + 1,
        translation_key=page.translation_key,
        created=snapshot.refreshed_at - timedelta(minutes=1),
    )
    SearchState.objects.filter(pk=1).update(version=snapshot.version + 1)
    refreshed = catalogue.get_catalogue()
    assert len(loads) == 1
    assert refreshed.titles[page.pk] == "Hälsoskola, sent ändrad"


def test_old_change_rows_are_pruned(corpus):
    old = SearchChange.objects.create(
        version=1, translation_key=None, created=timezone.now() - timedelta(days=2)
    )
    SearchState.bump([sv_page("s-health").translation_key])
    assert not SearchChange.objects.filter(pk=old.pk).exists()
    assert SearchChange.objects.filter(translation_key=sv_page("s-health").translation_key)


def test_an_import_records_a_change_for_every_record(import_records):
    before = SearchChange.objects.order_by("-id").values_list("id", flat=True).first() or 0
    import_records(*RECORDS)
    keys = set(SearchChange.objects.filter(id__gt=before).values_list("translation_key", flat=True))
    external_ids = {record["external_id"] for record in RECORDS}
    records = {
        page.translation_key
        for model in (PracticePage, ProjectReportPage, MethodPage)
        for page in model.objects.filter(external_id__in=external_ids)
    }
    assert len(records) == len(RECORDS)
    assert keys == records
