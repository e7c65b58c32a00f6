"""Passage vectors for ``bench_search --vectors N``: the figures semantic search costs.

Embedding every page of a 10,000-record corpus takes hours on this machine (about 1,100
tokens/s per core), so the benchmark embeds ``N`` pages with the real model, for the embedding
throughput, and gives every other page vectors of the same shape: each page's real passages
(``semantic.passages``), so the number and length of rows are what the pipeline would write,
with random unit vectors. Search timings and memory do not depend on the vectors' values
(a matrix product over every row), so the request figures are those of real vectors;
relevance is measured by ``evaluate_search``, never here.
"""

import time

import numpy as np
from django.db import transaction
from wagtail.models import Locale

from semantic import embedder, pipeline
from semantic.models import PassageVector, PendingVector, VectorState
from semantic.passages import page_passages
from semantic.store import Store

CHUNK = 200  # pages per batch of synthetic rows
SEED = 7


def fill(sample, log):
    """Embed ``sample`` pages for real and give the rest random vectors; return figures."""
    model = embedder.get(threads=1)
    pages = list(pipeline.content_pages().order_by("pk").values_list("pk", flat=True))
    PassageVector.objects.all().delete()
    PendingVector.objects.all().delete()
    real_ids, synthetic_ids = pages[:sample], pages[sample:]
    started = time.perf_counter()
    pipeline.queue(real_ids)
    progress = pipeline.process(threads=1)
    real_seconds = time.perf_counter() - started
    tokens = sum(
        model.token_count(text)
        for text in PassageVector.objects.filter(page_id__in=real_ids).values_list(
            "text", flat=True
        )
    )
    log(
        f"embedded {progress.done} pages ({progress.passages} passages, {tokens:,} tokens) "
        f"in {real_seconds:.1f} s with one thread"
    )
    rng = np.random.default_rng(SEED)
    languages = dict(Locale.objects.values_list("pk", "language_code"))
    synthetic = 0
    for start in range(0, len(synthetic_ids), CHUNK):
        chunk = synthetic_ids[start : start + CHUNK]
        rows = []
        for page in pipeline.content_pages().filter(pk__in=chunk).specific():
            passages = page_passages(page)
            if not passages:
                continue
            vectors = rng.standard_normal((len(passages), embedder.DIMENSIONS)).astype(np.float32)
            vectors /= np.linalg.norm(vectors, axis=1, keepdims=True)
            rows += pipeline.vector_rows(
                [(page, passage) for passage in passages], vectors, languages, embedder.MODEL
            )
        with transaction.atomic():
            PassageVector.objects.bulk_create(rows, batch_size=1000)
        synthetic += len(rows)
        if (start // CHUNK) % 10 == 0:
            log(f"  synthetic vectors: {start + len(chunk):,}/{len(synthetic_ids):,} pages")
    VectorState.bump()
    started = time.perf_counter()
    store = Store(VectorState.current())
    load_seconds = time.perf_counter() - started
    query = model.query("hur kommer nyanlända kvinnor i arbete")
    timings = []
    for _ in range(50):
        begun = time.perf_counter()
        model.query("hur kommer nyanlända kvinnor i arbete")
        embedded = time.perf_counter()
        store.rank(query).top(10)
        timings.append((embedded - begun, time.perf_counter() - embedded))
    embed_ms = 1000 * float(np.median([embed for embed, _ in timings]))
    rank_ms = 1000 * float(np.median([rank for _, rank in timings]))
    return {
        "real_pages": progress.done,
        "real_passages": progress.passages,
        "real_tokens": tokens,
        "real_seconds": real_seconds,
        "synthetic_passages": synthetic,
        "records": len(store),
        "rows": len(store.matrix),
        "store_bytes": store.nbytes,
        "store_load_seconds": load_seconds,
        "query_embed_ms": embed_ms,
        "rank_ms": rank_ms,
    }


def describe(figures):
    seconds = figures["real_seconds"] or 1.0
    return [
        f"vectors    {figures['rows']:,} passages of {figures['records']:,} records "
        f"({figures['synthetic_passages']:,} with random vectors, timing only); store "
        f"{figures['store_bytes'] / 2**20:.1f} MB per worker, read in "
        f"{figures['store_load_seconds']:.1f} s",
        f"embedding  {figures['real_pages']} pages, {figures['real_passages']} passages, "
        f"{figures['real_tokens']:,} tokens in {seconds:.1f} s (one thread): "
        f"{figures['real_pages'] / seconds:.2f} pages/s, "
        f"{figures['real_tokens'] / seconds:,.0f} tokens/s",
        f"semantic   per query: embedding {figures['query_embed_ms']:.1f} ms, ranking every "
        f"record {figures['rank_ms']:.1f} ms (median of 50, in this process)",
    ]
