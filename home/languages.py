"""The reading languages: their own names, their direction, and the reader's choice at `/`.

Every language in ``settings.LANGUAGES`` is named in its own script in the language switcher
(a reader who does not read the current interface language must still find theirs), and the
root URL sends the reader to the language their browser asks for.
"""

from dataclasses import dataclass

from django.conf import settings
from django.utils.translation import get_language_info

# Each language as its speakers write it. Django's own ``name_local`` for ``fa`` is "فارسی";
# our readers are mostly from Afghanistan, so Persian is offered as Dari too.
OWN_NAMES = {
    "sv": "Svenska",
    "en": "English",
    "ar": "العربية",
    "fa": "دری / فارسی",
}

# Language tags a browser may send that are not in LANGUAGES, mapped onto ours: ISO 639-2/3
# codes (``prs`` is Dari, ``pes`` Iranian Persian), and the old macrolanguage codes.
ALIASES = {
    "swe": "sv",
    "eng": "en",
    "ara": "ar",
    "arb": "ar",
    "prs": "fa",
    "pes": "fa",
    "per": "fa",
    "fas": "fa",
}


@dataclass(frozen=True)
class Language:
    code: str
    own_name: str
    bidi: bool

    @property
    def direction(self):
        return "rtl" if self.bidi else "ltr"


def language_codes():
    return [code for code, _name in settings.LANGUAGES]


def get_language(code):
    """The language for ``code`` (one of LANGUAGES), named in its own script."""
    try:
        info = get_language_info(code)
    except KeyError:
        info = {"name_local": code, "bidi": False}
    return Language(code=code, own_name=OWN_NAMES.get(code, info["name_local"]), bidi=info["bidi"])


def all_languages():
    return [get_language(code) for code in language_codes()]


def supported_code(tag):
    """Our language code for a language tag such as ``fa-AF``, ``prs`` or ``AR_sa``, or None."""
    if not tag:
        return None
    tag = tag.strip().replace("_", "-").lower()
    codes = language_codes()
    if tag in codes:
        return tag
    primary = tag.split("-", 1)[0]
    if primary in codes:
        return primary
    alias = ALIASES.get(primary)
    return alias if alias in codes else None


def parse_accept_language(header):
    """Language tags from an Accept-Language header, most wanted first.

    Quality values are honoured; ``q=0`` means "not this one" and drops the tag; a malformed
    quality drops the tag rather than the whole header. Ties keep the header's order.
    """
    ranked = []
    for position, item in enumerate((header or "").split(",")):
        tag, _sep, params = item.strip().partition(";")
        tag = tag.strip()
        if not tag or tag == "*":
            continue
        quality = 1.0
        for param in params.split(";"):
            name, _eq, value = param.strip().partition("=")
            if name.strip().lower() == "q":
                try:
                    quality = float(value)
                except ValueError:
                    quality = 0.0
                if not 0.0 <= quality <= 1.0:
                    quality = 0.0
        if quality > 0:
            ranked.append((-quality, position, tag))
    return [tag for _q, _p, tag in sorted(ranked)]


def language_for_request(request):
    """The language to send a reader to: their explicit choice, their browser's, else Swedish.

    The language cookie (set by Django's ``set_language`` view) is an explicit choice and wins;
    then the first Accept-Language tag we can serve; then ``settings.LANGUAGE_CODE``.
    """
    chosen = supported_code(request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME))
    if chosen:
        return chosen
    for tag in parse_accept_language(request.headers.get("Accept-Language", "")):
        code = supported_code(tag)
        if code:
            return code
    return settings.LANGUAGE_CODE
