"""Scoring a sentiment model the way ``cxtext analyze`` uses it: record labels from sentence labels.

Each text is split into sentences by the host's splitter, every sentence is scored,
and the record label comes from :func:`rollup.rollup_probs`, exactly as the analyzer
does. Macro-F1 is taken over the classes present in the gold labels, so a binary
set (UCI sentences) is scored on negative and positive, and a neutral prediction
there counts as an error.
"""

from __future__ import annotations

from typing import Callable, Sequence

import numpy as np

from cxtext_sentiment.corpora import LABELS, Example
from cxtext_sentiment.rollup import argmax_label, blend_whole, record_label, rollup_probs

PredictProba = Callable[[Sequence[str]], np.ndarray]


def sentence_probs(predict_proba: PredictProba, texts: Sequence[str]) -> list[tuple[np.ndarray, list[int]]]:
    """Per record: its sentences' probabilities and lengths (one batched prediction for all of them)."""
    from cxtext.text import split_sentences

    sentences = split_sentences(list(texts), [str(i) for i in range(len(texts))])
    parts = [[s.text for s in found] or [text] for found, text in zip(sentences, texts)]
    flat = [text for group in parts for text in group]
    probs = predict_proba(flat) if flat else np.zeros((0, len(LABELS)))
    result, position = [], 0
    for group in parts:
        result.append((probs[position : position + len(group)], [len(t) for t in group]))
        position += len(group)
    return result


def cached(path, compute: Callable[[], object]):
    """``compute()``, pickled at ``path`` and read back on the next call: the benchmarks cache
    model passes this way, so a roll-up change re-scores without running the model again."""
    import pickle
    from pathlib import Path

    path = Path(path)
    if path.exists():
        return pickle.loads(path.read_bytes())
    value = compute()
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(pickle.dumps(value))
    return value


def whole_probs(predict_proba: PredictProba, per_record: list[tuple[np.ndarray, list[int]]],
                texts: Sequence[str]) -> list[np.ndarray | None]:
    """One prediction on the whole text of every multi-sentence record (None for the others)."""
    several = [i for i, (probs, _) in enumerate(per_record) if len(probs) > 1]
    found: list[np.ndarray | None] = [None] * len(per_record)
    if several:
        for i, p in zip(several, predict_proba([texts[i] for i in several])):
            found[i] = p
    return found


def roll_up(per_record: list[tuple[np.ndarray, list[int]]], label_of: Callable[[np.ndarray], str] = argmax_label,
            mixed_margin: float | None = None, confidence_power: float | None = None,
            whole: list[np.ndarray | None] | None = None, whole_weight: float | None = None,
            ) -> tuple[np.ndarray, list[str]]:
    """(probabilities, labels) per record from its sentences (and ``whole``-text predictions), by
    the analyzer's rule."""
    rolled = np.zeros((len(per_record), len(LABELS)))
    labels = []
    for index, (probs, lengths) in enumerate(per_record):
        rolled[index] = blend_whole(rollup_probs(probs, lengths, confidence_power),
                                    whole[index] if whole is not None else None, len(probs), whole_weight)
        labels.append(record_label(probs, rolled[index], label_of=label_of, mixed_margin=mixed_margin))
    return rolled, labels


def record_probs(predict_proba: PredictProba, texts: Sequence[str],
                 label_of: Callable[[np.ndarray], str] = argmax_label,
                 mixed_margin: float | None = None) -> tuple[np.ndarray, list[str]]:
    """(probabilities, labels) per record, rolled up from its sentences as the analyzer does."""
    per_record = sentence_probs(predict_proba, texts)
    return roll_up(per_record, label_of, mixed_margin, whole=whole_probs(predict_proba, per_record, texts))


def scores(gold: Sequence[str], predicted: Sequence[str]) -> dict:
    """n, accuracy, macro-F1 (over the gold classes) and F1 per class."""
    from sklearn.metrics import accuracy_score, f1_score

    present = [label for label in LABELS if label in set(gold)]
    per_class = f1_score(gold, predicted, labels=list(LABELS), average=None, zero_division=0)
    return {
        "n": len(gold),
        "accuracy": round(float(accuracy_score(gold, predicted)), 4),
        "macro_f1": round(float(f1_score(gold, predicted, labels=present, average="macro", zero_division=0)), 4),
        "f1_per_class": {label: (round(float(f), 4) if label in present else None)
                         for label, f in zip(LABELS, per_class)},
        "classes": present,
    }


def evaluate_examples(predict_proba: PredictProba, examples: Sequence[Example],
                      mixed_margin: float | None = None) -> dict[str, dict]:
    """Record-level scores per domain of ``examples``."""
    _, predicted = record_probs(predict_proba, [e.text for e in examples], mixed_margin=mixed_margin)
    return scores_by_domain(examples, predicted)


def scores_by_domain(examples: Sequence[Example], predicted: Sequence[str]) -> dict[str, dict]:
    result = {}
    for domain in sorted({e.domain for e in examples}):
        index = [i for i, e in enumerate(examples) if e.domain == domain]
        result[domain] = scores([examples[i].label for i in index], [predicted[i] for i in index])
    return result
