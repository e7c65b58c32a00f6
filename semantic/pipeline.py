"""Making and removing passage vectors: pages are queued as editors publish (``signals``) and
embedded by ``update_vectors`` (a cron job, or by hand), never in an editor's request.

``process()`` embeds what is queued; ``queue_all()`` then ``process()`` rebuilds everything.
A page's vectors are replaced whole. A page that is no longer live, or no longer a content
page, loses them. Each change bumps ``VectorState``, so every process reloads its store.
"""

import time
from dataclasses import dataclass

import numpy as np
from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.utils import timezone
from wagtail.models import Locale, Page

from practices.models import CONTENT_PAGE_MODELS

from . import embedder as embedding
from .models import PassageVector, PendingVector, VectorState
from .passages import page_passages

PAGES_PER_BATCH = 16  # pages whose passages are embedded in one call
BUMP_EVERY = 300  # seconds: processes read the vectors made so far (each reads them whole)


def content_pages():
    """Live content pages, public or not (a restriction is applied when searching)."""
    types = ContentType.objects.get_for_models(*CONTENT_PAGE_MODELS).values()
    return Page.objects.live().filter(content_type__in=list(types))


def queue(page_ids):
    """Mark pages for ``process()`` (again, if already queued: the newest change counts)."""
    now = timezone.now()
    for page_id in set(page_ids):
        # A new ``since``: a page queued again while being embedded stays queued.
        PendingVector.objects.update_or_create(page_id=page_id, defaults={"since": now})


def queue_all():
    """Queue every live content page, and forget vectors of pages that are not (any more)."""
    ids = list(content_pages().values_list("pk", flat=True))
    stale = PassageVector.objects.exclude(page_id__in=content_pages().values("pk"))
    if stale.exists():
        stale.delete()
        VectorState.bump()
    existing = set(PendingVector.objects.values_list("page_id", flat=True))
    PendingVector.objects.bulk_create(
        [PendingVector(page_id=page_id) for page_id in ids if page_id not in existing],
        batch_size=1000,
    )
    return len(ids)


def forget(page_ids):
    """Remove the vectors of pages at once (unpublished, deleted: no model needed)."""
    deleted, _ = PassageVector.objects.filter(page_id__in=list(page_ids)).delete()
    if deleted:
        VectorState.bump()
    return deleted


def quantise(vectors):
    """(int8 rows, scale per row) of float rows: ``row * scale`` gives the vector back to
    within half a step (about 0.4 % of its largest component)."""
    vectors = np.asarray(vectors, dtype=np.float32)
    peaks = np.maximum(np.abs(vectors).max(axis=1), 1e-12)
    scales = peaks / 127.0
    return np.round(vectors / scales[:, None]).astype(np.int8), scales


@dataclass
class Progress:
    done: int = 0
    total: int = 0
    passages: int = 0
    removed: int = 0
    seconds: float = 0.0

    @property
    def rate(self):
        return self.done / self.seconds if self.seconds else 0.0

    @property
    def eta(self):
        return (self.total - self.done) / self.rate if self.rate else None


def process(limit=None, threads=1, report=None):
    """Embed the queued pages (oldest first, at most ``limit``); ``report(progress)`` is called
    after each batch. Raises ``embedder.Unavailable`` without the model, leaving the queue."""
    model = embedding.get(threads=threads)
    pending = PendingVector.objects.order_by("since", "pk")
    if limit:
        pending = pending[:limit]
    rows = list(pending.values_list("pk", "page_id", "since"))
    progress = Progress(total=len(rows))
    started = last_bump = time.perf_counter()
    for start in range(0, len(rows), PAGES_PER_BATCH):
        batch = rows[start : start + PAGES_PER_BATCH]
        progress.passages += _embed_batch([page_id for _, page_id, _ in batch], model, progress)
        with transaction.atomic():
            for pk, _, since in batch:
                # A page queued again meanwhile keeps its row (a newer ``since``).
                PendingVector.objects.filter(pk=pk, since=since).delete()
        progress.done += len(batch)
        progress.seconds = time.perf_counter() - started
        if time.perf_counter() - last_bump > BUMP_EVERY:  # a long rebuild serves as it goes
            VectorState.bump()
            last_bump = time.perf_counter()
        if report:
            report(progress)
    if rows:
        VectorState.bump()
    return progress


def _embed_batch(page_ids, model, progress):
    live = {page.pk: page for page in content_pages().filter(pk__in=page_ids).specific()}
    gone = [page_id for page_id in page_ids if page_id not in live]
    if gone:
        progress.removed += PassageVector.objects.filter(page_id__in=gone).delete()[0]
    languages = dict(Locale.objects.values_list("pk", "language_code"))
    items = []
    for page in live.values():
        for passage in page_passages(page):
            items.append((page, passage))
    vectors = model.passages([passage.text for _, passage in items])
    rows = vector_rows(items, vectors, languages, model.model) if items else []
    with transaction.atomic():
        PassageVector.objects.filter(page_id__in=list(live)).delete()
        PassageVector.objects.bulk_create(rows, batch_size=500)
    return len(rows)


def vector_rows(items, vectors, languages, model_name):
    """Unsaved ``PassageVector`` rows of [(page, passage)] and their float vectors, quantised;
    ``languages``: {locale id: language code}."""
    quantised, scales = quantise(vectors)
    return [
        PassageVector(
            page_id=page.pk,
            translation_key=page.translation_key,
            language=languages[page.locale_id],
            position=passage.position,
            text=passage.text,
            vector=row.tobytes(),
            scale=float(scale),
            model=model_name,
        )
        for (page, passage), row, scale in zip(items, quantised, scales, strict=True)
    ]
