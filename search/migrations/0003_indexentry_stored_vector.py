"""A stored ``title || body`` vector with its own GIN index, on PostgreSQL only.

Ranking reads the combined vector of every matching row; computing ``title || body`` per row
costs about 40 % of a head-term query (measured at 1,000 records: 27 ms -> 16 ms). PostgreSQL
keeps this generated column in step with ``title`` and ``body`` on every write, so Wagtail's
indexing code, which does not know the column, needs no change. Our backend's ranking query
(``search.backends.postgres.IdfRanking``) matches and ranks on it.
"""

from django.db import migrations

COLUMN = "title_body"
INDEX_NAME = "search_indexentry_title_body_stored_gin"


def table_name(apps):
    return apps.get_model("wagtailsearch", "IndexEntry")._meta.db_table


def add_column(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    table = table_name(apps)
    schema_editor.execute(
        f"ALTER TABLE {table} ADD COLUMN IF NOT EXISTS {COLUMN} tsvector "
        "GENERATED ALWAYS AS (title || body) STORED"
    )
    schema_editor.execute(
        f"CREATE INDEX IF NOT EXISTS {INDEX_NAME} ON {table} USING gin ({COLUMN})"
    )


def drop_column(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(f"DROP INDEX IF EXISTS {INDEX_NAME}")
    schema_editor.execute(f"ALTER TABLE {table_name(apps)} DROP COLUMN IF EXISTS {COLUMN}")


class Migration(migrations.Migration):
    dependencies = [("search", "0002_indexentry_combined_vector_index")]

    operations = [migrations.RunPython(add_column, drop_column)]
