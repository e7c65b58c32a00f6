"""Relevance evaluation: nDCG@10, MRR and recall@10 of the search service on a judged set.

A set is a directory with ``corpus.jsonl`` (interchange records), ``queries.jsonl``
(``id``, ``query``, ``lang``, ``kind``) and ``qrels.jsonl`` (``query_id``, ``external_id``,
``grade`` 0-3). Unjudged records count as grade 0.
"""

import json
import math
import os
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.core.management.base import CommandError
from django.db import connection
from django.http import QueryDict
from django.test import override_settings
from wagtail.search.backends import get_search_backend

from search import catalogue, fusion, labels, service
from search.labels import get_labels
from search.params import parse

CUTOFF = 10


@dataclass
class QueryScore:
    query: dict
    ranking: list
    ndcg: float
    reciprocal_rank: float
    recall: float


def read_jsonl(path):
    with open(path, encoding="utf-8") as handle:
        return [json.loads(line) for line in handle if line.strip()]


SET_FILES = ("corpus.jsonl", "queries.jsonl", "qrels.jsonl")


def require_judged_set(directory):
    """Raise ``CommandError`` naming the first file of a judged set missing from ``directory``."""
    for name in SET_FILES:
        if not (Path(directory) / name).is_file():
            raise CommandError(f"{Path(directory) / name} is missing.")


def load_judgements(directory):
    directory = Path(directory)
    queries = read_jsonl(directory / "queries.jsonl")
    grades = defaultdict(dict)
    for row in read_jsonl(directory / "qrels.jsonl"):
        grades[row["query_id"]][row["external_id"]] = int(row["grade"])
    return queries, grades


def dcg(grades):
    return sum((2**grade - 1) / math.log2(rank + 2) for rank, grade in enumerate(grades))


def score_ranking(ranking, judged, cutoff=CUTOFF):
    """(nDCG@cutoff, reciprocal rank, recall@cutoff) of a list of external ids."""
    top = ranking[:cutoff]
    ideal = dcg(sorted(judged.values(), reverse=True)[:cutoff])
    ndcg = dcg([judged.get(external_id, 0) for external_id in top]) / ideal if ideal else 0.0
    relevant = {external_id for external_id, grade in judged.items() if grade > 0}
    reciprocal = next(
        (1.0 / (rank + 1) for rank, external_id in enumerate(ranking) if external_id in relevant),
        0.0,
    )
    recall = len(relevant.intersection(top)) / len(relevant) if relevant else 0.0
    return ndcg, reciprocal, recall


def search_ids(query, language, cutoff=CUTOFF):
    """The external ids of the top records for a query, as the search page ranks them."""
    data = QueryDict(mutable=True)
    data.update({"q": query, "lang": language, "page_size": str(cutoff)})
    params = parse(data, get_labels())
    outcome = service.run(params)
    return [result.external_id for result in outcome.results]


MODES = {
    "lexical": fusion.LEXICAL_ONLY,
    "semantic": fusion.SEMANTIC_ONLY,
    "fused": None,  # the weights the search runs with
}


def evaluate_modes(queries, grades, modes=tuple(MODES), weights=None):
    """{mode: [QueryScore]}: each signal alone, and fused (with ``weights``, else the
    search's own)."""
    found = {}
    for mode in modes:
        with fusion.weights_in_use(MODES[mode] or weights or fusion.current()):
            found[mode] = evaluate(queries, grades)
    return found


def evaluate(queries, grades):
    scores = []
    for query in queries:
        ranking = search_ids(query["query"], query["lang"])
        ndcg, reciprocal, recall = score_ranking(ranking, grades.get(query["id"], {}))
        scores.append(QueryScore(query, ranking, ndcg, reciprocal, recall))
    return scores


def summarise(scores):
    """[(group label, n, mean nDCG, mean MRR, mean recall)] overall, per kind and per language."""
    groups = defaultdict(list)
    for score in scores:
        groups["overall"].append(score)
        groups[f"kind: {score.query.get('kind', '-')}"].append(score)
        groups[f"lang: {score.query.get('lang', '-')}"].append(score)
    rows = []
    for label in sorted(groups, key=lambda name: (name != "overall", name)):
        members = groups[label]
        rows.append(
            (
                label,
                len(members),
                sum(score.ndcg for score in members) / len(members),
                sum(score.reciprocal_rank for score in members) / len(members),
                sum(score.recall for score in members) / len(members),
            )
        )
    return rows


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
                    backend = get_search_backend(name)
                    if hasattr(backend, "delete_indexes"):
                        backend.delete_indexes()
                    else:
                        for index in backend.all_indexes():
                            index.delete()
        finally:
            connection.creation.destroy_test_db(self.old_name, verbosity=0)
            connection.settings_dict["TEST"]["NAME"] = self.old_test_name
            self.search_settings.disable()
            self._reset_caches()
        return False

    @staticmethod
    def refresh():
        """Make what was just indexed visible to searches: the engines show new documents only
        after a refresh (about once a second), so queries run right after an import would miss
        some. The database backends need nothing (their ``refresh_indexes`` does nothing)."""
        for name in settings.WAGTAILSEARCH_BACKENDS:
            backend = get_search_backend(name)
            settle = getattr(backend, "settle_indexes", backend.refresh_indexes)
            settle()

    @staticmethod
    def _reset_caches():
        catalogue.clear()
        labels.clear()
        service.reset_backends()
