"""python manage.py bench_inputs: the work one oversized input costs (issue "production": a 5 MB
one-word field imports or is refused within 10 s; a 128k-character word is analysed in under
100 ms). Reads and analyses only; the database is not touched."""

import json
import statistics
import time

from django.core.management.base import BaseCommand

from interchange.importer import Importer
from search.analysis import analyse, swedish_lexicon

WORD_LENGTH = 128_000
FIELD_BYTES = 5_000_000
ANALYSIS_TARGET_MS = 100
IMPORT_TARGET_S = 10


def _timed(function, repeat):
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        outcome = function()
        times.append(time.perf_counter() - started)
    return statistics.median(times), outcome


def _record(**fields):
    return {
        "external_id": "bench-inputs",
        "type": "practice",
        "locale": "sv",
        "title": "Ett mycket långt ord",
        "summary": "Kort.",
        **fields,
    }


class Command(BaseCommand):
    help = (
        "Time the analysis of a 128,000-character word in each language and the import check of "
        "a 5 MB one-word field, a field just under the line limit and a deeply nested line; "
        "print each figure with PASS/FAIL against the issue's targets."
    )

    def add_arguments(self, parser):
        parser.add_argument("--repeat", type=int, default=5, help="Runs per figure (median).")

    def handle(self, **options):
        repeat = options["repeat"]
        write = self.stdout.write
        failed = False
        swedish_lexicon()  # loaded once per process, not part of a word's cost

        write(f"Analysis of one {WORD_LENGTH:,}-character word (median of {repeat}):")
        for language, letter in (("sv", "a"), ("en", "a"), ("ar", "ب"), ("fa", "ب")):
            seconds, _ = _timed(
                lambda text=letter * WORD_LENGTH, lang=language: analyse(text, lang), repeat
            )
            ok = seconds * 1000 < ANALYSIS_TARGET_MS
            failed |= not ok
            write(
                f"  {language}  {seconds * 1000:8.1f} ms  "
                f"{'PASS' if ok else 'FAIL'} (target < {ANALYSIS_TARGET_MS} ms)"
            )

        write(f"Import check of one oversized line (median of {repeat}):")
        lines = {
            "5 MB one-word summary": json.dumps(_record(summary="x" * FIELD_BYTES)),
            "1.9 MB one-word body": json.dumps(_record(body="x" * 1_900_000)),
            "JSON nested 100,000 deep": "[" * 100_000 + "]" * 100_000,
        }
        for label, line in lines.items():
            seconds, importer = _timed(lambda line=line: self._read(line), repeat)
            rejections = importer.result.rejections
            outcome = str(rejections[0]).splitlines()[0] if rejections else "accepted"
            ok = seconds < IMPORT_TARGET_S
            failed |= not ok
            write(
                f"  {label:26} {seconds * 1000:8.1f} ms  {'PASS' if ok else 'FAIL'} "
                f"(target < {IMPORT_TARGET_S} s)  {outcome[:110]}"
            )
        if failed:
            raise SystemExit(1)

    @staticmethod
    def _read(line):
        importer = Importer()
        importer.read([line])
        return importer
