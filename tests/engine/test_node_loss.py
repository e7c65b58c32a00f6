"""The cluster losing a node during searches, then every node (``make test-engine`` only: it
needs ``SEARCH_CLUSTER_STATE``, the file naming the nodes' processes). These tests run after
every other engine test (``conftest.pytest_collection_modifyitems``): the last one leaves no node
running, and ``tools/search-node/cluster.py`` stops whatever is left.
"""

import json
import os
import signal
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest
from django.test import Client

from search import service
from tests.helpers import record
from tests.search.conftest import run_search

from .conftest import cluster_state
from .test_cluster import REPO, found, publish

pytestmark = pytest.mark.django_db


def cluster_health(url):
    with urllib.request.urlopen(f"{url}/_cluster/health", timeout=10) as response:  # noqa: S310
        return json.load(response)


def wait_for_health(urls, accept, seconds=120):
    deadline = time.monotonic() + seconds
    last = None
    while time.monotonic() < deadline:
        for url in urls:
            try:
                last = cluster_health(url)
            except OSError:
                continue
            if accept(last):
                return last
        time.sleep(0.5)
    raise AssertionError(f"cluster health never became what was expected; last: {last}")


def needs_cluster():
    state = cluster_state()
    if state is None or len(state["nodes"]) < 3:
        pytest.skip("needs the three-node cluster of make test-engine (SEARCH_CLUSTER_STATE)")
    return state


def test_a_node_killed_during_searches_loses_no_search(engine, site_tree):
    state = needs_cluster()
    publish(
        record(external_id="e-cafe", title="Språkcafé i Sunne"),
        record(external_id="e-mentor", title="Mentorskap för nyanlända akademiker"),
    )
    wait_for_health(state["urls"], lambda health: health["status"] == "green")
    victim = state["nodes"][-1]
    survivors = [url for url in state["urls"] if not url.endswith(f":{victim['http_port']}")]

    answers = [_answer() for _ in range(10)]
    os.kill(victim["pid"], signal.SIGKILL)
    killed_at = time.monotonic()
    while time.monotonic() - killed_at < 5:  # searching while the cluster notices
        answers.append(_answer())
    # The others see it gone; its shards' copies on them answer (yellow until the replicas
    # are rebuilt elsewhere or the node is back).
    health = wait_for_health(survivors, lambda health: health["number_of_nodes"] == 2)
    assert health["status"] in ("yellow", "green")
    answers += [_answer() for _ in range(10)]
    assert all(answer == (False, False, ["e-cafe"]) for answer in answers), answers

    # The node starts again with its data, rejoins, and the cluster is green with three.
    cluster = REPO / "tools" / "search-node" / "cluster.py"
    subprocess.run([sys.executable, str(cluster), "restart", victim["name"]], check=True)  # noqa: S603
    wait_for_health(
        state["urls"],
        lambda health: health["number_of_nodes"] == 3 and health["status"] == "green",
        seconds=180,
    )
    assert found("mentorskap") == ["e-mentor"]


def _answer():
    outcome = run_search("språkcafé")
    return (outcome.degraded, outcome.failed, [r.external_id for r in outcome.results])


def test_all_nodes_down_the_database_answers_and_the_page_says_so(engine, site_tree):
    needs_cluster()
    publish(record(external_id="e-cafe", title="Språkcafé i Sunne"))
    assert found("språkcafé") == ["e-cafe"]
    for node in cluster_state()["nodes"]:  # read again: a node restarted has a new pid
        if _alive(node["pid"]):
            os.kill(node["pid"], signal.SIGKILL)
            _wait_dead(node["pid"])

    outcome = run_search("språkcafé")
    assert outcome.degraded and not outcome.failed
    assert [result.external_id for result in outcome.results] == ["e-cafe"]
    response = Client().get("/sv/search/", {"q": "språkcafé"}, HTTP_ACCEPT_LANGUAGE="sv")
    assert response.status_code == 200
    text = response.content.decode()
    assert "Språkcafé i Sunne" in text
    assert "Sökmotorn svarar inte" in text, "the page does not say the results are simpler"
    service.reset_backends()


def _alive(pid):
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    stat = Path(f"/proc/{pid}/stat")
    return stat.exists() and not stat.read_text().split(") ", 1)[1].startswith("Z")


def _wait_dead(pid, seconds=10):
    deadline = time.monotonic() + seconds
    while _alive(pid) and time.monotonic() < deadline:
        time.sleep(0.1)
