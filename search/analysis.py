"""Language analysis done in Python, the same for every search backend.

The database backends differ in what they can do with text: SQLite's FTS5 folds case and
diacritics but does not stem, PostgreSQL stems with one configuration per query, neither splits
Swedish compounds. So what we index carries the extra forms itself: every word's stem in its
own language, the parts of Swedish compounds, and normalised Arabic-script spellings. Queries
go through the same analysis, so ``mentorskapsprogram`` meets ``program`` and ``mentorer`` meets
``mentorn`` on SQLite, PostgreSQL and Elasticsearch alike.
"""

import gzip
import re
import unicodedata
from functools import lru_cache
from pathlib import Path

import snowballstemmer

from .normalise import normalise
from .stopwords import STOP_WORDS

LANGUAGES = ("sv", "en", "ar", "fa")
SNOWBALL = {"sv": "swedish", "en": "english", "ar": "arabic", "fa": "persian"}
LEXICON_PATH = Path(__file__).parent / "data" / "sv_words.txt.gz"

WORD_RE = re.compile(r"\w+", re.UNICODE)
MIN_STEM_LENGTH = 3
MIN_PART_LENGTH = 4
MIN_COMPOUND_LENGTH = 7
# Longer "words" are not compounds but noise (a pasted hash, a very long URL): splitting tries
# every cut, so its cost grows with the square of the length; above this it is not tried.
MAX_COMPOUND_LENGTH = 64
MIN_PART_ZIPF = 2.0
MAX_PARTS = 2
SPLIT_PENALTY = 0.6
LINK_PENALTY = 0.3
DEFINITE_BASE_ZIPF = 3.0
STEM_PENALTY = 0.5
# Endings that are words in the frequency lists but never the head of a compound.
SWEDISH_SUFFIXES = frozenset(
    "ning ningen ningar arna orna erna ande ende heten else skap skapet are aren arens".split()
)
SWEDISH_LINKS = ("s", "e", "a", "u", "o")
# Derivational endings whose base is the word a searcher means: mentorskap -> mentor.
SWEDISH_DERIVATIONS = ("skapet", "skapen", "skap")

ARABIC_LETTER_RE = re.compile("[\u0600-\u06ff]")


def tokens(text):
    """The words of ``text``, normalised, in order."""
    return WORD_RE.findall(normalise(text or ""))


@lru_cache(maxsize=8)
def _stemmer(language):
    return snowballstemmer.stemmer(SNOWBALL[language])


@lru_cache(maxsize=200_000)
def stem(word, language):
    """The Snowball stem of a normalised word, or the word itself when too short to stem."""
    if (
        language not in SNOWBALL
        or not MIN_STEM_LENGTH < len(word) <= MAX_COMPOUND_LENGTH
        or word.isdigit()
    ):
        # Too short to stem, or too long to be a word (some stemmers slow down badly).
        return word
    stemmed = _stemmer(language).stemWord(word)
    stemmed = normalise(stemmed)
    return stemmed if len(stemmed) >= MIN_STEM_LENGTH else word


@lru_cache(maxsize=1)
def swedish_lexicon():
    """Swedish word frequencies on the Zipf scale (from wordfreq's lists, see README)."""
    lexicon = {}
    with gzip.open(LEXICON_PATH, "rt", encoding="utf-8") as handle:
        for line in handle:
            if line.startswith("#"):
                continue
            word, _, zipf = line.rstrip("\n").partition("\t")
            lexicon[word] = float(zipf)
    return lexicon


def _part_base(part, lexicon):
    """(dictionary form, zipf) of a compound's first part: samhälls -> samhälle, or None."""
    if lexicon.get(part, 0.0) >= MIN_PART_ZIPF:
        return part, lexicon[part]
    if part[-1] in SWEDISH_LINKS:
        bare = part[:-1]
        for candidate in (bare, bare + "e", bare + "a"):
            if lexicon.get(candidate, 0.0) >= MIN_PART_ZIPF:
                return candidate, lexicon[candidate] - LINK_PENALTY
        for ending in SWEDISH_DERIVATIONS:
            root = bare[: -len(ending)]
            if bare.endswith(ending) and lexicon.get(root, 0.0) >= MIN_PART_ZIPF:
                # mentorskaps- -> mentorskap, a word the frequency lists barely know.
                return bare, lexicon[root] - LINK_PENALTY
    return None


def _head_score(part, lexicon):
    """How good a word the last part is, inflected forms included (skolorna -> skola)."""
    if part in SWEDISH_SUFFIXES:
        return 0.0
    if part in lexicon:
        return lexicon[part]
    stemmed = stem(part, "sv")
    return lexicon.get(stemmed, 0.0) - STEM_PENALTY


@lru_cache(maxsize=100_000)
def split_compound(word):
    """The dictionary forms of a Swedish compound's parts, or () if it is not one.

    ``mentorskapsprogram`` -> (mentorskap, program). Chooses, among segmentations into at most
    four known words, the one whose parts have the highest mean frequency (Koehn & Knight,
    2003), and keeps the word whole when it is itself more common than its parts.
    """
    if not MIN_COMPOUND_LENGTH <= len(word) <= MAX_COMPOUND_LENGTH or not word.isalpha():
        return ()
    lexicon = swedish_lexicon()
    best = _best_split(word, MAX_PARTS)
    if best is None:
        return ()
    parts, score = best
    if len(parts) < 2 or _head_score(word, lexicon) >= score:
        return ()
    return tuple(parts)


@lru_cache(maxsize=200_000)
def _best_split(word, max_parts):
    """(parts, mean zipf) of the best segmentation of ``word``, or None."""
    lexicon = swedish_lexicon()
    candidates = []
    head_score = _head_score(word, lexicon)
    if head_score >= MIN_PART_ZIPF:
        candidates.append(((word,), head_score))
    if max_parts > 1:
        for cut in range(MIN_PART_LENGTH, len(word) - MIN_PART_LENGTH + 1):
            found = _part_base(word[:cut], lexicon)
            if found is None:
                continue
            base, base_score = found
            rest = _best_split(word[cut:], max_parts - 1)
            if rest is None:
                continue
            parts, score = rest
            # Mean frequency weighted by length, so short common words (ring, kap) weigh little.
            mean = (base_score * cut + score * (len(word) - cut)) / len(word)
            candidates.append(((base, *parts), mean - SPLIT_PENALTY))
    if not candidates:
        return None
    return max(candidates, key=lambda item: item[1])


def fold(word):
    """The word without diacritics (växjö -> vaxjo), for readers without Swedish keys."""
    decomposed = unicodedata.normalize("NFD", word)
    folded = "".join(char for char in decomposed if not unicodedata.combining(char))
    return unicodedata.normalize("NFC", folded)


def _swedish_base_forms(word):
    """Base words the stemmer misses: mentorskap -> mentor, mentorn -> mentor."""
    forms = []
    for ending in SWEDISH_DERIVATIONS:
        if word.endswith(ending) and len(word) - len(ending) >= 4:
            forms.append(word[: -len(ending)])
            break
    lexicon = swedish_lexicon()
    # Definite forms: mentorn -> mentor, programmet -> program, caféet -> café.
    for ending in ("n", "et"):
        bare = word[: -len(ending)]
        if (
            word.endswith(ending)
            and len(bare) >= 4
            and (ending == "et" or bare[-1] not in "aeiouyåäö")
        ):
            if lexicon.get(bare, 0.0) >= DEFINITE_BASE_ZIPF:
                forms.append(bare)
            elif bare[-1] == bare[-2] and lexicon.get(bare[:-1], 0.0) >= DEFINITE_BASE_ZIPF:
                forms.append(bare[:-1])  # programmet -> programm -> program
    return forms


@lru_cache(maxsize=100_000)
def word_form_groups(word, language):
    """The forms of a word, grouped: (the word and its variants), then each compound part's.

    Variants are the stem, base forms the stemmer misses, and the spelling without diacritics,
    so that "vaxjo" finds "Växjö" on every backend as it does on SQLite, whose tokenizer folds
    them. A search weighs each group by its own rarity: "väntetiden" counts for more than the
    common "tid" it contains.
    """
    if word in STOP_WORDS.get(language, ()):
        return ()
    groups = [_variants(word, language)]
    if language == "sv":
        groups.extend(_variants(part, "sv") for part in split_compound(word))
    seen = set()
    unique = []
    for group in groups:
        group = tuple(form for form in dict.fromkeys(group) if len(form) >= 2 and form not in seen)
        seen.update(group)
        if group:
            unique.append(group)
    return tuple(unique)


def _variants(word, language):
    forms = [word, stem(word, language)]
    if not word.isascii() and not ARABIC_LETTER_RE.search(word):
        forms.append(fold(word))
    if language == "sv":
        forms.extend(_swedish_base_forms(word))
    return forms


def word_forms(word, language):
    """Every form a word is indexed and searched under: itself, its variants, its parts."""
    return [form for group in word_form_groups(word, language) for form in group]


def analyse(text, language):
    """Index-time analysis: the distinct forms of every word in ``text``, as one string."""
    forms = {}
    for word in tokens(text):
        for form in word_forms(word, language):
            forms[form] = None
    return " ".join(forms)


def query_words(text, language):
    """The words of a query that carry meaning (stop words removed, order kept, no repeats)."""
    stop = STOP_WORDS.get(language, frozenset())
    return list(dict.fromkeys(word for word in tokens(text) if word not in stop))


def flatten(groups):
    """Every form of ``groups`` (``word_form_groups`` of each query word) once, in order."""
    return tuple(dict.fromkeys(term for group in groups for term in group))


@lru_cache(maxsize=1)
def _language_identifier():
    """py3langid's identifier (langid.py's model, character n-grams) limited to the four
    languages: every dev-set query is told right, in well under a millisecond. Loaded once per
    process, on its first query (half a second)."""
    from py3langid.langid import MODEL_FILE, LanguageIdentifier

    identifier = LanguageIdentifier.from_model_file(MODEL_FILE)
    identifier.set_languages(list(LANGUAGES))
    return identifier


def query_language(text, fallback="sv"):
    """The language a query is written in, from the query alone: never the interface's, so a
    search finds the same records whatever language the site is read in. ``fallback`` (the
    platform's language) for a query without letters."""
    if not any(char.isalpha() for char in text):
        return fallback
    # Not ``normalise``d: it writes Arabic letters as Persian ones, which tell the two apart.
    language, _ = _language_identifier().classify(text.casefold())
    return language if language in LANGUAGES else fallback


# A compound part this common ("plats" of "lärlingsplats", "tid" of "väntetiden") does not
# make a match alone: searched for, it finds every record about any place or time.
COMMON_PART_ZIPF = 5.3


@lru_cache(maxsize=100_000)
def query_word_groups(word, language):
    """``word_form_groups`` of a query word, without the groups of its common parts."""
    groups = word_form_groups(word, language)
    if len(groups) < 2:
        return groups
    lexicon = swedish_lexicon()
    kept = [
        group
        for group in groups[1:]
        if max(lexicon.get(form, 0.0) for form in group) < COMMON_PART_ZIPF
    ]
    return (groups[0], *kept)
