"""The data the report's interactive part reads: records, sentences and their signals.

The filter bar, theme drill-down, diverging sentiment-by-theme chart and verbatim explorer
all run in the browser on this one JSON document (see ``explorer.js``). It is compact
(records and sentences as arrays, not objects) and capped: above ``[report]
explorer_max_records`` records (default :data:`DEFAULT_MAX_RECORDS`) a fixed, seeded
sample is embedded, and the page says so. The JSON is made safe for a ``<script>`` element
by :func:`safe_json`: ``<``, ``>`` and ``&`` become ``\\u`` escapes, so no user text can
close the element or start markup; the scripts then show it with ``textContent`` only.
"""

from __future__ import annotations

import hashlib
import heapq
import json
from collections import defaultdict
from typing import Any

import pandas as pd

from cxtext.store import Store
from cxtext_report.declared import ReportSignals

DEFAULT_MAX_RECORDS = 10_000
#: Scores shown in the explorer and used by the live cards, first ones first.
SCORES = ("nps", "csat", "ces", "rating", "cx_rating")


def safe_json(value: Any) -> str:
    """JSON that is inert inside ``<script type="application/json">``."""
    text = json.dumps(value, ensure_ascii=False, separators=(",", ":"), allow_nan=False)
    for raw, escaped in (("<", "\\u003c"), (">", "\\u003e"), ("&", "\\u0026"), ("\u2028", "\\u2028"), ("\u2029", "\\u2029")):
        text = text.replace(raw, escaped)
    return text


def sample_ids(ids: list[str], cap: int) -> list[str]:
    """Up to ``cap`` ids, a stable pseudo-random sample (the same store gives the same sample)."""
    if len(ids) <= cap:
        return list(ids)
    chosen = set(heapq.nsmallest(cap, ids, key=lambda i: hashlib.sha1(i.encode("utf-8")).hexdigest()))
    return [i for i in ids if i in chosen]


def explorer_data(store: Store, frame: pd.DataFrame, segments: list[str], *, signals: ReportSignals,
                  max_records: int = DEFAULT_MAX_RECORDS, touchpoints: list[str] | None = None,
                  classifiers: dict[str, Any] | None = None) -> dict[str, Any]:
    """Records (filter fields, scores, sentiment) and their sentences (text, sentiment, themes,
    effort evidence as sentence-relative spans), read through the declared outputs (``signals``).

    ``classifiers`` maps a score to its net metric's ``classify`` (NPS): the live cards then
    count promoters and detractors from the classes it gives each score value shown, never
    from thresholds of their own."""
    if not len(frame):
        return {"total": 0, "sampled": 0, "cap": max_records, "records": [], "rows": [], "themes": {},
                "segments": segments, "scores": [], "touchpoints": touchpoints or []}
    ids = sample_ids(list(frame.index), max(1, int(max_records)))
    keep = set(ids)
    labels = signals.aspect_labels(frame)
    polarity = signals.polarity_column if signals.polarity_column in frame.columns else None
    scores = [s for s in SCORES if f"score:{s}" in frame.columns and frame[f"score:{s}"].notna().any()]
    position = {record_id: i for i, record_id in enumerate(ids)}
    records = []
    for record_id, values in zip(ids, frame.loc[ids].to_dict("records")):
        row = _Row(values)
        created = row.get("created_at")
        records.append([
            record_id, _text(row.get("touchpoint")), _text(row.get("source_kind")),
            _text(row.get("period:month")), _text(row.get(polarity)) if polarity else None,
            [_score(row.get(f"score:{s}")) for s in scores],
            [_text(row.get(f"segment:{s}")) for s in segments],
            None if created is None or pd.isna(created) else created.strftime("%Y-%m-%d"),
            _who(row),
        ])
    sentence_sentiment: dict[str, str] = {}
    for signal in _sentence_signals(store, ids, signals.polarity_kind):
        if signal["record_id"] in keep and signal["label"]:
            sentence_sentiment[signal["sentence_id"]] = signal["label"]
    sentence_themes: dict[str, list[str]] = defaultdict(list)
    for signal in _sentence_signals(store, ids, signals.aspect_kind):
        if signal["record_id"] in keep and signal["label"] and signal["label"] not in sentence_themes[signal["sentence_id"]]:
            sentence_themes[signal["sentence_id"]].append(signal["label"])
    effort: dict[str, list[tuple[str, int, int]]] = defaultdict(list)
    evidence_kind = signals.evidence.kind if signals.evidence else None
    for signal in _sentence_signals(store, ids, evidence_kind):
        data = signal["data"] or {}
        if signal["record_id"] in keep and signal["label"] and isinstance(data.get("start"), int) and isinstance(data.get("end"), int):
            effort[signal["record_id"]].append((signal["label"], data["start"], data["end"]))
    rows = []
    texts = {r.id: r.text for r in store.get_records(ids)}
    sentences = store.sentences_for(ids)
    for record_id in ids:
        found = sentences.get(record_id) or []
        if not found:  # not split yet (never analysed): the whole record is one row
            text = texts.get(record_id, "").strip()
            if text:
                spans = [[d, s, e] for d, s, e in effort[record_id] if 0 <= s < e <= len(text)]
                rows.append([position[record_id], text, _text(frame.at[record_id, polarity]) if polarity else None, [], spans])
            continue
        for sentence in found:
            spans = [[d, s - sentence.start, e - sentence.start] for d, s, e in effort[record_id]
                     if sentence.start <= s < e <= sentence.end]
            rows.append([position[record_id], sentence.text, sentence_sentiment.get(sentence.id),
                         sentence_themes.get(sentence.id, []), spans])
    theme_ids = sorted({t for row in rows for t in row[3]})
    classes = _score_classes(records, scores, classifiers or {})
    return {
        "total": int(len(frame)), "sampled": len(ids), "cap": int(max_records), "records": records, "rows": rows,
        "themes": {t: str(labels.get(t, t)) for t in theme_ids}, "segments": segments, "scores": scores,
        "touchpoints": touchpoints or [], "classes": classes,
    }


class _Row(dict):
    """A record's frame values by column; ``get`` as on the frame's row (None for a missing column)."""


def _sentence_signals(store: Store, ids: list[str], kind: str | None) -> list[dict[str, Any]]:
    """The sampled records' sentence-level rows of ``kind`` (``data`` decoded), record by record and in
    row order within each: read by record id, not by scanning every row of the kind."""
    if not kind:
        return []
    found = store.record_signals(ids, kind=kind)
    return [row for record_id in ids for row in found.get(record_id, []) if row["sentence_id"] is not None]


def _score_classes(records: list[list[Any]], scores: list[str], classifiers: dict[str, Any]) -> dict[str, dict[str, int]]:
    """score -> {value as JavaScript's String(value) writes it: +1 / 0 / -1} for the values in ``records``."""
    import numpy as np

    found: dict[str, dict[str, int]] = {}
    for position, name in enumerate(scores):
        classify = classifiers.get(name)
        if classify is None:
            continue
        values = sorted({r[5][position] for r in records if r[5][position] is not None})
        classes = classify(np.asarray(values, dtype=float)) if values else []
        found[name] = {_js_number(v): int(c) for v, c in zip(values, classes) if c == c}
    return found


def _js_number(value: float) -> str:
    return str(int(value)) if float(value).is_integer() else repr(float(value))


def _who(row: pd.Series) -> str | None:
    """For a transcript turn: speaker (role) and interview, so a quote can be placed."""
    if row.get("source_kind") != "transcript":
        return None
    parts = [_text(row.get("speaker")), _text(row.get("role")) and f"({row.get('role')})", _text(row.get("conversation_id"))]
    return " · ".join(p for p in parts if p) or None


def _text(value: Any) -> str | None:
    if value is None or (isinstance(value, float) and value != value):
        return None
    return str(value)


def _score(value: Any) -> float | None:
    try:
        number = float(value)
    except (TypeError, ValueError):
        return None
    return None if number != number else number
