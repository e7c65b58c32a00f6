"""How every word is written before it is compared: case-folded, composed, and with Arabic-script
spellings unified (Arabic and Persian yeh and kaf, alef forms, teh marbuta, no diacritics,
tatweel or zero-width joiners). Used by the analysis, the stop words and the Elasticsearch
char filters alike."""

import re
import unicodedata

ARABIC_SCRIPT_MAP = str.maketrans(
    {
        "\u064a": "\u06cc",  # Arabic yeh -> Farsi yeh
        "\u0649": "\u06cc",  # alef maksura -> Farsi yeh
        "\u0643": "\u06a9",  # Arabic kaf -> keheh
        "\u0623": "\u0627",  # alef with hamza above -> alef
        "\u0625": "\u0627",  # alef with hamza below -> alef
        "\u0622": "\u0627",  # alef with madda -> alef
        "\u0671": "\u0627",  # alef wasla -> alef
        "\u0629": "\u0647",  # teh marbuta -> heh
        "\u0640": None,  # tatweel
        "\u200c": None,  # zero-width non-joiner: پناه‌جو and پناهجو are one word
        "\u200d": None,
    }
)
ARABIC_DIACRITICS_RE = re.compile("[\u064b-\u065f\u0670\u06d6-\u06ed]")


def normalise(text):
    """Case-fold, compose, and unify Arabic-script spellings. Keeps å, ä and ö."""
    text = unicodedata.normalize("NFC", text).casefold()
    text = ARABIC_DIACRITICS_RE.sub("", text)
    return text.translate(ARABIC_SCRIPT_MAP)
