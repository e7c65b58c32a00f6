"""The maps' stylesheet: logical directions only (the legend and table follow the page into
right-to-left), nothing fetched from elsewhere, and the map itself never mirrored."""

from django.contrib.staticfiles import finders
from django.template.loader import get_template

from tests.reading.test_stylesheet import PHYSICAL, without_comments


def maps_css():
    with open(finders.find("css/maps.css"), encoding="utf-8") as handle:
        return without_comments(handle.read())


def test_the_maps_stylesheet_uses_only_logical_directions():
    assert [line for line in maps_css().splitlines() if PHYSICAL.search(line)] == []
    assert "http" not in maps_css()


def test_the_map_is_not_mirrored_in_right_to_left_pages():
    assert "direction: ltr" in maps_css()


def test_every_page_links_the_maps_stylesheet():
    assert "css/maps.css" in get_template("base.html").template.source
