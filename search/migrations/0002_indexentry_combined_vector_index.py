"""GIN index on ``title || body`` of Wagtail's search index, on PostgreSQL only.

The PostgreSQL backend matches queries against the concatenated vector, which the per-column
GIN indexes cannot serve (wagtail#6546): without this index every search scans the table.
"""

from django.db import migrations

INDEX_NAME = "search_indexentry_title_body_gin"


def table_name(apps):
    return apps.get_model("wagtailsearch", "IndexEntry")._meta.db_table


def create_index(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(
        f"CREATE INDEX IF NOT EXISTS {INDEX_NAME} ON {table_name(apps)} USING gin ((title || body))"
    )


def drop_index(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(f"DROP INDEX IF EXISTS {INDEX_NAME}")


class Migration(migrations.Migration):
    dependencies = [
        ("search", "0001_initial"),
        ("wagtailsearch", "0010_add_text_fields"),
    ]

    operations = [migrations.RunPython(create_index, drop_index)]
