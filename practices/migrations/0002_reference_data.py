"""Load the site's languages, Sweden's regions and municipalities, and the vocabularies.

Reads the CSV files in ``practices/data`` (copied from the shared reference data). The
vocabularies get one row per language, sharing a translation key and slug.
"""

import csv
import uuid
from pathlib import Path

from django.db import migrations

DATA_DIR = Path(__file__).resolve().parent.parent / "data"
LANGUAGES = ["sv", "en", "ar", "fa"]


def read_csv(name):
    with open(DATA_DIR / name, encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def load(apps, schema_editor):
    Locale = apps.get_model("wagtailcore", "Locale")
    Region = apps.get_model("practices", "Region")
    Municipality = apps.get_model("practices", "Municipality")

    locales = {code: Locale.objects.get_or_create(language_code=code)[0] for code in LANGUAGES}

    regions = {}
    for row in read_csv("sweden_regions.csv"):
        regions[row["code"]], _ = Region.objects.update_or_create(
            code=row["code"], defaults={"name": row["name"], "region_name": row["region_name"]}
        )
    for row in read_csv("sweden_municipalities.csv"):
        Municipality.objects.update_or_create(
            code=row["code"], defaults={"name": row["name"], "region": regions[row["region_code"]]}
        )

    for model_name, filename in [
        ("ActivityType", "activity_types.csv"),
        ("TargetGroup", "target_groups.csv"),
    ]:
        model = apps.get_model("practices", model_name)
        for row in read_csv(filename):
            existing = model.objects.filter(slug=row["slug"]).first()
            key = existing.translation_key if existing else uuid.uuid4()
            for code in LANGUAGES:
                model.objects.update_or_create(
                    slug=row["slug"],
                    locale=locales[code],
                    defaults={"name": row[code], "translation_key": key},
                )


class Migration(migrations.Migration):
    dependencies = [
        ("practices", "0001_initial"),
        ("wagtailcore", "0098_apitoken"),
    ]

    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
