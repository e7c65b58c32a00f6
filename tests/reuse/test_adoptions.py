"""Who uses a method: explicit adoptions merged with "methods applied", per organisation."""

import datetime
from http import HTTPStatus

import pytest
from django.core.exceptions import ValidationError
from django.test import TestCase
from wagtail.models import Locale

from practices.models import ActivityType, AdoptionStatus, MethodAdoption
from reuse.adoptions import based_on_methods, method_reuse, reuse_overview, status_from_period

from .conftest import adopt, region

pytestmark = pytest.mark.django_db


def locale(code):
    return Locale.objects.get(language_code=code)


def test_methods_applied_count_as_adoptions_of_live_practices_only(reuse_site):
    reuse = method_reuse(reuse_site.mentoring, locale("sv"))
    names = [a.organisation.name for a in reuse.adoptions]
    assert sorted(names) == ["Lerums kommun", "Sunne kommun"]
    # The unpublished practice of Support Group Network neither shows nor counts.
    assert reuse.organisation_count == 2
    assert {r.code for r in reuse.regions} == {"14", "17"}
    assert reuse.region_count == 2
    assert all(not a.recorded for a in reuse.adoptions)


def test_status_comes_from_the_practice_period():
    class Period:
        def __init__(self, start, end):
            self.start_date, self.end_date = start, end

    today = datetime.date(2026, 11, 23)
    assert (
        status_from_period(Period(datetime.date(2016, 1, 1), datetime.date(2018, 1, 1)), today)
        == "finished"
    )
    assert status_from_period(Period(datetime.date(2030, 1, 1), None), today) == "planned"
    assert status_from_period(Period(datetime.date(2025, 1, 1), None), today) == "running"
    assert status_from_period(Period(None, None), today) == "running"


def test_explicit_record_wins_and_dedupes_per_organisation(reuse_site):
    adopt(
        reuse_site.mentoring,
        reuse_site.sunne,
        status=AdoptionStatus.RUNNING,
        start_date=datetime.date(2024, 2, 1),
        changes="Vi lade till digitala träffar.",
    )
    reuse = method_reuse(reuse_site.mentoring, locale("sv"))
    sunne = [a for a in reuse.adoptions if a.organisation == reuse_site.sunne]
    assert len(sunne) == 1
    entry = sunne[0]
    assert entry.recorded
    assert entry.status == "running"  # the practice ended in 2018, but the record says running
    assert entry.start_date == datetime.date(2024, 2, 1)
    assert entry.changes == "Vi lade till digitala träffar."
    assert entry.changes_language == "sv"
    # No practice named on the record: the organisation's practice applying it is kept.
    assert entry.practice.pk == reuse_site.sunne_practice.pk
    assert reuse.organisation_count == 2


def test_an_organisation_without_practice_counts_in_its_seat_region(reuse_site):
    reuse_site.network.region = region("01")
    reuse_site.network.save()
    adopt(reuse_site.mentoring, reuse_site.network, status=AdoptionStatus.PLANNED)
    reuse = method_reuse(reuse_site.mentoring, locale("sv"))
    assert reuse.organisation_count == 3
    assert reuse.region_count == 3
    network = next(a for a in reuse.adoptions if a.organisation == reuse_site.network)
    assert network.practice is None
    assert network.places == [region("01").name]


def test_reader_sees_linked_practice_in_their_language(reuse_site):
    adopt(
        reuse_site.mentoring,
        reuse_site.sunne,
        status=AdoptionStatus.FINISHED,
        practice=reuse_site.sunne_practice,
    )
    english = method_reuse(reuse_site.mentoring_en, locale("en"))
    sunne = next(a for a in english.adoptions if a.organisation == reuse_site.sunne)
    assert sunne.practice.pk == reuse_site.sunne_practice_en.pk
    # Lerum's practice has no English translation: the Swedish one is shown.
    lerum = next(a for a in english.adoptions if a.organisation == reuse_site.lerum)
    assert lerum.practice.locale.language_code == "sv"


def test_adoptions_are_kept_on_the_source_method_and_count_once(reuse_site):
    # Chosen through the English translation: stored on the Swedish source page.
    adopt(reuse_site.mentoring_en, reuse_site.network, status=AdoptionStatus.RUNNING)
    row = MethodAdoption.objects.get(organisation=reuse_site.network)
    assert row.method.pk == reuse_site.mentoring.pk
    for method, language in ((reuse_site.mentoring_en, "en"), (reuse_site.mentoring, "sv")):
        reuse = method_reuse(method, locale(language))
        assert [a.organisation for a in reuse.adoptions].count(reuse_site.network) == 1


def test_one_adoption_per_method_and_organisation(reuse_site):
    adopt(reuse_site.mentoring, reuse_site.network, status=AdoptionStatus.RUNNING)
    second = MethodAdoption(
        method=reuse_site.mentoring_en,
        organisation=reuse_site.network,
        status=AdoptionStatus.PLANNED,
    )
    with pytest.raises(ValidationError) as error:
        second.full_clean()
    assert error.value.messages == [
        "Organisationen har redan registrerat att den använder metoden. Ändra den "
        "registreringen i stället."
    ]
    assert MethodAdoption.objects.get().status == AdoptionStatus.RUNNING


def test_a_link_to_an_unpublished_practice_is_dropped(reuse_site):
    adopt(
        reuse_site.mentoring,
        reuse_site.network,
        status=AdoptionStatus.RUNNING,
        practice=reuse_site.draft_practice,
    )
    reuse = method_reuse(reuse_site.mentoring, locale("sv"))
    network = next(a for a in reuse.adoptions if a.organisation == reuse_site.network)
    assert network.practice is None


def test_adoption_must_link_a_practice_of_the_same_organisation(reuse_site):
    row = MethodAdoption(
        method=reuse_site.mentoring,
        organisation=reuse_site.network,
        status=AdoptionStatus.RUNNING,
        practice=reuse_site.sunne_practice,
    )
    with pytest.raises(ValidationError) as error:
        row.clean()
    assert "practice" in error.value.message_dict


def test_practice_is_based_on_methods_applied_and_adopted(reuse_site):
    adopt(
        reuse_site.matching,
        reuse_site.sunne,
        status=AdoptionStatus.RUNNING,
        practice=reuse_site.sunne_practice,
    )
    methods = based_on_methods(reuse_site.sunne_practice, Locale.get_active())
    assert {m.translation_key for m in methods} == {
        reuse_site.mentoring.translation_key,
        reuse_site.matching.translation_key,
    }


def test_overview_ranks_by_organisations(reuse_site):
    overview = reuse_overview(locale("sv"))
    titles = [item.method.title for item in overview.methods]
    assert titles[:2] == ["Mentorskap i arbetslivet", "Mjuk matchning"]
    assert overview.methods[0].organisation_count == 2
    assert overview.methods[1].organisation_count == 0

    # The ranking is kept until adoptions change: the change counts once it has committed.
    with TestCase.captureOnCommitCallbacks(execute=True):
        adopt(reuse_site.matching, reuse_site.sunne, status=AdoptionStatus.RUNNING)
        adopt(reuse_site.matching, reuse_site.lerum, status=AdoptionStatus.RUNNING)
        adopt(reuse_site.matching, reuse_site.network, status=AdoptionStatus.PLANNED)
    overview = reuse_overview(locale("sv"))
    assert [item.method.title for item in overview.methods][:2] == [
        "Mjuk matchning",
        "Mentorskap i arbetslivet",
    ]


def test_overview_filters_by_activity_type_and_region(reuse_site):
    internship = ActivityType.objects.get(slug="internship", locale__language_code="sv")
    overview = reuse_overview(locale("sv"), activity_type=internship)
    assert [item.method.title for item in overview.methods] == ["Mjuk matchning"]

    overview = reuse_overview(locale("sv"), region=region("14"))
    assert [item.method.title for item in overview.methods] == ["Mentorskap i arbetslivet"]
    assert [a.organisation.name for a in overview.methods[0].adoptions] == ["Lerums kommun"]


class TestPages:
    def test_method_page_shows_who_uses_it(self, client, reuse_site):
        adopt(
            reuse_site.mentoring,
            reuse_site.network,
            status=AdoptionStatus.PLANNED,
            changes="Kortare program.",
        )
        response = client.get(reuse_site.mentoring.url)
        assert response.status_code == HTTPStatus.OK
        page = response.context["page"]
        assert method_reuse(page, Locale.get_active()).organisation_count == 3
        html = response.content.decode()
        for name in ("Sunne kommun", "Lerums kommun", "Support Group Network", "Kortare program."):
            assert name in html
        assert reuse_site.sunne_practice.url in html
        assert reuse_site.sunne_practice.url + "#outcomes-heading" in html
        assert "/sv/compare/method/t-method-mentoring/" in html
        assert "/sv/reuse/" in html
        # The report is listed as a report; practices are not listed twice.
        assert reuse_site.report.title in html
        assert html.count(f'href="{reuse_site.lerum_practice.url}"') == 1

    def test_method_page_in_english_uses_plural_forms_and_marks_other_language_text(
        self, client, reuse_site
    ):
        adopt(
            reuse_site.mentoring,
            reuse_site.network,
            status=AdoptionStatus.PLANNED,
            changes="Kortare program.",
        )
        response = client.get(reuse_site.mentoring_en.url)
        html = response.content.decode()
        assert "Used by 3 organisations in 2 regions" in html
        assert '<span lang="sv">Kortare program.</span>' in html
        assert reuse_site.sunne_practice_en.url in html

    def test_method_without_users_says_so(self, client, reuse_site):
        response = client.get(reuse_site.matching.url)
        assert response.status_code == HTTPStatus.OK
        html = response.content.decode()
        assert 'id="reuse-heading"' in html
        assert 'class="reuse-table"' not in html
        # Nothing measured: no link to an empty comparison, and the page says why.
        assert "/sv/compare/method/t-method-matching/" not in html
        assert "så det finns inget att jämföra" in html

    def test_compare_links_only_where_outcomes_are_measured(self, client, reuse_site):
        html = client.get("/en/reuse/").content.decode()
        # Mentoring: two practices and a report with indicators; matching: none.
        assert 'href="/en/compare/method/t-method-mentoring/">Compare 3<span' in html
        assert "/en/compare/method/t-method-matching/" not in html
        assert "None measured yet" in html
        method = client.get(reuse_site.mentoring_en.url).content.decode()
        assert "Compare the measured outcomes (3 practices and reports)" in method

    def test_practice_page_shows_based_on_method(self, client, reuse_site):
        adopt(
            reuse_site.matching,
            reuse_site.sunne,
            status=AdoptionStatus.RUNNING,
            practice=reuse_site.sunne_practice,
        )
        response = client.get(reuse_site.sunne_practice_en.url)
        html = response.content.decode()
        assert "Based on the method “Mentoring at work”" in html
        assert "Based on the method “Mjuk matchning”" in html
        assert reuse_site.mentoring_en.url in html
        assert reuse_site.matching.url in html

    def test_overview_page_lists_ranked_methods_and_filters(self, client, reuse_site):
        response = client.get("/en/reuse/")
        assert response.status_code == HTTPStatus.OK
        html = response.content.decode()
        assert html.index("Mentoring at work") < html.index("Mjuk matchning")
        assert "/en/compare/method/t-method-mentoring/" in html

        response = client.get("/en/reuse/", {"activity_type": "internship"})
        assert [i.method.title for i in response.context["overview"].methods] == ["Mjuk matchning"]
        assert "/en/compare/activity/internship/" in response.content.decode()

        response = client.get("/en/reuse/", {"region": "14"})
        assert [i.method.title for i in response.context["overview"].methods] == [
            "Mentoring at work"
        ]

    def test_overview_rejects_unknown_filters_with_a_message(self, client, reuse_site):
        response = client.get("/en/reuse/", {"activity_type": "juggling", "region": "99"})
        assert response.status_code == HTTPStatus.BAD_REQUEST
        html = response.content.decode()
        assert "There is no activity type “juggling”." in html
        assert "There is no region with the code “99”." in html
        assert 'role="alert"' in html
        # Nothing is lost: every method is still listed.
        assert len(response.context["overview"].methods) == 2
