"""A reader's query against the vector store: embedded once, every record ranked."""

import logging

from . import embedder
from .models import PendingVector
from .store import get_store

logger = logging.getLogger(__name__)


def rank(text):
    """The ``store.Ranking`` of every record with vectors for ``text``, or None when semantic
    search cannot answer (no model package, no vectors yet, an empty query)."""
    text = (text or "").strip()
    if not text:
        return None
    store = get_store()
    if not len(store):
        return None
    try:
        model = embedder.get()
    except embedder.Unavailable:
        return None
    return store.rank(model.query(text))


def status():
    """(available, records with vectors, pages waiting) for the admin and the README."""
    available = embedder.available()
    return available, len(get_store()), PendingVector.objects.count()
