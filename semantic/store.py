"""Each process's vector store: every passage vector in memory, searched by a matrix product.

Read whole from ``PassageVector`` when first asked and again whenever ``VectorState`` changes
(one primary-key read per search). Rows are int8 with a scale each (``pipeline.quantise``),
grouped by record. A record's score is the mean of its title-and-summary passage's (the best
of its translations') and its best passage's (``HEAD_SHARE``): what the record is about, and
the part of it closest to the question. On the dev set, the best passage alone ranks worse
(nDCG@10 0.79) than either this (0.83) or the title and summary alone (0.83); bodies there are
short, and the held-out sets have longer ones. The product runs in blocks of ``BLOCK_ROWS``.

At 10,000 records of the benchmark corpus (about 5 passages a record) the store holds some
50,000 rows, 20 MB; the figures at each size are in the README.
"""

import threading
from dataclasses import dataclass

import numpy as np

from .embedder import DIMENSIONS, MODEL
from .models import PassageVector, VectorState

# Rows converted to float32 at a time: 1.5 MB, which stays in the CPU's cache (35,600 rows:
# 2 ms a query, against 14 ms converting them all at once).
BLOCK_ROWS = 1024
HEAD_SHARE = 0.5
_lock = threading.Lock()
_store = None


@dataclass
class Match:
    """A record's best passage for a query."""

    key: int  # the record's translation key, as an int
    score: float  # cosine, 0.7-0.93 with this model: ranks, never a threshold
    passage: int  # the PassageVector's id
    language: str


class Ranking:
    """Every record with vectors, best first, for one query."""

    def __init__(self, store, scores, best_rows):
        self._store = store
        self.scores = scores  # per record (store order)
        self._best_rows = best_rows
        self.order = np.argsort(-scores, kind="stable")

    def __len__(self):
        return len(self.order)

    def top(self, count):
        return [self.match(int(index)) for index in self.order[:count]]

    def ranks_of(self, keys):
        """{record key: rank} of those of ``keys`` with vectors, 1 for the best."""
        index_of = self._store.record_index
        found = [(key, index_of[key]) for key in keys if key in index_of]
        if not found:
            return {}
        descending = -self.scores[self.order]
        scores = -self.scores[[index for _, index in found]]
        ranks = np.searchsorted(descending, scores, side="left") + 1
        return {key: int(rank) for (key, _), rank in zip(found, ranks, strict=True)}

    def scores_of(self, keys):
        """{record key: score} of those of ``keys`` with vectors."""
        index_of = self._store.record_index
        return {key: float(self.scores[index_of[key]]) for key in keys if key in index_of}

    def reference(self):
        """(median, best) score over every record: what "as close as most" and "closest"
        mean for this query (the model's cosines sit in a narrow band that moves per query)."""
        if not hasattr(self, "_reference"):
            self._reference = (float(np.median(self.scores)), float(self.scores.max()))
        return self._reference

    def match(self, index):
        row = int(self._best_rows[index])
        return Match(
            key=self._store.record_keys[index],
            score=float(self.scores[index]),
            passage=int(self._store.passage_ids[row]),
            language=self._store.language_names[self._store.languages[row]],
        )

    def best(self, key):
        index = self._store.record_index.get(key)
        return None if index is None else self.match(index)


class Store:
    def __init__(self, version):
        self.version = version
        rows = (
            PassageVector.objects.filter(model=MODEL)
            .order_by("translation_key", "page_id", "position")
            .values_list("pk", "translation_key", "language", "vector", "scale", "position")
        )
        passage_ids, record_keys, starts, languages, scales, chunks = [], [], [], [], [], []
        heads = []
        language_codes = {}
        previous = None
        for row, (pk, key, language, vector, scale, position) in enumerate(rows.iterator(2000)):
            if key != previous:
                record_keys.append(key.int)
                starts.append(row)
                previous = key
            heads.append(position == 0)
            passage_ids.append(pk)
            languages.append(language_codes.setdefault(language, len(language_codes)))
            scales.append(scale)
            chunks.append(bytes(vector))
        self.passage_ids = np.array(passage_ids, dtype=np.int64)
        # Per row, a small number standing for its language (``language_names``).
        self.languages = np.array(languages, dtype=np.uint8)
        self.language_names = sorted(language_codes, key=language_codes.get)
        self.record_keys = record_keys
        self.record_index = {key: index for index, key in enumerate(record_keys)}
        self.starts = np.array(starts, dtype=np.int64)
        self.scales = np.array(scales, dtype=np.float32)
        self.heads = np.array(heads, dtype=bool)
        self.matrix = np.frombuffer(b"".join(chunks), dtype=np.int8).reshape(-1, DIMENSIONS)
        # The record (its index in ``record_keys``) of each row.
        self.owner = np.repeat(
            np.arange(len(self.starts), dtype=np.int32),
            np.diff(np.append(self.starts, len(self.matrix))),
        )

    @property
    def nbytes(self):
        """The arrays' bytes (the record keys' Python objects add some 150 bytes a record)."""
        arrays = (self.matrix, self.scales, self.passage_ids, self.heads, self.languages)
        return sum(array.nbytes for array in arrays) + self.owner.nbytes + self.starts.nbytes

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
            scores[start : start + len(block)] = block.astype(np.float32) @ query
        scores *= self.scales
        best = np.maximum.reduceat(scores, self.starts)
        head = np.maximum.reduceat(np.where(self.heads, scores, -np.inf), self.starts)
        head = np.where(np.isfinite(head), head, best)
        record_scores = HEAD_SHARE * head + (1.0 - HEAD_SHARE) * best
        # The best row of each record (the passage shown): where its rows reach its best.
        owner = self.owner
        is_best = scores >= best[owner]
        best_rows = np.full(len(self.starts), -1, dtype=np.int64)
        rows = np.flatnonzero(is_best)
        best_rows[owner[rows[::-1]]] = rows[::-1]  # the first best row wins
        return Ranking(self, record_scores, best_rows)


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
