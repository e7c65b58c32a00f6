"""Small helpers shared by semantic search's tests."""

import numpy as np
from django.http import QueryDict


def cosine(a, b):
    a = np.asarray(a, dtype=np.float64)
    b = np.asarray(b, dtype=np.float64)
    return float(a @ b / (np.linalg.norm(a) * np.linalg.norm(b)))


def dequantised(row):
    """The float vector a ``PassageVector`` row stands for (its int8 values times its scale)."""
    return np.frombuffer(bytes(row.vector), dtype=np.int8).astype(np.float32) * row.scale


def unit_vectors(count, seed=0, dimensions=384):
    """``count`` random unit vectors (float32 rows), the same for the same seed."""
    rows = np.random.default_rng(seed).standard_normal((count, dimensions)).astype(np.float32)
    return rows / np.linalg.norm(rows, axis=1, keepdims=True)


def search(query, lang="sv", page_size=10, **filters):
    """The ``Outcome`` of a search as the search page runs it (``benchmarks.evaluation``'s
    ``search_ids``): parameters parsed and checked, then the service."""
    from search import service
    from search.labels import get_labels
    from search.params import parse

    data = QueryDict(mutable=True)
    data.update({"q": query, "lang": lang, "page_size": str(page_size)})
    for name, values in filters.items():
        data.setlist(name, values if isinstance(values, list | tuple) else [values])
    return service.run(parse(data, get_labels()))


def record_keys(outcome):
    return [result.record.key for result in outcome.results]
