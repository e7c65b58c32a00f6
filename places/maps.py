"""A map of Sweden as inline SVG, drawn on the server: no map library, no tiles, no script, so
it works offline, in print and in a PDF.

The boundaries are SCB's generalised kommun and län borders (``data/sweden_svg_paths.json``,
SWEREF 99 TM, viewBox 1000 × 2399.9, 1 unit ≈ 640 m). The map is shown at most ~600 px wide,
where a unit is 0.6 px or less, so the paths are simplified once per process
(Douglas–Peucker with a tolerance of 1 unit, coordinates rounded to whole units, islands smaller
than 2 units dropped): the län layer shrinks from 47 kB to about 17 kB. Kommuner are drawn only
where they are filled or highlighted, which keeps a typical map near 20 kB.

Around Stockholm, Göteborg and Malmö kommuner are only a few pixels wide, so when something
there is filled or highlighted an inset shows that area enlarged (drawn with finer paths), in
a corner of the map where there is only sea or Norway.

The rendered map is kept in Django's default cache, keyed on its inputs and the language (the
titles, legend and credit are translated). Maps are never mirrored: the SVG is ``dir="ltr"``,
while the legend and credit around it follow the page's direction.
"""

import hashlib
import json
import math
import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from django.core.cache import cache
from django.utils.html import conditional_escape, format_html, format_html_join
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language, gettext

from practices.models import AdoptionStatus

DATA = Path(__file__).resolve().parent / "data" / "sweden_svg_paths.json"
VIEWBOX = (0.0, 0.0, 1000.0, 2399.9)
STATUSES = ("running", "finished", "planned")  # legend order: most advanced first
# Simplification tolerances in map units: the main map (≤ 0.6 px per unit) and the insets
# (drawn 2.3–3.2 times larger, so finer).
MAIN_TOLERANCE = 1.0
INSET_TOLERANCE = 0.3
MIN_RING = 2.0  # rings (islands) smaller than this in both directions are dropped
CACHE_TIMEOUT = 7 * 24 * 3600
# Bump when the markup changes, so that cached maps of the previous version are not served.
MARKUP_VERSION = 1
LAND = "#e4e9ed"
BORDER = "#7d8a96"
PLACE = "#ffd27a"  # "the place" on a place page: a warm yellow under the status fills


@dataclass(frozen=True)
class Inset:
    """An enlarged area: ``source`` (x, y, width, height) drawn at ``at`` (x, y), ``zoom``×."""

    name: str
    source: tuple
    at: tuple
    zoom: float

    @property
    def frame(self):
        x, y = self.at
        return (x, y, self.source[2] * self.zoom, self.source[3] * self.zoom)


# Placed where the main map has nothing: Norway's side in the north-west, the Baltic in the
# south-east (east of Gotland).
INSETS = (
    Inset("Stockholm", source=(568.0, 1640.0, 84.0, 110.0), at=(12.0, 12.0), zoom=3.2),
    Inset("Göteborg", source=(30.0, 1922.0, 100.0, 100.0), at=(770.0, 1745.0), zoom=2.3),
    Inset("Malmö", source=(126.0, 2288.0, 88.0, 104.0), at=(770.0, 2030.0), zoom=2.3),
)

_NUMBER_PAIR = re.compile(r"(-?\d+(?:\.\d+)?),(-?\d+(?:\.\d+)?)")


# Geometry ------------------------------------------------------------------------------------


def parse_rings(d):
    """The closed rings of an SVG path made of ``M``/``L``/``Z`` commands."""
    rings = []
    for part in re.split(r"(?=M)", d):
        points = [(float(x), float(y)) for x, y in _NUMBER_PAIR.findall(part)]
        if len(points) >= 3:
            rings.append(points)
    return rings


def _distance_to_segment(point, start, end):
    (px, py), (ax, ay), (bx, by) = point, start, end
    dx, dy = bx - ax, by - ay
    if dx == 0 and dy == 0:
        return math.hypot(px - ax, py - ay)
    t = max(0.0, min(1.0, ((px - ax) * dx + (py - ay) * dy) / (dx * dx + dy * dy)))
    return math.hypot(px - (ax + t * dx), py - (ay + t * dy))


def simplify(points, tolerance):
    """Douglas–Peucker: the points of a line that keep it within ``tolerance`` of the
    original (iterative, so long rings do not hit the recursion limit)."""
    if len(points) < 3:
        return list(points)
    keep = [False] * len(points)
    keep[0] = keep[-1] = True
    stack = [(0, len(points) - 1)]
    while stack:
        first, last = stack.pop()
        farthest, distance = None, tolerance
        for index in range(first + 1, last):
            d = _distance_to_segment(points[index], points[first], points[last])
            if d > distance:
                farthest, distance = index, d
        if farthest is not None:
            keep[farthest] = True
            stack.append((first, farthest))
            stack.append((farthest, last))
    return [point for point, kept in zip(points, keep, strict=True) if kept]


def _bbox(rings):
    xs = [x for ring in rings for x, _ in ring]
    ys = [y for ring in rings for _, y in ring]
    return (min(xs), min(ys), max(xs), max(ys))


def _ring_path(ring, decimals):
    """A ring as compact path data: the first point absolute, the rest relative (``l``), on
    a grid of ``decimals`` decimals (rounded first, so the relative steps never drift)."""
    scale = 10**decimals
    grid = []
    for x, y in ring:
        point = (round(x * scale), round(y * scale))
        if not grid or point != grid[-1]:  # rounding merges neighbours: keep one
            grid.append(point)
    if len(grid) < 3:
        return ""

    def number(value):
        if decimals == 0:
            return str(value)
        sign = "-" if value < 0 else ""
        whole, fraction = divmod(abs(value), scale)
        text = f"{whole}.{fraction:0{decimals}d}".rstrip("0").rstrip(".")
        if text.startswith("0."):
            text = text[1:]
        return sign + text if text else "0"

    steps = []
    for (x0, y0), (x1, y1) in zip(grid, grid[1:], strict=False):
        pair = f"{number(x1 - x0)}{',' if decimals == 0 else ' '}{number(y1 - y0)}"
        steps.append(pair)
    body = ""
    for step in steps:
        # A minus sign separates numbers on its own; otherwise a space is needed.
        body += step if not body or step.startswith("-") else " " + step
    first_x, first_y = grid[0]
    return f"M{number(first_x)} {number(first_y)}l{body}z"


def simplified_path(d, tolerance, decimals):
    """``d`` simplified for drawing: rings thinned to ``tolerance``, tiny islands dropped
    (the largest ring is always kept), coordinates rounded to ``decimals``."""
    return "".join(path for _, path in simplified_rings(d, tolerance, decimals))


def simplified_rings(d, tolerance, decimals):
    """``[(bbox, path data)]`` of the rings of ``d`` that ``simplified_path`` keeps."""
    rings = parse_rings(d)
    if not rings:
        return []

    def extent(ring):
        x0, y0, x1, y1 = _bbox([ring])
        return max(x1 - x0, y1 - y0)

    largest = max(rings, key=extent)
    kept = []
    for ring in rings:
        if ring is not largest and extent(ring) < MIN_RING * tolerance:
            continue
        # A ring is closed: simplify it as a line from its first point back to it.
        closed = ring if ring[0] == ring[-1] else [*ring, ring[0]]
        thinned = simplify(closed, tolerance)[:-1]
        if len(thinned) >= 3:
            path = _ring_path(thinned, decimals)
            if path:
                kept.append((_bbox([ring]), path))
    if not kept:
        kept = [(_bbox([largest]), _ring_path(largest, decimals))]
    return kept


@dataclass(frozen=True)
class Area:
    code: str
    name: str
    region_code: str
    bbox: tuple  # x0, y0, x1, y1 in map units
    rings: tuple  # ((bbox, path data), ...) simplified for the main map
    fine_rings: tuple  # the same, finer, for the insets

    @property
    def path(self):
        return "".join(path for _, path in self.rings)

    def path_within(self, box, fine=False):
        """Path data of the rings that reach into ``box`` (x, y, width, height): an inset
        needs no islands outside its frame."""
        return "".join(
            path for bbox, path in (self.fine_rings if fine else self.rings) if _overlaps(bbox, box)
        )


@lru_cache(maxsize=1)
def base_layer():
    """Kommuner and län, simplified, read once per process: ``(kommuner, län, data hash)``.

    Measured on the development machine: 0.15–0.45 s, once per process.
    """
    raw = DATA.read_bytes()
    data = json.loads(raw)

    def area(code, entry, region_code):
        rings = parse_rings(entry["d"])
        return Area(
            code=code,
            name=entry["name"],
            region_code=region_code,
            bbox=_bbox(rings),
            rings=tuple(simplified_rings(entry["d"], MAIN_TOLERANCE, 0)),
            fine_rings=tuple(simplified_rings(entry["d"], INSET_TOLERANCE, 1)),
        )

    kommuner = {
        code: area(code, entry, entry["region_code"]) for code, entry in data["kommuner"].items()
    }
    lan = {code: area(code, entry, code) for code, entry in data["lan"].items()}
    return kommuner, lan, hashlib.sha256(raw).hexdigest()[:12]


def kommun_names():
    """``{code: name}`` of the 290 kommuner in the boundary data."""
    return {code: area.name for code, area in base_layer()[0].items()}


def _n(value):
    """A number for SVG markup: at most two decimals, no trailing zeros."""
    text = f"{value:.2f}".rstrip("0").rstrip(".")
    return "0" if text in ("", "-0") else text


def _overlaps(bbox, source):
    x0, y0, x1, y1 = bbox
    sx, sy, sw, sh = source
    return x0 < sx + sw and x1 > sx and y0 < sy + sh and y1 > sy


# Rendering -----------------------------------------------------------------------------------


def status_label(status):
    """The status's name in the active language (the adoption statuses' own labels)."""
    return str(AdoptionStatus(status).label)


def render(
    filled: dict[str, str],
    highlight: frozenset[str] = frozenset(),
    title: str = "",
    description: str = "",
) -> SafeString:
    """A ``<figure>`` with the map, its legend and its credit.

    ``filled`` maps 4-digit kommun codes to ``"planned"``, ``"running"`` or ``"finished"``;
    ``highlight`` holds 2-digit län or 4-digit kommun codes drawn as "the place". Codes the
    boundary data does not know, and unknown statuses, are left out without an error (a
    record may name a kommun merged away since). The SVG is ``role="img"`` named by ``title``
    and described by ``description`` (by default, a list of the filled kommuner by status);
    each filled kommun has a ``<title>`` with its name and status for a pointer's tooltip.
    """
    kommuner, lan, data_hash = base_layer()
    filled = {
        code: status
        for code, status in (filled or {}).items()
        if code in kommuner and status in STATUSES
    }
    highlight = frozenset(code for code in highlight or () if code in kommuner or code in lan)
    key_source = json.dumps(
        [
            MARKUP_VERSION,
            data_hash,
            get_language(),
            sorted(filled.items()),
            sorted(highlight),
            title,
            description,
        ],
        ensure_ascii=False,
    )
    digest = hashlib.sha256(key_source.encode()).hexdigest()
    key = f"places:map:{digest}"
    html = cache.get(key)
    if html is None:
        html = _render(filled, highlight, title, description, prefix=f"map{digest[:8]}")
        cache.set(key, html, timeout=CACHE_TIMEOUT)
    return mark_safe(html)  # noqa: S308 - built by _render, every text escaped there


def default_description(filled):
    """ "Running: Luleå, Växjö. Finished: …" for the filled kommuner."""
    kommuner = base_layer()[0]
    sentences = []
    for status in STATUSES:
        names = sorted(kommuner[code].name for code, value in filled.items() if value == status)
        if names:
            sentences.append(
                gettext("%(status)s: %(places)s.")
                % {"status": status_label(status), "places": ", ".join(names)}
            )
    if not sentences:
        return gettext("No municipality is marked on the map.")
    return " ".join(sentences)


def _patterns(prefix, scale=1.0, suffix=""):
    """Fill patterns, one per status, so a status is told by pattern as well as colour:
    running solid, finished dotted, planned hatched. ``scale`` shrinks them for an inset."""
    size = 7 / scale
    return format_html(
        '<pattern id="{p}-planned{s}" patternUnits="userSpaceOnUse" width="{w}" height="{w}"'
        ' patternTransform="rotate(45)"><rect width="{w}" height="{w}" fill="#cfe3ee"/>'
        '<rect width="{line}" height="{w}" fill="#0b5a7a"/></pattern>'
        '<pattern id="{p}-finished{s}" patternUnits="userSpaceOnUse" width="{w}" height="{w}">'
        '<rect width="{w}" height="{w}" fill="#5b6875"/>'
        '<circle cx="{half}" cy="{half}" r="{dot}" fill="#ffffff"/></pattern>',
        p=prefix,
        s=suffix,
        w=f"{size:.3g}",
        half=f"{size / 2:.3g}",
        line=f"{size * 0.4:.3g}",
        dot=f"{size * 0.22:.3g}",
    )


def _fill(prefix, status, suffix=""):
    if status == "running":
        return "#1d6b36"
    return f"url(#{prefix}-{status}{suffix})"


def _kommun_shape(prefix, area, status, box=None, suffix=""):
    return format_html(
        '<path class="map-kommun map-kommun--{status}" data-code="{code}" data-status="{status}"'
        ' d="{d}" fill="{fill}" fill-rule="evenodd" stroke="#ffffff" stroke-width="0.5"'
        ' vector-effect="non-scaling-stroke"><title>{label}</title></path>',
        status=status,
        code=area.code,
        d=area.path_within(box, fine=True) if box else area.path,
        fill=_fill(prefix, status, suffix),
        label=gettext("%(place)s: %(status)s")
        % {"place": area.name, "status": status_label(status)},
    )


def _highlight_shapes(areas, box=None):
    return format_html_join(
        "",
        '<path class="map-place" data-code="{}" d="{}" fill="{}" fill-rule="evenodd">'
        "<title>{}</title></path>",
        (
            (area.code, area.path_within(box, fine=True) if box else area.path, PLACE, area.name)
            for area in areas
        ),
    )


def _inset(prefix, inset, kommuner, filled, highlighted):
    sx, sy, sw, sh = inset.source
    x, y, w, h = inset.frame
    around = [area for area in kommuner.values() if _overlaps(area.bbox, inset.source)]
    clip = f"{prefix}-clip-{inset.name.lower()}"
    marked = set(filled) | set(highlighted)
    body = [
        format_html_join(
            "",
            '<path class="map-inset-kommun" d="{}" fill="{}" fill-rule="evenodd" stroke="{}"'
            ' stroke-width="0.5" vector-effect="non-scaling-stroke"/>',
            # Only what is marked needs the finer outline; the rest is context.
            (
                (area.path_within(inset.source, fine=area.code in marked), LAND, BORDER)
                for area in around
            ),
        ),
        _highlight_shapes([a for a in around if a.code in highlighted], box=inset.source),
        *(
            _kommun_shape(prefix, area, filled[area.code], box=inset.source, suffix="-inset")
            for area in around
            if area.code in filled
        ),
    ]
    transform = f"translate({_n(x)} {_n(y)}) scale({_n(inset.zoom)}) translate({_n(-sx)} {_n(-sy)})"
    return format_html(
        '<g class="map-inset" data-inset="{name}">'
        '<rect class="map-inset-source" x="{sx}" y="{sy}" width="{sw}" height="{sh}"'
        ' fill="none" stroke="#1b1f23" stroke-width="1" stroke-dasharray="3 2"'
        ' vector-effect="non-scaling-stroke"/>'
        '<clipPath id="{clip}"><rect x="{sx}" y="{sy}" width="{sw}" height="{sh}"/>'
        "</clipPath>"
        '<rect class="map-inset-frame" x="{x}" y="{y}" width="{w}" height="{h}"'
        ' fill="#ffffff"/>'
        '<g transform="{transform}" clip-path="url(#{clip})">{body}</g>'
        '<rect x="{x}" y="{y}" width="{w}" height="{h}" fill="none" stroke="#1b1f23"'
        ' stroke-width="1" vector-effect="non-scaling-stroke"/>'
        '<text class="map-inset-label" x="{tx}" y="{ty}" font-size="24" fill="#1b1f23"'
        ' font-family="system-ui, sans-serif">{name}</text></g>',
        name=inset.name,
        sx=_n(sx),
        sy=_n(sy),
        sw=_n(sw),
        sh=_n(sh),
        clip=clip,
        x=_n(x),
        y=_n(y),
        w=_n(w),
        h=_n(h),
        transform=transform,
        body=mark_safe("".join(body)),  # noqa: S308 - each part built by format_html
        tx=_n(x + 8),
        ty=_n(y + h - 10),
    )


def _legend(prefix, filled, highlighted):
    items = []
    for status in STATUSES:
        if status in filled.values():
            items.append(
                format_html(
                    '<li><svg class="map-swatch" viewBox="0 0 14 14" aria-hidden="true"'
                    ' focusable="false"><rect width="14" height="14" fill="{fill}"/></svg>'
                    " {label}</li>",
                    fill=_fill(prefix, status),
                    label=status_label(status),
                )
            )
    if highlighted:
        items.append(
            format_html(
                '<li><svg class="map-swatch" viewBox="0 0 14 14" aria-hidden="true"'
                ' focusable="false"><rect width="14" height="14" fill="{fill}" stroke="#1b1f23"'
                ' stroke-width="2"/></svg> {label}</li>',
                fill=PLACE,
                label=gettext("This place"),
            )
        )
    if not items:
        return ""
    return format_html(
        '<ul class="map-legend" aria-label="{label}">{items}</ul>',
        label=gettext("Legend"),
        items=mark_safe("".join(items)),  # noqa: S308 - each item built by format_html
    )


def _render(filled, highlight, title, description, prefix):
    kommuner, lan, _ = base_layer()
    title = title or gettext("Map of Sweden")
    description = description or default_description(filled)
    highlighted_lan = [lan[code] for code in sorted(highlight) if code in lan]
    highlighted_kommuner = [kommuner[code] for code in sorted(highlight) if code in kommuner]
    marked = set(filled) | {area.code for area in highlighted_kommuner}
    insets = [
        inset
        for inset in INSETS
        if any(_overlaps(kommuner[code].bbox, inset.source) for code in marked)
    ]
    parts = [
        format_html(
            '<svg class="map-svg" xmlns="http://www.w3.org/2000/svg" viewBox="{viewbox}"'
            ' role="img" aria-labelledby="{p}-title"'
            ' aria-describedby="{p}-desc" dir="ltr" focusable="false">'
            '<title id="{p}-title">{title}</title><desc id="{p}-desc">{desc}</desc><defs>',
            viewbox=" ".join(_n(value) for value in VIEWBOX),
            p=prefix,
            title=title,
            desc=description,
        ),
        _patterns(prefix),
        _patterns(prefix, scale=2.6, suffix="-inset") if insets else "",
        # The län are drawn twice from one path: as land below everything, as borders above
        # the filled kommuner.
        format_html('<path id="{}-lan" d="{}"/>', prefix, "".join(a.path for a in lan.values())),
        "</defs>",
        format_html(
            '<use class="map-land" href="#{}-lan" fill="{}" fill-rule="evenodd"/>', prefix, LAND
        ),
        _highlight_shapes(highlighted_lan),
        _highlight_shapes(highlighted_kommuner),
        *(_kommun_shape(prefix, kommuner[code], status) for code, status in sorted(filled.items())),
        format_html(
            '<use class="map-lan-border" href="#{}-lan" fill="none" stroke="{}"'
            ' stroke-width="0.8" stroke-linejoin="round" vector-effect="non-scaling-stroke"/>',
            prefix,
            BORDER,
        ),
        format_html_join(
            "",
            '<path class="map-place-border" d="{}" fill="none" stroke="#1b1f23"'
            ' stroke-width="2.5" stroke-linejoin="round" vector-effect="non-scaling-stroke"/>',
            ((area.path,) for area in [*highlighted_lan, *highlighted_kommuner]),
        ),
        *(
            _inset(prefix, inset, kommuner, filled, {a.code for a in highlighted_kommuner})
            for inset in insets
        ),
        "</svg>",
    ]
    # The credit stays in SCB's own words ("Källa: SCB"); the text around it is translated.
    credit = mark_safe(  # noqa: S308 - the translation is escaped, the rest is ours
        conditional_escape(gettext("Boundaries: %(source)s"))
        % {"source": format_html('<span lang="sv">{}</span>', "Källa: SCB")}
    )
    return format_html(
        '<figure class="map">{svg}{legend}<figcaption class="map-credit">{credit}</figcaption>'
        "</figure>",
        svg=mark_safe("".join(str(part) for part in parts)),  # noqa: S308 - built above
        legend=_legend(prefix, filled, bool(highlight)),
        credit=credit,
    )
