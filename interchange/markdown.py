"""Markdown (the interchange format's body) to the shared body blocks, and back.

The interchange format allows paragraphs, ``##`` headings, ``-`` lists, ``1.`` ordered lists and
links. They map onto the body stream as: ``##``/``###`` → heading blocks, a run of ``1.`` items →
a steps block, ``>`` lines → a quote block, and everything else → paragraph (rich text) blocks.
Converting blocks back gives canonical Markdown, so ``to_markdown(from_markdown(x))`` is stable
after one round.
"""

import functools
import re
import threading
from html import escape
from html.parser import HTMLParser

import markdown as markdown_lib

ORDERED_ITEM = re.compile(r"^\s{0,3}(\d+)[.)]\s+(.*)$")
BULLET_ITEM = re.compile(r"^\s{0,3}[-*+]\s+")
HEADING = re.compile(r"^(#{2,6})\s+(.*?)\s*#*\s*$")
TOP_HEADING = re.compile(r"^#\s+(.*?)\s*#*\s*$")

# Links whose target is not http(s), mailto, a site path or an anchor lose their link.
UNSAFE_LINK = re.compile(
    r'<a href="(?!https?://|mailto:|/|#)[^"]*"[^>]*>(?P<text>.*?)</a>', re.IGNORECASE | re.DOTALL
)

_RENAME_TAGS = [("<strong>", "<b>"), ("</strong>", "</b>"), ("<em>", "<i>"), ("</em>", "</i>")]

# One converter per thread, reset between texts (Python-Markdown's own advice for many texts):
# building it is half the cost of converting a paragraph.
_converters = threading.local()


def _convert(text):
    converter = getattr(_converters, "markdown", None)
    if converter is None:
        converter = _converters.markdown = markdown_lib.Markdown(output_format="html")
    return converter.reset().convert(text)


def inline_html(text):
    """Markdown inline text (bold, italic, links) as Wagtail rich text HTML, in a <p>."""
    return block_html(text) or ""


@functools.lru_cache(maxsize=4096)
def block_html(text):
    """Markdown paragraphs and bullet lists as Wagtail's rich text storage HTML.

    Raw HTML in the Markdown is shown as text, and links keep only safe schemes. Kept for the
    last few thousand texts: an import converts a record's text when it fills the page and
    again when it compares the record with what is stored, and a source's text again for each
    translation that does not translate it.
    """
    text = text.strip().replace("<", "&lt;").replace(">", "&gt;")
    html = _convert(text)
    html = UNSAFE_LINK.sub(r"\g<text>", html)
    for old, new in _RENAME_TAGS:
        html = html.replace(old, new)
    # Wagtail stores rich text without whitespace between block elements.
    html = re.sub(r">\s*\n\s*<", "><", html).strip()
    return html


def from_markdown(text):
    """Body blocks (raw stream data: ``[{"type": ..., "value": ...}]``) from Markdown."""
    blocks = []
    paragraph_lines = []
    steps = []
    quote_lines = []

    def flush_paragraphs():
        if any(line.strip() for line in paragraph_lines):
            html = block_html("\n".join(paragraph_lines))
            if blocks and blocks[-1]["type"] == "paragraph":
                blocks[-1]["value"] += html
            elif html:
                blocks.append({"type": "paragraph", "value": html})
        paragraph_lines.clear()

    def flush_steps():
        if steps:
            blocks.append({"type": "steps", "value": [inline_html(step) for step in steps]})
        steps.clear()

    def flush_quote():
        if quote_lines:
            attribution = ""
            if len(quote_lines) > 1 and quote_lines[-1].startswith(("— ", "-- ")):
                attribution = quote_lines.pop().split(" ", 1)[1].strip()
            quote = "\n".join(quote_lines).strip()
            if quote:
                blocks.append(
                    {"type": "quote", "value": {"quote": quote, "attribution": attribution}}
                )
        quote_lines.clear()

    def flush_all():
        flush_paragraphs()
        flush_steps()
        flush_quote()

    for raw_line in (text or "").replace("\r\n", "\n").split("\n"):
        line = raw_line.rstrip()
        heading = HEADING.match(line) or TOP_HEADING.match(line)
        ordered = ORDERED_ITEM.match(line)
        if heading:
            flush_all()
            level = "h2" if heading.re is TOP_HEADING or len(heading.group(1)) == 2 else "h3"
            blocks.append(
                {"type": "heading", "value": {"text": heading.groups()[-1], "level": level}}
            )
        elif ordered:
            flush_paragraphs()
            flush_quote()
            steps.append(ordered.group(2))
        elif line.startswith(">"):
            flush_paragraphs()
            flush_steps()
            quote_lines.append(line[1:].strip())
        elif not line.strip():
            if paragraph_lines:
                paragraph_lines.append("")
            flush_steps()
            flush_quote()
        elif steps and raw_line.startswith((" ", "\t")):
            steps[-1] += " " + line.strip()  # continuation of a step
        else:
            flush_steps()
            flush_quote()
            is_item = BULLET_ITEM.match(line)
            if (
                is_item
                and paragraph_lines
                and paragraph_lines[-1]
                and not BULLET_ITEM.match(paragraph_lines[-1])
            ):
                # A list straight after a paragraph line: Markdown needs a blank line there.
                paragraph_lines.append("")
            paragraph_lines.append(line)
    flush_all()
    return blocks


class _MarkdownWriter(HTMLParser):
    """Wagtail rich text HTML (the subset the body allows) as Markdown."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.out = []
        self.lists = []  # stack of ["ul"|"ol", counter]
        self.link = None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag in ("p", "h2", "h3", "h4", "h5", "h6"):
            self._block_break()
            if tag == "h2":
                self.out.append("## ")
            elif tag != "p":
                self.out.append("### ")
        elif tag in ("ul", "ol"):
            self._block_break()
            self.lists.append([tag, 0])
        elif tag == "li" and self.lists:
            kind = self.lists[-1]
            kind[1] += 1
            if self.out and not self.out[-1].endswith("\n"):
                self.out.append("\n")
            indent = "   " * (len(self.lists) - 1)
            self.out.append(f"{indent}{kind[1]}. " if kind[0] == "ol" else f"{indent}- ")
        elif tag in ("b", "strong"):
            self.out.append("**")
        elif tag in ("i", "em"):
            self.out.append("*")
        elif tag == "a":
            self.link = attrs.get("href") or ""
            if self.link:
                self.out.append("[")
        elif tag == "br":
            self.out.append("  \n")

    def handle_endtag(self, tag):
        if tag in ("ul", "ol") and self.lists:
            self.lists.pop()
            self.out.append("\n")
        elif tag in ("b", "strong"):
            self.out.append("**")
        elif tag in ("i", "em"):
            self.out.append("*")
        elif tag == "a":
            if self.link:
                self.out.append(f"]({self.link})")
            self.link = None
        elif tag in ("p", "h2", "h3", "h4", "h5", "h6") and not self.lists:
            self.out.append("\n")

    def handle_data(self, data):
        self.out.append(re.sub(r"\s+", " ", data))

    def _block_break(self):
        text = "".join(self.out)
        if text and not text.endswith("\n\n"):
            self.out.append("\n" if text.endswith("\n") else "\n\n")

    def markdown(self):
        text = "".join(self.out)
        text = re.sub(r"[ \t]+\n", "\n", text)
        return re.sub(r"\n{3,}", "\n\n", text).strip()


def html_to_markdown(html):
    writer = _MarkdownWriter()
    writer.feed(html or "")
    writer.close()
    return writer.markdown()


def to_markdown(stream):
    """Canonical Markdown for a body stream (a StreamValue or raw block list).

    Images, document links and tables have no Markdown form in the interchange format and are
    left out.
    """
    parts = []
    for block in _raw_blocks(stream):
        kind, value = block["type"], block["value"]
        if kind == "heading":
            marks = "##" if value.get("level", "h2") == "h2" else "###"
            parts.append(f"{marks} {value['text'].strip()}")
        elif kind == "paragraph":
            text = html_to_markdown(value)
            if text:
                parts.append(text)
        elif kind == "steps":
            items = [_list_item_value(item) for item in value]
            parts.append(
                "\n".join(
                    f"{number}. {html_to_markdown(item)}" for number, item in enumerate(items, 1)
                )
            )
        elif kind == "quote":
            lines = [f"> {line}".rstrip() for line in value["quote"].strip().split("\n")]
            if value.get("attribution"):
                lines.append(f"> — {value['attribution'].strip()}")
            parts.append("\n".join(lines))
    return "\n\n".join(parts)


def normalise(text):
    """The Markdown that importing ``text`` and exporting it again gives."""
    return to_markdown(from_markdown(text))


def _raw_blocks(stream):
    if stream is None:
        return []
    if hasattr(stream, "raw_data"):
        return list(stream.raw_data)
    return list(stream)


def _list_item_value(item):
    # ListBlock raw data is a list of {"type": "item", "value": ..., "id": ...} since Wagtail 2.16.
    if isinstance(item, dict) and "value" in item:
        return item["value"]
    return item


def plain_paragraph(text):
    """A plain-text paragraph as rich text HTML (escaped)."""
    return f"<p>{escape(text)}</p>"
