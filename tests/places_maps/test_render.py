"""places.maps.render: a valid, small, cached SVG map of Sweden with the filled kommuner, the
highlighted place and the insets where they are needed."""

import time

import pytest
from django.core.cache import cache
from django.utils import translation
from lxml import etree

from places import maps

SVG = "{http://www.w3.org/2000/svg}"
HALLAND = {"1315": "running", "1380": "planned", "1381": "finished"}
# Measured: an empty map is about 15 kB; Halland's six kommuner about 18 kB; nine kommuner in
# all three inset areas plus a highlighted län about 40 kB (the insets carry finer paths).
EMPTY_MAX = 18_000
BUSY_MAX = 48_000


@pytest.fixture(autouse=True)
def swedish():
    cache.clear()
    with translation.override("sv"):
        yield


def parse(html):
    """The <figure> as XML (it must be well-formed: an SVG in XHTML or a PDF needs that)."""
    return etree.fromstring(str(html).encode())


def svg_of(figure):
    return figure.find(f"{SVG}svg")


def shapes(figure):
    """``{code: (status, title)}`` of the filled kommuner on the main map."""
    return {
        path.get("data-code"): (path.get("data-status"), path.findtext(f"{SVG}title"))
        for path in svg_of(figure).findall(f"{SVG}path[@data-status]")
    }


def test_the_map_is_valid_xml_with_a_viewbox_and_an_accessible_name():
    figure = parse(maps.render(HALLAND, title="Var metoden används", description="Tre kommuner."))
    assert figure.tag == "figure"
    svg = svg_of(figure)
    assert svg.get("viewBox") == "0 0 1000 2399.9"
    assert svg.get("role") == "img"
    assert svg.get("dir") == "ltr"
    title_id, desc_id = svg.get("aria-labelledby"), svg.get("aria-describedby")
    assert svg.find(f"{SVG}title").get("id") == title_id
    assert svg.findtext(f"{SVG}title") == "Var metoden används"
    assert svg.find(f"{SVG}desc").get("id") == desc_id
    assert svg.findtext(f"{SVG}desc") == "Tre kommuner."
    assert "Källa: SCB" in "".join(figure.find("figcaption").itertext())


def test_every_filled_kommun_has_its_status_pattern_and_title():
    figure = parse(maps.render(HALLAND))
    assert shapes(figure) == {
        "1315": ("running", "Hylte: Pågår"),
        "1380": ("planned", "Halmstad: Planerad"),
        "1381": ("finished", "Laholm: Avslutad"),
    }
    svg = svg_of(figure)
    fills = {p.get("data-status"): p.get("fill") for p in svg.findall(f"{SVG}path[@data-status]")}
    # Told apart by pattern as well as colour: planned hatched, finished dotted.
    pattern_ids = {p.get("id") for p in svg.iter(f"{SVG}pattern")}
    assert fills["planned"].startswith("url(#") and fills["planned"][5:-1] in pattern_ids
    assert fills["finished"].startswith("url(#") and fills["finished"][5:-1] in pattern_ids
    assert fills["running"].startswith("#")
    legend = [" ".join("".join(li.itertext()).split()) for li in figure.iter("li")]
    assert legend == ["Pågår", "Avslutad", "Planerad"]


def test_the_default_description_lists_the_kommuner_by_status():
    desc = svg_of(parse(maps.render(HALLAND))).findtext(f"{SVG}desc")
    assert desc == "Pågår: Hylte. Avslutad: Laholm. Planerad: Halmstad."


def test_a_highlighted_lan_and_kommun_are_drawn_as_the_place():
    figure = parse(maps.render({}, highlight=frozenset({"13", "0180"})))
    places = svg_of(figure).findall(f"{SVG}path[@class='map-place']")
    assert {(p.get("data-code"), p.findtext(f"{SVG}title")) for p in places} >= {
        ("13", "Hallands län"),
        ("0180", "Stockholm"),
    }
    assert len(svg_of(figure).findall(f"{SVG}path[@class='map-place-border']")) == 2
    assert translation.gettext("This place") in "".join(figure.find("ul").itertext())


def test_insets_only_where_something_is_marked():
    def insets(html):
        return {
            g.get("data-inset") for g in svg_of(parse(html)).iter(f"{SVG}g") if g.get("data-inset")
        }

    assert insets(maps.render({"2580": "running"})) == set()
    assert insets(maps.render({"1480": "running"})) == {"Göteborg"}
    assert insets(maps.render({}, highlight=frozenset({"0180"}))) == {"Stockholm"}
    assert insets(maps.render({"1280": "planned", "0114": "finished"})) == {"Malmö", "Stockholm"}
    # A län is too large for an inset.
    assert insets(maps.render({}, highlight=frozenset({"01"}))) == set()


def test_unknown_codes_and_statuses_are_left_out_without_an_error():
    html = maps.render(
        {"9999": "running", "1315": "sleeping", "": "planned", "0780": "finished"},
        highlight=frozenset({"99", "abc", "0780"}),
    )
    figure = parse(html)
    assert shapes(figure) == {"0780": ("finished", "Växjö: Avslutad")}
    assert [
        p.get("data-code") for p in svg_of(figure).findall(f"{SVG}path[@class='map-place']")
    ] == ["0780"]
    assert maps.render({"9999": "running"}) == maps.render({})


def test_the_map_stays_small():
    assert len(maps.render({}).encode()) < EMPTY_MAX
    busy = {"1315": "running", "1480": "running", "0180": "planned", "1280": "finished"}
    busy |= {"2580": "finished", "0780": "finished", "0581": "finished", "0114": "running"}
    assert len(maps.render(busy, highlight=frozenset({"13"})).encode()) < BUSY_MAX


def test_the_rendered_map_is_cached_per_inputs_and_language(monkeypatch):
    calls = []
    real = maps._render
    monkeypatch.setattr(maps, "_render", lambda *a, **k: calls.append(a) or real(*a, **k))
    first = maps.render(HALLAND)
    assert maps.render(dict(reversed(HALLAND.items()))) == first
    assert len(calls) == 1
    maps.render(HALLAND, title="Another title")
    with translation.override("ar"):
        arabic = maps.render(HALLAND)
    assert len(calls) == 3
    assert "Hylte: " in arabic  # kommun names stay as SCB writes them
    assert "Källa: SCB" in arabic


def test_the_base_layer_is_read_once_per_process():
    assert maps.base_layer() is maps.base_layer()
    kommuner, lan, _ = maps.base_layer()
    assert len(kommuner) == 290 and len(lan) == 21


def test_a_cached_render_is_fast():
    maps.render(HALLAND)
    started = time.perf_counter()
    for _ in range(100):
        maps.render(HALLAND)
    assert (time.perf_counter() - started) / 100 < 0.005


def test_simplify_keeps_the_ends_and_drops_points_within_the_tolerance():
    line = [(0, 0), (1, 0.2), (2, -0.1), (3, 5), (4, 6), (5, 7.05), (6, 8)]
    assert maps.simplify(line, 1.0) == [(0, 0), (2, -0.1), (3, 5), (6, 8)]
    assert maps.simplify(line[:2], 1.0) == line[:2]


def test_ring_paths_are_relative_and_do_not_drift():
    path = maps._ring_path([(10.4, 20.6), (12.2, 20.6), (12.2, 18.0), (10.4, 18.0)], 0)
    assert path == "M10 21l2,0 0,-3-2,0z"
