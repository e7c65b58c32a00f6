"""Write benchmark records straight into the page tables: a 100,000-record corpus in minutes.

A thin wrapper of the importer's bulk writer (``interchange.bulk.BulkWriter``), which
``import_content`` uses for new records: it fills the pages with the importer's own code and
writes a batch of records at a time with multi-row INSERTs (page rows with their tree and URL
paths, page-type rows, many-to-many and child rows, one published revision per page, log
entries, reference index rows).

The loader leaves out what search never reads (wagtail-localize's translation sources, the
admin's per-translation status) and does not index: ``update_index`` does that afterwards, as
the benchmark times it. It writes only new records (an ``external_id`` the site already has is
refused, as are references to other records, which the benchmark corpus does not have), and a
record it cannot write stops the load with ``BulkLoadError``: a benchmark corpus has no bad
records to pass over (``import_content`` rejects them one by one instead).
``tests/search/test_bulk_load.py`` checks that loaded pages give search the same index documents
and facet rows as imported ones.
"""

from interchange import spec
from interchange.bulk import BATCH, BulkWriter, existing_records
from interchange.importer import Importer
from interchange.schema import Vocabulary, validate_record


class BulkLoadError(ValueError):
    """A record the bulk loader cannot write (it writes the benchmark corpus, not any file)."""


class BulkLoader:
    def __init__(self, batch=BATCH):
        self.batch = batch
        filler = Importer()
        filler.prepare()
        self.writer = BulkWriter(filler, search=False, translation_memory=False)
        self.vocabulary = Vocabulary()
        self.taken = set(existing_records())
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

    def _write_batch(self, records):
        for record in records:
            self._check(record)
        self.writer.write(records)
        self.loaded += len(records)
