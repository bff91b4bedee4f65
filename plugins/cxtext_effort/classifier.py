"""An embedding classifier for effort drivers, trained on shipped prototype sentences.

Patterns are precise but miss paraphrases ("I sat listening to hold music all
afternoon"). A multinomial logistic regression on the unit-length MiniLM sentence vectors,
fitted on ``prototypes.yaml`` (a few hand-written sentences per driver plus a large
"none" class), catches some of them. It only adds evidence when it is confident, and never
where the patterns already found something.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import numpy as np
import yaml

PROTOTYPES_FILE = Path(__file__).with_name("prototypes.yaml")
NONE_LABEL = "none"

Encoder = Callable[[list[str]], np.ndarray]


def load_prototypes(path: str | Path | None = None) -> tuple[list[str], list[str], str]:
    """(sentences, labels, file text) from a prototypes file."""
    text = Path(path or PROTOTYPES_FILE).read_text(encoding="utf-8")
    data = yaml.safe_load(text)
    sentences, labels = [], []
    for label, examples in data.items():
        for example in examples:
            sentences.append(str(example))
            labels.append(str(label))
    return sentences, labels, text


class EffortClassifier:
    """Logistic regression from sentence vectors to a driver (or "none")."""

    def __init__(self, threshold: float = 0.6, c: float = 16.0) -> None:
        self.threshold = threshold
        self.c = c
        self.model = None

    def fit(self, vectors: np.ndarray, labels: list[str]) -> "EffortClassifier":
        from sklearn.linear_model import LogisticRegression

        self.model = LogisticRegression(C=self.c, max_iter=2000, class_weight="balanced")
        self.model.fit(vectors, labels)
        return self

    @classmethod
    def from_prototypes(cls, encode: Encoder, path: str | Path | None = None, **options) -> "EffortClassifier":
        sentences, labels, _ = load_prototypes(path)
        return cls(**options).fit(np.asarray(encode(sentences), dtype=np.float32), labels)

    def predict(self, vectors: np.ndarray) -> list[tuple[str, float]]:
        """Best non-"none" driver and its probability per vector; ("none", p) when "none" wins."""
        if self.model is None:
            raise RuntimeError("EffortClassifier.predict() before fit()")
        if len(vectors) == 0:
            return []
        probabilities = self.model.predict_proba(np.asarray(vectors, dtype=np.float32))
        classes = list(self.model.classes_)
        best = probabilities.argmax(axis=1)
        return [(classes[i], float(row[i])) for i, row in zip(best, probabilities)]

    def confident(self, vectors: np.ndarray) -> list[tuple[str, float] | None]:
        """The prediction where it names a driver with probability >= threshold, else None."""
        return [
            (label, p) if label != NONE_LABEL and p >= self.threshold else None
            for label, p in self.predict(vectors)
        ]
