"""The home page's latest records: the three published last of each kind, one card per record
(whatever its translations), in the reader's language where a translation is live."""

from datetime import timedelta

import pytest
from django.utils import timezone

from practices.models import PracticePage
from tests.helpers import record, run_import

pytestmark = pytest.mark.django_db


def _practices(count):
    records = [
        record(
            external_id=f"t-latest-{number}",
            title=f"Praktik nummer {number}",
            translations={"en": {"title": f"Practice number {number}", "summary": "In English."}},
        )
        for number in range(count)
    ]
    assert not run_import(*records).rejections
    # Published one day apart, number 0 first; a record's translation just after its source.
    start = timezone.now() - timedelta(days=count + 1)
    for page in PracticePage.objects.all():
        number = int(page.external_id.rsplit("-", 1)[1])
        offset = timedelta(days=number, minutes=1 if page.locale.language_code == "en" else 0)
        PracticePage.objects.filter(pk=page.pk).update(first_published_at=start + offset)


def test_home_shows_the_three_practices_published_last_once_each(site_tree, client):
    _practices(6)
    html = client.get("/sv/").content.decode()
    shown = [n for n in range(6) if f"Praktik nummer {n}<" in html]
    assert shown == [3, 4, 5]
    assert html.index("Praktik nummer 5<") < html.index("Praktik nummer 3<")  # newest first
    assert "Practice number" not in html


def test_home_shows_the_readers_translation(site_tree, client):
    _practices(4)
    html = client.get("/en/").content.decode()
    assert [n for n in range(4) if f"Practice number {n}<" in html] == [1, 2, 3]
    assert "Praktik nummer" not in html


def test_a_record_unpublished_in_every_language_leaves_the_list(site_tree, client):
    _practices(4)
    for page in PracticePage.objects.filter(external_id="t-latest-3"):
        page.unpublish()
    html = client.get("/sv/").content.decode()
    assert [n for n in range(4) if f"Praktik nummer {n}<" in html] == [0, 1, 2]
