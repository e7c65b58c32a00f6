"""Place pages that do not grow with the site (issue 20): capped lists with their totals and a
link to search that finds the rest, the seat rule in SQL, outcomes counted per record, the
methods most used there with a bounded list of who uses them, and a query count that stays
the same however many records a place has."""

import re
from datetime import timedelta

import pytest
from django.core.cache import caches
from django.db import connection
from django.test import TestCase
from django.test.utils import CaptureQueriesContext
from django.utils import timezone, translation

from home.site_tree import ensure_site_tree
from places import pages
from places.pages import find_place, methods_in_use, outcomes, recent_records
from practices.locales import active_locale
from practices.models import (
    CONTENT_PAGE_MODELS,
    Indicator,
    MethodAdoption,
    MethodPage,
    Municipality,
    Organisation,
    PracticePage,
)
from tests.helpers import module_data, record, run_import

HYLTE, LAHOLM, HALLAND = "1315", "1381", "13"
CAP = 3  # the list cap in this module (the site's is 12)


def practice(number, **fields):
    return record(
        external_id=f"t-hylte-{number}",
        title=f"Språkcafé nummer {number} i Hylte",
        municipalities=[HYLTE],
        organisation="Hylte kommun",
        **fields,
    )


RECORDS = [
    record(
        external_id="t-hylte-method",
        type="method",
        title="Språkvänner",
        municipalities=[HYLTE],
        organisation="Hylte kommun",
    ),
    practice(
        1,
        methods=["t-hylte-method"],
        indicators=[{"key": "in_work", "value": 45, "unit": "percent", "target": 40}],
        translations={"en": {"title": "Language café number 1 in Hylte", "summary": "Café."}},
    ),
    practice(
        2,
        methods=["t-hylte-method"],
        indicators=[{"key": "dropped_out", "value": 8, "unit": "percent", "target": 10}],
    )
    | {"organisation": "Röda Korset Hylte"},
    practice(
        3,
        methods=["t-hylte-method"],
        indicators=[{"key": "dropped_out", "value": 12, "unit": "percent", "target": 10}],
    )
    | {"organisation": "Hylte folkhögskola"},
    practice(4),
    practice(5),
    # Names no place: it is where its organisation is based (Laholm, in Halland).
    record(
        external_id="t-laholm-seat",
        title="Läxhjälp i Laholm",
        organisation="Laholms kommun",
    ),
]


@pytest.fixture(scope="module")
def places_site(django_db_setup, django_db_blocker):
    with module_data(django_db_blocker):
        ensure_site_tree()
        for name, code in (("Hylte kommun", HYLTE), ("Laholms kommun", LAHOLM)):
            Organisation.objects.create(
                name=name, kind="municipality", municipality=Municipality.objects.get(code=code)
            )
        source = Indicator.objects.get(slug="participants", locale__language_code="sv")
        Indicator.objects.create(
            slug="dropped_out",
            locale=source.locale,
            name="Avbrott",
            unit="percent",
            higher_is_better=False,
        )
        with TestCase.captureOnCommitCallbacks(execute=True):
            report = run_import(*RECORDS)
        assert not report.rejections, report.rejections
        # Published in the file's order (the importer writes new records without references
        # in one batch, before those that refer to others): a minute apart.
        start = timezone.now() - timedelta(hours=1)
        for minutes, item in enumerate(RECORDS):
            for model in CONTENT_PAGE_MODELS:
                model.objects.filter(external_id=item["external_id"]).update(
                    first_published_at=start + timedelta(minutes=minutes)
                )
        yield


@pytest.fixture
def client(places_site, client, settings, monkeypatch):
    settings.PAGE_CACHE_ENABLED = False
    monkeypatch.setattr(pages, "RECORDS_LIMIT", CAP)
    caches["default"].clear()
    return client


def section(html, heading_id):
    start = html.find(f'id="{heading_id}"')
    assert start != -1, heading_id
    return html[start : html.find("</section>", start)]


def titles(html):
    return re.findall(r'class="card__title"><a [^>]*>([^<]+)</a>', html)


def queries(client, path):
    with CaptureQueriesContext(connection) as captured:
        assert client.get(path).status_code == 200
    return len(captured)


def test_a_place_lists_the_most_recent_records_with_the_total_and_a_link_to_search(client):
    html = client.get(f"/sv/places/{HYLTE}/").content.decode()
    practices = section(html, "place-practices-heading")
    # The three published last, newest first, never the first two.
    assert titles(practices) == [f"Språkcafé nummer {n} i Hylte" for n in (5, 4, 3)]
    assert '<span class="count">(5)</span>' in practices
    with translation.override("sv"):
        showing = translation.gettext("Showing the %(shown)s most recent of %(total)s.") % {
            "shown": 3,
            "total": 5,
        }
    assert showing in practices
    # A place with fewer records than the cap has no such line.
    methods = section(html, "place-methods-heading")
    assert titles(methods) == ["Språkvänner"] and 'class="capped"' not in methods


def test_the_search_link_finds_every_record_of_the_place(client):
    html = client.get(f"/sv/places/{HYLTE}/").content.decode()
    practices = section(html, "place-practices-heading")
    link = re.search(r'class="capped">.*?<a href="([^"]+)"', practices, re.S).group(1)
    assert link == f"/sv/search/?municipality={HYLTE}&amp;type=practice&amp;sort=newest"
    found = client.get(link.replace("&amp;", "&")).content.decode()
    assert set(titles(found)) == {f"Språkcafé nummer {n} i Hylte" for n in range(1, 6)}


def test_a_record_naming_no_place_is_where_its_organisation_is_based(client):
    laholm = client.get(f"/sv/places/{LAHOLM}/").content.decode()
    # Only it: Hylte's practices name Hylte, so they are not in Laholm.
    assert titles(section(laholm, "place-practices-heading")) == ["Läxhjälp i Laholm"]
    halland = client.get(f"/sv/places/{HALLAND}/").content.decode()
    halland = section(halland, "place-practices-heading")
    assert titles(halland)[0] == "Läxhjälp i Laholm"  # published last
    assert '<span class="count">(6)</span>' in halland
    hylte = find_place(HYLTE)
    with translation.override("sv"):
        listing = recent_records(hylte, active_locale(), limit=10)["practice"]
    assert listing.total == 5 and "Läxhjälp i Laholm" not in [p.title for p in listing]


def test_outcomes_count_each_record_once_and_less_can_be_better(places_site, db):
    with translation.override("sv"):
        found = {outcome.label: outcome for outcome in outcomes(find_place(HYLTE))}
    # Practice 1 has two pages (sv, en): measured by one record.
    in_work = next(o for label, o in found.items() if label != "Avbrott")
    assert (in_work.records, in_work.with_target, in_work.met) == (1, 1, 1)
    # 8 under a target of 10 is met where less is better; 12 is not.
    dropped = found["Avbrott"]
    assert (dropped.records, dropped.with_target, dropped.met) == (2, 2, 1)


def test_methods_in_use_are_counted_by_organisation_and_who_uses_them_is_bounded(places_site, db):
    hylte = find_place(HYLTE)
    with translation.override("sv"):
        listing = methods_in_use(hylte, active_locale(), users_limit=2)
    assert listing.total == 1
    [use] = listing
    assert use.method.title == "Språkvänner"
    assert use.count == 3  # three organisations applied it in Hylte
    assert len(use.users) == 2 and use.more == 1
    # An adoption recorded by an organisation based in Laholm puts it in use there.
    MethodAdoption.objects.create(
        method=MethodPage.objects.get(external_id="t-hylte-method"),
        organisation=Organisation.objects.get(name="Laholms kommun"),
        status="planned",
    )
    with translation.override("sv"):
        [laholm_use] = methods_in_use(find_place(LAHOLM), active_locale())
    assert [(user.name, user.status) for user in laholm_use.users] == [
        ("Laholms kommun", "planned")
    ]


def test_a_place_page_runs_as_many_queries_with_many_records_as_with_few(
    client, django_capture_on_commit_callbacks
):
    path = f"/sv/places/{HYLTE}/"
    queries(client, path)  # the shared fragments
    few = queries(client, path)
    assert few <= 20
    more = [practice(number) for number in range(6, 16)]
    with django_capture_on_commit_callbacks(execute=True):
        assert not run_import(*more).rejections
    queries(client, path)  # the counts kept in the cache are read again after a publish
    many = queries(client, path)
    assert many == few
    html = client.get(path).content.decode()
    assert '<span class="count">(15)</span>' in section(html, "place-practices-heading")


def test_a_publish_shows_on_the_place_page_at_once(client, django_capture_on_commit_callbacks):
    client.get(f"/sv/places/{LAHOLM}/")
    with django_capture_on_commit_callbacks(execute=True):
        assert not run_import(
            record(external_id="t-laholm-new", title="Nytt i Laholm", municipalities=[LAHOLM])
        ).rejections
    html = client.get(f"/sv/places/{LAHOLM}/").content.decode()
    assert titles(section(html, "place-practices-heading"))[0] == "Nytt i Laholm"
    assert PracticePage.objects.filter(external_id="t-laholm-new").exists()
