"""Suggestions for the search box: record titles, activity types and municipalities.

Matches the start of any word (``ment`` finds "Mentorer för ensamkommande" and "Stöd till
mentorskap", not "Yrkesmentorer"), normalised like the index (case, Arabic-script spellings), in
the reader's language: the titles of the pages the reader would see, labels in their language.
Titles come from the search engine when there is one (a prefix query on the title, among the
pages shown in the reader's language), else from the database path's snapshot.
"""

import logging
from bisect import bisect_left
from dataclasses import dataclass

from django.urls import reverse
from django.utils.http import urlencode
from wagtail.models import Page

from practices.visibility import restricted_sections, visible

from . import breaker, service
from .analysis import tokens
from .catalogue import get_catalogue
from .normalise import normalise
from .records import content_pages

logger = logging.getLogger(__name__)

MIN_PREFIX = 2
DEFAULT_LIMIT = 8
MAX_LIMIT = 20


@dataclass(frozen=True)
class Suggestion:
    label: str
    kind: str  # "title", "activity_type" or "municipality"
    url: str


def _starts_a_word(text, prefix_words, words=None):
    words = tokens(text) if words is None else words
    *complete, last = prefix_words
    return all(word in words for word in complete) and any(word.startswith(last) for word in words)


def _title_pages(catalogue, prefix_words, language):
    """The pages shown in ``language`` with a title word starting with the last prefix word
    and containing the others."""
    words, pages_with = catalogue.title_prefixes()
    *complete, last = prefix_words
    candidates = set()
    for position in range(bisect_left(words, last), len(words)):
        word = words[position]
        if not word.startswith(last):
            break
        candidates.update(pages_with[word])
    candidates &= catalogue.shown_pages(language)
    if complete:
        title_words = catalogue.title_words()
        candidates = {
            page_id
            for page_id in candidates
            if all(word in title_words[page_id] for word in complete)
        }
    return candidates


def engine_titles(prefix, language, limit):
    """[(title, page id)] from the search engine, or None without one or when it fails."""
    engine = service.backend()
    if not getattr(engine, "is_engine", False):
        return None
    try:
        return breaker.call(
            engine.title_suggestions,
            content_pages(),
            prefix,
            language,
            limit=limit,
            private=restricted_sections(),
        )
    except breaker.Open:
        return None
    except Exception:  # noqa: BLE001 - suggestions come from the snapshot instead
        logger.exception("Search engine failed for suggestions; using the snapshot")
        return None


def snapshot_titles(catalogue, prefix_words, language, limit):
    """[(title, page id)] from the database path's snapshot of the records."""
    return sorted(
        (catalogue.titles[page_id], page_id)
        for page_id in _title_pages(catalogue, prefix_words, language)
    )[:limit]


def suggest(labels, prefix, language, limit=DEFAULT_LIMIT):
    """Suggestions for ``prefix``: activity types and municipalities from ``labels`` (the
    ``Labels``, or the snapshot, which has them too), then titles, from the engine when there
    is one, else from the snapshot."""
    prefix_words = tokens(prefix)
    if not prefix_words or len(normalise(prefix).strip()) < MIN_PREFIX:
        return []
    search_url = reverse("search")
    found = []
    for slug, labels_of in sorted(labels.activity_labels.items()):
        label = labels_of.get(language) or labels_of.get("sv") or slug
        if _starts_a_word(label, prefix_words):
            found.append(
                Suggestion(
                    label, "activity_type", f"{search_url}?{urlencode({'activity_type': slug})}"
                )
            )
    for code, name in labels.municipalities:
        if _starts_a_word(name, prefix_words):
            found.append(
                Suggestion(
                    name, "municipality", f"{search_url}?{urlencode({'municipality': code})}"
                )
            )
    wanted = max(0, limit - len(found))
    titles = engine_titles(prefix, language, wanted) if wanted else []
    if titles is None:
        catalogue = labels if hasattr(labels, "titles") else get_catalogue()
        titles = snapshot_titles(catalogue, prefix_words, language, wanted)
    # Live and public now: the snapshot the titles came from may be a moment behind a change.
    pages = visible(Page.objects.filter(pk__in=[page_id for _title, page_id in titles]))
    urls = {page.pk: page.get_url() for page in pages}
    found.extend(
        Suggestion(title, "title", urls[page_id]) for title, page_id in titles if urls.get(page_id)
    )
    return found[:limit]
