"""The embedded default: our SQLite or PostgreSQL backend, chosen by the database in use.

Settings name this module (``"BACKEND": "search.backends.database"``), as Wagtail's own
``wagtail.search.backends.database`` picks its backend by ``connection.vendor``. Each backend
module can only be imported on its own database (modelsearch's SQLite backend looks up an FTS
model that exists only on SQLite), so the chosen one is imported by name when asked for.
"""

from django.db import connection
from django.utils.module_loading import import_string

BACKENDS = {
    "postgresql": "search.backends.postgres.PostgresSearchBackend",
    "sqlite": "search.backends.sqlite.SQLiteSearchBackend",
}


def SearchBackend(params):  # noqa: N802 - the name Wagtail looks up in a backend module
    if connection.vendor not in BACKENDS:
        raise NotImplementedError(
            f"search.backends.database supports SQLite and PostgreSQL, not {connection.vendor}."
        )
    return import_string(BACKENDS[connection.vendor])(params)
