"""python manage.py evaluate_search DIR: relevance figures of the search on a judged set."""

import os
import time
from pathlib import Path

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.db import connection
from django.test import override_settings
from wagtail.search.backends import get_search_backend

from search import catalogue, service
from search.evaluation import evaluate, load_judgements, summarise


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
        with scratch_database():
            call_command("import_content", str(directory / "corpus.jsonl"), verbosity=0)
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


class scratch_database:  # noqa: N801 - a context manager used like a function
    """A freshly migrated throw-away database (Django's test-database machinery).

    Search backends with an index of their own (Elasticsearch) get a throw-away index prefix
    too, and those indexes are deleted afterwards: an evaluation never touches the site's.
    """

    def __enter__(self):
        backends = {
            name: (
                {**config, "INDEX_PREFIX": f"{config['INDEX_PREFIX']}evaluate_{os.getpid()}_"}
                if "INDEX_PREFIX" in config
                else config
            )
            for name, config in settings.WAGTAILSEARCH_BACKENDS.items()
        }
        self.search_settings = override_settings(WAGTAILSEARCH_BACKENDS=backends)
        self.search_settings.enable()
        self.old_name = connection.settings_dict["NAME"]
        test_settings = connection.settings_dict.setdefault("TEST", {})
        self.old_test_name = test_settings.get("NAME")
        if connection.vendor != "sqlite":
            test_settings["NAME"] = f"{self.old_name}_evaluate_{os.getpid()}"
        connection.creation.create_test_db(verbosity=0, autoclobber=True, serialize=False)
        self._reset_caches()
        return self

    def __exit__(self, *exc_info):
        try:
            for name, config in settings.WAGTAILSEARCH_BACKENDS.items():
                if "INDEX_PREFIX" in config:
                    for index in get_search_backend(name).all_indexes():
                        index.delete()
        finally:
            connection.creation.destroy_test_db(self.old_name, verbosity=0)
            connection.settings_dict["TEST"]["NAME"] = self.old_test_name
            self.search_settings.disable()
            self._reset_caches()
        return False

    @staticmethod
    def _reset_caches():
        catalogue.clear()
        service.reset_backends()
