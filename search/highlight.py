"""Result snippets with the matched words marked, built from escaped text."""

import re

from django.utils.html import escape
from django.utils.safestring import mark_safe

from .analysis import normalise, word_forms

WORD_RE = re.compile(r"\w+", re.UNICODE)
SNIPPET_LENGTH = 240
LEAD = 60


def matches(text, terms, language):
    """(start, end) of the words in ``text`` that any of ``terms`` matches."""
    spans = []
    for match in WORD_RE.finditer(text):
        forms = word_forms(normalise(match.group()), language)
        if forms and terms.intersection(forms):
            spans.append(match.span())
    return spans


def snippet(texts, terms, language, length=SNIPPET_LENGTH):
    """An escaped excerpt of the first of ``texts`` that has a match, matches in ``<mark>``.

    ``texts`` may hold callables, called only if the texts before them have no match. Without
    any match, the start of the first non-empty text. Returns "" for no text.
    """
    terms = set(terms)
    first = None
    for text in texts:
        text = text() if callable(text) else text
        text = " ".join((text or "").split())
        if not text:
            continue
        first = first or text
        spans = matches(text, terms, language) if terms else []
        if spans:
            return _render(text, spans, length)
        if not terms:
            break
    return _render(first, [], length) if first else ""


def _render(text, spans, length):
    start = 0
    if spans and spans[0][0] > length - LEAD:
        start = text.rfind(" ", 0, spans[0][0] - LEAD) + 1
    end = min(len(text), start + length)
    if end < len(text):
        space = text.rfind(" ", start, end)
        end = space if space > start else end
    pieces = ["…" if start > 0 else ""]
    cursor = start
    for span_start, span_end in spans:
        if span_start < start or span_end > end:
            continue
        pieces.append(escape(text[cursor:span_start]))
        pieces.append(f"<mark>{escape(text[span_start:span_end])}</mark>")
        cursor = span_end
    pieces.append(escape(text[cursor:end]))
    if end < len(text):
        pieces.append("…")
    return mark_safe("".join(pieces))  # noqa: S308 - every piece of text is escaped above
