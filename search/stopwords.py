"""Stop words: function words that say nothing about what a searcher wants.

Swedish and English follow the Snowball lists (the ones PostgreSQL's ``swedish`` and ``english``
configurations use), trimmed of words that matter here ("utan", "under", "mot"). Arabic and
Persian are short lists of particles, pronouns and question words; PostgreSQL has none for them.
The search words themselves ("hur", "how", "كيف", "چگونه") are included: natural-language questions
should be matched on their content words.
"""

import unicodedata

from .normalise import normalise

_SV = """
alla allt alltså andra att av bara blev bli blir blivit de dem den denna deras dess dessa det detta
dig din dina ditt du där då efter ej eller en er era ert ett fler flera från får för ha hade han
hans har hennes henne hon honom hur här i icke ingen inom inte jag ju kan kunde man med mellan men
mig min mina mitt mycket ni nu när någon något några och om oss på samma sedan sig sin sina sitta
själv skulle som så sådan sådana sådant till under upp ut vad var vara varför varit varje vars
vart vem vi vid vilka vilkas vilken vilket vår våra vårt än är åt över göra gör gjort ska kommer
"""

_EN = """
a about after all also am an and any are as at be been before being between both but by can could
did do does doing each few for from get had has have having he her here hers him his how i if in
into is it its itself just may me might more most my no nor not of on once only or other our ours
out over own same shall she should so some such than that the their them then there these they
this those through to too until up very was we were what when where which while who whom why will
with would you your yours want wants
"""

_AR = """
في من إلى الى على عن مع هذا هذه ذلك تلك هو هي هم هن أنا انا نحن أنت انت كان كانت يكون تكون
أن ان إن لا لم لن ما ماذا كيف متى أين اين هل التي الذي الذين او أو ثم قد كل بعض غير بين عند
لدى حتى إذا اذا لكن بل و ف ب ل ك يمكن يمكنني أريد
"""

_FA = """
و در به از که را این آن با برای تا یا هم نیز اما چه چگونه چطور کجا کی چرا آیا است هست بود
شد شود می‌شود باشد باید نمی ای یک خود ما من تو او آنها ایشان شما هر همه دیگر بر پس اگر
کرد کردن کند کنند کنم کنی کنید کنیم می‌کند می‌کنند شوند شده دارد دارند داشت بودن هستند نیست
"""


def _words(block):
    return frozenset(normalise(unicodedata.normalize("NFC", word)) for word in block.split())


# Written the way analysed words are (``normalise``), so that a lookup is a set membership.
STOP_WORDS = {
    language: _words(block)
    for language, block in (("sv", _SV), ("en", _EN), ("ar", _AR), ("fa", _FA))
}
