"""The "municipality_group" facet (SKR's group, A1 … C9, of each municipality a record names)
for the records that exist: rows from each record's oldest live page (its source).

A record synchronised later (publishing) gets its rows from ``search.facets``;
``update_index`` rebuilds them all."""

from django.db import migrations

CONTENT_MODELS = ("PracticePage", "MethodPage", "ProjectReportPage")


def add_group_rows(apps, schema_editor):
    RecordFacet = apps.get_model("search", "RecordFacet")
    facets = []
    for name in CONTENT_MODELS:
        model = apps.get_model("practices", name)
        sources = {}
        for page in model.objects.filter(live=True).only("pk", "translation_key"):
            if page.translation_key not in sources or page.pk < sources[page.translation_key].pk:
                sources[page.translation_key] = page
        for key, page in sources.items():
            groups = set(page.municipalities.exclude(group="").values_list("group", flat=True))
            facets.extend(
                RecordFacet(translation_key=key, facet="municipality_group", value=group)
                for group in sorted(groups)
            )
    RecordFacet.objects.filter(facet="municipality_group").delete()
    RecordFacet.objects.bulk_create(facets, batch_size=2000)


def remove_group_rows(apps, schema_editor):
    apps.get_model("search", "RecordFacet").objects.filter(facet="municipality_group").delete()


class Migration(migrations.Migration):
    dependencies = [
        ("search", "0008_checked_facet"),
        ("practices", "0010_municipality_groups_population"),
    ]

    operations = [migrations.RunPython(add_group_rows, remove_group_rows)]
