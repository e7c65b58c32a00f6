"""Word analysis: what both the index and the queries go through."""

import pytest

from search.analysis import analyse, query_words, split_compound, stem, word_forms
from search.normalise import normalise


@pytest.mark.parametrize(
    ("word", "parts"),
    [
        ("mentorskapsprogram", ("mentorskap", "program")),
        ("språkcafé", ("språk", "café")),
        ("kulturtolkarna", ("kultur", "tolkarna")),
        ("branschvalidering", ("bransch", "validering")),
        ("vårdpraktik", ("vård", "praktik")),
    ],
)
def test_swedish_compounds_split_into_their_parts(word, parts):
    assert split_compound(word) == parts


@pytest.mark.parametrize("word", ["nyanlända", "matchning", "tolkarna", "kvinnorna", "café"])
def test_plain_and_inflected_words_are_not_split(word):
    assert split_compound(word) == ()


def test_inflections_share_a_form():
    mentor_forms = [set(word_forms(word, "sv")) for word in ("mentorer", "mentorn", "mentorskap")]
    assert set.intersection(*mentor_forms) >= {"mentor"}
    assert stem("ansökningar", "sv") == stem("ansökning", "sv")
    assert stem("seekers", "en") == stem("seeker", "en")


def test_compound_word_is_found_by_each_part():
    indexed = set(analyse("Mentorskapsprogram för nyanlända", "sv").split())
    assert {"mentorskapsprogram", "mentorskap", "program", "mentor", "nyanlända"} <= indexed
    assert "för" not in indexed  # stop word


def test_swedish_letters_are_kept_and_case_folded():
    assert normalise("ÅÄÖ Här") == "åäö här"
    assert "har" not in analyse("Här", "sv").split()


def test_arabic_script_spellings_are_unified():
    # Arabic yeh/kaf and Persian yeh/keheh, tatweel, diacritics, zero-width non-joiner.
    assert normalise("كتاب") == normalise("کتاب")
    assert normalise("عربي") == normalise("عربی")
    assert normalise("پناه\u200cجویان") == "پناهجویان"
    assert normalise("مَدْرَسَة") == normalise("مدرسة")


def test_arabic_definite_article_is_stemmed_away():
    assert stem(normalise("السكن"), "ar") == stem(normalise("سكن"), "ar")


def test_query_words_drop_stop_words_and_repeats():
    assert query_words("hur får man fler nyanlända kvinnor i arbete", "sv") == [
        "nyanlända",
        "kvinnor",
        "arbete",
    ]
    assert query_words("How can the the parents learn", "en") == ["parents", "learn"]
