"""A small site for the reuse tests: two methods, practices and a report, in Swedish and English."""

import copy
import datetime
from dataclasses import dataclass

import pytest
from django.core.cache import cache
from wagtail.models import Locale

from home.site_tree import ensure_site_tree
from practices.models import (
    ActivityType,
    MethodAdoption,
    MethodIndexPage,
    MethodPage,
    Municipality,
    Organisation,
    PracticeIndexPage,
    PracticeIndicator,
    PracticeMethod,
    PracticePage,
    ProjectReportPage,
    Region,
    ReportIndexPage,
    ReportIndicator,
    ReportMethod,
)
from tests.helpers import module_data


def publish(page):
    page.save_revision().publish()
    page.refresh_from_db()
    return page


def add_page(parent, page):
    parent.add_child(instance=page)
    return publish(page)


def translate(page, language, title):
    """An English (etc.) translation of ``page``, published, sharing its translation key."""
    translation = page.copy_for_translation(Locale.objects.get(language_code=language)).specific
    translation.title = translation.draft_title = title
    return publish(translation)


@dataclass
class ReuseSite:
    tree: dict
    sunne: Organisation
    lerum: Organisation
    network: Organisation
    mentoring: MethodPage
    mentoring_en: MethodPage
    matching: MethodPage
    sunne_practice: PracticePage
    sunne_practice_en: PracticePage
    lerum_practice: PracticePage
    draft_practice: PracticePage
    report: ProjectReportPage


@pytest.fixture(autouse=True)
def _clear_cache():
    cache.clear()
    yield
    cache.clear()


@pytest.fixture(scope="module")
def reuse_site_data(django_db_setup, django_db_blocker):
    """The reuse site, built once per module (see ``tests.helpers.module_data``)."""
    with module_data(django_db_blocker):
        yield build_reuse_site(ensure_site_tree())


@pytest.fixture
def reuse_site(reuse_site_data, db):
    # A copy per test, as setUpTestData gives: what a test changes on these objects in memory
    # does not leak into the next test (the database rolls back by itself).
    return copy.deepcopy(reuse_site_data)


def build_reuse_site(site_tree):
    sv = site_tree["sv"]
    värmland = Municipality.objects.get(code="1766")  # Sunne, Värmland (17)
    lerum_municipality = Municipality.objects.get(code="1441")  # Lerum, Västra Götaland (14)
    sunne = Organisation.objects.create(
        name="Sunne kommun", kind="municipality", municipality=värmland
    )
    lerum = Organisation.objects.create(
        name="Lerums kommun", kind="municipality", municipality=lerum_municipality
    )
    network = Organisation.objects.create(name="Support Group Network", kind="civil_society")
    mentoring_type = ActivityType.objects.get(slug="mentorship", locale__language_code="sv")
    internship_type = ActivityType.objects.get(slug="internship", locale__language_code="sv")

    mentoring = add_page(
        sv[MethodIndexPage],
        MethodPage(
            title="Mentorskap i arbetslivet",
            slug="mentorskap",
            summary="Mentorer från arbetslivet.",
            external_id="t-method-mentoring",
            contact_name="Metodansvarig",
            contact_email="metod@example.se",
        ),
    )
    mentoring.activity_types.add(mentoring_type)
    publish(mentoring)
    mentoring_en = translate(mentoring, "en", "Mentoring at work")
    matching = add_page(
        sv[MethodIndexPage],
        MethodPage(
            title="Mjuk matchning",
            slug="mjuk-matchning",
            summary="Matchning mot arbetsgivare.",
            external_id="t-method-matching",
        ),
    )
    matching.activity_types.add(internship_type)
    publish(matching)

    sunne_practice = add_page(
        sv[PracticeIndexPage],
        PracticePage(
            title="Mentorer i Sunne",
            slug="mentorer-i-sunne",
            summary="Mentorer för nyanlända.",
            external_id="t-practice-sunne",
            organisation=sunne,
            start_date=datetime.date(2016, 6, 1),
            end_date=datetime.date(2018, 12, 31),
            contact_name="Projektledare",
            contact_email="projekt@sunne.example.se",
        ),
    )
    sunne_practice.municipalities.add(värmland)
    sunne_practice.activity_types.add(mentoring_type)
    sunne_practice.method_links.add(PracticeMethod(method=mentoring))
    sunne_practice.indicators.add(
        PracticeIndicator(key="participants", value=40, unit="count", target=30),
        PracticeIndicator(key="in_work", value=12, unit="count"),
        PracticeIndicator(key="in_work", value=30, unit="percent", target=40),
    )
    publish(sunne_practice)
    sunne_practice_en = translate(sunne_practice, "en", "Mentors in Sunne")

    lerum_practice = add_page(
        sv[PracticeIndexPage],
        PracticePage(
            title="Praktik i Lerum",
            slug="praktik-i-lerum",
            summary="Praktikplatser.",
            external_id="t-practice-lerum",
            organisation=lerum,
            start_date=datetime.date(2030, 1, 1),
        ),
    )
    lerum_practice.municipalities.add(lerum_municipality)
    lerum_practice.activity_types.add(mentoring_type)
    lerum_practice.method_links.add(PracticeMethod(method=mentoring))
    lerum_practice.indicators.add(
        PracticeIndicator(key="in_work", value=55, unit="percent", target=50),
        PracticeIndicator(key="=cmd", label='=HYPERLINK("http://evil")', value=1, unit="count"),
    )
    publish(lerum_practice)

    # A practice that was never published must not count or show.
    draft_practice = PracticePage(
        title="Utkast i Sunne",
        slug="utkast",
        summary="Inte publicerad.",
        external_id="t-practice-draft",
        organisation=network,
        live=False,
    )
    sv[PracticeIndexPage].add_child(instance=draft_practice)
    draft_practice.method_links.add(PracticeMethod(method=mentoring))
    draft_practice.save()

    report = add_page(
        sv[ReportIndexPage],
        ProjectReportPage(
            title="Slutrapport mentorskap",
            slug="slutrapport-mentorskap",
            summary="Rapport.",
            external_id="t-report-mentoring",
            organisation=sunne,
        ),
    )
    report.method_links.add(ReportMethod(method=mentoring))
    report.activity_types.add(mentoring_type)
    report.indicators.add(ReportIndicator(key="participants", value=25, unit="count"))
    publish(report)

    return ReuseSite(
        tree=site_tree,
        sunne=sunne,
        lerum=lerum,
        network=network,
        mentoring=mentoring,
        mentoring_en=mentoring_en,
        matching=matching,
        sunne_practice=sunne_practice,
        sunne_practice_en=sunne_practice_en,
        lerum_practice=lerum_practice,
        draft_practice=draft_practice,
        report=report,
    )


def adopt(method, organisation, **fields):
    """Record that ``organisation`` uses ``method``, as its editor would in the admin."""
    MethodAdoption.objects.create(method=method, organisation=organisation, **fields)
    return method


def region(code):
    return Region.objects.get(code=code)
