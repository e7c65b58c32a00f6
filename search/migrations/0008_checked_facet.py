"""The "checked" facet (the year a record was last updated or confirmed current by its owner)
for the records that exist: one row per record, from its oldest live page (its source).

A record synchronised later (publishing, "Still current") gets its row from
``search.facets``; ``update_index`` rebuilds them all."""

from django.db import migrations
from django.utils import timezone

CONTENT_MODELS = ("PracticePage", "MethodPage", "ProjectReportPage")


def add_checked_rows(apps, schema_editor):
    RecordFacet = apps.get_model("search", "RecordFacet")
    sources = {}
    for name in CONTENT_MODELS:
        model = apps.get_model("practices", name)
        rows = model.objects.filter(live=True).values_list(
            "pk", "translation_key", "last_published_at", "last_reviewed"
        )
        for pk, key, published, reviewed in rows:
            if key not in sources or pk < sources[key][0]:
                sources[key] = (pk, published, reviewed)
    facets = []
    for key, (_pk, published, reviewed) in sources.items():
        days = [day for day in (published and timezone.localdate(published), reviewed) if day]
        if days:
            facets.append(RecordFacet(translation_key=key, facet="checked", value=str(max(days).year)))
    RecordFacet.objects.filter(facet="checked").delete()
    RecordFacet.objects.bulk_create(facets, batch_size=2000)


def remove_checked_rows(apps, schema_editor):
    apps.get_model("search", "RecordFacet").objects.filter(facet="checked").delete()


class Migration(migrations.Migration):
    dependencies = [
        ("search", "0007_pending_index_update"),
        ("practices", "0009_last_reviewed"),
    ]

    operations = [migrations.RunPython(add_checked_rows, remove_checked_rows)]
