"""Import interchange records (JSON Lines) as published pages, upserting by external id.

Two passes: every line is parsed and checked first (so references may point forwards in the
file), then the valid records are written. Records the site already has are compared with it a
batch at a time (``bulk.unchanged``): unchanged ones are left alone. New records without
references are written a batch at a time, each batch in one transaction (``bulk.BulkWriter``);
the others (updates, records that refer to others), and the records of a batch that failed,
are written one by one, methods first, each in its own transaction. A record that fails is
rolled back and reported; the others go on.
"""

import json
from collections import Counter
from dataclasses import dataclass, field

from django.db import transaction
from wagtail.models import Locale

from home.site_tree import ensure_site_tree
from practices.models import (
    ActivityType,
    Indicator,
    Municipality,
    Organisation,
    Region,
    TargetGroup,
)
from search.indexing import deferred_indexing
from translation.records import record_translations

from . import spec
from .bulk import BATCH, BulkWriter, existing_records, slug_base, unchanged
from .markdown import block_html, from_markdown
from .schema import Problem, Vocabulary, to_decimal, validate_record
from .serialise import canonical, page_record

# A line longer than this is refused before it is parsed: no record needs it (the body, the
# longest field, is limited to MAX_BODY characters).
MAX_LINE_LENGTH = 2_000_000
# Up to this many external ids are looked up by name, more by reading every record's id (a
# query with 100,000 parameters is beyond SQLite's limit).
LOOKUP_LIMIT = 5_000


@dataclass
class Rejection:
    line: int
    external_id: str
    problems: list

    def __str__(self):
        reasons = "; ".join(str(problem) for problem in self.problems)
        return f'line {self.line}: external_id "{self.external_id}": {reasons}'


@dataclass
class ImportResult:
    counts: Counter = field(default_factory=Counter)
    rejections: list = field(default_factory=list)
    new_indicators: list = field(default_factory=list)  # keys added to the vocabulary

    @property
    def notes(self):
        """What a coordinator should look at after the import, one line each."""
        if not self.new_indicators:
            return []
        return [
            "new outcome indicators, added to the list for a coordinator to check "
            "(Taxonomy → Outcome indicator types): " + ", ".join(self.new_indicators)
        ]

    @property
    def summary(self):
        return "imported: %d created, %d updated, %d unchanged, %d rejected" % (
            self.counts["created"],
            self.counts["updated"],
            self.counts["unchanged"],
            len(self.rejections),
        )


@dataclass
class _Entry:
    line: int
    record: dict


def find_record_pages(external_id):
    """The source page and its translations for an external id (source: the oldest page)."""
    for model in spec.PAGE_MODELS.values():
        pages = list(
            model.objects.filter(external_id=external_id).select_related("locale").order_by("id")
        )
        if pages:
            return pages[0], pages[1:]
    return None, []


class Importer:
    """``strict_indicators``: reject a record whose indicator key is not in the vocabulary
    (by default the key is added to it, marked for a coordinator to check: the interchange
    format allows any slug, and a partner's export must not lose its outcomes)."""

    def __init__(self, progress=None, strict_indicators=False, bulk=True, batch=BATCH):
        self.progress = progress
        self.strict_indicators = strict_indicators
        self.bulk = bulk
        self.batch = batch
        self.result = ImportResult()

    # Reading and checking ------------------------------------------------------------

    def read(self, lines):
        entries, seen = [], {}
        vocabulary = Vocabulary()
        for number, line in enumerate(lines, 1):
            if not line.strip():
                continue
            if len(line) > MAX_LINE_LENGTH:
                self._reject(
                    number,
                    "?",
                    [
                        Problem(
                            "record",
                            f"the line is too long: {len(line):,} characters, at most "
                            f"{MAX_LINE_LENGTH:,} (a record's text fields have their own limits: "
                            "docs/interchange.md)",
                        )
                    ],
                )
                continue
            try:
                record = json.loads(line)
            except json.JSONDecodeError as error:
                self._reject(number, "?", [Problem("json", f"not valid JSON ({error.msg})")])
                continue
            except RecursionError:
                self._reject(number, "?", [Problem("json", "nested too deeply to be a record")])
                continue
            external_id = record.get("external_id") if isinstance(record, dict) else None
            shown_id = external_id if isinstance(external_id, str) else "?"
            problems = validate_record(record, vocabulary)
            if not problems and external_id in seen:
                problems = [
                    Problem(
                        "external_id",
                        f"appears twice in this file (first on line {seen[external_id]})",
                    )
                ]
            if problems:
                self._reject(number, shown_id, problems)
                continue
            seen[external_id] = number
            entries.append(_Entry(number, record))
        return entries

    def _reject(self, line, external_id, problems):
        self.result.rejections.append(Rejection(line, external_id, problems))

    # Writing ---------------------------------------------------------------------------

    def run(self, lines):
        entries = self.read(lines)
        self.prepare()
        self.valid_types = {entry.record["external_id"]: entry.record["type"] for entry in entries}
        # Every record's id in one query per page type (a long file: the whole site's).
        ids = self.valid_types if len(self.valid_types) <= LOOKUP_LIMIT else None
        self.existing = existing_records(ids)
        self.done, self.total = 0, len(entries)

        entries.sort(key=lambda entry: (spec.TYPE_ORDER[entry.record["type"]], entry.line))
        one_by_one = []
        new, known = [], []
        for entry in entries:
            external_id = entry.record["external_id"]
            if external_id in self.existing:
                known.append(entry)
            elif self.bulk and not self._references(entry.record):
                new.append(entry)
            else:
                one_by_one.append(entry)
        # Records the site has: those it holds exactly as given are told apart a batch at a
        # time (a re-import of unchanged records writes nothing); the others are updated.
        for batch in _batches(known, self.batch):
            same = self._unchanged(batch)
            for entry in batch:
                if entry.record["external_id"] in same:
                    self.result.counts["unchanged"] += 1
                    self._advance(1)
                else:
                    one_by_one.append(entry)
        # New records without references: a batch at a time, each in one transaction.
        for batch in _batches(new, self.batch):
            self._write_batch(batch)
        if new:
            self.tree = ensure_site_tree()  # the index pages have more children now
        one_by_one.sort(key=lambda entry: (spec.TYPE_ORDER[entry.record["type"]], entry.line))
        for entry in one_by_one:
            self._write_entry(entry)
            self._advance(1)
        self.result.rejections.sort(key=lambda rejection: rejection.line)
        return self.result

    def _advance(self, count):
        self.done += count
        if self.progress:
            self.progress(self.done, self.total)

    def _references(self, record):
        return any(record.get(name) for name in spec.REFERENCE_FIELDS[record["type"]])

    def _unchanged(self, entries):
        """The external ids of ``entries`` the site holds exactly as given (records that the
        site check rejects are left to the record-by-record path, which reports them)."""
        comparable = [
            entry.record
            for entry in entries
            if self.existing[entry.record["external_id"]]
            == (entry.record["type"], entry.record["locale"])
        ]
        return unchanged(comparable) if comparable else set()

    def _write_batch(self, entries):
        """Write new records in one transaction; a record the site check rejects is reported
        first. If the batch fails, its records are written one by one, so a record that
        cannot be written is rejected alone and leaves nothing of itself."""
        ready = []
        for entry in entries:
            problems = self._check_against_site(entry.record)
            if problems:
                self._reject(entry.line, entry.record["external_id"], problems)
                self._advance(1)
                continue
            self._ensure_indicators(entry.record)
            ready.append(entry)
        if not ready:
            return
        try:
            self.writer.write([entry.record for entry in ready])
        except Exception:  # noqa: BLE001 - the records are tried one by one below
            self.organisations.clear()  # any made in the rolled-back transaction are gone
            self._missing_organisations = set()
            self.keyword_tags.clear()
            self.tree = ensure_site_tree()
            for entry in ready:
                self._write_entry(entry, checked=True)
                self._advance(1)
            self.writer.forget()  # the records written one by one took tree positions
            return
        self.result.counts["created"] += len(ready)
        self._advance(len(ready))

    def prepare(self):
        """Read what records refer to: the site tree, locales, places and vocabularies."""
        self.tree = ensure_site_tree()
        self.locales = {locale.language_code: locale for locale in Locale.objects.all()}
        self.municipalities = {m.code: m for m in Municipality.objects.all()}
        self.regions = {r.code: r for r in Region.objects.all()}
        source_language = Locale.get_default().language_code
        self.activity_types = {
            term.slug: term
            for term in ActivityType.objects.filter(locale__language_code=source_language)
        }
        self.target_groups = {
            term.slug: term
            for term in TargetGroup.objects.filter(locale__language_code=source_language)
        }
        self.organisations = {}
        self._missing_organisations = set()
        self.keyword_tags = {}  # name -> tag row, as ``_tags`` found them
        self.indicator_keys = set(Indicator.objects.values_list("slug", flat=True))
        self.existing = {}
        self.writer = BulkWriter(self)

    def _write_entry(self, entry, checked=False):
        record = entry.record
        if not checked:
            problems = self._check_against_site(record)
            if problems:
                self._reject(entry.line, record["external_id"], problems)
                return
            self._ensure_indicators(record)
        try:
            with transaction.atomic(), deferred_indexing():
                outcome = self._write(record)
        except Exception as error:  # noqa: BLE001 - any failure rejects just this record
            self.organisations.clear()  # any made in the rolled-back transaction are gone
            self._missing_organisations = set()
            self.keyword_tags.clear()
            self._reject(entry.line, record["external_id"], [Problem("save", str(error))])
            return
        self.result.counts[outcome] += 1

    def _tags(self, page, names):
        """The keyword tags named ``names``, by name: rows already read are reused (taggit
        looks the names up again for every page: a query per record), names not yet on the
        site are left to taggit, which makes them."""
        missing = [name for name in names if name not in self.keyword_tags]
        if missing:
            tag_model = page.keywords.through.tag_model()
            for tag in tag_model.objects.filter(name__in=missing):
                self.keyword_tags[tag.name] = tag
        return [self.keyword_tags.get(name, name) for name in sorted(names)]

    def _unknown_indicators(self, record):
        keys = (item["key"] for item in record.get("indicators") or [])
        return list(dict.fromkeys(key for key in keys if key not in self.indicator_keys))

    def _ensure_indicators(self, record):
        """Add the record's unknown indicator keys to the vocabulary (one row per language,
        named by the record's label or the key), marked as added by an import."""
        for key in self._unknown_indicators(record):
            item = next(item for item in record["indicators"] if item["key"] == key)
            name = (item.get("label") or key.replace("_", " ").capitalize())[:120]
            with transaction.atomic():
                translation_key = None
                for locale in self.locales.values():
                    term = Indicator.objects.create(
                        slug=key,
                        locale=locale,
                        name=name,
                        unit=item["unit"],
                        proposed=True,
                        **({"translation_key": translation_key} if translation_key else {}),
                    )
                    translation_key = term.translation_key
            self.indicator_keys.add(key)
            self.result.new_indicators.append(key)

    def _check_against_site(self, record):
        problems = []
        unknown = self._unknown_indicators(record) if self.strict_indicators else []
        if unknown:
            problems.append(
                Problem(
                    "indicators",
                    "not in the list of outcome indicators: "
                    + ", ".join(f'"{key}"' for key in unknown)
                    + " (a coordinator can add them, or import without --strict-indicators)",
                )
            )
        stored = self.existing.get(record["external_id"])
        if stored is not None:
            stored_type, stored_language = stored
            if stored_type != record["type"]:
                problems.append(Problem("type", f"the site already has this id as a {stored_type}"))
            elif stored_language != record["locale"]:
                problems.append(
                    Problem(
                        "locale",
                        f"the site already has this record with source language {stored_language}",
                    )
                )
        for name, wanted in spec.REFERENCE_FIELDS[record["type"]].items():
            for reference in record.get(name) or []:
                if self._reference_type(reference) != wanted:
                    problems.append(Problem(name, f'no {wanted} with external_id "{reference}"'))
        return problems

    def _reference_type(self, external_id):
        if external_id in self.valid_types:
            return self.valid_types[external_id]
        if external_id not in self.existing:
            self.existing.update(existing_records([external_id]))
        stored = self.existing.get(external_id)
        return stored[0] if stored is not None else None

    def _write(self, record):
        record_type = record["type"]
        source, translations = find_record_pages(record["external_id"])
        wanted = canonical(record)
        languages = set(record.get("translations") or {})
        if source is not None:
            current = page_record(source.specific, translations, languages)
            if current == wanted:
                return "unchanged"

        model = spec.PAGE_MODELS[record_type]
        created = source is None
        page = model(locale=self.locales[record["locale"]]) if created else source.specific
        self.fill_source(page, record, wanted)
        if created:
            parent = self.tree[record["locale"]][spec.INDEX_MODELS[record_type]]
            page.slug = self._free_slug(parent, record["title"], record["external_id"])
            parent.add_child(instance=page)
        page.save_revision().publish()

        by_language = {t.locale.language_code: t.specific for t in translations}
        written = []
        for language, text in wanted.get("translations", {}).items():
            translation = by_language.get(language)
            if translation is None:
                translation = page.copy_for_translation(
                    self.locales[language], copy_parents=True
                ).specific
            self.fill_translation(translation, record, wanted, language, text)
            translation.save_revision().publish()
            written.append(translation)
        # The same kind of translation as one made in the admin or by PO file (one status).
        record_translations(page, written)
        return "created" if created else "updated"

    def fill_source(self, page, record, wanted):
        """Fill a record's source-language page (``wanted``: the record as ``canonical`` has it)."""
        self.set_text(page, record["type"], wanted)
        self.set_shared(page, record)

    def fill_translation(self, translation, record, wanted, language, text):
        """Fill a translation page: its own text where the record has it, the source's
        elsewhere, and the fields every translation shares."""
        record_type = record["type"]
        merged = {**{k: wanted.get(k, "") for k in spec.translatable_fields(record_type)}}
        merged.update(text)
        self.set_text(translation, record_type, merged)
        self.set_shared(translation, record, language=language)
        if text.get("contact_role"):
            translation.contact_role = text["contact_role"]

    def set_text(self, page, record_type, text):
        """Fill a page's text fields from a record's (or a translation's) text."""
        page.title = text["title"]
        page.draft_title = text["title"]
        page.summary = text.get("summary", "")
        page.body = from_markdown(text.get("body", ""))
        for name in spec.RICH_TEXT_FIELDS[record_type]:
            value = text.get(name, "")
            setattr(page, name, block_html(value) if value else "")
        for name in spec.PLAIN_TEXT_FIELDS[record_type]:
            setattr(page, name, text.get(name, ""))

    def set_shared(self, page, record, language=None):
        """Fields that every translation shares with the source (places, taxonomy, figures)."""
        record_type = record["type"]
        page.external_id = record["external_id"]
        name = (record.get("organisation") or "").strip()
        page.organisation = self._organisation(name) if name else None
        page.municipalities = [self.municipalities[c] for c in record.get("municipalities") or []]
        page.regions = [self.regions[code] for code in record.get("regions") or []]
        page.activity_types = [self.activity_types[s] for s in record.get("activity_types") or []]
        page.target_groups = [self.target_groups[s] for s in record.get("target_groups") or []]
        page.start_date = record.get("start_date")
        page.end_date = record.get("end_date")
        contact = record.get("contact") or {}
        page.contact_name = contact.get("name", "")
        page.contact_role = contact.get("role", "")
        page.contact_email = contact.get("email", "")
        for name, _choices in spec.CHOICE_FIELDS[record_type].items():
            setattr(page, name, record.get(name) or "")
        page.keywords.set(self._tags(page, {k.strip() for k in record.get("keywords") or []}))
        if record_type == "method":
            return
        page.partners = [self._organisation(n.strip()) for n in record.get("partners") or []]
        relation = page.__class__
        page.funding = [
            relation.funding.rel.related_model(
                source=item["source"].strip(), amount_sek=item["amount_sek"], sort_order=order
            )
            for order, item in enumerate(record.get("funding") or [])
        ]
        page.indicators = [
            relation.indicators.rel.related_model(
                key=item["key"],
                label=item.get("label", ""),
                value=to_decimal(item["value"]),
                unit=item["unit"],
                target=None if item.get("target") is None else to_decimal(item["target"]),
                measured_on=item.get("measured_on"),
                sort_order=order,
            )
            for order, item in enumerate(record.get("indicators") or [])
        ]
        page.method_links = [
            relation.method_links.rel.related_model(
                method=self._linked_page(ref, language), sort_order=order
            )
            for order, ref in enumerate(dict.fromkeys(record.get("methods") or []))
        ]
        if record_type == "report":
            page.linked_practices = [
                relation.linked_practices.rel.related_model(
                    practice=self._linked_page(ref, language), sort_order=order
                )
                for order, ref in enumerate(dict.fromkeys(record.get("practices") or []))
            ]

    def _linked_page(self, external_id, language):
        source, translations = find_record_pages(external_id)
        for translation in translations:
            if translation.locale.language_code == language:
                return translation.specific
        return source.specific

    def known_organisations(self, names):
        """Look the organisations of these names up at once; returns the names the site has
        no organisation for (made one by one as they are first needed, unless the caller
        makes them and adds them to ``organisations``)."""
        wanted = set(names) - set(self.organisations)
        if wanted:
            for organisation in Organisation.objects.filter(name__in=wanted).order_by("-pk"):
                self.organisations[organisation.name] = organisation  # the oldest stays
        self._missing_organisations = wanted - set(self.organisations)
        return set(self._missing_organisations)

    def _organisation(self, name):
        """The organisation of this name, made if the site has none (looked up once a run)."""
        organisation = self.organisations.get(name)
        if organisation is None:
            if name in self._missing_organisations:
                organisation = None  # looked up with its batch: not on the site
            else:
                organisation = Organisation.objects.filter(name=name).first()
            if organisation is None:
                organisation = Organisation.objects.create(
                    name=name, kind=Organisation.guess_kind(name)
                )
            self.organisations[name] = organisation
        return organisation

    @staticmethod
    def _free_slug(parent, title, external_id):
        base = slug_base(title, external_id)
        siblings = set(parent.get_children().values_list("slug", flat=True))
        slug, number = base, 2
        while slug in siblings:
            slug, number = f"{base}-{number}", number + 1
        return slug


def _batches(items, size):
    for first in range(0, len(items), size):
        yield items[first : first + size]
