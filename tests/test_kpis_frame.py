"""The analysis frame read in bulk equals the frame built record by record and signal row by signal row.

``build_frame`` reads records and signals as chunks of tuples (each distinct JSON text decoded
once); ``record_frame_rows`` / ``add_signals_rows`` are the reference: one :class:`Record` and one
signal dict at a time. Every column, its order, dtype, values and the value types must agree.
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest

from cxtext.kpis.frame import add_signals, add_signals_rows, build_frame, declarations, record_frame, record_frame_rows
from cxtext.records import Record
from cxtext.signals import LANGUAGE_OUTPUT, Sentence, Signal, SignalOutput


class Declaring:
    """An analyzer stand-in that only declares outputs (shaped like the first-party ones)."""

    def __init__(self, name, outputs):
        self.name, self.outputs = name, outputs


ANALYZERS = [
    Declaring("sentiment", [
        SignalOutput(kind="sentiment", level="sentence", labels=("negative", "neutral", "positive"), polarity=True),
        SignalOutput(kind="sentiment", level="record", label_column="sentiment", score_column="sentiment_score"),
    ]),
    Declaring("themes", [
        SignalOutput(kind="theme", level="sentence", label_names="theme_label", names_attr="theme_labels",
                     pair_column="theme_sentiments", evidence="theme"),
        SignalOutput(kind="theme", level="record", list_column="themes", label_names="theme_label",
                     names_attr="theme_labels", drivers=True),
    ]),
    Declaring("effort", [
        SignalOutput(kind="effort_score", level="record", label_column="effort_label", score_column="effort_score",
                     data_columns={"effort_drivers": "drivers"}),
    ]),
    Declaring("plain", []),  # no outputs: only its analysed:plain column
]


def reference_periods(frame: pd.DataFrame) -> None:
    """The periods as the frame added them one record at a time."""
    created = pd.to_datetime(frame["created_at"], utc=True, errors="coerce", format="ISO8601")
    frame["created_at"] = created
    valid = created.notna()
    iso = created[valid].dt.isocalendar()
    week = pd.Series(None, index=frame.index, dtype=object)
    week[valid] = [f"{y}-W{w:02d}" for y, w in zip(iso["year"], iso["week"])]
    month = pd.Series(None, index=frame.index, dtype=object)
    month[valid] = created[valid].dt.strftime("%Y-%m")
    quarter = pd.Series(None, index=frame.index, dtype=object)
    quarter[valid] = [f"{d.year}-Q{(d.month - 1) // 3 + 1}" for d in created[valid]]
    frame["period:week"], frame["period:month"], frame["period:quarter"] = week, month, quarter


def reference_frame(store, analyzers) -> pd.DataFrame:
    declared = declarations(analyzers)
    frame = record_frame_rows(store)
    reference_periods(frame)
    add_signals_rows(store, frame, declared)
    for analyzer in analyzers:
        done = store.analyzed_record_ids(analyzer.name)
        frame[f"analysed:{analyzer.name}"] = [r in done for r in frame.index]
    return frame


def same_value(a, b) -> bool:
    if type(a) is not type(b):
        return False
    if isinstance(a, float) and math.isnan(a):
        return math.isnan(b)
    return bool(a == b)


def assert_same_frame(bulk: pd.DataFrame, reference: pd.DataFrame) -> None:
    assert list(bulk.columns) == list(reference.columns)
    pd.testing.assert_frame_equal(bulk, reference, check_exact=True)
    for column in bulk.columns:
        if bulk[column].dtype == object:
            pairs = zip(bulk[column].tolist(), reference[column].tolist())
            assert all(same_value(a, b) for a, b in pairs), column
    for key, value in reference.attrs.items():
        if key not in ("outputs", "group_fields"):
            assert bulk.attrs[key] == value and list(bulk.attrs[key]) == list(value), key


def varied_records() -> list[Record]:
    """Records whose JSON fields differ in keys, types and order of first appearance."""
    return [
        Record(source_kind="survey", text="first", dataset="d1", source_id="1", created_at="2026-01-05T10:00:00Z",
               touchpoint="Billing", segments={"plan": "pro", "region": "north"}, scores={"nps": 9},
               metadata={"question": "q1", "tags": ["a", "b"], "flag": True}, conversation_id="c1"),
        Record(source_kind="survey", text="second answer", dataset="d1", source_id="2",
               created_at="2026-01-05T10:00:00Z", touchpoint="Billing", segments={"plan": "pro", "region": "north"},
               scores={"nps": 9}, metadata={"question": "q2", "flag": False}, conversation_id="c1"),
        Record(source_kind="survey", text="third", dataset="d1", source_id="3", created_at="2026-03-31T23:30:00-02:00",
               touchpoint=None, segments={"plan": None, "size": 3}, scores={"nps": 4.5, "csat": 2, "zufriedenheit ä": 3},
               metadata={"nested": {"x": 1}, "count": 7}, conversation_id="c2", customer_id="cu1"),
        Record(source_kind="review", text="a review", dataset="d2", source_id="r1", created_at="not a date",
               segments={"size": 4.0, "flagged": True}, scores={"rating": 5}, engagement={"helpful_votes": 3},
               metadata={"count": "seven", "title": None}, channel="web", language="de"),
        Record(source_kind="social", text="a post", dataset="d3", created_at=None, engagement={"likes": 2, "shares": 0},
               metadata={"inbound": True}, speaker="@x", turn_index=2),
        Record(source_kind="transcript", text="a turn", dataset="d4", source_id="t1", created_at="2027-12-31T12:00:00Z",
               role="participant", turn_index=0, conversation_id="int1"),
    ]


@pytest.fixture
def analysed_store(store):
    records = varied_records()
    store.ingest(records, path="x.csv", source="test", dataset="x", file_sha256="x")
    ids = [r.id for r in records]
    sentences = [Sentence(id=f"{rid}:0", record_id=rid, index=0, text="s0", start=0, end=2) for rid in ids[:4]]
    sentences.append(Sentence(id=f"{ids[0]}:1", record_id=ids[0], index=1, text="s1", start=3, end=5))
    store.save_analysis("sentences", "1", ids[:5], [
        Signal(record_id=ids[0], kind="language", label="en", score=1.0),
        Signal(record_id=ids[1], kind="language", label="", score=0.2),  # empty: falls back to the record's
        Signal(record_id=ids[3], kind="language", label=None, score=None),
    ], sentences=sentences)
    store.save_analysis("sentiment", "1", ids[:4], [
        Signal(record_id=ids[0], sentence_id=f"{ids[0]}:0", kind="sentiment", label="negative", score=-0.8),
        Signal(record_id=ids[0], sentence_id=f"{ids[0]}:1", kind="sentiment", label="positive", score=0.6),
        Signal(record_id=ids[0], sentence_id=f"{ids[0]}:1", kind="sentiment", label="neutral", score=0.0),  # latest wins
        Signal(record_id=ids[1], sentence_id=f"{ids[1]}:0", kind="sentiment", label=None, score=None),
        Signal(record_id=ids[0], kind="sentiment", label="positive", score=0.1),
        Signal(record_id=ids[0], kind="sentiment", label="negative", score=-0.3),  # the last row of a record wins
        Signal(record_id=ids[2], kind="sentiment", label="neutral", score=None),
    ])
    store.save_analysis("themes", "1", ids[:4], [
        Signal(record_id=ids[0], sentence_id=f"{ids[0]}:0", kind="theme", label="billing", score=0.9,
               data={"theme_label": "Billing & payments"}),
        Signal(record_id=ids[0], sentence_id=f"{ids[0]}:1", kind="theme", label="billing", score=0.7,
               data={"theme_label": "Billing (later name)"}),
        Signal(record_id=ids[0], sentence_id=f"{ids[0]}:1", kind="theme", label="app", score=0.5, data={}),
        Signal(record_id=ids[1], sentence_id=f"{ids[1]}:0", kind="theme", label="wait", score=0.5,
               data={"theme_label": "Waiting"}),  # its sentence has no polarity label: no pair
        Signal(record_id=ids[2], sentence_id=f"{ids[2]}:0", kind="theme", label="", score=0.5),
        Signal(record_id=ids[0], kind="theme", label="billing", score=0.9, data={"theme_label": "Billing & payments"}),
        Signal(record_id=ids[0], kind="theme", label="app", score=0.5, data={"theme_label": "App"}),
        Signal(record_id=ids[0], kind="theme", label="billing", score=0.7),  # listed once
        Signal(record_id=ids[2], kind="theme", label="price", score=0.4, data={"theme_label": "Price"}),
        Signal(record_id=ids[2], kind="theme", label=None, score=0.4),
    ])
    store.save_analysis("effort", "1", ids[:3], [
        Signal(record_id=ids[0], kind="effort_score", label="high_effort", score=2.5,
               data={"drivers": ["repeat_contact", 3]}),
        Signal(record_id=ids[1], kind="effort_score", label="no_evidence", score=6.0, data={"drivers": []}),
        Signal(record_id=ids[2], kind="effort_score", label="neutral", score=4.0),
    ])
    store.save_analysis("plain", "1", ids[:2], [Signal(record_id=ids[0], kind="other", label="x")])
    return store


def test_bulk_frame_equals_the_record_by_record_frame(analysed_store):
    bulk = build_frame(analysed_store, ANALYZERS)
    assert_same_frame(bulk, reference_frame(analysed_store, ANALYZERS))
    # What the cases are there for: they must have reached the frame.
    assert bulk["segment:size"].tolist()[2:4] == ["3", "4.0"] and bulk["segment:flagged"].iloc[3] == "True"
    assert "meta:tags" not in bulk.columns and "meta:nested" not in bulk.columns
    assert bulk["meta:flag"].tolist()[:2] == [True, False]
    assert bulk.attrs["theme_labels"] == {"billing": "Billing & payments", "app": "App", "price": "Price",
                                          "wait": "Waiting"}
    first = bulk.iloc[0]
    assert first["sentiment"] == "negative" and first["themes"] == ["billing", "app"]
    assert first["theme_sentiments"] == [["billing", "negative"], ["billing", "neutral"], ["app", "neutral"]]
    assert first["effort_drivers"] == ["repeat_contact", "3"]
    assert bulk["response_id"].iloc[0] == bulk["response_id"].iloc[1] != bulk["record_id"].iloc[0]
    assert bulk["language"].iloc[0] == "en" and pd.isna(bulk["language"].iloc[1])  # "" falls back to the file's


def test_bulk_frame_of_records_without_signals(store):
    records = varied_records()[::-1]  # keys first seen in another order
    store.ingest(records, path="x.csv", source="test", dataset="x", file_sha256="x")
    bulk = build_frame(store, ANALYZERS)
    assert_same_frame(bulk, reference_frame(store, ANALYZERS))
    assert not bulk["analysed:sentiment"].any()
    assert all(value == [] for value in bulk["themes"])
    assert len({id(value) for value in bulk["themes"]}) == len(bulk)  # a list of its own per record


def test_bulk_frame_over_several_chunks(store, monkeypatch):
    rng = np.random.default_rng(3)
    records = [
        Record(source_kind="survey", text=f"answer {i}", dataset="big", source_id=str(i),
               created_at=f"2026-{1 + i % 12:02d}-{1 + i % 28:02d}T08:00:00Z",
               touchpoint=["App", "Billing", None][i % 3],
               segments={"plan": ["a", "b"][i % 2], **({"late": "yes"} if i > 700 else {})},
               scores={"nps": int(rng.integers(0, 11))}, conversation_id=str(i // 2),
               metadata={"id": str(i)} if i % 5 else {})
        for i in range(1000)
    ]
    store.ingest(records, path="big.csv", source="test", dataset="big", file_sha256="x")
    store.save_analysis("sentiment", "1", [r.id for r in records[::3]],
                        [Signal(record_id=r.id, kind="sentiment", label="positive", score=0.5) for r in records[::3]])
    original = store.iter_record_columns

    def small_chunks(columns, chunk_size=50_000):
        return original(columns, chunk_size=97)

    monkeypatch.setattr(store, "iter_record_columns", small_chunks)
    assert_same_frame(build_frame(store, ANALYZERS), reference_frame(store, ANALYZERS))


def test_empty_store_frame(store):
    frame = record_frame(store)
    assert len(frame) == 0 and "response_id" in frame.columns
    add_signals(store, frame, declarations(ANALYZERS))
    assert "sentiment" in frame.columns and "themes" in frame.columns


def test_language_falls_back_to_the_file(analysed_store):
    frame = build_frame(analysed_store, [])
    assert frame.attrs["outputs"][0].output == LANGUAGE_OUTPUT
    assert frame["language"].tolist()[3] == "de"  # a NULL language signal: the file's language
