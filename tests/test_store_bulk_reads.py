"""The store's bulk reads for the analysis frame: chunks of tuples in a stable order."""

from __future__ import annotations

import pytest

from cxtext.records import Record
from cxtext.signals import Sentence, Signal


@pytest.fixture
def filled(store):
    records = [Record(source_kind="survey", text=f"text {i}", dataset="d", source_id=str(i),
                      segments={"plan": "a"} if i % 2 else {}, scores={"nps": i}) for i in range(7)]
    store.ingest(records, path="x.csv", source="test", dataset="d", file_sha256="x")
    ids = [r.id for r in records]
    sentences = [Sentence(id=f"{rid}:0", record_id=rid, index=0, text="s", start=0, end=1) for rid in ids]
    store.save_analysis("sentences", "1", ids, [], sentences=sentences)
    store.save_analysis("sentiment", "1", ids[:3], [
        Signal(record_id=ids[0], sentence_id=f"{ids[0]}:0", kind="sentiment", label="positive", score=0.5),
        Signal(record_id=ids[0], sentence_id=f"{ids[0]}:0", kind="sentiment", label="negative", score=-0.5),
        Signal(record_id=ids[1], sentence_id=f"{ids[1]}:0", kind="sentiment", label="neutral", score=0.0),
        Signal(record_id=ids[2], sentence_id=f"{ids[2]}:0", kind="sentiment", label=None, score=None),
        Signal(record_id=ids[0], kind="sentiment", label="negative", score=-0.2),
    ])
    store.save_analysis("themes", "1", ids[:4], [
        Signal(record_id=ids[1], sentence_id=f"{ids[1]}:0", kind="theme", label="app", data={"theme_label": "App"}),
        Signal(record_id=ids[0], sentence_id=f"{ids[0]}:0", kind="theme", label="billing",
               data={"theme_label": "Billing"}),
        Signal(record_id=ids[0], sentence_id=f"{ids[0]}:0", kind="theme", label="app", data={"theme_label": "Later"}),
        Signal(record_id=ids[2], sentence_id=f"{ids[2]}:0", kind="theme", label="app"),  # polarity label NULL
        Signal(record_id=ids[3], sentence_id=f"{ids[3]}:0", kind="theme", label="app"),  # no polarity row
        Signal(record_id=ids[3], sentence_id=f"{ids[3]}:0", kind="theme", label=""),
        Signal(record_id=ids[3], kind="theme", label="app", data={"theme_label": "App (record)"}),
    ])
    return store, ids


def test_iter_record_columns_in_rowid_order_and_chunks(filled):
    store, ids = filled
    chunks = list(store.iter_record_columns(["id", "segments", "scores"], chunk_size=3))
    assert [len(c) for c in chunks] == [3, 3, 1]
    rows = [row for chunk in chunks for row in chunk]
    assert [row[0] for row in rows] == ids
    assert rows[1][1:] == ('{"plan": "a"}', '{"nps": 1}') and rows[0][1] == "{}"
    with pytest.raises(ValueError):
        next(store.iter_record_columns(["id", "id; drop table records"]))


def test_iter_signal_columns_by_kind_and_level(filled):
    store, ids = filled
    record = [row for chunk in store.iter_signal_columns("sentiment", ["record_id", "label"], level="record")
              for row in chunk]
    assert record == [(ids[0], "negative")]
    sentence = [row for chunk in store.iter_signal_columns("sentiment", ["record_id", "label", "score"],
                                                           level="sentence", chunk_size=2) for row in chunk]
    assert sentence == [(ids[0], "positive", 0.5), (ids[0], "negative", -0.5), (ids[1], "neutral", 0.0),
                        (ids[2], None, None)]
    every = [row for chunk in store.iter_signal_columns("theme", ["label", "data"]) for row in chunk]
    assert len(every) == 7 and every[0] == ("app", '{"theme_label": "App"}')
    with pytest.raises(ValueError):
        next(store.iter_signal_columns("theme", ["label", "nope"]))


def test_first_labels_is_the_first_row_of_each_label(filled):
    store, _ = filled
    assert [(label, data) for label, _, data in store.first_labels("theme", level="sentence")] == [
        ("app", '{"theme_label": "App"}'), ("billing", '{"theme_label": "Billing"}')]
    assert [(label, data) for label, _, data in store.first_labels("theme", level="record")] == [
        ("app", '{"theme_label": "App (record)"}')]
    firsts = [first for _, first, _ in store.first_labels("theme")]
    assert firsts == sorted(firsts)


def test_sentence_pairs_take_the_latest_polarity_of_the_sentence(filled):
    store, ids = filled
    pairs = [row for chunk in store.iter_sentence_pairs("theme", "sentiment") for row in chunk]
    # ids[0]'s sentence: its latest sentiment row is negative; ids[2]'s has no label, ids[3]'s none at all.
    assert pairs == [(ids[1], "app", "neutral"), (ids[0], "billing", "negative"), (ids[0], "app", "negative")]


def test_sentence_evidence_with_the_latest_polarity_or_none(filled):
    store, ids = filled
    rows = [row for chunk in store.iter_sentence_evidence("theme", "sentiment") for row in chunk]
    assert [(r[0], r[2], r[5], r[6]) for r in rows] == [
        (ids[1], "app", "neutral", 0.0), (ids[0], "billing", "negative", -0.5), (ids[0], "app", "negative", -0.5),
        (ids[2], "app", None, None), (ids[3], "app", None, None)]  # a NULL polarity label, and no polarity row
    assert rows[0][1] == f"{ids[1]}:0" and rows[0][4] == '{"theme_label": "App"}'
    plain = [row for chunk in store.iter_sentence_evidence("theme", None) for row in chunk]
    assert [r[:5] for r in plain] == [r[:5] for r in rows] and all(r[5:] == (None, None) for r in plain)


def test_signal_models(filled):
    store, _ = filled
    store.save_analysis("other", "1", [], [])
    assert store.signal_models("sentiment") == [("sentiment", "", "")]
    assert store.signal_models("theme", first_only=True) == [("themes", "", "")]
    assert store.signal_models("nothing") == []
