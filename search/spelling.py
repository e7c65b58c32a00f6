"""Typo tolerance the same on every backend: close words from the site's own vocabulary.

A query word the site's titles, labels and place names do not contain is looked up among
words one edit away (an insertion, deletion, substitution or swap of neighbours), and the
matches are searched for as well as the word itself. So ``samhällsorientring`` also searches
``samhällsorientering``, and ``entrepeneurship`` also ``entrepreneurship``.
"""

MIN_LENGTH = 5
MAX_CANDIDATES = 3


def edits(word, alphabet):
    """All strings one edit away from ``word`` (Norvig's spelling corrector)."""
    splits = [(word[:i], word[i:]) for i in range(len(word) + 1)]
    deletes = {left + right[1:] for left, right in splits if right}
    swaps = {left + right[1] + right[0] + right[2:] for left, right in splits if len(right) > 1}
    replaces = {left + char + right[1:] for left, right in splits if right for char in alphabet}
    inserts = {left + char + right for left, right in splits for char in alphabet}
    return deletes | swaps | replaces | inserts


def alphabet_of(word, vocabulary_alphabet):
    """The letters worth trying: those of the word's own script that the vocabulary uses."""
    scripts = {_script(char) for char in word}
    return [char for char in vocabulary_alphabet if _script(char) in scripts]


def _script(char):
    return "arabic" if "\u0600" <= char <= "\u06ff" else "latin"


def corrections(word, vocabulary, vocabulary_alphabet):
    """Vocabulary words one edit from ``word``, if ``word`` itself is not in the vocabulary."""
    if len(word) < MIN_LENGTH or word in vocabulary or word.isdigit():
        return []
    found = sorted(edits(word, alphabet_of(word, vocabulary_alphabet)) & vocabulary)
    return found[:MAX_CANDIDATES]
