"""The analysis frame: one row per record with its fields and the signals analyzers declared.

Which signals become which columns is read from each registered analyzer's ``outputs``
(:class:`cxtext.signals.SignalOutput`) plus the host's own language signal: nothing here
knows any analyzer by name.
"""

from __future__ import annotations

import gc
import json
from collections import defaultdict
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
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
    with _no_gc():
        frame = record_frame(store)
        add_periods(frame)
        add_signals(store, frame, declared)
        for name in analyzer_names(analyzers):
            frame[f"analysed:{name}"] = frame.index.isin(list(store.analyzed_record_ids(name)))
    frame.attrs["outputs"] = Declarations(declared)
    frame.attrs["group_fields"] = tuple(d.output.label_column for d in declared
                                        if d.output.level == "record" and d.output.label_column)
    return frame


@contextmanager
def _no_gc() -> Iterator[None]:
    """No cyclic garbage collection while the frame is built: it makes millions of small objects and
    no cycles, and every collection would walk all of them again (at 1M records it took longer
    than the building)."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


# --- record fields, read in bulk ------------------------------------------------------------

#: Frame column -> records column, in frame order; the JSON columns' keys follow (see record_frame).
BASE_COLUMNS = [
    ("record_id", "id"), ("source_kind", "source_kind"), ("dataset", "dataset"), ("source_id", "source_id"),
    ("channel", "channel"), ("touchpoint", "touchpoint"), ("customer_id", "customer_id"),
    ("conversation_id", "conversation_id"), ("speaker", "speaker"), ("role", "role"),
    ("turn_index", "turn_index"), ("created_at", "created_at"), ("record_language", "language"),
]
#: The JSON columns of records and their frame prefix, in the order a record's keys are added.
JSON_PREFIXES = [("segments", "segment"), ("scores", "score"), ("engagement", "engagement"), ("metadata", "meta")]
#: A key a record does not have (NaN in a frame of row dicts, where an explicit null is None).
_MISSING = object()


class _Column:
    """One frame column gathered chunk by chunk. Repeated strings share one object: a touchpoint
    or segment repeated a million times is kept once, not a million times."""

    def __init__(self) -> None:
        self.parts: list[np.ndarray] = []
        self.canonical: dict[str, str] | None = {}

    def add(self, values: tuple | list) -> None:
        array = _objects(values)
        if self.canonical is not None and pd.api.types.infer_dtype(array, skipna=True) == "string":
            codes, uniques = pd.factorize(array, use_na_sentinel=True)
            if len(uniques) * 4 <= len(array):
                shared = np.array([self.canonical.setdefault(v, v) for v in uniques] + [None], dtype=object)
                na = codes < 0
                missing = array[na]  # None or NaN, kept as it was
                array = shared[codes]
                array[na] = missing
            else:  # mostly distinct values (ids): nothing to share
                self.canonical = None
            if self.canonical is not None and len(self.canonical) > 100_000:
                self.canonical = None
        self.parts.append(array)

    def values(self) -> np.ndarray:
        return np.concatenate(self.parts) if self.parts else np.empty(0, dtype=object)


class _JsonColumn:
    """A JSON column of records gathered as codes into its distinct texts: each distinct text
    (a combination of segments, a set of scores) is decoded once, however many records share it."""

    def __init__(self) -> None:
        self.codes: list[np.ndarray] = []
        self.texts: dict[Any, int] = {}
        self.first: list[int] = []  # row of each distinct text's first record

    def add(self, values: tuple, offset: int) -> None:
        codes, uniques = pd.factorize(_objects(values), use_na_sentinel=True)
        codes = np.where(codes < 0, len(uniques), codes)  # NULL: its own code (decodes like "{}")
        candidates = [*uniques, None]
        seen, first = np.unique(codes, return_index=True)  # the first row of each code in this chunk
        mapped = np.zeros(len(candidates), dtype=np.int64)
        for position, row in zip(seen.tolist(), first.tolist()):
            text = candidates[position]
            if text not in self.texts:
                self.texts[text] = len(self.first)
                self.first.append(offset + row)
            mapped[position] = self.texts[text]
        self.codes.append(mapped[codes])

    def decoded(self) -> list[dict[str, Any]]:
        return [json.loads(text) if isinstance(text, str) and text else (text or {}) for text in self.texts]

    def row_codes(self) -> np.ndarray:
        return np.concatenate(self.codes) if self.codes else np.empty(0, dtype=np.int64)


def _frame_column(values: np.ndarray, index: pd.Index) -> pd.Series:
    """The column pandas makes of these values in a frame of row dicts, strings kept as plain
    objects with NaN for missing values (as :func:`record_frame_rows` does)."""
    if pd.api.types.infer_dtype(values, skipna=True) == "string":
        missing = values == None  # noqa: E711 (elementwise)
        if missing.any():
            values = values.copy()
            values[missing] = np.nan
        return pd.Series(values, index=index, dtype=object)
    series = pd.Series(values.tolist(), index=index)
    if pd.api.types.is_string_dtype(series) and series.dtype != object:
        series = series.astype(object)
    return series


def record_frame(store: Store) -> pd.DataFrame:
    """Record fields, segments, scores, engagement and scalar metadata, indexed by record id.

    Read in chunks of plain tuples, never one object per record; each distinct JSON text is
    decoded once. Columns, their order and values are those of the frame built record by record
    (:func:`record_frame_rows`, the reference).
    """
    names = [column for _, column in BASE_COLUMNS]
    json_names = [column for column, _ in JSON_PREFIXES]
    gathered = {name: _Column() for name in names}
    coded = {name: _JsonColumn() for name in json_names}
    count = 0
    for chunk in store.iter_record_columns(names + json_names):
        columns = list(zip(*chunk))
        for name, values in zip(names, columns):
            gathered[name].add(values)
        for name, values in zip(json_names, columns[len(names):]):
            coded[name].add(values, count)
        count += len(chunk)
    if count == 0:
        return record_frame_rows(store)
    index = pd.Index(gathered["id"].values(), dtype=object)
    data: dict[str, pd.Series] = {label: _frame_column(gathered[column].values(), index)
                                  for label, column in BASE_COLUMNS}
    # Keys as columns, ordered as in a frame of row dicts: by the first record that has the key,
    # then within a record segments, scores, engagement, metadata, each in the record's own order.
    keyed: dict[str, tuple[tuple[int, int, int], int, str, np.ndarray]] = {}
    decoded = {name: coded[name].decoded() for name in json_names}
    for group, (column, prefix) in enumerate(JSON_PREFIXES):
        objects, first = decoded[column], coded[column].first
        for code, item in enumerate(objects):
            for place, (key, value) in enumerate(item.items()):
                if prefix == "meta" and not (value is None or isinstance(value, (str, int, float, bool))):
                    continue
                name = f"{prefix}:{key}"
                if name not in keyed or first[code] < keyed[name][0][0]:
                    keyed[name] = ((first[code], group, place), group, key, np.empty(0))
    for name, (order, group, key, _) in list(keyed.items()):
        column, prefix = JSON_PREFIXES[group]
        values = np.empty(len(decoded[column]), dtype=object)
        for code, item in enumerate(decoded[column]):
            value = item.get(key, _MISSING) if isinstance(item, dict) else _MISSING
            if prefix == "segment" and value is not None and value is not _MISSING:
                value = str(value)
            elif prefix == "meta" and not (value is None or value is _MISSING or isinstance(value, (str, int, float, bool))):
                value = _MISSING
            values[code] = np.nan if value is _MISSING else value  # a key the record lacks is NaN
        keyed[name] = (order, group, key, values)
    first_row = 0
    scores_codes = coded["scores"].row_codes()
    score_texts = list(coded["scores"].texts)
    for name, (order, group, key, values) in sorted(keyed.items(), key=lambda item: item[1][0]):
        if order[0] != first_row and "response_id" not in data:
            data["response_id"] = _response_ids(gathered, scores_codes, score_texts, index)
        column = JSON_PREFIXES[group][0]
        data[name] = _frame_column(values[coded[column].row_codes()], index)
    if "response_id" not in data:
        data["response_id"] = _response_ids(gathered, scores_codes, score_texts, index)
    frame = pd.DataFrame(data, index=index)
    frame.index.name = None
    return frame


def _response_ids(gathered: dict[str, _Column], scores_codes: np.ndarray, score_texts: list[Any],
                  index: pd.Index) -> pd.Series:
    """:func:`response_key` per record, from the stored scores text (decoded once per distinct text)."""
    suffixes = []
    for text in score_texts:
        scores = json.loads(text) if isinstance(text, str) and text else (text or {})
        suffixes.append(json.dumps(scores, sort_keys=True) if scores else None)
    per_row = np.array(suffixes + [None], dtype=object)[scores_codes]
    keys = [f"{dataset}\x1f{conversation}\x1f{suffix}" if conversation and suffix else record_id
            for record_id, dataset, conversation, suffix
            in zip(index, gathered["dataset"].values(), gathered["conversation_id"].values(), per_row)]
    return _frame_column(_objects(keys), index)


def record_frame_rows(store: Store) -> pd.DataFrame:
    """:func:`record_frame` built record by record from :class:`Record` objects (slow; the reference)."""
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
    """Parse ``created_at`` (UTC) and add its ISO week, month and quarter labels (NaN without a date).

    Each label is formatted once per distinct period, not once per record.
    """
    created = pd.to_datetime(frame["created_at"], utc=True, errors="coerce", format="ISO8601")
    frame["created_at"] = created
    valid = created.notna().to_numpy()
    dates = created[valid]
    iso = dates.dt.isocalendar()
    year, month = dates.dt.year.to_numpy(np.int64), dates.dt.month.to_numpy(np.int64)
    keys = {
        "week": (iso["year"].to_numpy(np.int64) * 100 + iso["week"].to_numpy(np.int64),
                 lambda k: f"{k // 100}-W{k % 100:02d}"),
        "month": (year * 100 + month, lambda k: f"{k // 100:04d}-{k % 100:02d}"),
        "quarter": (year * 10 + (month - 1) // 3 + 1, lambda k: f"{k // 10}-Q{k % 10}"),
    }
    for name, (codes, label) in keys.items():
        column = np.full(len(frame), np.nan, dtype=object)  # as pd.Series(None, dtype=object) holds it
        if len(codes):
            distinct, inverse = np.unique(codes, return_inverse=True)
            column[valid] = np.array([label(int(k)) for k in distinct], dtype=object)[inverse]
        frame[f"period:{name}"] = pd.Series(column, index=frame.index, dtype=object)


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
    """Fill every declared record-level column and sentence-pair column, and the label names.

    Signal rows are read in chunks of plain tuples and placed by position; the result is that
    of :func:`add_signals_rows` (one dict per signal row), which is the reference.
    """
    index = frame.index
    n = len(index)
    record_outputs: dict[str, list[tuple[int, SignalOutput]]] = defaultdict(list)
    for position, d in enumerate(declared):
        if d.output.level == "record" and (d.output.columns or d.output.label_names):
            record_outputs[d.output.kind].append((position, d.output))
    # Per output position: the last row of each record (label, score, data), or each record's labels.
    single: dict[int, tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray | None]] = {}
    lists: dict[int, np.ndarray] = {}
    # names_key -> [(phase, signal id, output, label, data text, data key)]: record rows are phase 0
    # (all record kinds in row order), then each sentence output; the first candidate wins.
    candidates: dict[str, list[tuple[int, int, int, str, str | None, str]]] = defaultdict(list)
    for kind, outputs in record_outputs.items():
        wants_data = any(o.data_columns and not o.list_column for _, o in outputs)
        columns = ["record_id", "label", "score"] + (["data"] if wants_data else [])
        positions, labels, scores, data = [], [], [], []
        for chunk in store.iter_signal_columns(kind, columns, level="record"):
            values = list(zip(*chunk))
            where = index.get_indexer(pd.Index(values[0], dtype=object))
            keep = where >= 0
            positions.append(where[keep])
            labels.append(_shared(values[1])[keep])
            scores.append(_objects(values[2])[keep])
            if wants_data:
                data.append(_objects(values[3])[keep])
        position = np.concatenate(positions) if positions else np.empty(0, dtype=np.int64)
        label = np.concatenate(labels) if labels else np.empty(0, dtype=object)
        score = np.concatenate(scores) if scores else np.empty(0, dtype=object)
        text = np.concatenate(data) if data else None
        for output_position, output in outputs:
            if output.list_column:  # every non-empty label once per record, in row order
                if output_position not in lists:
                    labelled = np.fromiter((bool(v) for v in label), dtype=bool, count=len(label))
                    pairs = pd.DataFrame({"p": position[labelled], "l": label[labelled]}).drop_duplicates()
                    lists[output_position] = _grouped_lists(n, pairs["p"].to_numpy(), pairs["l"].to_numpy(dtype=object))
            else:  # the last row of each record wins
                last = len(position) - 1 - np.unique(position[::-1], return_index=True)[1]
                single[output_position] = (position[last], label[last], score[last],
                                           None if text is None else text[last])
            if output.label_names:
                for found_label, first, found_text in store.first_labels(kind, level="record"):
                    candidates[output.names_key].append((0, first, output_position, found_label, found_text,
                                                         output.label_names))
    pairs_found: dict[str, np.ndarray] = {}
    sentence_outputs = [d.output for d in declared
                        if d.output.level == "sentence" and (d.output.pair_column or d.output.label_names)]
    polarity = polarity_output(declared) if any(o.pair_column for o in sentence_outputs) else None
    for phase, output in enumerate(sentence_outputs, start=1):
        if output.label_names:
            for label, first, text in store.first_labels(output.kind, level="sentence"):
                candidates[output.names_key].append((phase, first, 0, label, text, output.label_names))
        if output.pair_column:
            found = np.empty(0, dtype=np.int64), np.empty(0, dtype=object), np.empty(0, dtype=object)
            if polarity is not None:
                parts = []
                for chunk in store.iter_sentence_pairs(output.kind, polarity.kind):
                    values = list(zip(*chunk))
                    where = index.get_indexer(pd.Index(values[0], dtype=object))
                    keep = where >= 0
                    parts.append((where[keep], _shared(values[1])[keep], _shared(values[2])[keep]))
                if parts:
                    found = tuple(np.concatenate([p[i] for p in parts]) for i in range(3))
            pairs_found[output.pair_column] = _grouped_lists(n, found[0], found[1], found[2])
    empty = np.empty(n, dtype=object)
    for position, d in enumerate(declared):
        output = d.output
        if output.level != "record":
            continue
        rows, labels, scores, texts = single.get(position, (np.empty(0, dtype=np.int64),) + (empty[:0],) * 3)
        if output.label_column:
            column = np.full(n, None, dtype=object)
            column[rows] = labels
            falsy = (column == None) | (column == "")  # noqa: E711 (elementwise): labels are text or NULL
            if output.fallback_column in frame.columns:
                column[falsy] = frame[output.fallback_column].to_numpy(dtype=object)[falsy]
            else:
                column[falsy] = None
            frame[output.label_column] = column.tolist()
        if output.score_column:
            column = np.full(n, np.nan)
            present = np.fromiter((v is not None for v in scores), dtype=bool, count=len(scores))
            column[rows[present]] = scores[present].astype(float)
            frame[output.score_column] = column
        if output.list_column:
            found = lists.get(position)
            frame[output.list_column] = pd.Series(_empty_lists(n) if found is None else found, index=index,
                                                  dtype=object)
        for column_name, key in output.data_columns.items():
            column = _empty_lists(n)
            decoded: dict[Any, list[str]] = {}
            for row, text in zip(rows, texts if texts is not None else [None] * len(rows)):
                if text not in decoded:
                    data = json.loads(text) if text else {}
                    decoded[text] = [str(v) for v in (data.get(key) or [])]
                if decoded[text]:
                    column[row] = list(decoded[text])
            frame[column_name] = pd.Series(column, index=index, dtype=object)
    for column_name, values in pairs_found.items():
        frame[column_name] = pd.Series(values, index=index, dtype=object)
    for key, found in candidates.items():
        mapping: dict[str, str] = {}
        for _, _, _, label, text, data_key in sorted(found, key=lambda c: c[:3]):
            if label not in mapping:
                data = json.loads(text) if text else {}
                mapping[label] = data.get(data_key) or label
        frame.attrs[key] = mapping
    for d in declared:  # a declared names map exists even when nothing was found
        if d.output.label_names:
            frame.attrs.setdefault(d.output.names_key, {})


def _objects(values: tuple | list) -> np.ndarray:
    array = np.empty(len(values), dtype=object)
    array[:] = values
    return array


def _shared(values: tuple | list) -> np.ndarray:
    """An object array of ``values`` where equal strings are one object (labels repeat millions of times)."""
    column = _Column()
    column.add(values)
    return column.values()


def _empty_lists(n: int) -> np.ndarray:
    return np.fromiter(([] for _ in range(n)), dtype=object, count=n)


def _grouped_lists(n: int, positions: np.ndarray, values: np.ndarray, seconds: np.ndarray | None = None) -> np.ndarray:
    """Per frame position, the list of its ``values`` in row order (``[value, second]`` pairs with ``seconds``)."""
    out = _empty_lists(n)
    if not len(positions):
        return out
    order = np.argsort(positions, kind="stable")
    positions = positions[order]
    values = values[order].tolist()
    seconds = seconds[order].tolist() if seconds is not None else None
    bounds = np.flatnonzero(np.diff(positions)) + 1
    starts = [0, *bounds.tolist()]
    ends = [*bounds.tolist(), len(positions)]
    for start, end in zip(starts, ends):
        if seconds is None:
            out[positions[start]] = values[start:end]
        else:
            out[positions[start]] = [[a, b] for a, b in zip(values[start:end], seconds[start:end])]
    return out


def add_signals_rows(store: Store, frame: pd.DataFrame, declared: list[Declared]) -> None:
    """:func:`add_signals` one signal row (a dict) at a time (slow; the reference)."""
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
