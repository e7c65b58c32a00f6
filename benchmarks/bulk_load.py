"""Write benchmark records straight into the page tables: a 100,000-record corpus in minutes.

The importer (``interchange.importer``) writes each record the way an editor's publish does:
a tree insert, a revision and a publish per page, wagtail-localize's translation records, each
record in its own transaction; about 330 queries a record, 3–5 records/s, so a 100,000-record
corpus would take the better part of a day. ``BulkLoader`` fills the same pages in memory with
the importer's own code (``Importer.fill_source`` and ``fill_translation``: text, places,
vocabularies, organisation, keywords, funding, indicators) and writes a batch of records at a
time with multi-row INSERTs: the page rows with their tree paths and URL paths, the page-type
rows, the many-to-many and child rows, and one published revision per page.

It leaves out what search never reads: wagtail-localize's translation sources (the admin's
per-translation status), log entries and the reference index. It writes only new records (an
``external_id`` the site already has is refused, as are references to other records, which the
benchmark corpus does not have); it does not index them: ``update_index`` does that afterwards.
``tests/test_bulk_load.py`` checks that loaded pages give search the same index documents and
facet rows as imported ones.
"""

from collections import defaultdict

from django.contrib.contenttypes.models import ContentType
from django.db import connection, models, transaction
from django.utils import timezone
from modelcluster.fields import ParentalManyToManyField
from modelcluster.models import get_all_child_relations
from wagtail.models import Page, Revision

from interchange import spec
from interchange.importer import Importer, slug_base
from interchange.schema import Vocabulary, validate_record
from interchange.serialise import canonical
from practices.models import CONTENT_PAGE_MODELS

BATCH = 500  # records per transaction


class BulkLoadError(ValueError):
    """A record the bulk loader cannot write (it writes the benchmark corpus, not any file)."""


class _Parent:
    """An index page the loader adds children to: the next free tree position and the slugs
    its children have, read once and then kept in memory."""

    def __init__(self, page):
        self.page = page
        last = page.get_last_child()
        self.next_position = last._get_lastpos_in_path() + 1 if last is not None else 1
        self.slugs = set(page.get_children().values_list("slug", flat=True))
        self.added = 0

    def place(self, child, slug):
        page = self.page
        child.depth = page.depth + 1
        child.path = Page._get_path(page.path, child.depth, self.next_position)
        child.numchild = 0
        child.slug = slug
        child.url_path = f"{page.url_path}{slug}/"
        self.next_position += 1
        self.added += 1
        self.slugs.add(slug)

    def free_slug(self, base, first_suffix):
        slug, number = base, first_suffix
        while slug in self.slugs:
            slug, number = f"{base}-{number}", number + 1
        return slug


def _as_python(instance):
    """Dates and decimals as the types a saved and read page has: records carry them as text,
    which the database takes but a revision's serialisation does not (an editor's save cleans
    them first)."""
    for field in instance._meta.concrete_fields:
        if isinstance(field, (models.DateField, models.DecimalField)):
            setattr(instance, field.attname, field.to_python(getattr(instance, field.attname)))


class BulkLoader:
    def __init__(self, batch=BATCH):
        self.batch = batch
        self.filler = Importer()
        self.filler.prepare()
        self.parents = {}
        self.vocabulary = Vocabulary()
        self.page_type = ContentType.objects.get_for_model(Page)
        self.taken = set().union(
            *(model.objects.values_list("external_id", flat=True) for model in CONTENT_PAGE_MODELS)
        )
        self.loaded = 0

    def load(self, records, progress=None):
        """Write ``records`` (interchange dicts) in batches; returns how many were written."""
        batch = []
        for record in records:
            batch.append(record)
            if len(batch) == self.batch:
                self._write_batch(batch)
                batch = []
                if progress is not None:
                    progress(self.loaded)
        if batch:
            self._write_batch(batch)
            if progress is not None:
                progress(self.loaded)
        return self.loaded

    # Filling pages in memory -----------------------------------------------------------

    def _check(self, record):
        problems = validate_record(record, self.vocabulary)
        external_id = record.get("external_id") if isinstance(record, dict) else None
        if problems:
            raise BulkLoadError(f"{external_id or '?'}: " + "; ".join(map(str, problems)))
        if any(record.get(name) for name in spec.REFERENCE_FIELDS[record["type"]]):
            raise BulkLoadError(
                f"{external_id}: refers to other records; the bulk loader writes only records "
                "without references (use import_content)"
            )
        if external_id in self.taken:
            raise BulkLoadError(f"{external_id}: the site already has this record")
        self.taken.add(external_id)

    def _parent(self, language, record_type):
        key = (language, record_type)
        if key not in self.parents:
            index = self.filler.tree[language][spec.INDEX_MODELS[record_type]]
            self.parents[key] = _Parent(Page.objects.get(pk=index.pk))
        return self.parents[key]

    def _pages(self, record, now):
        """The record's source page and its translations, filled and placed, not yet saved."""
        self._check(record)
        record_type = record["type"]
        model = spec.PAGE_MODELS[record_type]
        wanted = canonical(record)
        source = model(locale=self.filler.locales[record["locale"]])
        self.filler.fill_source(source, record, wanted)
        parent = self._parent(record["locale"], record_type)
        parent.place(source, parent.free_slug(slug_base(record["title"], record["external_id"]), 2))
        pages = [source]
        for language, text in wanted.get("translations", {}).items():
            translation = model(
                locale=self.filler.locales[language], translation_key=source.translation_key
            )
            self.filler.fill_translation(translation, record, wanted, language, text)
            # As ``copy_for_translation`` does: the source's slug, "-1", "-2" … if taken.
            parent = self._parent(language, record_type)
            parent.place(translation, parent.free_slug(source.slug, 1))
            pages.append(translation)
        for page in pages:
            _as_python(page)
            for relation in get_all_child_relations(model):
                name = relation.get_accessor_name()
                if name not in getattr(page, "_cluster_related_objects", {}):
                    setattr(page, name, [])  # a new page has none (comments, images …)
                for child in getattr(page, name).all():
                    _as_python(child)
            page.draft_title = page.title
            page.content_type = ContentType.objects.get_for_model(model)
            page.live = True
            page.has_unpublished_changes = False
            page.first_published_at = page.last_published_at = now
            page.latest_revision_created_at = now
        return pages

    # Writing ----------------------------------------------------------------------------

    @transaction.atomic
    def _write_batch(self, records):
        now = timezone.now()
        pages = [page for record in records for page in self._pages(record, now)]
        # The Page rows (their ids come back), then each page type's own rows.
        Page.objects.bulk_create(pages, batch_size=self.batch)
        by_model = defaultdict(list)
        for page in pages:
            page.page_ptr_id = page.id  # the Page row's id; ``pk`` is page_ptr_id
            by_model[type(page)].append(page)
        for model, rows in by_model.items():
            self._insert_own_rows(model, rows)
            self._write_relations(model, rows)
        self._write_revisions(pages, now)
        for parent in self.parents.values():
            if parent.added:
                parent.page.numchild += parent.added
                Page.objects.filter(pk=parent.page.pk).update(numchild=parent.page.numchild)
                parent.added = 0
        self.loaded += len(records)

    @staticmethod
    def _insert_own_rows(model, rows):
        # ``bulk_create`` refuses multi-table models; this is the insert it would make for the
        # child table alone (the Page rows are in already).
        fields = model._meta.local_concrete_fields
        size = connection.ops.bulk_batch_size(fields, rows) or len(rows)
        for first in range(0, len(rows), size):
            model._base_manager._insert(rows[first : first + size], fields=fields)

    def _write_relations(self, model, pages):
        for field in model._meta.get_fields():
            if not isinstance(field, ParentalManyToManyField):
                continue
            through = field.remote_field.through
            source, target = f"{field.m2m_field_name()}_id", f"{field.m2m_reverse_field_name()}_id"
            through.objects.bulk_create(
                [
                    through(**{source: page.pk, target: value.pk})
                    for page in pages
                    for value in getattr(page, field.name).all()
                ],
                batch_size=self.batch,
            )
        for relation in get_all_child_relations(model):
            children = []
            for page in pages:
                for child in getattr(page, relation.get_accessor_name()).all():
                    setattr(child, relation.field.attname, page.pk)
                    children.append(child)
            relation.related_model.objects.bulk_create(children, batch_size=self.batch)

    def _write_revisions(self, pages, now):
        revisions = Revision.objects.bulk_create(
            [
                Revision(
                    content_type=page.content_type,
                    base_content_type=self.page_type,
                    object_id=str(page.pk),
                    created_at=now,
                    object_str=page.title,
                    content=page.serializable_data(),
                )
                for page in pages
            ],
            batch_size=self.batch,
        )
        for page, revision in zip(pages, revisions, strict=True):
            page.latest_revision = page.live_revision = revision
        Page.objects.bulk_update(pages, ["latest_revision", "live_revision"], batch_size=self.batch)
