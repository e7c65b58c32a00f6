"""update_index's engine rebuild: written without refreshes or replicas, given its settings back,
its replicas awaited before the alias moves to it (the live test: tests/engine/test_cluster.py).
Here the order of the requests and the failure paths, against a recording client."""

import pytest

from search.backends import engine
from search.backends.engine import BulkRebuilder


class Client:
    """The engine requests a rebuild makes, recorded; ``statuses``: the index's health replies."""

    def __init__(self, log, statuses, nodes=3, created_with=None):
        self.log = log
        self.statuses = list(statuses)
        self.nodes = nodes
        self.created_with = created_with or {"number_of_replicas": "1"}
        self.indices = self
        self.cluster = self

    def get_settings(self, index):
        return {index: {"settings": {"index": dict(self.created_with)}}}

    def put_settings(self, index, body):
        self.log.append(("settings", index, body["index"]))

    def health(self, index=None):
        if index is None:
            return {"number_of_data_nodes": self.nodes}
        self.log.append(("health", index))
        return {"status": self.statuses.pop(0) if len(self.statuses) > 1 else self.statuses[0]}


class Backend:
    use_new_elasticsearch_api = False

    def __init__(self, client):
        self.es = client

    def index_class(self, backend, name):
        return Index(backend, name)


class Index:
    def __init__(self, backend, name):
        self.backend, self.name, self.es = backend, name, backend.es

    def _log(self, *entry):
        self.es.log.append(entry)

    def put(self):
        self._log("create", self.name)

    def delete(self):
        self._log("delete", self.name)

    def refresh(self):
        self._log("refresh", self.name)

    def is_alias(self):
        return False

    def put_alias(self, name):
        self._log("alias", name, self.name)


def rebuild(client):
    rebuilder = BulkRebuilder(Index(Backend(client), "pages"))
    new = rebuilder.start()
    client.log.append(("documents", new.name))
    rebuilder.finish()
    return new.name


def test_written_bare_then_restored_and_copied_before_the_alias_moves(monkeypatch):
    monkeypatch.setattr(engine.time, "sleep", lambda seconds: None)
    log = []
    name = rebuild(Client(log, ["yellow", "yellow", "green"]))
    bulk = {"refresh_interval": "-1", "number_of_replicas": 0}
    restored = {"refresh_interval": None, "number_of_replicas": "1"}
    assert log == [
        ("create", name),
        ("settings", name, bulk),
        ("documents", name),
        ("settings", name, restored),
        ("health", name),
        ("health", name),
        ("health", name),
        ("refresh", name),
        ("delete", "pages"),
        ("alias", "pages", name),
    ]


@pytest.mark.parametrize(
    "nodes, created_with", [(1, {"number_of_replicas": "1"}), (3, {"number_of_replicas": "0"})]
)
def test_no_wait_where_the_replicas_cannot_or_need_not_be_placed(nodes, created_with):
    log = []
    rebuild(Client(log, ["yellow"], nodes=nodes, created_with=created_with))
    assert not [entry for entry in log if entry[0] == "health"]
    assert log[-1][0] == "alias"


def test_replicas_never_copied_the_new_index_is_dropped_and_the_old_kept(monkeypatch):
    monkeypatch.setattr(engine.time, "sleep", lambda seconds: None)
    clock = iter(range(0, 10_000, 100))
    monkeypatch.setattr(engine.time, "monotonic", lambda: next(clock))
    log = []
    with pytest.raises(TimeoutError, match="the alias names the old index"):
        rebuild(Client(log, ["yellow"]))
    assert log[-1][0] == "delete" and log[-1][1] != "pages"
    assert not [entry for entry in log if entry[0] == "alias"]
