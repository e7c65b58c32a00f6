"""Result snippets with the matched words marked, built from escaped text."""

import re
from functools import lru_cache

from django.utils.html import escape
from django.utils.safestring import mark_safe

from .analysis import word_forms
from .normalise import normalise

WORD_RE = re.compile(r"\w+", re.UNICODE)
SNIPPET_LENGTH = 240
LEAD = 60


@lru_cache(maxsize=50_000)
def forms_of(word, language):
    """The forms of a word as it appears in text; the same body words recur in every search."""
    return frozenset(word_forms(normalise(word), language))


def matches(text, terms, language, length=None):
    """(start, end) of the words in ``text`` that any of ``terms`` matches.

    With ``length``, only as far as a snippet of that length around the first match reaches:
    a long body is not analysed past what is shown. A word's forms are cached per process.
    """
    spans = []
    end = None
    for match in WORD_RE.finditer(text):
        if end is not None and match.end() > end:
            break
        if not terms.isdisjoint(forms_of(match.group(), language)):
            spans.append(match.span())
            if length is not None and end is None:
                end = _window(text, match.start(), length)[1]
    return spans


def _window(text, first, length):
    """(start, end) of the excerpt shown when the first match starts at ``first``."""
    start = 0
    if first > length - LEAD:
        start = text.rfind(" ", 0, first - LEAD) + 1
    end = min(len(text), start + length)
    if end < len(text):
        space = text.rfind(" ", start, end)
        end = space if space > start else end
    return start, end


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
        spans = matches(text, terms, language, length) if terms else []
        if spans:
            return _render(text, spans, length)
        if not terms:
            break
    return _render(first, [], length) if first else ""


def _render(text, spans, length):
    start, end = _window(text, spans[0][0] if spans else 0, length)
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
