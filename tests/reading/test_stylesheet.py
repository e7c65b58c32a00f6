"""One stylesheet for both directions, and the Arabic-script font served by the site."""

import re

from django.contrib.staticfiles import finders

# Physical (left/right) properties and values that would not mirror for Arabic and Persian.
PHYSICAL = re.compile(
    r"(?<![-\w])(margin|padding|border)-(left|right)\b"
    r"|(?<![-\w])(left|right)\s*:"
    r"|\bfloat\s*:\s*(left|right)"
    r"|\btext-align\s*:\s*(left|right)"
    r"|\bclear\s*:\s*(left|right)",
)


def stylesheet():
    with open(finders.find("css/site.css"), encoding="utf-8") as handle:
        return handle.read()


def without_comments(css):
    return re.sub(r"/\*.*?\*/", "", css, flags=re.S)


def test_the_stylesheet_uses_only_logical_directions():
    offending = [
        line.strip()
        for line in without_comments(stylesheet()).splitlines()
        if PHYSICAL.search(line)
    ]
    assert offending == []


def test_the_audit_catches_physical_properties():
    for line in (
        "margin-left: 1rem",
        "padding-right:0",
        "left: 0",
        "float: right",
        "text-align: left",
    ):
        assert PHYSICAL.search(line), line
    for line in ("margin-inline-start: 1rem", "inset-inline-end: 0", "text-align: start"):
        assert not PHYSICAL.search(line), line


def test_arabic_script_font_is_served_by_the_site_with_its_licence():
    css = stylesheet()
    for weight in (400, 700):
        name = f"vazirmatn-arabic-{weight}-normal.woff2"
        path = finders.find(f"fonts/{name}")
        assert path, name
        with open(path, "rb") as handle:
            assert handle.read(4) == b"wOF2"
        assert f'url("../fonts/{name}") format("woff2")' in css
    licence = finders.find("fonts/OFL.txt")
    with open(licence, encoding="utf-8") as handle:
        assert "SIL Open Font License" in handle.read()
    assert "font-display: swap" in css
    assert "unicode-range: U+0600-06FF" in css
    assert "http" not in without_comments(css)  # nothing from a CDN


def test_arabic_and_persian_text_use_the_arabic_script_stack():
    css = stylesheet()
    assert ":lang(ar), :lang(fa) { font-family: var(--font-arabic-script); }" in css
    assert '--font-arabic-script: "Vazirmatn"' in css
