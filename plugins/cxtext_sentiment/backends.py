"""Sentiment backends: anything that turns texts into (negative, neutral, positive) probabilities.

- :class:`LoraBackend`: the shipped MiniLM LoRA adapter (or a retrained one in a folder).
- :class:`VaderBackend`: the VADER lexicon; its compound score becomes the probabilities.
- :class:`HuggingFaceBackend`: any sequence-classification model by hub id or local path,
  its labels mapped onto negative/neutral/positive.

Every backend has ``name`` (written on signal rows), ``version``, ``load()``,
``predict_proba(texts) -> np.ndarray`` of shape (n, 3) in :data:`LABELS` order, and
``label_of(probs)`` (the class a probability row stands for).
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Sequence

import numpy as np

from cxtext.embeddings import length_batches
from cxtext.errors import InputError
from cxtext_sentiment.corpora import LABELS
from cxtext_sentiment.model import DEFAULT_MODEL_DIR, HEAD_FILE, MODEL_NAME, LoraSentimentModel

VADER_THRESHOLD = 0.05  # the thresholds VADER's authors recommend for its compound score


class LoraBackend:
    """The MiniLM + LoRA classifier; ``model_dir`` defaults to the shipped adapter."""

    def __init__(self, model_dir: str | Path | None = None, *, max_length: int = 128, batch_size: int = 32,
                 precision: str | None = None) -> None:
        self.classifier = LoraSentimentModel(model_dir or DEFAULT_MODEL_DIR, max_length=max_length, batch_size=batch_size,
                                             precision=None if precision in (None, "auto") else precision)
        self.name = MODEL_NAME if model_dir in (None, DEFAULT_MODEL_DIR) else f"{MODEL_NAME}:{Path(model_dir).name}"

    @property
    def version(self) -> str:
        return self.classifier.version

    @property
    def precision(self) -> str:
        return self.classifier.precision

    def load(self) -> None:
        self.classifier.load()

    def predict_proba(self, texts: Sequence[str]) -> np.ndarray:
        return self.classifier.predict_proba(texts)

    def label_of(self, probs: np.ndarray) -> str:
        return LABELS[int(np.argmax(probs))]


class VaderBackend:
    """VADER: compound >= 0.05 positive, <= -0.05 negative, else neutral.

    Probabilities are derived from the compound score c so that p_pos - p_neg = c:
    p_pos = max(c, 0), p_neg = max(-c, 0), p_neu = 1 - |c|.
    """

    name = "vader"

    def __init__(self) -> None:
        self.analyzer = None

    @property
    def version(self) -> str:
        from importlib.metadata import version

        return f"vader-{version('vaderSentiment')}"

    def load(self) -> None:
        from vaderSentiment.vaderSentiment import SentimentIntensityAnalyzer

        self.analyzer = SentimentIntensityAnalyzer()

    def predict_proba(self, texts: Sequence[str]) -> np.ndarray:
        if self.analyzer is None:
            self.load()
        compound = np.array([self.analyzer.polarity_scores(t)["compound"] for t in texts], dtype=np.float32)
        return compound_to_probs(compound)

    def label_of(self, probs: np.ndarray) -> str:
        score = float(probs[2] - probs[0])
        return "positive" if score >= VADER_THRESHOLD else "negative" if score <= -VADER_THRESHOLD else "neutral"


def compound_to_probs(compound: np.ndarray) -> np.ndarray:
    compound = np.clip(np.asarray(compound, dtype=np.float32), -1.0, 1.0)
    return np.stack([np.maximum(-compound, 0), 1 - np.abs(compound), np.maximum(compound, 0)], axis=1)


_STARS = re.compile(r"^\s*([1-5])\s*stars?\s*$")
_GENERIC = re.compile(r"^label_(\d+)$")


def map_labels(id2label: dict[int, str], overrides: dict[str, str] | None = None) -> list[str]:
    """The target class (negative/neutral/positive) of each output of a classifier, by index.

    Understood: names containing "neg"/"neu"/"pos" (any case), star ratings
    ("1 star".."5 stars": 1-2 negative, 3 neutral, 4-5 positive) and generic
    LABEL_0.. names of 2-class (negative, positive) or 3-class (negative, neutral,
    positive) models. ``overrides`` (the ``label_map`` setting) maps other names.
    """
    overrides = {k.lower(): v for k, v in (overrides or {}).items()}
    names = [str(id2label[i]) for i in sorted(id2label)]
    mapped = []
    for name in names:
        key = name.strip().lower()
        generic = _GENERIC.match(key)
        stars = _STARS.match(key)
        if key in overrides:
            target = overrides[key]
        elif "neg" in key:
            target = "negative"
        elif "neu" in key:
            target = "neutral"
        elif "pos" in key:
            target = "positive"
        elif stars:
            target = ("negative", "negative", "neutral", "positive", "positive")[int(stars.group(1)) - 1]
        elif generic and len(names) in (2, 3):
            order = ("negative", "positive") if len(names) == 2 else LABELS
            target = order[int(generic.group(1))] if int(generic.group(1)) < len(names) else None
        else:
            target = None
        if target not in LABELS:
            raise InputError(
                f"cannot tell which sentiment the model's label {name!r} stands for (labels: {', '.join(names)}).",
                expected="labels naming negative/neutral/positive, star ratings, or LABEL_0..",
                hint='map them in the project file: [analysis.sentiment] label_map = { "LABEL_0" = "negative", ... }',
            )
        mapped.append(target)
    return mapped


class HuggingFaceBackend:
    """Any Hugging Face sequence-classification model (hub id or local folder)."""

    def __init__(self, model: str, *, max_length: int = 128, batch_size: int = 32,
                 label_map: dict[str, str] | None = None) -> None:
        self.name = str(model)
        self.max_length = max_length
        self.batch_size = batch_size
        self.label_map = label_map
        self.model = None
        self.tokenizer = None
        self.targets: list[str] = []
        self._version: str | None = None

    @property
    def version(self) -> str:
        """"hf-<commit>" for a hub model, "hf-local" for a folder; known before ``load()``
        (the host picks pending records by version first), read from the config file only."""
        if self._version is None:
            from transformers import AutoConfig

            try:
                revision = getattr(AutoConfig.from_pretrained(self.name), "_commit_hash", None)
            except (OSError, ValueError):
                revision = None  # load() will explain what is wrong
            self._version = f"hf-{revision[:12]}" if revision else "hf-local"
        return self._version

    def load(self) -> None:
        from transformers import AutoModelForSequenceClassification, AutoTokenizer

        try:
            self.tokenizer = AutoTokenizer.from_pretrained(self.name)
            self.model = AutoModelForSequenceClassification.from_pretrained(self.name)
        except OSError as exc:
            raise InputError(
                f"cannot load the sentiment model {self.name!r}: {exc}",
                expected='"minilm-lora", "vader", a Hugging Face model id (needs internet the first time) or a local folder',
            ) from None
        self.model.eval()
        self.targets = map_labels(self.model.config.id2label, self.label_map)

    def predict_proba(self, texts: Sequence[str]) -> np.ndarray:
        import torch

        if self.model is None:
            self.load()
        # Keep the raw text (the model has its own conventions); only whitespace is tidied.
        cleaned = [" ".join(t.split()) for t in texts]
        raw = np.zeros((len(texts), len(self.targets)), dtype=np.float32)
        with torch.inference_mode():
            for index in length_batches(cleaned, self.batch_size):
                batch = self.tokenizer([cleaned[i] for i in index], padding=True, truncation=True,
                                       max_length=self.max_length, return_tensors="pt")
                logits = self.model(**batch).logits.float()
                raw[index] = torch.softmax(logits, dim=-1).numpy()
        result = np.zeros((len(texts), len(LABELS)), dtype=np.float32)
        for column, target in enumerate(self.targets):
            result[:, LABELS.index(target)] += raw[:, column]
        return result

    def label_of(self, probs: np.ndarray) -> str:
        return LABELS[int(np.argmax(probs))]


def make_backend(model: str | None, *, resolve=None, max_length: int = 128, batch_size: int = 32,
                 label_map: dict[str, str] | None = None, precision: str | None = None):
    """The backend a ``model`` setting names: "minilm-lora" (default), "vader", an adapter folder, or a HF model."""
    model = (model or MODEL_NAME).strip()
    if model == MODEL_NAME:
        return LoraBackend(max_length=max_length, batch_size=batch_size, precision=precision)
    if model.lower() == "vader":
        return VaderBackend()
    path = resolve(model) if resolve else Path(model)
    if (Path(path) / HEAD_FILE).is_file():  # a retrained adapter from `cxtext models train sentiment`
        return LoraBackend(path, max_length=max_length, batch_size=batch_size, precision=precision)
    location = str(path) if Path(path).is_dir() else model
    return HuggingFaceBackend(location, max_length=max_length, batch_size=batch_size, label_map=label_map)

