"""Municipalities like mine (``places.similar``): the same SKR group first, the same län
first within it, then by closeness of population (log-ratio); the main group fills in when
the group is too small; never the kommun itself; the reason in the reader's language."""

import math

from django.utils import translation

from places.similar import MIN_SAME_GROUP, about, distance, similar_municipalities
from practices.models import Municipality


def kommun(code, group, population, region_id=1, name=None):
    return Municipality(
        code=code, name=name or code, group=group, population=population, region_id=region_id
    )


SUNNE = kommun("1766", "C8", 13356, region_id=17, name="Sunne")


def codes(found):
    return [similar.municipality.code for similar in found]


def test_the_same_group_by_closeness_of_population_the_same_lan_first():
    candidates = [
        SUNNE,  # the kommun itself is never listed
        kommun("a", "C8", 26000, region_id=3),  # log(26000/13356) ≈ 0.67
        kommun("b", "C8", 7000, region_id=3),  # ≈ 0.65: a little closer
        kommun("c", "C8", 40000, region_id=17),  # far, but in Sunne's län
        kommun("d", "C9", 13000, region_id=17),  # another group of main group C
        kommun("e", "B5", 13356, region_id=17),  # another main group
    ]
    found = similar_municipalities(SUNNE, candidates)
    assert codes(found) == ["c", "b", "a"]  # enough C8s: no fallback
    assert len(found) >= MIN_SAME_GROUP
    assert all(similar.same_group for similar in found)
    assert found[0].same_region and not found[1].same_region


def test_a_small_group_falls_back_to_its_main_group_after_the_group():
    candidates = [
        kommun("a", "C8", 20000, region_id=3),
        kommun("d", "C9", 13000, region_id=17),
        kommun("f", "C6", 14000, region_id=3),
        kommun("g", "A1", 13356, region_id=17),  # main group A: never
    ]
    found = similar_municipalities(SUNNE, candidates)
    assert codes(found) == ["a", "d", "f"]
    assert [similar.same_group for similar in found] == [True, False, False]


def test_no_group_or_no_population_is_handled():
    assert similar_municipalities(kommun("x", "", 100), [SUNNE]) == []
    assert distance(SUNNE, kommun("y", "C8", None)) == math.inf
    assert codes(similar_municipalities(SUNNE, [kommun("y", "C8", None)])) == ["y"]


def test_about_rounds_to_two_significant_figures():
    assert about(10196) == 10000
    assert about(11321) == 11000
    assert about(934) == 930
    assert about(995574) == 1000000
    assert about(None) == 0


def test_the_reason_is_translated_with_a_plural_safe_number():
    similar = similar_municipalities(SUNNE, [kommun("t", "C8", 11321, name="Torsby")])[0]
    with translation.override("en"):
        assert similar.reason == "also a C8 municipality, about 11,000 inhabitants"
    fallback = similar_municipalities(SUNNE, [kommun("e", "C9", 8412, name="Eda")])[0]
    with translation.override("en"):
        assert fallback.reason.startswith("a C9 municipality, also in main group C (")
        assert fallback.reason.endswith("about 8,400 inhabitants")
