"""The bulk downloads: every record as JSON Lines, and every outcome indicator as CSV.

Built from the database once per ``DataVersion`` (it moves on when a record is published,
unpublished, moved or deleted, an adoption, organisation or view restriction changes:
``opendata.signals``) into ``OPEN_DATA_DIR`` (default ``MEDIA_ROOT/open-data``), named by the
version; a request for a version not yet built builds it (lazily), and
``manage.py build_open_data`` (cron, nightly) moves the version on and builds it ahead of
readers, which also picks up what moves no version (an owner's review). Files of older
versions are removed once the new ones are in place. Written to a temporary name and renamed,
so a reader never sees half a file; two processes building at once write the same content.

The records are those of the API (``opendata.records``), read a chunk at a time with a
bounded number of queries per chunk.
"""

import csv
import json
import os
import tempfile
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings

from reuse.export import safe_text

from . import records
from .models import DataVersion

RECORDS = "records"
OUTCOMES = "outcomes"
SUFFIXES = {RECORDS: "jsonl", OUTCOMES: "csv"}
OUTCOME_COLUMNS = (
    "external_id",
    "type",
    "title",
    "organisation",
    "municipalities",
    "indicator",
    "value",
    "unit",
    "target",
    "measured_on",
    "last_updated",
)


@dataclass(frozen=True)
class Built:
    version: int
    paths: dict  # name -> Path


def directory():
    configured = getattr(settings, "OPEN_DATA_DIR", "")
    return Path(configured) if configured else Path(settings.MEDIA_ROOT) / "open-data"


def path_for(name, version):
    return directory() / f"{name}-{version}.{SUFFIXES[name]}"


def outcome_rows(record):
    """The CSV rows of one record: one per outcome indicator (text a spreadsheet would run as
    a formula defused)."""
    for indicator in record.get("indicators", ()):
        yield [
            safe_text(record["external_id"]),
            record["type"],
            safe_text(record["title"]),
            safe_text(record.get("organisation", "")),
            " ".join(record.get("municipalities", ())),
            safe_text(indicator["key"]),
            indicator["value"],
            indicator["unit"],
            "" if indicator.get("target") is None else indicator["target"],
            indicator.get("measured_on", ""),
            record.get("last_updated") or "",
        ]


def build(version=None):
    """Write both files for ``version`` (default: the current one); returns ``Built``."""
    version = DataVersion.current() if version is None else version
    folder = directory()
    folder.mkdir(parents=True, exist_ok=True)
    targets = {name: path_for(name, version) for name in SUFFIXES}
    handles = {
        name: tempfile.NamedTemporaryFile(  # noqa: SIM115 - closed below, renamed into place
            "w", encoding="utf-8", newline="", dir=folder, suffix=".part", delete=False
        )
        for name in SUFFIXES
    }
    try:
        writer = csv.writer(handles[OUTCOMES])
        writer.writerow(OUTCOME_COLUMNS)
        for chunk in records.all_sources():
            for record in records.serialise(chunk, settings.LANGUAGE_CODE):
                handles[RECORDS].write(json.dumps(record, ensure_ascii=False) + "\n")
                writer.writerows(outcome_rows(record))
        for name, handle in handles.items():
            handle.close()
            os.replace(handle.name, targets[name])
    finally:
        for handle in handles.values():
            handle.close()
            if os.path.exists(handle.name):
                os.unlink(handle.name)
    _remove_older(targets)
    return Built(version, targets)


def _remove_older(built):
    """Remove the files of other versions written before these: a process that built an
    older version meanwhile must not remove a newer one."""
    for name, suffix in SUFFIXES.items():
        newest = built[name].stat().st_mtime
        for path in directory().glob(f"{name}-*.{suffix}"):
            if path != built[name]:
                try:
                    if path.stat().st_mtime <= newest:
                        path.unlink()
                except FileNotFoundError:
                    pass  # removed by another process meanwhile


def open_current(name):
    """``(version, open binary file)`` of the download ``name`` for the current version,
    built if missing."""
    version = DataVersion.current()
    try:
        return version, path_for(name, version).open("rb")
    except FileNotFoundError:
        return version, build(version).paths[name].open("rb")
