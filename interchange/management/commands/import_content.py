import sys
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from interchange.bulk import BATCH
from interchange.importer import Importer
from interchange.progress import Progress


class Command(BaseCommand):
    help = (
        "Import practices, methods and reports from a JSON Lines file (docs/interchange.md). "
        "Upserts by external_id; rejected records are reported and the rest imported."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", help="Path to a .jsonl file, or - for standard input.")
        parser.add_argument(
            "--strict-indicators",
            action="store_true",
            help="Reject records whose outcome indicator keys are not in the list (by "
            "default they are added to it for a coordinator to check).",
        )
        parser.add_argument(
            "--batch",
            type=int,
            default=BATCH,
            help="New records written per transaction (default %(default)s).",
        )
        parser.add_argument(
            "--one-by-one",
            action="store_true",
            help="Write every record in its own transaction, as an editor's publish does "
            "(slower; the bulk path writes the same pages).",
        )
        parser.add_argument(
            "--progress-every",
            type=float,
            default=5.0,
            help="Seconds between progress lines on standard error (default %(default)s).",
        )

    def handle(self, *args, **options):
        if options["batch"] < 1:
            raise CommandError("--batch must be at least 1.")
        lines = self._read(options["file"])
        verbose = options["verbosity"] > 0

        progress = Progress(self.stderr.write, every=options["progress_every"]) if verbose else None
        importer = Importer(
            progress=progress,
            strict_indicators=options["strict_indicators"],
            bulk=not options["one_by_one"],
            batch=options["batch"],
        )
        result = importer.run(lines)
        for rejection in result.rejections:
            self.stderr.write(f"rejected {rejection}")
        for note in result.notes:
            self.stdout.write(note)
        self.stdout.write(result.summary)  # last: scripts read the last line
        if result.rejections:
            raise CommandError(
                "%d record(s) rejected; the others were imported." % len(result.rejections),
                returncode=1,
            )

    def _read(self, name):
        if name == "-":
            return sys.stdin.read().splitlines()
        path = Path(name)
        if not path.is_file():
            raise CommandError(f"No such file: {name}")
        try:
            return path.read_text(encoding="utf-8-sig").splitlines()
        except UnicodeDecodeError as error:
            raise CommandError(f"{name} is not UTF-8 text: {error}") from error
