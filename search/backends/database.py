"""The embedded default: our SQLite or PostgreSQL backend, chosen by the database in use.

Settings name this module (``"BACKEND": "search.backends.database"``), as Wagtail's own
``wagtail.search.backends.database`` picks its backend by ``connection.vendor``.
"""

from django.db import connection

from .postgres import PostgresSearchBackend
from .sqlite import SQLiteSearchBackend


def SearchBackend(params):  # noqa: N802 - the name Wagtail looks up in a backend module
    if connection.vendor == "postgresql":
        return PostgresSearchBackend(params)
    if connection.vendor == "sqlite":
        return SQLiteSearchBackend(params)
    raise NotImplementedError(
        f"search.backends.database supports SQLite and PostgreSQL, not {connection.vendor}."
    )
