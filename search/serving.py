"""What a web process does for search when it starts serving (``gunicorn.conf.py``).

Without a search engine, the database path answers every search from the process's snapshot
of the records (``search.catalogue``): the worker builds it in a thread from now on, starting
with the first one, so that no reader's request loads it (1.7 s at 10,000 records, 10 s at
100,000). With an engine, the snapshot is needed only while the engine fails: it is not
loaded up front, and is built in a thread when first needed.
"""

from . import catalogue, service


def start():
    engine = getattr(service.backend(), "is_engine", False)
    catalogue.serve_in_background(warm=not engine)
