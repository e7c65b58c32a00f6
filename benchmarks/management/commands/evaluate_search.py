"""python manage.py evaluate_search DIR: relevance figures of the search on a judged set."""

import time
from pathlib import Path

from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.db import connection

from benchmarks.evaluation import evaluate, load_judgements, scratch_database, summarise


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

    def handle(self, *args, **options):
        directory = Path(options["directory"])
        for name in ("corpus.jsonl", "queries.jsonl", "qrels.jsonl"):
            if not (directory / name).is_file():
                raise CommandError(f"{directory / name} is missing.")
        queries, grades = load_judgements(directory)
        started = time.perf_counter()
        with scratch_database() as database:
            call_command("import_content", str(directory / "corpus.jsonl"), verbosity=0)
            database.refresh()
            scores = evaluate(queries, grades)
        elapsed = time.perf_counter() - started
        self.stdout.write(
            f"search evaluation: {len(queries)} queries, database {connection.vendor}, "
            f"{elapsed:.1f} s"
        )
        self.stdout.write(f"{'group':<28} {'n':>3} {'nDCG@10':>8} {'MRR':>6} {'R@10':>6}")
        for label, count, ndcg, mrr, recall in summarise(scores):
            self.stdout.write(f"{label:<28} {count:>3} {ndcg:>8.3f} {mrr:>6.3f} {recall:>6.3f}")
        if options["per_query"]:
            for score in scores:
                query = score.query
                self.stdout.write(
                    f"{query['id']} [{query['lang']} {query.get('kind', '')}] "
                    f"nDCG={score.ndcg:.2f} {query['query']!r}: {' '.join(score.ranking)}"
                )
