"""Turn a record and its stored signals into one JSON document or one flat table row.

Both shapes are generic over signal kinds: whatever analyzers stored appears, named
after its kind, so a new analyzer's output is exported without changes here.

Flat rows (CSV, Parquet) need the same columns on every row, so :func:`scan_layout`
reads the store once to find which segments, scores, engagement counts, metadata keys
and signal kinds exist; :func:`flat_row` then fills a row with exactly those columns.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from cxtext.records import Record
from cxtext.signals import Sentence
from cxtext.store import Store

#: Record fields that become flat columns as they are (``text`` goes last, it is long).
BASE_FIELDS = (
    "id", "source_kind", "dataset", "source_id", "created_at", "channel", "language", "customer_id",
    "touchpoint", "conversation_id", "speaker", "role", "turn_index", "source_row",
)
INTEGER_FIELDS = ("turn_index", "source_row")
MULTI_SEPARATOR = ";"

#: What a signal row keeps in a JSON export (its record id is the document's id).
SIGNAL_FIELDS = ("label", "score", "sentence_id", "data", "analyzer", "model", "model_version")


@dataclass
class Chunk:
    """A batch of records with their signals (and sentences, when asked for)."""

    records: list[Record]
    signals: dict[str, list[dict[str, Any]]]
    sentences: dict[str, list[Sentence]] = field(default_factory=dict)


def iter_chunks(store: Store, chunk_size: int = 500, *, sentences: bool = False) -> Iterator[Chunk]:
    """Stream the store's records in chunks, each with its signals, so memory stays flat."""
    batch: list[Record] = []
    for record in store.iter_records():
        batch.append(record)
        if len(batch) >= chunk_size:
            yield _chunk(store, batch, sentences)
            batch = []
    if batch:
        yield _chunk(store, batch, sentences)


def _chunk(store: Store, records: list[Record], sentences: bool) -> Chunk:
    ids = [r.id for r in records]
    return Chunk(records, store.record_signals(ids), store.sentences_for(ids) if sentences else {})


# --- JSON documents ----------------------------------------------------------------------


def record_document(
    record: Record, signals: list[dict[str, Any]], sentences: list[Sentence] | None = None
) -> dict[str, Any]:
    """Every field of the record plus ``signals``: ``{kind: [signal, ...]}`` in stored order."""
    document = {name: getattr(record, name) for name in Record.__dataclass_fields__}
    grouped: dict[str, list[dict[str, Any]]] = {}
    for signal in signals:
        grouped.setdefault(signal["kind"], []).append({key: signal.get(key) for key in SIGNAL_FIELDS})
    document["signals"] = grouped
    if sentences is not None:
        document["sentences"] = [
            {"id": s.id, "index": s.index, "text": s.text, "start": s.start, "end": s.end} for s in sentences
        ]
    return document


# --- flat rows -----------------------------------------------------------------------------


@dataclass
class Layout:
    """The columns of a flat export, found by :func:`scan_layout`.

    ``record_kinds`` maps each record-level signal kind to whether some record has several
    rows of it (themes: one per theme present) - those become ``;``-joined columns.
    ``sentence_kinds`` lists kinds stored only per sentence (effort spans).
    """

    segments: list[str] = field(default_factory=list)
    scores: list[str] = field(default_factory=list)
    engagement: list[str] = field(default_factory=list)
    metadata: list[str] = field(default_factory=list)
    record_kinds: dict[str, bool] = field(default_factory=dict)
    sentence_kinds: list[str] = field(default_factory=list)

    def signal_columns(self) -> list[tuple[str, str, str]]:
        """``(column, kind, what)`` for every signal column, ``what`` one of
        label, score, labels, scores, distinct_labels, count."""
        columns = []
        for kind, multi in self.record_kinds.items():
            if multi:
                columns += [(f"{kind}_labels", kind, "labels"), (f"{kind}_scores", kind, "scores")]
            else:
                # "effort_score" -> effort_score (not effort_score_score).
                score_column = kind if kind.endswith("_score") else f"{kind}_score"
                columns += [(f"{kind}_label", kind, "label"), (score_column, kind, "score")]
        for kind in self.sentence_kinds:
            columns += [(f"{kind}_labels", kind, "distinct_labels"), (f"{kind}_count", kind, "count")]
        return columns

    @property
    def columns(self) -> list[str]:
        return (
            list(BASE_FIELDS)
            + [f"segment_{name}" for name in self.segments]
            + [f"score_{name}" for name in self.scores]
            + [f"engagement_{name}" for name in self.engagement]
            + [f"meta_{name}" for name in self.metadata]
            + [column for column, _, _ in self.signal_columns()]
            + ["text"]
        )


def scan_layout(store: Store, chunk_size: int = 500) -> Layout:
    """Read the store once to find every column a flat export needs (in first-seen order)."""
    segments: dict[str, None] = {}
    scores: dict[str, None] = {}
    engagement: dict[str, None] = {}
    metadata: dict[str, None] = {}
    record_kinds: dict[str, bool] = {}
    sentence_kinds: dict[str, None] = {}
    for chunk in iter_chunks(store, chunk_size):
        for record in chunk.records:
            segments.update(dict.fromkeys(record.segments))
            scores.update(dict.fromkeys(record.scores))
            engagement.update(dict.fromkeys(record.engagement))
            metadata.update(dict.fromkeys(record.metadata))
            per_kind: dict[str, int] = {}
            for signal in chunk.signals[record.id]:
                if signal["sentence_id"] is None:
                    per_kind[signal["kind"]] = per_kind.get(signal["kind"], 0) + 1
                else:
                    sentence_kinds[signal["kind"]] = None
            for kind, count in per_kind.items():
                record_kinds[kind] = record_kinds.get(kind, False) or count > 1
    return Layout(
        segments=list(segments), scores=list(scores), engagement=list(engagement), metadata=list(metadata),
        record_kinds=record_kinds, sentence_kinds=[k for k in sentence_kinds if k not in record_kinds],
    )


def flat_row(record: Record, signals: list[dict[str, Any]], layout: Layout) -> dict[str, Any]:
    """One record as a flat row with exactly ``layout.columns`` (missing values are None)."""
    row: dict[str, Any] = {name: getattr(record, name) for name in BASE_FIELDS}
    row.update({f"segment_{k}": record.segments.get(k) for k in layout.segments})
    row.update({f"score_{k}": record.scores.get(k) for k in layout.scores})
    row.update({f"engagement_{k}": _count(record.engagement.get(k)) for k in layout.engagement})
    row.update({f"meta_{k}": _scalar(record.metadata.get(k)) for k in layout.metadata})
    record_level: dict[str, list[dict[str, Any]]] = {}
    sentence_level: dict[str, list[dict[str, Any]]] = {}
    for signal in signals:
        target = record_level if signal["sentence_id"] is None else sentence_level
        target.setdefault(signal["kind"], []).append(signal)
    for column, kind, what in layout.signal_columns():
        rows = record_level.get(kind, []) if kind in layout.record_kinds else sentence_level.get(kind, [])
        row[column] = _signal_value(rows, what)
    row["text"] = record.text
    return row


def _signal_value(rows: list[dict[str, Any]], what: str) -> Any:
    if what == "count":
        return len(rows)
    if not rows:
        return None
    if what == "label":
        return rows[0]["label"]
    if what == "score":
        return rows[0]["score"]
    if what == "labels":  # every row, in the same order as "scores"
        return MULTI_SEPARATOR.join("" if r["label"] is None else str(r["label"]) for r in rows)
    if what == "scores":
        return MULTI_SEPARATOR.join("" if r["score"] is None else f"{r['score']:.4g}" for r in rows)
    # "distinct_labels": sentence-level spans, each label once in order of appearance
    return MULTI_SEPARATOR.join(dict.fromkeys(str(r["label"]) for r in rows if r["label"] is not None)) or None


def _scalar(value: Any) -> str | None:
    """Metadata values as text: strings unchanged, anything else as JSON."""
    if value is None or isinstance(value, str):
        return value
    return json.dumps(value, ensure_ascii=False, sort_keys=True, default=str)


def _count(value: Any) -> int | None:
    return None if value is None else int(value)
