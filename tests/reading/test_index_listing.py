"""Index pages list one card per record, newest first, whatever language its visible pages are
in; the number of records is counted once per change of the listing (issue 20: a listing
reads about as many rows as it shows, and its count is kept until a record of the type is
published or unpublished, or a view restriction changes)."""

import pytest
from django.db import connection
from django.test import TestCase
from django.test.utils import CaptureQueriesContext
from wagtail.models import PageViewRestriction

from practices.models import PracticeIndexPage, PracticePage
from tests.helpers import record, run_import

pytestmark = pytest.mark.django_db


def _import(count, start=0):
    records = [
        record(
            external_id=f"t-listed-{number}",
            title=f"Listad praktik {number}",
            activity_types=["internship"] if number % 2 else [],
            translations={"en": {"title": f"Listed practice {number}", "summary": "English."}},
        )
        for number in range(start, start + count)
    ]
    assert not run_import(*records).rejections


def _listed(client, url):
    response = client.get(url)
    assert response.status_code == 200
    return response.context["paginator"].count, [
        page.external_id for page in response.context["records"]
    ]


def test_one_card_per_record_newest_first_and_filters(site_tree, client):
    _import(5)
    count, shown = _listed(client, "/sv/goda-exempel/")
    assert count == 5
    assert shown == [f"t-listed-{n}" for n in (4, 3, 2, 1, 0)]
    count, shown = _listed(client, "/sv/goda-exempel/?activity_type=internship")
    assert (count, shown) == (2, ["t-listed-3", "t-listed-1"])


def test_a_record_whose_source_is_private_is_listed_by_its_visible_translation(site_tree, client):
    _import(3)
    swedish_index = PracticeIndexPage.objects.get(locale__language_code="sv")
    PageViewRestriction.objects.create(page=swedish_index, restriction_type="login")
    count, shown = _listed(client, "/en/goda-exempel/")
    assert count == 3
    assert shown == ["t-listed-2", "t-listed-1", "t-listed-0"]
    assert all(
        page.locale.language_code == "en"
        for page in client.get("/en/goda-exempel/").context["records"]
    )


def test_the_count_is_kept_until_a_record_of_the_type_changes(site_tree, client):
    _import(3)
    _listed(client, "/sv/goda-exempel/")
    with CaptureQueriesContext(connection) as queries:
        assert _listed(client, "/sv/goda-exempel/")[0] == 3
    assert not [q for q in queries.captured_queries if "COUNT(" in q["sql"]]

    with TestCase.captureOnCommitCallbacks(execute=True):
        _import(1, start=3)
    assert _listed(client, "/sv/goda-exempel/")[0] == 4
    with TestCase.captureOnCommitCallbacks(execute=True):
        for page in PracticePage.objects.filter(external_id="t-listed-0"):
            page.unpublish()
    count, shown = _listed(client, "/sv/goda-exempel/")
    assert count == 3
    assert "t-listed-0" not in shown
