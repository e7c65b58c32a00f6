"""Write many new records at once, and tell unchanged records from changed ones in bulk.

Written one at a time (``Importer._write``), a record costs what an editor's publish costs: a
tree insert, a revision and a publish per page, wagtail-localize's records, about 330 queries
and a fifth of a second. ``BulkWriter`` fills the same pages in memory with the importer's own
code (``Importer.fill_source`` and ``fill_translation``) and writes a batch of records with
multi-row INSERTs: the page rows with their tree paths and URL paths, the page-type rows, the
many-to-many and child rows, one published revision per page, the log entries an editor's
publish leaves ("wagtail.create", "wagtail.publish") and the reference index rows. Then each
record with translations gets its wagtail-localize translation source, translations and
translation memory (``translation.records.record_translations``, as the importer does), the
batch is announced as published, once for the batch rather than per page as an editor's
publish does (``BulkWriter._announce``): its records' facets are synced once, its pages indexed
with one bulk call per page type and search backend, the page cache and the vector queue told,
and ``interchange.signals.records_imported`` sent for the open-data downloads.

It writes only new records without references to other records; the importer sends the
others (updates, references) down its record-by-record path. ``unchanged`` compares a batch
of incoming records with what the site holds, reading the stored pages of the whole batch in a
fixed number of queries.
"""

import logging
from collections import defaultdict
from functools import partial

from django.contrib.contenttypes.models import ContentType
from django.db import connection, models, transaction
from django.db.models import OuterRef, Prefetch, Subquery
from django.db.models.functions import Cast
from django.utils import timezone
from django.utils.text import slugify
from modelcluster.fields import ParentalManyToManyField
from modelcluster.models import get_all_child_relations
from modelsearch.backends import get_search_backends_with_name
from modelsearch.tasks import insert_or_update_object_task
from wagtail.models import Page, PageLogEntry, ReferenceIndex, Revision

from home.page_cache import bump as bump_page_cache
from practices.models import Organisation
from search.documents import shared_term_labels
from search.indexing import _pending as indexing_deferred
from search.indexing import deferred_indexing
from search.signals import deferred_sync, schedule_sync
from semantic.models import PendingVector

from . import spec
from .serialise import canonical, page_record
from .signals import records_imported
from .translation_memory import record_new_translations

BATCH = 500  # records per transaction
logger = logging.getLogger(__name__)


def slug_base(title, external_id):
    """The slug a new record's page asks for (``-2``, ``-3`` … are added while it is taken)."""
    return (slugify(title) or slugify(external_id) or "page")[:200].strip("-")


class _Parent:
    """An index page the writer adds children to: the next free tree position and the slugs
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


class BulkWriter:
    """Writes batches of new, valid records without references (``filler``: a prepared
    ``Importer``, whose code fills the pages and whose site tree, places and vocabularies it
    uses).

    ``search=False`` leaves indexing, facets and the rest of what a publish tells the site
    (``_announce``) to a later ``update_index``, and
    ``translation_memory=False`` leaves out wagtail-localize's records (the benchmark's loader,
    ``benchmarks.bulk_load``, writes only what search reads)."""

    def __init__(self, filler, search=True, translation_memory=True):
        self.filler = filler
        self.search = search
        self.translation_memory = translation_memory
        self.parents = {}
        self.organisations = []  # made by the batch being written
        self.page_type = ContentType.objects.get_for_model(Page)

    def forget(self):
        """Read the index pages afresh next time: after a failed batch (its tree positions
        were rolled back) or a record written one by one (it took a position)."""
        self.parents = {}

    def write(self, records):
        """Write ``records`` (valid interchange dicts, new, without references) in one
        transaction and tell the site they were published; returns their source pages. On
        any error nothing of the batch is left and the writer has forgotten its positions."""
        # Inside a caller's own ``deferred_indexing()`` block, the index updates wait for its end.
        deferred = indexing_deferred() is not None
        try:
            with deferred_sync(), deferred_indexing():
                with transaction.atomic():
                    sources, pages = self._write_batch(records)
                    if self.search:
                        self._announce(sources, pages, self.organisations)
                        # In the transaction, as a record written alone is indexed: a database
                        # backend that fails rolls the batch back (an engine's failure is
                        # logged and resynced later).
                        index_objects([*self.organisations, *pages], deferred=deferred)
        except Exception:
            self.forget()
            raise
        return sources

    @staticmethod
    def _announce(sources, pages, organisations):
        """What an editor's publish of each page tells the rest of the site (the receivers
        of ``page_published``), for the whole batch at once: search syncs the records'
        facets when ``deferred_sync`` ends; the page cache drops the listings that now have
        more records; the pages are queued for their passage vectors; and, after the commit,
        ``records_imported`` tells the apps above this one (the open-data downloads)."""
        for source in sources:
            schedule_sync(source.translation_key)
        types = {source.interchange_type for source in sources}
        tags = {"reuse", *(f"list:{record_type}" for record_type in types)}
        if organisations:
            tags.add("orgs")
        tags.update(f"record:{source.translation_key}" for source in sources)
        transaction.on_commit(partial(bump_page_cache, *sorted(tags)))
        # As ``semantic.signals`` does on a publish: queued once the transaction commits.
        transaction.on_commit(partial(_queue_vectors, [page.pk for page in pages]))
        transaction.on_commit(partial(records_imported.send, sender=BulkWriter, pages=list(pages)))

    # Filling pages in memory -----------------------------------------------------------

    def _parent(self, language, record_type):
        key = (language, record_type)
        if key not in self.parents:
            index = self.filler.tree[language][spec.INDEX_MODELS[record_type]]
            self.parents[key] = _Parent(Page.objects.get(pk=index.pk))
        return self.parents[key]

    def _pages(self, record, now):
        """The record's source page and its translations, filled and placed, not yet saved."""
        record_type = record["type"]
        model = spec.PAGE_MODELS[record_type]
        wanted = canonical(record)
        filler = self.filler
        source = model(locale=filler.locales[record["locale"]])
        filler.fill_source(source, record, wanted)
        parent = self._parent(record["locale"], record_type)
        parent.place(source, parent.free_slug(slug_base(record["title"], record["external_id"]), 2))
        pages = [source]
        for language, text in wanted.get("translations", {}).items():
            translation = model(
                locale=filler.locales[language], translation_key=source.translation_key
            )
            filler.fill_translation(translation, record, wanted, language, text)
            # As ``copy_for_translation`` does: the source's slug, "-1", "-2" … if taken.
            parent = self._parent(language, record_type)
            parent.place(translation, parent.free_slug(source.slug, 1))
            pages.append(translation)
        content_type = ContentType.objects.get_for_model(model)
        for page in pages:
            _as_python(page)
            for relation in get_all_child_relations(model):
                name = relation.get_accessor_name()
                if name not in getattr(page, "_cluster_related_objects", {}):
                    setattr(page, name, [])  # a new page has none (comments, images …)
                for child in getattr(page, name).all():
                    _as_python(child)
            page.draft_title = page.title
            page.content_type = content_type
            page.live = True
            page.has_unpublished_changes = False
            page.first_published_at = page.last_published_at = now
            page.latest_revision_created_at = now
        return pages

    # Writing ----------------------------------------------------------------------------

    def _write_batch(self, records):
        now = timezone.now()
        self._make_organisations(records)
        by_record = [self._pages(record, now) for record in records]
        pages = [page for record_pages in by_record for page in record_pages]
        # The Page rows (their ids come back), then each page type's own rows.
        Page.objects.bulk_create(pages, batch_size=BATCH)
        by_model = defaultdict(list)
        for page in pages:
            page.page_ptr_id = page.id  # the Page row's id; ``pk`` is page_ptr_id
            by_model[type(page)].append(page)
        for model, rows in by_model.items():
            self._insert_own_rows(model, rows)
            self._write_relations(model, rows)
        self._write_revisions(pages, now)
        self._write_log_entries(pages, now)
        self._write_references(pages)
        for parent in self.parents.values():
            if parent.added:
                parent.page.numchild += parent.added
                Page.objects.filter(pk=parent.page.pk).update(numchild=parent.page.numchild)
                parent.added = 0
        if self.translation_memory:
            # The same kind of translation as one made in the admin or by PO file.
            record_new_translations(
                [(record_pages[0], record_pages[1:]) for record_pages in by_record], now
            )
        return [record_pages[0] for record_pages in by_record], pages

    def _make_organisations(self, records):
        """The organisations the records name that the site does not have yet, made at once
        (an organisation has no references of its own yet: no reference index rows)."""
        missing = sorted(
            self.filler.known_organisations(
                name.strip()
                for record in records
                for name in [record.get("organisation") or "", *(record.get("partners") or [])]
                if name.strip()
            )
        )
        self.organisations = Organisation.objects.bulk_create(
            [
                Organisation(name=name, kind=Organisation.guess_kind(name))
                for name in sorted(missing)
            ],
            batch_size=BATCH,
        )
        self.filler.organisations.update({org.name: org for org in self.organisations})

    @staticmethod
    def _insert_own_rows(model, rows):
        # ``bulk_create`` refuses multi-table models; this is the insert it would make for the
        # child table alone (the Page rows are in already).
        fields = model._meta.local_concrete_fields
        size = connection.ops.bulk_batch_size(fields, rows) or len(rows)
        for first in range(0, len(rows), size):
            model._base_manager._insert(rows[first : first + size], fields=fields)

    @staticmethod
    def _write_relations(model, pages):
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
                batch_size=BATCH,
            )
        for relation in get_all_child_relations(model):
            children = []
            for page in pages:
                for child in getattr(page, relation.get_accessor_name()).all():
                    setattr(child, relation.field.attname, page.pk)
                    children.append(child)
            relation.related_model.objects.bulk_create(children, batch_size=BATCH)

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
            batch_size=BATCH,
        )
        for page, revision in zip(pages, revisions, strict=True):
            page.latest_revision = page.live_revision = revision
        # Each new page has this one revision: found by the revisions' own index, rather than
        # ``bulk_update``'s CASE over every page of the batch for every row (quadratic: 5 % of
        # an import's time at 500 records a batch).
        its_revision = Subquery(
            Revision.objects.filter(
                base_content_type=self.page_type,
                object_id=Cast(OuterRef("pk"), output_field=models.CharField()),
            ).values("pk")[:1]
        )
        for start in range(0, len(pages), BATCH):
            Page.objects.filter(pk__in=[page.pk for page in pages[start : start + BATCH]]).update(
                latest_revision=its_revision, live_revision=its_revision
            )

    @staticmethod
    def _write_log_entries(pages, now):
        """What an editor's first publish logs: the page was created, then published."""
        PageLogEntry.objects.bulk_create(
            [
                PageLogEntry(
                    content_type=page.content_type,
                    page_id=page.pk,
                    label=page.get_admin_display_title(),
                    action=action,
                    timestamp=now,
                    data={},
                    content_changed=True,
                    revision=revision,
                )
                for page in pages
                for action, revision in (
                    ("wagtail.create", None),
                    ("wagtail.publish", page.live_revision),
                )
            ],
            batch_size=BATCH,
        )

    @staticmethod
    def _write_references(pages):
        """The reference index rows a page's save writes (its organisation, places, terms…)."""
        rows = []
        for page in pages:
            content_type = page.content_type
            for target_type, target_id, model_path, content_path in set(
                ReferenceIndex._extract_references_from_object(page)
            ):
                rows.append(
                    ReferenceIndex(
                        content_type=content_type,
                        base_content_type_id=ContentType.objects.get_for_model(Page).pk,
                        object_id=str(page.pk),
                        to_content_type_id=target_type,
                        to_object_id=target_id,
                        model_path=model_path,
                        content_path=content_path,
                        content_path_hash=ReferenceIndex._get_content_path_hash(content_path),
                    )
                )
        ReferenceIndex.objects.bulk_create(rows, batch_size=BATCH, ignore_conflicts=True)


def _queue_vectors(page_ids):
    """``semantic.pipeline.queue`` for new pages (none is queued yet): one INSERT."""
    PendingVector.objects.bulk_create(
        [PendingVector(page_id=page_id) for page_id in page_ids],
        batch_size=BATCH,
        ignore_conflicts=True,
    )


def index_objects(objects, deferred=False):
    """Index pages and organisations in each search backend, one bulk call per model, read back as
    search reads them (``get_indexed_objects``), as ``update_index`` does; ``deferred``: as
    Wagtail's own updates, for the caller's ``deferred_indexing()`` block. (The index updates
    Wagtail enqueues on a page's save are per page: ``deferred_indexing`` would run one for
    each page of the batch when it ends.)"""
    if deferred:
        for item in objects:
            insert_or_update_object_task.enqueue(
                item._meta.app_label, item._meta.model_name, str(item.pk)
            )
        return
    by_model = defaultdict(list)
    for item in objects:
        by_model[type(item)].append(item.pk)
    with shared_term_labels():
        for model, ids in by_model.items():
            objects = list(model.get_indexed_objects().filter(pk__in=ids).order_by("pk"))
            for name, backend in get_search_backends_with_name(with_auto_update=True):
                # An engine's writes go through its circuit breaker, kept pending while it is
                # away (``search.resync``), as an editor's publish is.
                write = getattr(backend, "add_bulk_guarded", backend.add_bulk)
                try:
                    write(model, objects)
                except Exception:
                    # As Wagtail's own index updates: an engine's failure is logged (search
                    # resyncs it later), a database backend's fails the import.
                    if not backend.catch_indexing_errors:
                        raise
                    logger.exception(
                        "Indexing %d imported %s objects in '%s' failed", len(objects), model, name
                    )


# Reading what the site holds -------------------------------------------------------------


def existing_records(external_ids=None):
    """``{external_id: (record type, source language)}`` for the records the site has (the
    source: the oldest page of an external id), one query per page type."""
    found = {}
    for record_type, model in spec.PAGE_MODELS.items():
        rows = model.objects.order_by("-id")
        if external_ids is not None:
            rows = rows.filter(external_id__in=list(external_ids))
        for external_id, language in rows.values_list("external_id", "locale__language_code"):
            found[external_id] = (record_type, language)  # the oldest comes last and stays
    return found


def _stored_pages(model, external_ids):
    """Every page (source and translations) of these records, with everything ``page_record``
    reads prefetched: a fixed number of queries for the whole batch."""
    prefetch = [
        "municipalities",
        "regions",
        "activity_types",
        "target_groups",
        "keywords",
    ]
    names = {field.name for field in model._meta.get_fields()}
    if "funding" in names:
        prefetch += [
            "funding",
            "indicators",
            "partners",
            Prefetch("method_links", queryset=_links(model, "method_links", "method")),
        ]
    if "linked_practices" in names:
        prefetch.append(
            Prefetch("linked_practices", queryset=_links(model, "linked_practices", "practice"))
        )
    return (
        model.objects.filter(external_id__in=list(external_ids))
        .select_related("locale", "organisation")
        .prefetch_related(*prefetch)
        .order_by("id")
    )


def _links(model, name, target):
    related = model._meta.get_field(name).related_model
    return related.objects.select_related(target)


def unchanged(records):
    """The external ids of ``records`` (valid, already on the site as the same type) that the
    site holds exactly as given: nothing to write for them."""
    by_type = defaultdict(dict)
    for record in records:
        by_type[record["type"]][record["external_id"]] = record
    same = set()
    for record_type, wanted in by_type.items():
        pages = defaultdict(list)
        for page in _stored_pages(spec.PAGE_MODELS[record_type], wanted):
            pages[page.external_id].append(page)
        for external_id, record in wanted.items():
            stored = pages.get(external_id)
            if not stored:
                continue
            languages = set(record.get("translations") or {})
            if page_record(stored[0], stored[1:], languages) == canonical(record):
                same.add(external_id)
    return same
