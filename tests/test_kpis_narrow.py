"""Metrics that say what they read (``reads``) give the same figures on a frame of those columns only."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from cxtext.kpis import KpiEngine, engine as engine_module
from cxtext.kpis.grouping import narrowed
from cxtext.records import Record
from cxtext.signals import Signal


@pytest.fixture
def rich_store(store):
    rng = np.random.default_rng(5)
    records = []
    for i in range(400):
        records.append(Record(
            source_kind=["survey", "review", "social"][i % 3], text=f"text {i}", dataset="mixed", source_id=str(i),
            created_at=f"2026-{1 + i % 6:02d}-10T10:00:00Z", touchpoint=["App", "Billing"][i % 2],
            customer_id=f"c{i % 50}" if i % 4 else None, conversation_id=str(i // 2) if i % 3 == 0 else None,
            segments={"plan": ["a", "b", "c"][i % 3]},
            scores={k: float(v) for k, v in {"nps": rng.integers(0, 11), "csat": rng.integers(1, 6),
                                              "ces": rng.integers(1, 8), "rating": rng.integers(1, 6),
                                              "complaint": rng.random(), "churned": i % 7 == 0}.items()
                    if rng.random() < 0.8},
            engagement={"likes": int(rng.integers(0, 9)), "shares": int(rng.integers(0, 3))} if i % 3 == 2 else {},
            metadata={"churned": "yes" if i % 5 == 0 else "no"} if i % 2 else {}))
    store.ingest(records, path="m.csv", source="test", dataset="mixed", file_sha256="x")
    ids = [r.id for r in records]
    labels = ["negative", "neutral", "positive"]
    store.save_analysis("sentiment", "1", ids[:300], [
        Signal(record_id=rid, kind="sentiment", label=labels[i % 3], score=0.1) for i, rid in enumerate(ids[:300])])
    store.save_analysis("themes", "1", ids[:300], [
        Signal(record_id=rid, kind="theme", label=["app", "billing"][i % 2]) for i, rid in enumerate(ids[:300]) if i % 5])
    store.save_analysis("effort", "1", ids[:200], [
        Signal(record_id=rid, kind="effort_score", label=["high_effort", "neutral"][i % 2], score=2.0 + i % 5)
        for i, rid in enumerate(ids[:200])])
    return store


def test_every_reading_metric_gives_the_same_figure_on_its_columns(rich_store):
    engine = KpiEngine(rich_store)  # the registered metrics and analyzers
    frame = engine.frame
    checked = 0
    for name, metric in engine.registry.items():
        if getattr(metric, "reads", None) is None or not metric.applies(frame):
            continue
        narrow = narrowed(frame, [metric])
        assert len(narrow.columns) < len(frame.columns)
        for part in (frame, frame[frame["touchpoint"] == "App"], frame.iloc[:37]):
            part.attrs = frame.attrs
            small = narrowed(part, [metric])
            assert small.attrs == part.attrs
            assert metric.compute(small) == metric.compute(part), name
        checked += 1
    assert checked >= 12  # scores, text, customer metrics


def test_kpi_tables_are_the_same_with_and_without_narrowing(rich_store, monkeypatch):
    def tables():
        engine = KpiEngine(rich_store)  # the registered metrics and analyzers
        return [engine.kpis(by=["touchpoint", "plan"], period="month"),
                engine.trends("nps", "touchpoint", "month"), engine.trends("csat", None, "month", baseline="pooled"),
                engine.alerts(by=["touchpoint"], include_low_n=True, top=50)]

    narrow = tables()
    monkeypatch.setattr(engine_module, "narrowed", lambda frame, metrics, keep=(): frame)
    wide = tables()
    for a, b in zip(narrow, wide):
        pd.testing.assert_frame_equal(a, b)
    assert len(narrow[0]) > 50
