"""Why each result is there, for the search page: the passage that matched a question best,
and whether the words matched whole, in part, or not at all (found by meaning).

- **found by meaning**: a record the text did not match, found by the semantic ranking
  (``search.fusion``): its best passage is shown, marked with its language, since no word of
  the query is there to highlight;
- **a question's answer**: for a question (``fusion.is_question``), every result shows the
  passage closest to it, with the query's words marked, rather than the first words that
  match: the part of a long report that answers "how do I ..." is rarely its first match;
- **part of a word**: a record whose shown page has a part of a compound query word
  ("lärling" of "lärlingsplats") but never the whole word: the part is named, so a reader knows
  why an apprenticeship-less record is there.
"""

from dataclasses import dataclass

from django.utils.translation import get_language_info

from semantic.models import PassageVector

from .analysis import query_language, query_word_groups, query_words, tokens
from .documents import document
from .fusion import is_question
from .highlight import SNIPPET_LENGTH, forms_of, snippet

MEANING = "meaning"
PART = "part"


@dataclass
class Passage:
    text: str
    language: str
    marked: str = ""  # the excerpt with the query's words in <mark>, escaped (``highlight``)

    @property
    def language_name(self):
        return get_language_info(self.language)["name_translated"]

    @property
    def excerpt(self):
        if self.marked:
            return self.marked
        if len(self.text) <= SNIPPET_LENGTH:
            return self.text
        cut = self.text.rfind(" ", 0, SNIPPET_LENGTH)
        return self.text[: cut if cut > 0 else SNIPPET_LENGTH] + "…"


def explain(outcome):
    """Set ``found_by``, ``passage`` and ``parts`` on ``outcome.results``."""
    results = outcome.results
    if not results or not outcome.params.query:
        return
    if outcome.semantic is not None:
        question = is_question(outcome.params.query)
        _passages(results, outcome.semantic, outcome.lexical_keys, question, outcome.terms)
    compounds = _compound_words(outcome.params.query)
    if compounds:
        for result in results:
            if result.found_by is None:
                result.parts = _parts_only(result.page, compounds)
                if result.parts:
                    result.found_by = PART


def _passages(results, ranking, lexical_keys, question, terms):
    """The best passage of the results found by meaning, and of every result of a question
    (one query for all of them)."""
    found = {}
    for result in results:
        matched_words = result.record.key in lexical_keys
        if matched_words and not question:
            continue
        match = ranking.best(result.record.key)
        if match is not None:
            found[match.passage] = result
            if not matched_words:
                result.found_by = MEANING
    if found:
        for pk, text, language in PassageVector.objects.filter(pk__in=list(found)).values_list(
            "pk", "text", "language"
        ):
            marked = snippet([text], terms, language) if terms else ""
            found[pk].passage = Passage(text=text, language=language, marked=marked)


def _compound_words(query):
    """[(word, whole forms, [(part, its forms)])] of the query's compound words."""
    language = query_language(query)
    found = []
    for word in query_words(query, language):
        groups = query_word_groups(word, language)
        if len(groups) > 1:
            found.append((word, set(groups[0]), [(group[0], set(group)) for group in groups[1:]]))
    return found


def _parts_only(page, compounds):
    """[(word, [parts])] of the compound words of which the page has parts but never the
    whole word (its title, summary and text)."""
    language = page.locale.language_code
    present = set()
    for text in (page.title, page.summary or "", document(page).text):
        for word in set(tokens(text)):
            present.update(forms_of(word, language))
    partial = []
    for word, whole, parts in compounds:
        if present.isdisjoint(whole):
            matched = [part for part, forms in parts if not present.isdisjoint(forms)]
            if matched:
                partial.append((word, matched))
    return partial
