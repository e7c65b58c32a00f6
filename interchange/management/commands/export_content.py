import sys
from pathlib import Path

from django.core.management.base import BaseCommand

from interchange.exporter import export_records, write_jsonl


class Command(BaseCommand):
    help = "Export live practices, methods and reports with their translations as JSON Lines."

    def add_arguments(self, parser):
        parser.add_argument("file", help="Path of the .jsonl file to write, or - for stdout.")

    def handle(self, *args, **options):
        if options["file"] == "-":
            count = write_jsonl(export_records(), sys.stdout)
        else:
            path = Path(options["file"])
            tmp = path.with_name(path.name + ".partial")
            with open(tmp, "w", encoding="utf-8") as handle:
                count = write_jsonl(export_records(), handle)
            tmp.replace(path)  # never leave a half-written export behind
        self.stderr.write(f"exported: {count} records")
