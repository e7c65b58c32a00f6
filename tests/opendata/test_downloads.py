"""The bulk downloads (/open-data/records.jsonl, /open-data/outcomes.csv) on the demo content:
every record and every outcome, the licence in the headers, built again after a publish or an
unpublish (and by build_open_data), conditional GETs; the landing page in the reader's
language."""

import csv
import io
import json

import pytest
from django.core.management import call_command
from django.test import Client

from opendata import downloads
from opendata.models import DataVersion
from practices.models import PracticePage
from search import facets
from tests.helpers import load_demo, module_data

LICENCE = '<http://creativecommons.org/licenses/by/4.0/>; rel="license"'


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker):
    with module_data(django_db_blocker):
        load_demo(on_commit=False)
        facets.rebuild()
        yield


@pytest.fixture(autouse=True)
def open_data_dir(settings, tmp_path):
    settings.OPEN_DATA_DIR = str(tmp_path / "open-data")
    return tmp_path / "open-data"


def body(response):
    return b"".join(response.streaming_content).decode("utf-8")


def jsonl(client):
    response = client.get("/open-data/records.jsonl")
    assert response.status_code == 200
    return response, [json.loads(line) for line in body(response).splitlines()]


def outcomes(client):
    response = client.get("/open-data/outcomes.csv")
    assert response.status_code == 200
    return response, list(csv.DictReader(io.StringIO(body(response))))


def test_downloads_of_an_empty_site(site_tree):
    client = Client()
    assert jsonl(client)[1] == []
    response, rows = outcomes(client)
    assert rows == []
    assert body(client.get("/open-data/outcomes.csv")).splitlines() == [
        ",".join(downloads.OUTCOME_COLUMNS)
    ]


def test_the_records_file_holds_every_record_as_the_api_gives_it(demo, db):
    client = Client()
    response, records = jsonl(client)
    assert response["Content-Type"] == "application/jsonl; charset=utf-8"
    assert LICENCE in response["Link"]
    assert 'rel="describedby"' in response["Link"]
    api = client.get("/api/records/?page_size=50").json()["results"]
    assert len(records) == 30
    assert records == api


def test_the_outcomes_file_has_a_row_per_indicator(demo, db):
    client = Client()
    _response, records = jsonl(client)
    response, rows = outcomes(client)
    assert response["Content-Type"].startswith("text/csv")
    assert LICENCE in response["Link"]
    expected = [
        (record["external_id"], indicator["key"])
        for record in records
        for indicator in record.get("indicators", ())
    ]
    assert [(row["external_id"], row["indicator"]) for row in rows] == expected
    assert len(rows) > 40
    record = next(record for record in records if record.get("indicators"))
    indicator = record["indicators"][0]
    row = rows[0]
    assert row["external_id"] == record["external_id"]
    assert row["title"] == record["title"]
    assert row["type"] == record["type"]
    assert row["organisation"] == record.get("organisation", "")
    assert row["municipalities"] == " ".join(record.get("municipalities", ()))
    assert row["value"] == str(indicator["value"])
    assert row["unit"] == indicator["unit"]
    assert row["target"] == str(indicator.get("target", ""))
    assert row["measured_on"] == indicator.get("measured_on", "")
    assert row["last_updated"] == record["last_updated"]


def test_a_publish_and_an_unpublish_make_new_files(
    demo, db, django_capture_on_commit_callbacks, open_data_dir
):
    client = Client()
    first, _records = jsonl(client)
    practice = PracticePage.objects.get(
        external_id="demo-practice-soft-matching-gavle", locale__language_code="sv"
    )
    practice.title = "Mjuk matchning i Gävle, reviderad"
    with django_capture_on_commit_callbacks(execute=True):
        practice.save_revision().publish()
    second, records = jsonl(client)
    assert second["ETag"] != first["ETag"]
    titles = {record["external_id"]: record["title"] for record in records}
    assert titles[practice.external_id] == "Mjuk matchning i Gävle, reviderad"
    _response, rows = outcomes(client)
    assert {row["title"] for row in rows if row["external_id"] == practice.external_id} == {
        "Mjuk matchning i Gävle, reviderad"
    }
    # Only the current version's files are kept.
    assert len(list(open_data_dir.glob("records-*.jsonl"))) == 1

    with django_capture_on_commit_callbacks(execute=True):
        practice.unpublish()
    _response, records = jsonl(client)
    assert practice.external_id not in [record["external_id"] for record in records]
    assert len(records) == 29
    _response, rows = outcomes(client)
    assert practice.external_id not in {row["external_id"] for row in rows}


def test_build_open_data_builds_a_new_version(demo, db, open_data_dir):
    before = DataVersion.current()
    out = io.StringIO()
    call_command("build_open_data", stdout=out)
    after = DataVersion.current()
    assert after != before
    assert (open_data_dir / f"records-{after}.jsonl").exists()
    assert (open_data_dir / f"outcomes-{after}.csv").exists()
    assert "records" in out.getvalue()
    out = io.StringIO()
    call_command("build_open_data", "--if-missing", stdout=out)
    assert "already built" in out.getvalue()
    assert DataVersion.current() == after


def test_an_unchanged_file_is_not_sent_again(demo, db):
    client = Client()
    first = client.get("/open-data/outcomes.csv")
    again = client.get("/open-data/outcomes.csv", HTTP_IF_NONE_MATCH=first["ETag"])
    assert again.status_code == 304


def test_open_data_sends_the_reader_to_their_language(site_tree):
    client = Client()
    response = client.get("/open-data/", HTTP_ACCEPT_LANGUAGE="fa,en;q=0.5")
    assert response.status_code == 302
    assert response["Location"] == "/fa/open-data/"
    assert "Accept-Language" in response["Vary"]
    assert client.get("/open-data/")["Location"] == "/sv/open-data/"


@pytest.mark.parametrize(("language", "direction"), [("sv", "ltr"), ("ar", "rtl")])
def test_the_landing_page(demo, db, language, direction):
    response = Client().get(f"/{language}/open-data/")
    assert response.status_code == 200
    html = response.content.decode()
    assert f'<html lang="{language}" dir="{direction}">' in html
    assert 'class="site-header"' in html  # the site's own chrome
    for link in (
        'href="/open-data/records.jsonl"',
        'href="/open-data/outcomes.csv"',
        'href="/open-data/catalog.rdf"',
        'href="/api/docs/"',
        'href="http://creativecommons.org/licenses/by/4.0/" rel="license"',
    ):
        assert link in html
    assert '<code dir="ltr">measured_on</code>' in html
    assert "30" in html  # how many records


def test_every_page_links_to_the_open_data(site_tree):
    html = Client().get("/en/").content.decode()
    assert 'href="/en/open-data/"' in html
