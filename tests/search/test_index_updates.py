"""Publishing, unpublishing, moving and deleting a page change search results at once."""

from unittest import mock

import pytest
from django.core.management import call_command
from modelsearch import index as modelsearch_index
from modelsearch.index import SearchField
from wagtail.models import PageViewRestriction

from practices.models import PracticeIndexPage, PracticePage
from search.backends.postgres import weight_for
from search.documents import indexed_fields
from search.indexing import deferred_indexing
from search.models import RecordFacet
from tests.helpers import record, run_import

from .conftest import ids

pytestmark = pytest.mark.django_db


@pytest.fixture
def commit(django_capture_on_commit_callbacks):
    return lambda: django_capture_on_commit_callbacks(execute=True)


def test_publish_and_edit_are_found_at_once(corpus, search, commit):
    page = PracticePage.objects.get(external_id="s-health", locale__language_code="sv")
    page.title = "Hälsoskola med tolkstöd i Växjö"
    with commit():
        page.save_revision().publish()
    assert ids(search("tolkstöd")) == ["s-health"]


def test_unpublish_removes_at_once_and_republish_restores(corpus, search, commit):
    page = PracticePage.objects.get(external_id="s-health", locale__language_code="sv")
    with commit():
        page.unpublish()
    assert "s-health" not in ids(search("hälsoskola"))
    assert not search(municipality="0780").results
    with commit():
        page.get_latest_revision().publish()
    assert ids(search("hälsoskola"))[0] == "s-health"


def test_delete_removes_record_and_its_facets(corpus, search, commit):
    page = PracticePage.objects.get(external_id="s-health", locale__language_code="sv")
    key = page.translation_key
    with commit():
        page.delete()
    assert "s-health" not in ids(search("hälsoskola"))
    assert not RecordFacet.objects.filter(translation_key=key).exists()


def test_moving_under_a_private_section_hides_it(corpus, search, commit, site_tree):
    index = PracticeIndexPage.objects.get(locale__language_code="sv")
    with commit():
        private = index.add_child(instance=PracticeIndexPage(title="Internt", slug="internt"))
        PageViewRestriction.objects.create(page=private, restriction_type="login")
    page = PracticePage.objects.get(external_id="s-health", locale__language_code="sv")
    with commit():
        page.move(private, pos="last-child")
    assert "s-health" not in ids(search("hälsoskola"))


def test_taxonomy_change_updates_facets(corpus, search, commit):
    from practices.models import ActivityType

    page = PracticePage.objects.get(external_id="s-health", locale__language_code="sv")
    page.activity_types.add(ActivityType.objects.get(slug="mentorship", locale=page.locale))
    with commit():
        page.save_revision().publish()
    assert "s-health" in ids(search(activity_type="mentorship"))
    # The index has the new labels too, in every language.
    assert "s-health" in ids(search("mentorship", lang="en"))


def test_update_index_rebuilds_facets(corpus, search):
    RecordFacet.objects.all().delete()
    call_command("update_index", verbosity=0)
    assert set(ids(search(target_group="asylum-seekers"))) == {"s-cafe", "s-health"}


def test_admin_page_search_uses_our_backend(corpus, client, django_user_model):
    user = django_user_model.objects.create_superuser("admin", "a@example.org", "pw")
    client.force_login(user)
    response = client.get("/admin/pages/search/?q=hälsoskola")
    assert response.status_code == 200
    assert "Hälsoskola för asylsökande i Växjö" in response.content.decode()


def test_an_import_batch_indexes_each_page_once_at_its_end(site_tree):
    """Index updates go through the task backend, which holds them back in a batch."""
    with mock.patch.object(
        modelsearch_index,
        "insert_or_update_object",
        wraps=modelsearch_index.insert_or_update_object,
    ) as indexed:
        with deferred_indexing():
            result = run_import(record(external_id="t-batch"))
            assert result.rejections == []
            assert indexed.call_count == 0  # several saves, nothing indexed yet
        pages = {call.args[0].pk for call in indexed.call_args_list}
        assert indexed.call_count == len(pages)  # each object once
        page = PracticePage.objects.get(external_id="t-batch")
        assert page.pk in pages
        # Outside a batch, an update is indexed at once.
        indexed.reset_mock()
        page.save()
        assert indexed.call_count == 1


def test_a_batch_that_fails_indexes_nothing(site_tree):
    with mock.patch.object(modelsearch_index, "insert_or_update_object") as indexed:
        with pytest.raises(RuntimeError), deferred_indexing():
            site_tree["sv"]["home"].save()
            raise RuntimeError("disk full")
        assert indexed.call_count == 0


def test_derived_fields_keep_their_place_and_weight():
    """Search adds fields to the content model's own; they keep the order and the PostgreSQL
    weights they had when the model declared them (ranking reads both)."""
    names = [f.field_name for f in indexed_fields(PracticePage) if isinstance(f, SearchField)]
    assert names.index("title") < names.index("search_title_forms") < names.index("summary")
    assert names.index("summary") < names.index("search_text") < names.index("search_text_forms")
    # Distinct weights for the title's forms (boost 3), the labels (2) and the summary (1.5).
    assert len({weight_for(3), weight_for(2), weight_for(1.5)}) == 3
