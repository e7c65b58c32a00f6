"""``manage.py build_open_data``: build the bulk downloads now (cron, nightly).

Moves the open data's version on first, so that what changes no version by itself (an
owner's review) is in the new files and harvesters see a new ETag.
"""

from django.core.management.base import BaseCommand

from opendata import downloads
from opendata.models import DataVersion


class Command(BaseCommand):
    help = "Build the open-data downloads (records.jsonl, outcomes.csv) from the published content."

    def add_arguments(self, parser):
        parser.add_argument(
            "--if-missing",
            action="store_true",
            help="Only build when the current version has no files yet (every few minutes).",
        )

    def handle(self, *args, **options):
        if options["if_missing"]:
            version = DataVersion.current()
            if all(downloads.path_for(name, version).exists() for name in downloads.SUFFIXES):
                self.stdout.write(f"open data: version {version} already built")
                return
        else:
            version = DataVersion.bump()
        built = downloads.build(version)
        for name, path in built.paths.items():
            self.stdout.write(f"open data: {name} → {path} ({path.stat().st_size} bytes)")
