"""The search service: records not page copies, facets, filters, sorting, Swedish handling."""

import pytest
from wagtail.contrib.search_promotions.models import Query, SearchPromotion

from practices.models import PracticePage

from .conftest import ids

pytestmark = pytest.mark.django_db


def test_swedish_inflection_and_compounds(corpus, search):
    assert ids(search("mentorer"))[0] == "s-mentor"
    assert "s-mentor" in ids(search("program"))
    assert ids(search("mentorskap"))[0] == "s-mentor"
    assert ids(search("hälsoskolorna"))[0] == "s-health"
    assert ids(search("språkcaféet"))[0] == "s-cafe"


def test_case_and_swedish_letters(corpus, search):
    assert ids(search("VÄXJÖ"))[0] == "s-health"
    # Without Swedish letters too, alike on every backend (SQLite folds them, PostgreSQL not).
    assert ids(search("vaxjo"))[0] == "s-health"


def test_title_and_taxonomy_weigh_more_than_body(import_records, search):
    from tests.helpers import record

    import_records(
        record(external_id="in-title", title="Mentorer i Falun", summary="Ett projekt."),
        record(
            external_id="in-summary",
            title="Stöd i Falun",
            summary="Ett projekt där volontärer var mentorer och stöttade.",
        ),
    )
    found = ids(search("mentorer"))
    # The title match first, the summary-only match below it (the corpus's own mentoring
    # method may come between: "mentor" is in its title's compound).
    assert found[0] == "in-title"
    assert found.index("in-summary") > found.index("in-title")


def test_place_names_and_region_are_searchable(corpus, search):
    assert ids(search("Karlstad"))[0] == "s-cafe"
    assert "s-cafe" in ids(search("Värmlands"))  # the region of Karlstad


def test_english_query_finds_swedish_only_record_through_labels(corpus, search):
    # s-health has no English text: "Health promotion" and "Asylum seekers" are its labels.
    outcome = search("health promotion for asylum seekers", lang="en")
    assert ids(outcome)[0] == "s-health"
    result = outcome.results[0]
    assert result.language == "sv" and not result.in_reader_language


def test_one_result_per_record_in_the_readers_language(corpus, search):
    english = search("karlstad", lang="en")
    assert ids(english) == ["s-cafe"]
    assert english.results[0].language == "en"
    assert english.results[0].page.title == "Language café at the library in Karlstad"
    swedish = search("karlstad", lang="sv")
    assert swedish.results[0].language == "sv" and swedish.count == 1
    persian = search("karlstad", lang="fa")  # no Persian translation: the source, marked
    assert persian.results[0].language == "sv" and not persian.results[0].in_reader_language
    assert persian.results[0].languages == ["ar", "en", "sv"]


def test_arabic_query_matches_arabic_translation_and_labels(corpus, search):
    assert ids(search("مقهى اللغة", lang="ar"))[0] == "s-cafe"
    # طالبو اللجوء is the Arabic label of asylum-seekers, on Swedish-only s-health too.
    assert {"s-cafe", "s-health"} <= set(ids(search("طالبي اللجوء", lang="ar")))


def test_typo_is_tolerated(corpus, search):
    outcome = search("mentorskapsprogam")
    assert ids(outcome)[0] == "s-mentor"
    assert outcome.corrections == {"mentorskapsprogam": ["mentorskapsprogram"]}


@pytest.mark.parametrize(
    ("facet", "value", "expected"),
    [
        ("type", "method", {"s-mentor"}),
        ("type", "report", {"s-report"}),
        ("activity_type", "mentorship", {"s-mentor", "s-report"}),
        ("target_group", "asylum-seekers", {"s-cafe", "s-health"}),
        ("region", "17", {"s-cafe"}),
        ("municipality", "0780", {"s-health"}),
        ("year", "2022", {"s-digital"}),
        ("language", "ar", {"s-cafe"}),
        ("language", "en", {"s-cafe", "s-digital"}),
    ],
)
def test_each_facet_filters(corpus, search, facet, value, expected):
    outcome = search(**{facet: value})
    assert set(ids(outcome)) == expected
    assert outcome.count == len(expected)


def test_or_within_a_facet_and_across_facets(corpus, search):
    either = search(municipality=["0780", "1780"])
    assert set(ids(either)) == {"s-health", "s-cafe"}
    both = search(municipality=["0780", "1780"], year="2021")
    assert ids(both) == ["s-cafe"]


def test_facet_counts_count_records_and_ignore_their_own_filter(corpus, search):
    outcome = search(activity_type="mentorship")
    # Other activity types stay countable (OR within the facet) ...
    assert outcome.facets["activity_type"]["language-training"] == 1
    assert outcome.facets["activity_type"]["mentorship"] == 2
    # ... while other facets count only the filtered records.
    assert dict(outcome.facets["type"]) == {"method": 1, "report": 1}
    # A translated record counts once, whatever its number of pages.
    assert search().facets["type"]["practice"] == 3


def test_query_and_facets_combine(corpus, search):
    outcome = search("asylsökande", type="practice")
    assert set(ids(outcome)) == {"s-cafe", "s-health"}
    assert outcome.facets["type"] == {"practice": 2}


def test_sort_newest_and_pagination(corpus, search):
    newest = search(sort="newest")
    assert ids(newest) == ["s-digital", "s-cafe", "s-health", "s-mentor", "s-report"]
    first = search(page_size="2")
    second = search(page_size="2", page="2")
    third = search(page_size="2", page="3")
    assert first.count == 5 and first.pages == 3
    assert len(ids(first) + ids(second) + ids(third)) == 5
    assert set(ids(first) + ids(second) + ids(third)) == {r["external_id"] for r in _records()}


def _records():
    from .conftest import RECORDS

    return RECORDS


def test_highlight_marks_matches_and_escapes_text(corpus, search):
    result = search("hälsa")
    snippet = str(result.results[0].highlight)
    assert "<mark>hälsa</mark>" in snippet
    assert "<script>" not in snippet and "&lt;script&gt;alert(1)&lt;/script&gt;" in snippet


def test_zero_results_suggest_dropping_a_filter(corpus, search):
    outcome = search("språkcafé", type="method")
    assert outcome.count == 0 and outcome.results == []
    assert outcome.relaxations == [("type", "method", 1)]
    assert dict(outcome.available_activity_types)["mentorship"] == 2


def test_only_stop_words_find_nothing(corpus, search):
    assert search("och för i").count == 0


def test_drafts_and_private_pages_are_never_found(
    corpus, search, django_capture_on_commit_callbacks
):
    from wagtail.models import PageViewRestriction

    draft = PracticePage.objects.get(external_id="s-health", locale__language_code="sv")
    draft.title = "Hälsoskola med hemligtord"
    draft.save_revision()  # a draft revision, not published
    assert search("hemligtord").count == 0

    health = PracticePage.objects.get(external_id="s-health", locale__language_code="sv")
    with django_capture_on_commit_callbacks(execute=True):
        PageViewRestriction.objects.create(page=health, restriction_type="login")
    assert "s-health" not in ids(search("hälsoskola"))
    assert "s-health" not in ids(search(municipality="0780"))

    # A private source makes its translations private too (translation.restrictions): the
    # record is found in no language.
    cafe = PracticePage.objects.get(external_id="s-cafe", locale__language_code="sv")
    assert search("karlstad", lang="ar").results
    with django_capture_on_commit_callbacks(execute=True):
        PageViewRestriction.objects.create(page=cafe, restriction_type="login")
    for language in ("sv", "en", "ar"):
        assert "s-cafe" not in ids(search("karlstad", lang=language)), language


def test_unpublished_translation_falls_back_to_source(
    corpus, search, django_capture_on_commit_callbacks
):
    english = PracticePage.objects.get(external_id="s-cafe", locale__language_code="en")
    with django_capture_on_commit_callbacks(execute=True):
        english.unpublish()
    outcome = search("karlstad", lang="en")
    assert outcome.results[0].language == "sv"
    assert "en" not in outcome.results[0].languages


def test_search_terms_are_logged_and_promotions_shown(corpus, search):
    import time

    from search import query_log, service
    from search.catalogue import get_catalogue
    from search.params import SearchParams

    report = PracticePage.objects.none()  # noqa: F841 - the promoted page is a report
    from practices.models import ProjectReportPage

    page = ProjectReportPage.objects.get(external_id="s-report")
    SearchPromotion.objects.create(query=Query.get("Språkcafé"), page=page, description="Läs först")
    outcome = service.run(SearchParams(query="språkcafé"), log=True)
    assert Query.get("språkcafé").hits == 0  # counted in the cache, written in bulk
    query_log.flush(now=time.time() + 2 * query_log.BUCKET_SECONDS)
    assert Query.get("språkcafé").hits == 1
    assert [(promoted.pk, text) for promoted, text in outcome.promotions] == [
        (page.pk, "Läs först")
    ]
    assert get_catalogue().record_of(page.pk) is not None


def test_promotion_changes_show_at_once_and_searches_read_none(corpus, search):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from practices.models import ProjectReportPage
    from search import service
    from search.params import SearchParams

    def promoted():
        outcome = service.run(SearchParams(query="Språkcafé"))
        return [(page.external_id, text) for page, text in outcome.promotions]

    assert promoted() == []
    page = ProjectReportPage.objects.get(external_id="s-report")
    promotion = SearchPromotion.objects.create(
        query=Query.get("språkcafé"), page=page, description="Läs först"
    )
    assert promoted() == [("s-report", "Läs först")]
    promotion.description = "Läs detta först"
    promotion.save()
    assert promoted() == [("s-report", "Läs detta först")]
    # Promotions are read with the snapshot, not by every search.
    with CaptureQueriesContext(connection) as queries:
        assert promoted() == [("s-report", "Läs detta först")]
    assert not [query for query in queries if "searchpromotion" in query["sql"]]
    promotion.delete()
    assert promoted() == []


def test_result_pages_of_every_type_load_in_one_query(
    corpus, django_assert_num_queries, django_capture_on_commit_callbacks
):
    from practices.models import CONTENT_PAGE_MODELS
    from practices.visibility import restricted_sections
    from search.outcome import load_pages

    pages = {page.pk: type(page) for model in CONTENT_PAGE_MODELS for page in model.objects.live()}
    assert {cls.interchange_type for cls in pages.values()} == {"practice", "method", "report"}
    unpublished = PracticePage.objects.get(external_id="s-cafe", locale__language_code="en")
    with django_capture_on_commit_callbacks(execute=True):
        unpublished.unpublish()
    restricted_sections()  # read once per process and kept in the fragment cache
    with django_assert_num_queries(1):
        loaded = load_pages([*pages, 999_999])
        # What a result shows is loaded with it: no query per page.
        shown = [
            (page.title, page.summary, page.external_id, page.locale.language_code, page.url_path)
            for page in loaded.values()
        ]
    assert unpublished.pk not in loaded and 999_999 not in loaded
    assert {pk: type(page) for pk, page in loaded.items()} == {
        pk: cls for pk, cls in pages.items() if pk != unpublished.pk
    }
    assert all(title and summary and external_id for title, summary, external_id, *_ in shown)
