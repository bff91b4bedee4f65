"""From sentence sentiment to record sentiment.

Rule: the record's probabilities are the mean of its sentences' probabilities
weighted by sentence length in characters (a long complaint outweighs "Thanks."),
times the sentence's confidence ``|p_pos - p_neg|`` raised to :data:`CONFIDENCE_POWER`
(so a clear verdict, "Excellent.", is not outweighed by a long sentence the model is
unsure of). A record of several sentences then takes half its probabilities from one
prediction on its whole text (:data:`WHOLE_TEXT_WEIGHT`). Its label is the class those
probabilities stand for. A record is *mixed*
when at least one sentence is clearly positive and another clearly negative
(|p_pos - p_neg| >= :data:`CLEAR_MARGIN` with the matching label), as in
"Lovely staff. But the wait was awful."
"""

from __future__ import annotations

from typing import Sequence

import numpy as np

CLEAR_MARGIN = 0.5
#: How much a sentence's confidence counts in the roll-up (0: length alone). Chosen on the
#: validation splits with the mixed margin (benchmarks/train_sentiment.py rollup), never on tests.
CONFIDENCE_POWER = 2.0
#: Share of a multi-sentence record's probabilities that comes from one prediction on its whole
#: text (the rest from its sentences): short texts such as tweets read better whole. Chosen on
#: the validation splits with the settings above.
WHOLE_TEXT_WEIGHT = 0.5
#: Keeps a sentence with p_pos == p_neg from weighing exactly nothing.
CONFIDENCE_FLOOR = 0.05


def rollup_probs(probs: np.ndarray, lengths: Sequence[int], confidence_power: float | None = None) -> np.ndarray:
    """Weighted mean of sentence probability rows: length x confidence^power (equal weights if
    every length is 0)."""
    probs = np.asarray(probs, dtype=np.float64)
    weights = np.asarray(lengths, dtype=np.float64)
    if weights.sum() <= 0:
        weights = np.ones(len(probs))
    power = CONFIDENCE_POWER if confidence_power is None else confidence_power
    if power and len(probs) > 1:
        confidence = np.abs(probs[:, 2] - probs[:, 0]) + CONFIDENCE_FLOOR
        weights = weights * confidence ** power
    return (probs * weights[:, None]).sum(0) / weights.sum()


def blend_whole(rolled: np.ndarray, whole: np.ndarray | None, sentences: int,
                weight: float | None = None) -> np.ndarray:
    """The record's probabilities: its sentences' roll-up, blended with a prediction on the whole
    text (``WHOLE_TEXT_WEIGHT``) when it has more than one sentence."""
    weight = WHOLE_TEXT_WEIGHT if weight is None else weight
    if whole is None or sentences <= 1 or not weight:
        return rolled
    return (1.0 - weight) * np.asarray(rolled, dtype=np.float64) + weight * np.asarray(whole, dtype=np.float64)


def is_mixed(probs: np.ndarray, labels: Sequence[str]) -> bool:
    """True when one sentence is clearly positive and another clearly negative."""
    scores = np.asarray(probs)[:, 2] - np.asarray(probs)[:, 0]
    clearly_positive = any(l == "positive" and s >= CLEAR_MARGIN for l, s in zip(labels, scores))
    clearly_negative = any(l == "negative" and s <= -CLEAR_MARGIN for l, s in zip(labels, scores))
    return clearly_positive and clearly_negative


def argmax_label(probs: np.ndarray) -> str:
    from cxtext_sentiment.corpora import LABELS

    return LABELS[int(np.argmax(probs))]


#: A mixed record whose rolled-up |p_pos - p_neg| is below this is labelled neutral: praise
#: and complaint in one answer ("Lovely staff. But the wait was awful.") cancel out.
#: Chosen on the validation splits (benchmarks/train_sentiment.py), never on test splits.
MIXED_NEUTRAL_MARGIN = 0.0


def record_label(sentence_probs: np.ndarray, record_probs: np.ndarray, label_of=argmax_label,
                 mixed_margin: float | None = None) -> str:
    """The record's label: the class its rolled-up probabilities stand for, or neutral when
    it is mixed and neither side clearly outweighs the other (see MIXED_NEUTRAL_MARGIN)."""
    margin = MIXED_NEUTRAL_MARGIN if mixed_margin is None else mixed_margin
    if margin > 0 and len(sentence_probs) > 1:
        labels = [label_of(p) for p in sentence_probs]
        if is_mixed(sentence_probs, labels) and abs(record_probs[2] - record_probs[0]) < margin:
            return "neutral"
    return label_of(record_probs)
