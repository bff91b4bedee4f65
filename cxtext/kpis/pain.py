"""Pain points: per group, the declared evidence (themes, effort drivers...) that pulls it down, with quotes.

Every sentence-level output that declares ``evidence`` (a pain-point kind) takes part:
``evidence_rule="negative"`` counts only sentences the polarity output (sentence
sentiment) calls negative, and keeps only net-negative items; ``"any"`` counts every row
not excluded by the output's ``exclude`` data values.
"""

from __future__ import annotations

import json
from typing import Any

import numpy as np
import pandas as pd

from cxtext.config import ProjectConfig
from cxtext.kpis.drivers import ScoreStatistic
from cxtext.kpis.frame import Declared, polarity_output
from cxtext.kpis.grouping import ALL, group_labels, groups, round_value
from cxtext.metrics import net_interval, wilson_interval
from cxtext.store import Store

PAIN_COLUMNS = [
    "group_by", "group", "kind", "item", "label", "records", "analysed", "share", "share_ci_low", "share_ci_high",
    "net_sentiment", "score_gap", "quotes", "quote_method", "low_n",
]
SENTENCE_COLUMNS = ["kind", "item", "record_id", "sentence_id", "confidence", "polarity", "polarity_score"]


def evidence_outputs(frame: pd.DataFrame) -> list[Declared]:
    """The declared sentence-level outputs that are pain-point evidence, in declaration order."""
    return [d for d in frame.attrs.get("outputs", []) if d.output.level == "sentence" and d.output.evidence]


def sentence_table(store: Store, frame: pd.DataFrame) -> pd.DataFrame:
    """Sentence-level evidence rows with the sentence's polarity (sentiment)."""
    declared = frame.attrs.get("outputs", [])
    polarity = polarity_output(declared)
    rows = []
    for d in evidence_outputs(frame):
        output = d.output
        for chunk in store.iter_sentence_evidence(output.kind, polarity.kind if polarity else None):
            values = list(zip(*chunk))
            inside = frame.index.get_indexer(pd.Index(values[0], dtype=object)) >= 0
            for keep, (record_id, sentence_id, label, score, text, polarity_label, polarity_score) in zip(inside, chunk):
                if not keep:
                    continue
                if output.exclude:
                    data = json.loads(text) if text else {}
                    if any(data.get(key) == value for key, value in output.exclude.items()):
                        continue
                rows.append([output.evidence, label, record_id, sentence_id, score, polarity_label, polarity_score])
    return pd.DataFrame(rows, columns=SENTENCE_COLUMNS)


def pain_table(store: Store, config: ProjectConfig, frame: pd.DataFrame, columns: list[str], *, top: int,
               quotes: int, score: str | None, statistic: ScoreStatistic | None, min_n: int) -> pd.DataFrame:
    """The pain-point rows for one grouping (see :meth:`KpiEngine.pain_points`)."""
    group_by = ",".join(columns) if columns else ALL
    sentences = sentence_table(store, frame)
    rows: list[dict[str, Any]] = []
    sources = evidence_outputs(frame)
    embedding_model = _embedding_model(config)
    # Each sentence's group, through its record: the rows of ``part`` below, without a lookup per group.
    sentence_groups = (group_labels(frame, columns).to_numpy(dtype=object)[frame.index.get_indexer(sentences["record_id"])]
                       if columns and len(sentences) else None)
    for group, part in groups(frame, columns):
        in_group = sentences if sentence_groups is None else sentences[sentence_groups == group]
        scored: dict[str, pd.DataFrame] = {}  # per score column: this group's responses (see _score_gap)
        for declared in sources:
            output, kind = declared.output, declared.output.evidence
            column = f"analysed:{declared.analyzer}"
            analysed = int(part[column].sum()) if column in part.columns else 0
            if not analysed:
                continue
            negative_only = output.evidence_rule == "negative"
            names = frame.attrs.get(output.names_key, {}) if output.label_names else None
            of_kind = in_group[in_group["kind"] == kind]
            found = of_kind[of_kind["polarity"] == "negative"] if negative_only else of_kind
            candidates = []
            for item, items in found.groupby("item"):
                record_ids = set(items["record_id"])
                all_item = of_kind[of_kind["item"] == item]
                net = net_interval(
                    int((all_item["polarity"] == "positive").sum()), int((all_item["polarity"] == "negative").sum()),
                    int(all_item["polarity"].notna().sum()),
                )[0]
                if negative_only and (net is None or net >= 0):
                    continue
                candidates.append((len(record_ids) / analysed, item, items, record_ids, net))
            candidates.sort(key=lambda c: (-c[0], c[1]))
            for share, item, items, record_ids, net in candidates[:top]:
                low, high = wilson_interval(len(record_ids), analysed)
                chosen, method = _exemplars(store, items, quotes, embedding_model)
                rows.append({
                    "group_by": group_by, "group": group, "kind": kind, "item": item,
                    "label": names.get(item, item) if names is not None else item.replace("_", " "),
                    "records": len(record_ids), "analysed": analysed, "share": round_value(100 * share),
                    "share_ci_low": round_value(100 * low), "share_ci_high": round_value(100 * high),
                    "net_sentiment": round_value(net), "score_gap": _score_gap(part, record_ids, score, statistic, scored),
                    "quotes": chosen, "quote_method": method, "low_n": bool(analysed < min_n),
                })
    return pd.DataFrame(rows, columns=PAIN_COLUMNS)


def _embedding_model(config: ProjectConfig) -> str:
    from cxtext.embeddings import resolve_model

    name = (config.analysis or {}).get("embedding_model") if config else None  # as cxtext.analyze reads it
    return resolve_model(name)[0]


def _score_gap(part: pd.DataFrame, record_ids: set[str], score: str | None,
               statistic: ScoreStatistic | None, cache: dict[str, pd.DataFrame] | None = None) -> float | None:
    column = f"score:{score}" if score else None
    if not column or column not in part.columns or statistic is None:
        return None
    if cache is not None and column in cache:
        scored = cache[column]
    else:  # one response per row; only its id and score are read
        scored = part.loc[part[column].notna(), ["response_id", column]].drop_duplicates("response_id")
        if cache is not None:
            cache[column] = scored
    if scored.empty:
        return None
    has = scored.index.isin(list(record_ids))
    if has.all() or not has.any():
        return None
    values = scored[column].to_numpy(dtype=float)
    return round_value(statistic(values[has]) - statistic(values[~has]))


def _exemplars(store: Store, items: pd.DataFrame, count: int, model: str) -> tuple[list[dict[str, str]], str]:
    """The most representative sentences among ``items``: nearest the embedding centroid, else most confident."""
    from cxtext.store import text_hash

    texts = {}
    for rid, sentences in store.sentences_for(sorted(set(items["record_id"]))).items():
        for sentence in sentences:
            texts[sentence.id] = sentence.text
    items = items[items["sentence_id"].isin(texts.keys())].drop_duplicates("sentence_id").copy()
    if items.empty:
        return [], "none"
    items["text"] = items["sentence_id"].map(texts)
    items["key"] = items["text"].str.strip().str.lower()
    items = items.drop_duplicates("key")
    vectors = store.cached_embeddings(sorted({text_hash(t) for t in items["text"]}), model)
    method = "centroid"
    if len(items) > 1 and all(text_hash(t) in vectors for t in items["text"]):
        matrix = np.stack([vectors[text_hash(t)] for t in items["text"]])
        centroid = matrix.mean(axis=0)
        centroid /= np.linalg.norm(centroid) or 1.0
        items["rank"] = -(matrix @ centroid)
    else:
        method = "confidence"
        negativity = -items["polarity_score"].fillna(0).astype(float)
        items["rank"] = -(items["confidence"].fillna(0).astype(float) + negativity)
    best = items.sort_values(["rank", "sentence_id"]).head(count)
    return [
        {"text": text[:400], "record_id": rid, "sentence_id": sid}
        for text, rid, sid in zip(best["text"], best["record_id"], best["sentence_id"])
    ], method
