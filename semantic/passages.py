"""The passages of a content page that get a vector: its title with its summary, then its
body (and the page type's other text fields) in windows the model reads whole.

e5 reads at most 512 tokens; a window of ``WINDOW_WORDS`` words (about 1.6 tokens a word in
Swedish, more in Arabic script) stays well under it, and windows overlap by ``OVERLAP_WORDS``
so a sentence cut by one is whole in the next. Only text: block types, heading levels and
other structure never become a passage (``practices.text``).
"""

from dataclasses import dataclass

from practices.text import body_text, plain_text

WINDOW_WORDS = 160
OVERLAP_WORDS = 30
MAX_WINDOWS = 24  # a long report: its first 24 windows (about 3,200 words)


@dataclass(frozen=True)
class Passage:
    position: int  # 0: title and summary; 1...: body windows in order
    text: str


def page_passages(page):
    """[Passage] of ``page`` (its specific instance), in its own language."""
    head = " ".join(part for part in (page.title.strip(), (page.summary or "").strip()) if part)
    passages = [Passage(0, head)] if head else []
    parts = [str(item) for item in body_text(page.body) if item]
    for name in getattr(page, "search_text_fields", ()):
        parts.append(plain_text(getattr(page, name, "") or ""))
    for position, window in enumerate(windows(" ".join(parts)), start=1):
        passages.append(Passage(position, window))
    return passages


def windows(text, size=WINDOW_WORDS, overlap=OVERLAP_WORDS, limit=MAX_WINDOWS):
    """Overlapping windows of ``size`` words of ``text`` (none for an empty text)."""
    words = text.split()
    if not words:
        return []
    step = size - overlap
    found = []
    for start in range(0, len(words), step):
        found.append(" ".join(words[start : start + size]))
        if start + size >= len(words) or len(found) == limit:
            break
    return found
