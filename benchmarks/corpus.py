"""A deterministic synthetic corpus in the interchange format (docs/interchange.md).

``generate(n)`` yields ``n`` source records (practices, methods and reports about 60/20/20),
most in Swedish and some in English, written from fixed word lists with a Zipf-like word
frequency, so a few words ("nyanlända", "arbete", "praktik") are in most records and most words
in few. A fixed share carries translations: about 30 % of the Swedish records an English title
and summary, 10 % Arabic, 5 % Persian. Activity types, target groups and municipalities are the
site's own (``practices/data/*.csv``, which the reference-data migration loads).

One ``random.Random(SEED)`` draws everything in order, so the same ``n`` gives the same records
and a smaller corpus is a prefix of a larger one. Change ``VERSION`` whenever the output changes:
the benchmark keys its saved snapshots by it.
"""

import csv
import datetime
import itertools
import json
import random
from pathlib import Path

SEED = 42
VERSION = 1
DATA_DIR = Path(__file__).resolve().parent.parent / "practices" / "data"

# Swedish content words, most frequent first (rank 0 is the head term). Integration work:
# reception, language, work, studies, health, civic life.
SV_WORDS = """
nyanlända arbete praktik språk svenska deltagare kommunen stöd arbetsmarknaden utbildning
mentor insatser projektet kvinnor unga samverkan etablering arbetsgivare integration vägledning
språkcafé studier metoden samhällsorientering träffar gruppen kontakt nätverk handledare
föreningar biblioteket kompetens validering yrkessvenska introduktion hälsa föräldrar familjer
skolan ungdomar asylsökande bostad arbetsförmedlingen jobbcoach anställning lönebidrag
nystartsjobb sfi vuxenutbildning praktikplats arbetsträning coachning kartläggning
studiebesök yrkesutbildning språkstöd tolk kulturtolk volontärer ideella civilsamhället
mottagande bosättning ensamkommande barn ungdomsmottagning fritid idrott föreningsliv
läxhjälp läsfrämjande samtal dialog delaktighet inkludering jämställdhet demokrati
rättigheter skyldigheter myndigheter försörjning egenförsörjning socialtjänsten
försörjningsstöd bidrag arbetslöshet sysselsättning rekrytering matchning branscher
vården omsorgen undersköterska barnskötare lokalvård restaurang bygg transport
logistik industri handel servicejobb lärlingar företagande entreprenörskap affärsidé
affärsplan starta eget mikrolån kooperativ sociala företag arbetsintegrerande
digitalisering datorer digitala verktyg körkort trafikteori simundervisning
cykelkurs motion friskvård psykisk ohälsa trauma stresshantering sömn kost
matlagning odling stadsodling trädgård naturen friluftsliv fiske vandring
hantverk sömnad textil konst musik teater kör dans kultur museer
hemspråk modersmål flerspråkighet översättning lexikon uttal grammatik ordförråd
läsning skrivning berättelser bokcirkel studiecirkel folkhögskola
gymnasiet högskolan akademiker utländsk examen bedömning komplettering
legitimation sjuksköterskor läkare ingenjörer lärare tandläkare farmaceuter
bristyrken yrkesroller arbetsplatsen introduktionsanställning lönesubvention
arbetsgivarkontakter företagsbesök mässa jobbmässa rekryteringsträff
mentorskap faddrar vänfamiljer kompisprogram språkvänner samtalsgrupper
kvinnogrupper pappagrupper föräldrastöd förskolan barnomsorg fritidsgård
landsbygden glesbygd kollektivtrafik pendling bostadsområde grannskap
trygghet polisen brottsförebyggande nätverksträffar uppföljning utvärdering
resultat effekter indikatorer kostnader finansiering socialfonden amif
länsstyrelsen regionen samordningsförbundet partnerskap överenskommelse
""".split()

# English content words for English records and translations, most frequent first.
EN_WORDS = """
newcomers work internship language swedish participants municipality support labour market
training mentor activities project women young cooperation settlement employers integration
guidance language-café studies method civic orientation meetings group contact network
supervisors associations library skills validation vocational introduction health parents
families school asylum seekers housing employment service coaching mapping job jobs
placement volunteers civil society reception children leisure sports homework reading
dialogue participation inclusion equality democracy rights authorities self-sufficiency
social services recruitment matching sectors care nursing cleaning restaurant construction
transport logistics industry retail apprentices business entrepreneurship start-up
cooperative social enterprise digital computers driving licence swimming cycling exercise
wellbeing mental trauma stress cooking gardening nature outdoors crafts sewing art music
theatre culture translation pronunciation grammar vocabulary writing stories study circle
folk high school university degree assessment licensing nurses doctors engineers teachers
shortage workplace subsidy fair buddies friendship parenting preschool youth rural commuting
neighbourhood safety follow-up evaluation results outcomes costs funding partnership
""".split()

AR_WORDS = """
العمل اللغة السويدية الوافدين التدريب المشاركين البلدية الدعم سوق التعليم المرشد النساء الشباب
التعاون الاندماج أصحاب التوجيه الدراسة المشروع الطريقة المجتمع اللقاءات المجموعة الشبكة الصحة
الأسر الأطفال المدرسة السكن المهارات الوظيفة المقابلة التوظيف الدورة المكتبة الجمعيات
المتطوعين المهنية الرقمية الثقافة الترجمة المواطنة الحقوق الخدمات الخبرة الشهادات الاعتراف
الخطة الأهداف النتائج
""".split()

FA_WORDS = """
کار زبان سوئدی تازه‌واردان کارورزی شرکت‌کنندگان شهرداری حمایت بازار آموزش منتور زنان جوانان
همکاری ادغام کارفرمایان مشاوره تحصیل پروژه روش جامعه جلسات گروه شبکه سلامت خانواده کودکان
مدرسه مسکن مهارت‌ها شغل مصاحبه استخدام دوره کتابخانه انجمن‌ها داوطلبان حرفه‌ای دیجیتال فرهنگ
ترجمه حقوق خدمات تجربه مدارک برنامه اهداف نتایج محله والدین
""".split()

FUNCTION_WORDS = {
    "sv": "och att i på för med som till av en ett det är har kan om de vi från under efter "
    "genom hos där också fler många inom mellan både varje alla sina deras när så nu mot".split(),
    "en": "and the of to in for with a on is are as by from that their this also through "
    "more who at into".split(),
    "ar": "في من على إلى مع عن و التي الذي هذا هذه كما بين خلال بعد".split(),
    "fa": "و در به از با برای که این را بین پس تا هم یک بر".split(),
}
CONTENT_WORDS = {"sv": SV_WORDS, "en": EN_WORDS, "ar": AR_WORDS, "fa": FA_WORDS}
ZIPF_EXPONENT = 1.3
# Project names: a long tail, each in about 0.25 % of the records (a quarter of the records have
# one, drawn evenly from a hundred).
PROJECT_NAMES = """
tranan lärkan svalan ugglan falken örnen hägern måsen tärnan sparven trasten domherren staren
kajan korpen skatan duvan göken storken svanen ejdern lommen rödhaken gärdsmygen nötväckan
blåmesen talgoxen eken björken linden almen asken lönnen granen tallen rönnen sälgen hasseln
enen vitsippan blåsippan prästkragen klövern vallmon ljungen mossan ormbunken kompassen fyren
ankaret seglet bryggan bron stigen leden nyckeln porten trappan stegen stjärnan månen solen
gryningen skörden ängen dalen åsen berget forsen älven sjön viken udden skäret havet vågen
källan brunnen elden glöden lyktan facklan vinden molnet regnbågen snöflingan isen kristallen
pärlan bärnstenen opalen safiren rubinen smaragden myran humlan fjärilen ekorren igelkotten
haren räven lodjuret bävern uttern sälen valen delfinen
""".split()
PROJECT_SHARE = 0.25

TYPES = (("practice", 0.6), ("method", 0.2), ("report", 0.2))
ENGLISH_SOURCE_SHARE = 0.08
TRANSLATION_SHARES = (("en", 0.30), ("ar", 0.10), ("fa", 0.05))  # of the Swedish records
SWEDISH_TRANSLATION_SHARE = 0.30  # of the English records

ORGANISATIONS = (
    "Röda Korset",
    "Rädda Barnen",
    "ABF",
    "Studiefrämjandet",
    "Sensus studieförbund",
    "Arbetsförmedlingen",
    "Länsstyrelsen",
    "Svenska kyrkan",
    "Individuell Människohjälp",
    "Coompanion",
)
HEADINGS = {
    "sv": ("Bakgrund", "Så går det till", "Resultat", "Lärdomar", "Målgrupp", "Samverkan"),
    "en": ("Background", "How it works", "Results", "Lessons learned", "Target group"),
}
ROLES = ("Projektledare", "Samordnare", "Verksamhetsutvecklare", "Enhetschef", "Handläggare")
INDICATORS = ("participants", "in_work", "in_studies", "in_internship", "towards_self_sufficiency")
FUNDERS = ("ESF", "AMIF", "Länsstyrelsen", "Kommunen", "Allmänna arvsfonden")

# The fixed query mix of the benchmark, by Zipf rank of the word lists above.
HEAD_TERM = SV_WORDS[0]  # nyanlända: in most records (also a target-group label)
TORSO_TERM = "rekrytering"  # rank 87: about 5 % of the records
TAIL_TERM = "tranan"  # a project name: about 0.25 % of the records
TWO_TERMS = "praktik mentor"
NO_HIT_TERM = "kvantfysikseminarium"
EN_TERM = "internship"
AR_TERM = "اللغة"
FA_TERM = "زبان"
AUTOCOMPLETE_PREFIX = "nya"


def _read_csv(name):
    with open(DATA_DIR / name, encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def reference_data():
    """(activity-type slugs, target-group slugs, [(municipality code, name)], region codes)."""
    activity_types = [row["slug"] for row in _read_csv("activity_types.csv")]
    target_groups = [row["slug"] for row in _read_csv("target_groups.csv")]
    municipalities = [(row["code"], row["name"]) for row in _read_csv("sweden_municipalities.csv")]
    regions = [row["code"] for row in _read_csv("sweden_regions.csv")]
    return activity_types, target_groups, municipalities, regions


def zipf_weights(count, exponent=ZIPF_EXPONENT):
    """Cumulative weights 1/rank^s for ``random.choices(..., cum_weights=...)``."""
    return list(itertools.accumulate(1.0 / (rank**exponent) for rank in range(1, count + 1)))


class CorpusWriter:
    """Draws records one after another from one seeded generator."""

    def __init__(self, seed=SEED):
        self.rng = random.Random(seed)  # noqa: S311 - reproducible text, not secrets
        activity_types, target_groups, municipalities, regions = reference_data()
        self.activity_types = activity_types
        self.target_groups = target_groups
        self.regions = regions
        # Bigger places run more projects: a fixed shuffle, then Zipf-like weights over it.
        self.municipalities = sorted(municipalities)
        random.Random(seed + 1).shuffle(self.municipalities)  # noqa: S311
        self.weights = {
            lang: zipf_weights(len(words), ZIPF_EXPONENT) for lang, words in CONTENT_WORDS.items()
        }
        self.place_weights = zipf_weights(len(self.municipalities), 0.7)
        self.activity_weights = zipf_weights(len(activity_types), 0.8)
        self.target_weights = zipf_weights(len(target_groups), 0.8)

    # Text ------------------------------------------------------------------------------

    def words(self, language, count):
        return self.rng.choices(
            CONTENT_WORDS[language], cum_weights=self.weights[language], k=count
        )

    def sentence(self, language):
        rng = self.rng
        length = rng.randint(7, 15)
        content = iter(self.words(language, length))
        function = FUNCTION_WORDS[language]
        tokens = [
            next(content) if rng.random() < 0.6 else rng.choice(function) for _ in range(length)
        ]
        text = " ".join(tokens)
        return text[:1].upper() + text[1:] + "."

    def sentences(self, language, low, high):
        return " ".join(self.sentence(language) for _ in range(self.rng.randint(low, high)))

    def title(self, language, place):
        rng = self.rng
        first, second, third = self.words(language, 3)
        joiner = {"sv": ("och", "för", "i"), "en": ("and", "for", "in")}.get(language)
        if joiner is None:
            text = " ".join(self.words(language, rng.randint(3, 5)))
        else:
            form = rng.randrange(4)
            if form == 0:
                text = f"{first} {joiner[0]} {second} {joiner[1]} {third}"
            elif form == 1:
                text = f"{first} {joiner[1]} {second} {joiner[2]} {place}"
            elif form == 2:
                text = f"{first}: {second} {joiner[0]} {third}"
            else:
                text = f"{first} {second} – {third} {joiner[2]} {place}"
        return text[:1].upper() + text[1:]

    def body(self, language):
        rng = self.rng
        headings = HEADINGS.get(language, HEADINGS["en"])
        parts = [self.sentences(language, 2, 4)]
        for heading in rng.sample(headings, 2):
            parts.append(f"## {heading}")
            parts.append(self.sentences(language, 2, 4))
        parts.append("\n".join(f"- {self.sentence(language)}" for _ in range(rng.randint(2, 4))))
        return "\n\n".join(parts)

    # Records ---------------------------------------------------------------------------

    def pick(self, values, weights, low, high):
        count = self.rng.randint(low, high)
        chosen = self.rng.choices(values, cum_weights=weights, k=count)
        return list(dict.fromkeys(chosen))

    def dates(self):
        rng = self.rng
        year = 2012 + min(13, int(rng.triangular(0, 14, 11)))
        start = datetime.date(year, rng.randint(1, 12), rng.randint(1, 28))
        end = start + datetime.timedelta(days=rng.randint(90, 1100)) if rng.random() < 0.7 else None
        return start, end

    def record(self, number):
        rng = self.rng
        record_type = rng.choices([t for t, _ in TYPES], weights=[w for _, w in TYPES])[0]
        language = "en" if rng.random() < ENGLISH_SOURCE_SHARE else "sv"
        places = self.pick(self.municipalities, self.place_weights, 1, 3)
        place_name = places[0][1]
        record = {
            "external_id": f"bench-{number:06d}",
            "type": record_type,
            "locale": language,
            "title": self.title(language, place_name),
            "summary": self.sentences(language, 2, 3),
            "body": self.body(language),
        }
        if rng.random() < PROJECT_SHARE:
            name = rng.choice(PROJECT_NAMES).capitalize()
            record["title"] = f"{name}: {record['title']}"
            record["summary"] = f"{name}. {record['summary']}"
        if rng.random() < 0.7:
            record["organisation"] = f"{place_name} kommun"
        else:
            record["organisation"] = rng.choice(ORGANISATIONS)
        if rng.random() < 0.05:
            record["regions"] = [rng.choice(self.regions)]
        else:
            record["municipalities"] = [code for code, _name in places]
        record["activity_types"] = self.pick(self.activity_types, self.activity_weights, 1, 3)
        record["target_groups"] = self.pick(self.target_groups, self.target_weights, 1, 2)
        start, end = self.dates()
        record["start_date"] = start.isoformat()
        if end is not None:
            record["end_date"] = end.isoformat()
        record["contact"] = {
            "name": f"Kontakt {number}",
            "role": rng.choice(ROLES),
            "email": f"kontakt{number}@example.se",
        }
        if rng.random() < 0.3:
            record["keywords"] = list(dict.fromkeys(self.words(language, rng.randint(1, 2))))
        self._type_fields(record, record_type, language)
        translations = self._translations(language, place_name)
        if translations:
            record["translations"] = translations
        return record

    def _type_fields(self, record, record_type, language):
        rng = self.rng
        if record_type == "method":
            record["when_to_use"] = self.sentences(language, 1, 2)
            record["time_needed"] = f"{rng.randint(2, 20)} veckor"
            record["cost_level"] = rng.choice(("low", "medium", "high"))
            return
        if record_type == "practice":
            record["challenge"] = self.sentences(language, 1, 2)
            record["results"] = self.sentences(language, 1, 2)
        record["funding"] = [
            {"source": rng.choice(FUNDERS), "amount_sek": rng.randrange(50, 5000) * 1000}
            for _ in range(rng.randint(0, 2))
        ]
        record["indicators"] = [
            {"key": key, "value": rng.randint(5, 95), "unit": "percent"}
            for key in rng.sample(INDICATORS, rng.randint(0, 3))
        ]

    def _translations(self, language, place_name):
        rng = self.rng
        wanted = []
        if language == "sv":
            wanted = [lang for lang, share in TRANSLATION_SHARES if rng.random() < share]
        elif rng.random() < SWEDISH_TRANSLATION_SHARE:
            wanted = ["sv"]
        return {
            lang: {"title": self.title(lang, place_name), "summary": self.sentences(lang, 2, 3)}
            for lang in wanted
        }


def generate(count, seed=SEED, start=0):
    """Records ``start`` to ``count - 1`` of the corpus (the first ones drawn and discarded)."""
    writer = CorpusWriter(seed)
    for number in range(count):
        record = writer.record(number)
        if number >= start:
            yield record


def page_count(records):
    """Pages the records become: one per source, plus one per translation."""
    return sum(1 + len(record.get("translations") or {}) for record in records)


def write_jsonl(path, records):
    with open(path, "w", encoding="utf-8") as handle:
        for record in records:
            handle.write(json.dumps(record, ensure_ascii=False) + "\n")


def lines(records):
    return [json.dumps(record, ensure_ascii=False) for record in records]
