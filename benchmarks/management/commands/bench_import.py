"""python manage.py bench_import [--records N]: import rates on a scratch database.

Uses the database settings point at (``DATABASE_URL``: PostgreSQL for the figures in the
docs); the scratch database is made beside it and dropped afterwards."""

import json

from django.core.management.base import BaseCommand, CommandError

from benchmarks.import_rate import measure


class Command(BaseCommand):
    help = (
        "Import N synthetic records into a scratch database with import_content (new), again "
        "(unchanged), then update_index; print records/s and SQL queries per record."
    )

    def add_arguments(self, parser):
        parser.add_argument("--records", type=int, default=10_000)
        parser.add_argument(
            "--no-update-index", action="store_true", help="Skip timing update_index."
        )
        parser.add_argument("--json", action="store_true", help="Print the figures as JSON.")

    def handle(self, **options):
        if options["records"] < 1:
            raise CommandError("--records must be at least 1.")
        self.stdout.write(f"Importing {options['records']:,} synthetic records …")
        figures = measure(
            options["records"],
            update_index=not options["no_update_index"],
            write=self.stdout.write,
        )
        if options["json"]:
            self.stdout.write(json.dumps(figures, indent=2))
