"""Each process's vector store: every passage vector in memory, searched by a matrix product.

Shared by the processes of a machine: the first process that reads a version of the vectors
from the database writes its arrays to ``SEMANTIC_STORE_DIR`` (one folder per database and
version, written aside and renamed into place), and every process maps that folder's files
(``numpy.load(mmap_mode="r")``), so the operating system holds one copy for all gunicorn
workers, and a worker that starts or sees a new version maps it instead of reading the
database. Without a version (no ``VectorState`` row yet) or a usable folder, each process
keeps its own copy, as before.

Read whole from ``PassageVector`` when first asked and again whenever ``VectorState`` changes
(one primary-key read per search). Rows are int8 with a scale each (``pipeline.quantise``),
grouped by record. Each passage's cosine is first taken relative to the mean cosine of the
passages in its language for this query (``relative_to_language``): the model scores a passage
in the query's own language higher whatever it says (an English question put English records
first, however far off their topic, above the Swedish ones it asked for), and that shift is
the same for every passage of a language, so removing it compares passages by what they say.
A record's score is the mean of its title-and-summary passage's (the best
of its translations') and its best passage's (``HEAD_SHARE``): what the record is about, and
the part of it closest to the question. On the dev set, the best passage alone ranks worse
(nDCG@10 0.79) than either this (0.83) or the title and summary alone (0.83); bodies there are
short, and the held-out sets have longer ones. The product runs in blocks of ``BLOCK_ROWS``.

At 10,000 records of the benchmark corpus (about 5 passages a record) the store holds some
50,000 rows, 20 MB; the figures at each size are in the README.
"""

import hashlib
import os
import shutil
import threading
import time
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from django.conf import settings
from django.db import connection

from .embedder import DIMENSIONS, MODEL
from .models import PassageVector, VectorState

# Rows converted to float32 at a time: 1.5 MB, which stays in the CPU's cache (35,600 rows:
# 2 ms a query, against 14 ms converting them all at once).
BLOCK_ROWS = 1024
ARRAYS = ("matrix", "passage_ids", "scales", "heads", "languages", "starts", "keys")
FORMAT = 2  # of the folders' arrays: a folder written in another format is never mapped
STALE_AFTER = 600  # seconds: another version's folder is removed (mapped files stay readable)
HEAD_SHARE = 0.5
# A language's mean cosine is drawn towards the mean over every passage as if this many of
# its passages scored that: a language with only a few passages gets no arbitrary shift.
PRIOR_ROWS = 5
_lock = threading.Lock()
_store = None


@dataclass
class Match:
    """A record's best passage for a query."""

    key: int  # the record's translation key, as an int
    score: float  # relative to the passages of its language (``relative_to_language``): ranks only
    passage: int  # the PassageVector's id
    language: str


class Ranking:
    """Every record with vectors scored for one query; orders computed only as asked (at
    100,000 records a full sort is a quarter of the ranking's time)."""

    def __init__(self, store, scores, row_scores):
        self._store = store
        self.scores = scores  # per record (store order)
        self._row_scores = row_scores  # per row: the best passage of a record, when asked
        self._ascending = None
        self._references = {}

    def __len__(self):
        return len(self.scores)

    def top(self, count):
        """The ``count`` best records' ``Match``, best first (ties: store order)."""
        count = min(count, len(self.scores))
        if count <= 0:
            return []
        best = np.argpartition(-self.scores, count - 1)[:count]
        best = best[np.lexsort((best, -self.scores[best]))]
        return [self.match(int(index)) for index in best]

    def ranks_of(self, keys):
        """{record key: rank} of those of ``keys`` with vectors, 1 for the best (tied
        records share the best rank of their score)."""
        index_of = self._store.record_index
        found = [(key, index_of[key]) for key in keys if key in index_of]
        if not found:
            return {}
        if self._ascending is None:
            self._ascending = np.sort(self.scores)
        scores = self.scores[[index for _, index in found]]
        higher = len(self.scores) - np.searchsorted(self._ascending, scores, side="right")
        return {key: int(rank) + 1 for (key, _), rank in zip(found, higher, strict=True)}

    def scores_of(self, keys):
        """{record key: score} of those of ``keys`` with vectors."""
        index_of = self._store.record_index
        return {key: float(self.scores[index_of[key]]) for key in keys if key in index_of}

    def reference(self, quantile=0.5):
        """(the score at ``quantile``, the best score) over every record: what "as close as
        most" and "closest" mean for this query (the model's cosines sit in a narrow band that
        moves per query). The reference is never the best record's own score while there are
        two records (in a store of a few records the quantile would reach it)."""
        if quantile not in self._references:
            at = max(0, min(int(quantile * len(self.scores)), len(self.scores) - 2))
            self._references[quantile] = (
                float(np.partition(self.scores, at)[at]),
                float(self.scores.max()),
            )
        return self._references[quantile]

    def match(self, index):
        store = self._store
        start = int(store.starts[index])
        end = int(store.starts[index + 1]) if index + 1 < len(store.starts) else len(store.matrix)
        row = start + int(np.argmax(self._row_scores[start:end]))  # the first best passage
        return Match(
            key=store.record_keys[index],
            score=float(self.scores[index]),
            passage=int(store.passage_ids[row]),
            language=store.language_names[store.languages[row]],
        )

    def best(self, key):
        index = self._store.record_index.get(key)
        return None if index is None else self.match(index)


class Store:
    def __init__(self, version):
        self.version = version
        folder = _folder(version)
        if folder is not None and (folder / "done").exists():
            self._map(folder)
        else:
            self._read()
            if folder is not None:
                self._write(folder)
        self.language_counts = np.bincount(self.languages, minlength=len(self.language_names))
        data = self.keys.tobytes()
        self.record_keys = [
            int.from_bytes(data[at : at + 16], "big") for at in range(0, len(data), 16)
        ]
        self.record_index = {key: index for index, key in enumerate(self.record_keys)}

    def _read(self):
        """Read every vector of the current model, grouped by record, into arrays allocated
        once (no per-row objects kept: at 100,000 records they doubled the peak)."""
        vectors = PassageVector.objects.filter(model=MODEL)
        count = vectors.count()
        self.matrix = np.empty((count, DIMENSIONS), dtype=np.int8)
        self.passage_ids = np.empty(count, dtype=np.int64)
        self.scales = np.empty(count, dtype=np.float32)
        self.heads = np.empty(count, dtype=bool)
        # Per row, a small number standing for its language (``language_names``).
        self.languages = np.empty(count, dtype=np.uint8)
        language_codes = {}
        keys, starts = [], []
        previous = None
        rows = vectors.order_by("translation_key", "page_id", "position").values_list(
            "pk", "translation_key", "language", "vector", "scale", "position"
        )
        row = -1
        for row, (pk, key, language, vector, scale, position) in enumerate(rows.iterator(2000)):
            if row >= count:  # written since the count: read with the next version
                row -= 1
                break
            if key != previous:
                keys.append(key.bytes)
                starts.append(row)
                previous = key
            self.matrix[row] = np.frombuffer(vector, dtype=np.int8)
            self.passage_ids[row] = pk
            self.scales[row] = scale
            self.heads[row] = position == 0
            self.languages[row] = language_codes.setdefault(language, len(language_codes))
        used = row + 1  # fewer if rows were deleted since the count
        for name in ("matrix", "passage_ids", "scales", "heads", "languages"):
            setattr(self, name, getattr(self, name)[:used])
        self.language_names = sorted(language_codes, key=language_codes.get)
        # Sixteen bytes a key, as unsigned bytes: numpy's fixed-width bytes ("S16") drop a
        # key's trailing zero bytes, and such a record (one in 256) lost its vectors' key.
        self.keys = np.frombuffer(b"".join(keys), dtype=np.uint8).reshape(-1, 16)
        self.starts = np.array(starts, dtype=np.int64)

    def _write(self, folder):
        """Write the arrays for the other processes; a failure only logs (each keeps its own)."""
        aside = folder.with_name(f"{folder.name}.{os.getpid()}.{threading.get_ident()}")
        try:
            aside.mkdir(parents=True, exist_ok=True)
            for name in ARRAYS:
                np.save(aside / f"{name}.npy", getattr(self, name))
            (aside / "languages.txt").write_text("\n".join(self.language_names))
            (aside / "done").touch()
            os.rename(aside, folder)  # atomic; another process may have been first
        except OSError:
            shutil.rmtree(aside, ignore_errors=True)
        _remove_stale(folder)

    def _map(self, folder):
        for name in ARRAYS:
            setattr(self, name, np.load(folder / f"{name}.npy", mmap_mode="r"))
        text = (folder / "languages.txt").read_text()
        self.language_names = text.split("\n") if text else []

    @property
    def nbytes(self):
        """The arrays' bytes (the record keys' Python objects add some 150 bytes a record)."""
        arrays = (self.matrix, self.scales, self.passage_ids, self.heads, self.languages)
        return sum(array.nbytes for array in arrays) + self.starts.nbytes

    def __len__(self):
        return len(self.record_keys)

    def rank(self, query):
        """The ``Ranking`` of every record for the unit vector ``query``."""
        if not len(self.matrix):
            return None
        query = np.asarray(query, dtype=np.float32)
        scores = np.empty(len(self.matrix), dtype=np.float32)
        for start in range(0, len(self.matrix), BLOCK_ROWS):
            block = self.matrix[start : start + BLOCK_ROWS]
            np.dot(block.astype(np.float32), query, out=scores[start : start + len(block)])
        scores *= self.scales
        scores = self.relative_to_language(scores)
        best = np.maximum.reduceat(scores, self.starts)
        head = np.maximum.reduceat(np.where(self.heads, scores, -np.inf), self.starts)
        head = np.where(np.isfinite(head), head, best)
        return Ranking(self, HEAD_SHARE * head + (1.0 - HEAD_SHARE) * best, scores)

    def relative_to_language(self, scores):
        """``scores`` less the (shrunk) mean score of the passages of each one's language.

        On the dev set this lifted search by meaning alone from nDCG@10 0.83 to 0.87, and
        cross-language queries from 0.82 to 0.88 (README, "Search by meaning")."""
        sums = np.bincount(self.languages, weights=scores, minlength=len(self.language_names))
        overall = float(scores.mean())
        means = (sums + PRIOR_ROWS * overall) / (self.language_counts + PRIOR_ROWS)
        scores -= means.astype(np.float32)[self.languages]
        return scores


def _folder(version):
    """The folder of this database's vectors at ``version``, or None (no version yet, or no
    folder configured)."""
    root = getattr(settings, "SEMANTIC_STORE_DIR", None)
    if not version or not root:
        return None
    database = connection.settings_dict
    identity = f"{database['ENGINE']}|{database['HOST']}|{database['PORT']}|{database['NAME']}"
    digest = hashlib.sha256(identity.encode()).hexdigest()[:16]
    return Path(root) / f"{digest}-{MODEL}-{version}.{FORMAT}"


def _remove_stale(current):
    """Remove this database's folders of other versions not written in the last minutes."""
    prefix = current.name.rsplit("-", 1)[0] + "-"
    try:
        siblings = list(current.parent.iterdir())
    except OSError:
        return
    for folder in siblings:
        if folder.name.startswith(prefix) and folder != current:
            try:
                if time.time() - folder.stat().st_mtime > STALE_AFTER:
                    shutil.rmtree(folder, ignore_errors=True)
            except OSError:
                pass


def get_store():
    """This process's store, read again if the vectors changed since."""
    global _store
    version = VectorState.current()
    store = _store
    if store is None or store.version != version:
        with _lock:
            if _store is None or _store.version != version:
                _store = Store(version)
            store = _store
    return store


def forget():
    global _store
    _store = None
