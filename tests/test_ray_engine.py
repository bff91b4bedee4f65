"""`cxtext analyze --engine ray`: the same analyzer plugins on Ray Data give the same signals.

The equivalence test analyses 200 demo survey records twice, from copies of one
ingested store: with the local engine and with a local Ray (two CPUs, so two actors
per analyzer). Every signal row and every analysis_log mark must match.

Sentiment runs in fp32 here: bf16 kernels round differently on a different thread
count (one thread per actor vs. the local run's threads), fp32 ones do not
(docs/scale.md). Embeddings are computed by the driver in both engines.
"""

from __future__ import annotations

import json
import os
import shutil
import sys
from dataclasses import dataclass

import pytest

from cxtext import Project
from cxtext.analyze import analyze_store
from cxtext.config import ProjectConfig
from cxtext.errors import InputError
from cxtext.project import DEMO_PROJECT
from cxtext.records import Record
from cxtext.signals import Signal
from cxtext.store import Store

DEMO_SURVEY = DEMO_PROJECT.parent / "survey.csv"
ANALYZERS = ["sentiment", "themes", "effort"]
RECORDS = 200
CONFIG = ProjectConfig(analysis={"sentiment": {"precision": "fp32"}})


@pytest.fixture(scope="module")
def ray_session():
    """One local Ray with two CPUs for the module; the engine joins it instead of starting its own."""
    ray = pytest.importorskip("ray")
    pytest.importorskip("ray.data")
    ray.init(num_cpus=2, include_dashboard=False, log_to_driver=False, configure_logging=False)
    yield ray
    ray.shutdown()


def signal_rows(db) -> dict[tuple, list[dict]]:
    """Signal rows grouped by (analyzer, record, sentence, kind, label), each group in a fixed order.

    A key can hold several rows (two effort spans with one label in a sentence).
    """
    with Store(db) as store:
        cursor = store.conn.execute(
            "select analyzer, record_id, sentence_id, kind, label, score, data, model, model_version from signals")
        names = [d[0] for d in cursor.description]
        rows = [dict(zip(names, values)) for values in cursor]
    grouped: dict[tuple, list[dict]] = {}
    for row in rows:
        row["data"] = json.loads(row["data"]) if row["data"] else {}
        key = (row["analyzer"], row["record_id"], row["sentence_id"], row["kind"], row["label"])
        grouped.setdefault(key, []).append(row)
    for group in grouped.values():
        group.sort(key=lambda r: (json.dumps(r["data"], sort_keys=True), r["score"] is None, r["score"] or 0.0))
    return grouped


def marks(db) -> set[tuple[str, str, str]]:
    with Store(db) as store:
        return set(store.conn.execute("select record_id, analyzer, version from analysis_log"))


@pytest.fixture(scope="module")
def analysed(tmp_path_factory, ray_session):
    """The same 200 survey records analysed by the local engine and by the Ray engine."""
    folder = tmp_path_factory.mktemp("ray")
    local, distributed = folder / "local.db", folder / "ray.db"
    with Project(local) as project:
        project.ingest(DEMO_SURVEY, text=["Reason for score", "What could we improve?"], id="Response ID",
                       date="Response Date", touchpoint="Touchpoint", scores={"nps": "NPS", "ces": "CES"})
        extra = [row[0] for row in project.store.conn.execute("select id from records order by rowid")][RECORDS:]
        with project.store.transaction() as conn:
            conn.executemany("delete from records where id = ?", [[i] for i in extra])
    shutil.copy(local, distributed)
    with Project(local, CONFIG) as project:
        local_summary = project.analyze(ANALYZERS)
    with Project(distributed, CONFIG) as project:
        ray_summary = project.analyze(ANALYZERS, engine="ray")
        again = project.analyze(ANALYZERS, engine="ray")
    return local, distributed, local_summary, ray_summary, again


@pytest.mark.slow
def test_ray_engine_writes_exactly_the_local_engines_signals(analysed):
    local, distributed, local_summary, ray_summary, _ = analysed
    assert local_summary == ray_summary
    assert ray_summary == {"sentences": RECORDS, **{name: RECORDS for name in ANALYZERS}}
    expected, got = signal_rows(local), signal_rows(distributed)
    assert {key[0] for key in expected} >= {"sentences", *ANALYZERS}
    assert got.keys() == expected.keys()
    for key, rows in expected.items():
        assert len(got[key]) == len(rows), key
        for row, other in zip(rows, got[key]):
            for field in ("model", "model_version", "data"):
                assert other[field] == row[field], (key, field)
            if row["score"] is None:
                assert other["score"] is None, key
            else:
                assert other["score"] == pytest.approx(row["score"], abs=1e-6), key
    assert marks(distributed) == marks(local)


@pytest.mark.slow
def test_a_second_ray_run_finds_nothing_pending(analysed):
    *_, again = analysed
    assert again == {"sentences": 0, **{name: 0 for name in ANALYZERS}}


@dataclass
class LoadCounter:
    """An analyzer that says, on every signal, which process ran it and how often it was loaded there."""

    name: str = "loads"
    version: str = "loads-1"
    model: str = "no-model"
    needs_embeddings: bool = False
    loads: int = 0

    def load(self):
        self.loads += 1

    def process(self, docs):
        data = {"pid": os.getpid(), "threads": os.environ.get("OMP_NUM_THREADS")}
        return [Signal(record_id=d.record_id, kind="load", score=self.loads, data=data) for d in docs]


def test_each_actor_loads_the_analyzer_once(store, ray_session):
    import cloudpickle

    # Test modules are not importable on Ray workers: ship this one by value.
    cloudpickle.register_pickle_by_value(sys.modules[__name__])
    try:
        items = [Record("survey", f"Text number {i}.", "demo", source_id=str(i)) for i in range(40)]
        store.ingest(iter(items), path="x", source="survey", dataset="demo", file_sha256="0")
        summary = analyze_store(store, available={"loads": LoadCounter()}, batch_size=3, engine="ray")
    finally:
        cloudpickle.unregister_pickle_by_value(sys.modules[__name__])
    assert summary == {"sentences": 40, "loads": 40}
    rows = list(store.iter_signals(kind="load"))
    assert len(rows) == 40
    assert {row["score"] for row in rows} == {1.0}  # loaded once in each actor, never per batch
    pids = {row["data"]["pid"] for row in rows}
    assert 1 <= len(pids) <= 2 and os.getpid() not in pids  # in actors, at most one per CPU
    assert {row["data"]["threads"] for row in rows} == {"1"}  # one model thread per actor CPU
    assert all(row["model"] == "no-model" and row["model_version"] == "loads-1" for row in rows)


def test_engine_options_are_checked(store):
    with pytest.raises(InputError, match="unknown engine"):
        analyze_store(store, available={}, engine="spark")
    with pytest.raises(InputError, match="for the Ray engine"):
        analyze_store(store, available={}, address="ray://head:10001")
    with pytest.raises(InputError, match="for the Ray engine"):
        analyze_store(store, available={}, cpus_per_actor=2)


def test_without_ray_the_error_says_how_to_install_it(store, monkeypatch):
    monkeypatch.setitem(sys.modules, "ray", None)  # import ray now raises ImportError
    with pytest.raises(InputError, match="needs Ray Data") as raised:
        analyze_store(store, available={}, engine="ray")
    assert "cxtext[ray]" in raised.value.hint
