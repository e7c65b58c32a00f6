"""Be found and followed: the sitemap (valid against the sitemaps.org schema, hreflang
alternates for every translated page), robots.txt, Atom feeds (valid for feedparser) per
language, type, activity type, region and search, and how pages describe themselves to search
engines and when shared (JSON-LD, Open Graph)."""

import json
import re
from pathlib import Path

import feedparser
import pytest
from django.conf import settings
from django.test import Client
from lxml import etree
from wagtail.models import PageViewRestriction, Site

from feeds.sitemap import site_pages
from practices.models import MethodPage, PracticePage
from tests.helpers import load_demo, module_data

SCHEMAS = Path(__file__).parent / "schemas"
NS = {"s": "http://www.sitemaps.org/schemas/sitemap/0.9", "x": "http://www.w3.org/1999/xhtml"}
PREMIAR = "demo-practice-premiar-primar"


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker):
    with module_data(django_db_blocker):
        load_demo()  # with what its commits do: search's facet rows
        yield


@pytest.fixture
def client(demo, db):
    return Client()


def schema(name):
    return etree.XMLSchema(etree.parse(str(SCHEMAS / name)))


def local(url):
    """The path of an absolute URL of the test server."""
    return re.sub(r"^https?://[^/]+", "", url)


def fetch_sitemap(client):
    index = client.get("/sitemap.xml")
    assert index.status_code == 200
    index_doc = etree.fromstring(index.content)
    schema("siteindex.xsd").assertValid(index_doc)
    sections = [loc.text for loc in index_doc.findall("s:sitemap/s:loc", NS)]
    assert sections
    urls = []
    for section in sections:
        response = client.get(local(section))
        assert response.status_code == 200
        doc = etree.fromstring(response.content)
        schema("sitemap-hreflang.xsd").assertValid(doc)
        urls.extend(doc.findall("s:url", NS))
    return urls


def test_the_sitemap_lists_every_public_page_with_its_language_versions(client):
    urls = fetch_sitemap(client)
    listed = {url.findtext("s:loc", namespaces=NS) for url in urls}
    assert len(listed) == len(urls)  # each page once
    site_pages_count = site_pages(Site.objects.get(is_default_site=True)).count()
    assert len(listed) == site_pages_count
    premiar = PracticePage.objects.filter(external_id=PREMIAR).select_related("locale")
    assert premiar.count() == 4
    for page in premiar:
        entry = next(url for url in urls if url.findtext("s:loc", namespaces=NS).endswith(page.url))
        alternates = {
            link.get("hreflang"): link.get("href") for link in entry.findall("x:link", NS)
        }
        assert set(alternates) == {"sv", "en", "ar", "fa", "x-default"}
        assert alternates["x-default"] == alternates["sv"]
        for version in premiar:
            assert alternates[version.locale.language_code].endswith(version.url)
        assert entry.findtext("s:lastmod", namespaces=NS)


def test_private_pages_are_not_in_the_sitemap(client):
    page = PracticePage.objects.filter(external_id=PREMIAR, locale__language_code="en").get()
    PageViewRestriction.objects.create(
        page=page, restriction_type=PageViewRestriction.PASSWORD, password="hemligt"
    )
    listed = [url.findtext("s:loc", namespaces=NS) for url in fetch_sitemap(client)]
    assert not any(loc.endswith(page.url) for loc in listed)


def test_robots_txt_names_the_sitemap_and_keeps_crawlers_out_of_the_admin(client):
    response = client.get("/robots.txt")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/plain")
    text = response.content.decode()
    assert f"Sitemap: {settings.SITE_URL}/sitemap.xml" in text
    assert "Disallow: /admin/" in text
    assert "Disallow: /*/search/" in text


def parse_feed(client, url):
    response = client.get(url)
    assert response.status_code == 200, (url, response.status_code)
    assert response["Content-Type"].startswith("application/atom+xml")
    feed = feedparser.parse(response.content)
    assert not feed.bozo, feed.bozo_exception
    return feed


def test_the_feed_of_everything_in_each_language(client):
    swedish = parse_feed(client, "/sv/feeds/")
    assert swedish.feed.language == "sv"
    assert len(swedish.entries) == 30  # the demo has 30 records: all fit
    for entry in swedish.entries:
        assert entry.link.startswith("http")
        assert entry.updated and entry.summary
    arabic = parse_feed(client, "/ar/feeds/")
    premiar_ar = PracticePage.objects.get(external_id=PREMIAR, locale__language_code="ar")
    assert premiar_ar.title in {entry.title for entry in arabic.entries}
    assert "/ar/" in next(e.link for e in arabic.entries if e.title == premiar_ar.title)


def test_feeds_per_type_activity_and_region(client):
    methods = parse_feed(client, "/sv/feeds/method/")
    assert methods.entries
    assert all("/metoder/" in entry.link for entry in methods.entries)
    practice = PracticePage.objects.get(external_id=PREMIAR, locale__language_code="sv")
    activity = practice.activity_types.first()
    by_activity = parse_feed(client, f"/sv/feeds/activity/{activity.slug}/")
    assert practice.title in {entry.title for entry in by_activity.entries}
    assert activity.name in by_activity.feed.title
    region = practice.municipalities.first().region
    by_region = parse_feed(client, f"/sv/feeds/region/{region.code}/")
    assert practice.title in {entry.title for entry in by_region.entries}
    for bad in (
        "/sv/feeds/recipes/",
        "/sv/feeds/activity/no-such-activity/",
        "/sv/feeds/region/99/",
    ):
        assert client.get(bad).status_code == 404, bad


def test_any_search_as_a_feed_and_pages_link_their_feeds(client):
    feed = parse_feed(client, "/sv/search/feed/?q=mentorskap&type=practice")
    assert feed.entries
    page = client.get("/sv/search/?q=mentorskap&type=practice").content.decode()
    for entry in feed.entries:
        assert local(entry.link) in page  # what the search page lists
    assert 'type="application/atom+xml"' in page
    assert "/sv/search/feed/?q=mentorskap&amp;type=practice" in page
    home = client.get("/sv/").content.decode()
    assert '<link rel="alternate" type="application/atom+xml"' in home
    assert client.get("/sv/search/feed/?type=nonsense").status_code == 404


def structured(html):
    found = re.findall(r'<script type="application/ld\+json">(.*?)</script>', html, re.S)
    assert len(found) == 1
    return json.loads(found[0])


def test_pages_describe_themselves_to_search_engines_and_when_shared(client):
    page = PracticePage.objects.get(external_id=PREMIAR, locale__language_code="ar")
    html = client.get(page.url).content.decode()
    data = structured(html)
    assert data["@type"] == "Article"
    assert data["inLanguage"] == "ar"
    assert data["headline"] == page.title[:110]
    assert data["author"]["name"] == page.organisation.name
    assert data["url"].endswith(page.url)
    assert data["datePublished"] and data["dateModified"]
    assert f'<meta property="og:title" content="{page.title}">' in html
    assert '<meta property="og:type" content="article">' in html
    assert '<meta property="og:locale" content="ar_AR">' in html
    assert re.search(r'<meta property="og:url" content="https?://[^"]+' + re.escape(page.url), html)
    method = MethodPage.objects.live().filter(locale__language_code="sv").first()
    method_data = structured(client.get(method.url).content.decode())
    assert method_data["@type"] == "CreativeWork"
    assert method_data["inLanguage"] == "sv"


def test_structured_data_cannot_be_broken_out_of(client):
    page = PracticePage.objects.get(external_id=PREMIAR, locale__language_code="sv")
    page.title = "Läxhjälp </script><script>alert(1)</script>"
    page.save_revision().publish()
    html = client.get(page.url).content.decode()
    data = structured(html)
    assert data["name"] == page.title  # intact once parsed
    assert "<script>alert(1)" not in html


def test_feed_entries_are_read_together_with_their_categories_in_the_readers_language(
    client, django_assert_max_num_queries
):
    """30 entries cost a few queries, not a few each (organisation, activity types and the
    publication dates are read for all entries at once)."""
    client.get("/ar/feeds/")  # the site's root paths and labels, once
    with django_assert_max_num_queries(15):
        arabic = parse_feed(client, "/ar/feeds/")
    assert len(arabic.entries) == 30
    premiar = PracticePage.objects.get(external_id=PREMIAR, locale__language_code="sv")
    entry = next(e for e in arabic.entries if "/ar/" in e.link and premiar.slug in e.link)
    arabic_terms = {
        term.name
        for term in premiar.activity_types.first()
        .get_translations()
        .filter(locale__language_code="ar")
    }
    assert arabic_terms <= {tag.term for tag in entry.tags}
    assert entry.author == premiar.organisation.name
