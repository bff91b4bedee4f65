"""The analysis frame: one row per record with its fields and the signals analyzers declared.

Which signals become which columns is read from each registered analyzer's ``outputs``
(:class:`cxtext.signals.SignalOutput`) plus the host's own language signal: nothing here
knows any analyzer by name.
"""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from cxtext.signals import LANGUAGE_OUTPUT, SignalOutput
from cxtext.store import Store

#: The stage name the host's language signal is written under (see :mod:`cxtext.analyze`).
HOST = "sentences"


@dataclass(frozen=True)
class Declared:
    """One declared output and the analyzer that writes it."""

    analyzer: str
    output: SignalOutput


class Declarations(tuple):
    """The declared outputs a frame was built from, kept in ``frame.attrs["outputs"]``.

    pandas deep-copies ``attrs`` on nearly every operation; the declarations are never
    changed, so copies share this one object instead of rebuilding every dataclass.
    """

    def __deepcopy__(self, memo: dict) -> "Declarations":
        return self


def declarations(analyzers: Iterable[Any] | dict[str, Any]) -> list[Declared]:
    """Every output the analyzers declare, after the host's language signal.

    ``analyzers`` are analyzer objects (or a name -> analyzer dict, as
    :func:`cxtext.plugins.analyzers` returns); one without ``outputs`` contributes only its
    ``analysed:NAME`` column.
    """
    found = [Declared(HOST, LANGUAGE_OUTPUT)]
    items = analyzers.values() if isinstance(analyzers, dict) else analyzers
    for analyzer in items:
        for output in getattr(analyzer, "outputs", None) or []:
            found.append(Declared(analyzer.name, output))
    return found


def analyzer_names(analyzers: Iterable[Any] | dict[str, Any]) -> list[str]:
    items = analyzers.values() if isinstance(analyzers, dict) else analyzers
    return [analyzer.name for analyzer in items]


def build_frame(store: Store, analyzers: Iterable[Any] | dict[str, Any]) -> pd.DataFrame:
    """One row per record with its fields and record-level signals (see :func:`cxtext.kpis.analysis_frame`)."""
    declared = declarations(analyzers)
    frame = record_frame(store)
    add_periods(frame)
    add_signals(store, frame, declared)
    for name in analyzer_names(analyzers):
        done = store.analyzed_record_ids(name)
        frame[f"analysed:{name}"] = [r in done for r in frame.index]
    frame.attrs["outputs"] = Declarations(declared)
    frame.attrs["group_fields"] = tuple(d.output.label_column for d in declared
                                        if d.output.level == "record" and d.output.label_column)
    return frame


def record_frame(store: Store) -> pd.DataFrame:
    """Record fields, segments, scores, engagement and scalar metadata, indexed by record id."""
    rows: list[dict[str, Any]] = []
    for record in store.iter_records():
        row: dict[str, Any] = {
            "record_id": record.id, "source_kind": record.source_kind, "dataset": record.dataset,
            "source_id": record.source_id, "channel": record.channel, "touchpoint": record.touchpoint,
            "customer_id": record.customer_id, "conversation_id": record.conversation_id,
            "speaker": record.speaker, "role": record.role, "turn_index": record.turn_index,
            "created_at": record.created_at, "record_language": record.language,
        }
        for name, value in record.segments.items():
            row[f"segment:{name}"] = None if value is None else str(value)
        for name, value in record.scores.items():
            row[f"score:{name}"] = value
        for name, value in record.engagement.items():
            row[f"engagement:{name}"] = value
        for key, value in record.metadata.items():
            if value is None or isinstance(value, (str, int, float, bool)):
                row[f"meta:{key}"] = value
        row["response_id"] = response_key(record)
        rows.append(row)
    frame = pd.DataFrame(rows)
    if frame.empty:
        frame = pd.DataFrame(columns=["record_id", "source_kind", "dataset", "created_at", "response_id",
                                      "record_language"])
    # Plain object columns: slicing many groups out of pyarrow-backed strings is several times slower.
    strings = [c for c in frame.columns if pd.api.types.is_string_dtype(frame[c]) and frame[c].dtype != object]
    frame = frame.astype({c: object for c in strings})
    frame = frame.set_index("record_id", drop=False)
    frame.index.name = None
    return frame


def response_key(record) -> str:
    """Records of one survey response share a key: dataset + conversation id + the same scores."""
    if record.conversation_id and record.scores:
        scores = json.dumps(record.scores, sort_keys=True)
        return f"{record.dataset}\x1f{record.conversation_id}\x1f{scores}"
    return record.id


def add_periods(frame: pd.DataFrame) -> None:
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


def polarity_output(declared: Iterable[Declared]) -> SignalOutput | None:
    """The sentence-level output other sentence signals are paired with (first one declared)."""
    return next((d.output for d in declared if d.output.level == "sentence" and d.output.polarity), None)


def sentence_polarity(store: Store, declared: Iterable[Declared]) -> dict[str, tuple[str, float]]:
    """sentence id -> (label, score) of the polarity output, when one is declared."""
    output = polarity_output(declared)
    if output is None:
        return {}
    return {row["sentence_id"]: (row["label"], row["score"])
            for row in store.iter_signals(kind=output.kind, level="sentence")}


def add_signals(store: Store, frame: pd.DataFrame, declared: list[Declared]) -> None:
    """Fill every declared record-level column and sentence-pair column, and the label names."""
    ids = set(frame.index)
    # Keyed by position in ``declared``: outputs hold dicts, so they are not hashable.
    record_outputs: dict[str, list[tuple[int, SignalOutput]]] = defaultdict(list)
    for position, d in enumerate(declared):
        if d.output.level == "record" and (d.output.columns or d.output.label_names):
            record_outputs[d.output.kind].append((position, d.output))
    single: dict[int, dict[str, tuple[Any, Any, dict]]] = defaultdict(dict)
    lists: dict[int, dict[str, list[str]]] = defaultdict(lambda: defaultdict(list))
    names: dict[str, dict[str, str]] = defaultdict(dict)
    for row in store.iter_signals(level="record"):
        outputs = record_outputs.get(row["kind"])
        if not outputs or row["record_id"] not in ids:
            continue
        for position, output in outputs:
            if output.list_column:
                if row["label"] and row["label"] not in lists[position][row["record_id"]]:
                    lists[position][row["record_id"]].append(row["label"])
            else:
                single[position][row["record_id"]] = (row["label"], row["score"], row["data"] or {})
            if output.label_names and row["label"]:
                names[output.names_key].setdefault(row["label"], (row["data"] or {}).get(output.label_names)
                                                   or row["label"])
    pairs: dict[str, dict[str, list[list[str]]]] = {}
    sentence_outputs = [d.output for d in declared
                        if d.output.level == "sentence" and (d.output.pair_column or d.output.label_names)]
    polarity = sentence_polarity(store, declared) if any(o.pair_column for o in sentence_outputs) else {}
    for output in sentence_outputs:
        found: dict[str, list[list[str]]] = defaultdict(list)
        for row in store.iter_signals(kind=output.kind, level="sentence"):
            if not row["label"]:
                continue
            if output.label_names:
                names[output.names_key].setdefault(row["label"], (row["data"] or {}).get(output.label_names)
                                                   or row["label"])
            label = polarity.get(row["sentence_id"], (None, None))[0]
            if output.pair_column and label is not None:
                found[row["record_id"]].append([row["label"], label])
        if output.pair_column:
            pairs[output.pair_column] = found
    index = frame.index
    for position, d in enumerate(declared):
        output = d.output
        if output.level != "record":
            continue
        values = single.get(position, {})
        if output.label_column:
            fallback = frame[output.fallback_column] if output.fallback_column in frame.columns else None
            frame[output.label_column] = [
                (values[r][0] if r in values else None) or (fallback[r] if fallback is not None else None)
                for r in index
            ]
        if output.score_column:
            frame[output.score_column] = [values[r][1] if r in values and values[r][1] is not None else np.nan
                                          for r in index]
        if output.list_column:
            found = lists.get(position, {})
            frame[output.list_column] = [list(found.get(r, [])) for r in index]
        for column, key in output.data_columns.items():
            frame[column] = [[str(v) for v in (values[r][2].get(key) or [])] if r in values else [] for r in index]
    for column, found in pairs.items():
        frame[column] = [found.get(r, []) for r in index]
    for key, mapping in names.items():
        frame.attrs[key] = dict(mapping)
    for d in declared:  # a declared names map exists even when nothing was found
        if d.output.label_names:
            frame.attrs.setdefault(d.output.names_key, {})


def label_names(frame: pd.DataFrame) -> dict[str, str]:
    """Every declared label -> display name map of the frame, merged (first declared wins)."""
    merged: dict[str, str] = {}
    for d in frame.attrs.get("outputs", []):
        if d.output.label_names:
            for label, name in frame.attrs.get(d.output.names_key, {}).items():
                merged.setdefault(label, name)
    return merged
