"""The ``sentiment`` analyzer: one signal per sentence and one per record.

Signals (see the conventions in the host docs): ``kind="sentiment"``, ``label`` in
negative/neutral/positive, ``score = p_pos - p_neg`` in [-1, 1] and
``data={"probs": {...}}``; the record-level row (``sentence_id=None``) also has
``data["mixed"]`` and ``data["sentences"]`` (see :mod:`cxtext_sentiment.rollup`).
Non-English docs get no sentiment: the model was trained on English only.
"""

from __future__ import annotations

from typing import Any, Callable

import numpy as np

from cxtext.errors import InputError
from cxtext.signals import Doc, Signal, SignalOutput
from cxtext_sentiment.backends import make_backend
from cxtext_sentiment.corpora import LABELS
from cxtext_sentiment.rollup import WHOLE_TEXT_WEIGHT, blend_whole, is_mixed, record_label, rollup_probs

COMPONENT_VERSION = "sentiment-1.1"  # 1.1: confidence-weighted roll-up blended with a whole-text reading
SETTINGS = {"model", "batch_size", "max_length", "label_map", "precision"}


class SentimentAnalyzer:
    """Sentence and record sentiment from a backend (MiniLM LoRA by default, VADER, or any HF model)."""

    name = "sentiment"
    needs_embeddings = False
    #: What it writes: the KPI frame's ``sentiment`` / ``sentiment_score`` columns come from these.
    outputs = [
        SignalOutput(kind="sentiment", level="sentence", labels=tuple(LABELS), score="p_pos - p_neg",
                     score_range=(-1.0, 1.0), data_keys=("probs", "precision"), polarity=True,
                     description="sentiment of each sentence of English text"),
        SignalOutput(kind="sentiment", level="record", labels=tuple(LABELS), score="p_pos - p_neg of the roll-up",
                     score_range=(-1.0, 1.0), data_keys=("probs", "mixed", "sentences", "precision"),
                     label_column="sentiment", score_column="sentiment_score",
                     description="overall sentiment of the record (length-weighted roll-up of its sentences)"),
    ]

    def __init__(self, backend) -> None:
        self.backend = backend
        self.loaded = False

    @classmethod
    def from_settings(cls, settings: dict[str, Any], resolve: Callable | None = None) -> "SentimentAnalyzer":
        """Build from the ``[analysis.sentiment]`` table; unknown or ill-typed settings raise InputError."""
        unknown = sorted(set(settings) - SETTINGS)
        if unknown:
            raise InputError(f"unknown [analysis.sentiment] setting(s): {', '.join(unknown)}.",
                             expected=f"one of {', '.join(sorted(SETTINGS))}")
        model = settings.get("model", "minilm-lora")
        label_map = settings.get("label_map")
        batch_size, max_length = settings.get("batch_size", 32), settings.get("max_length", 128)
        if not isinstance(model, str) or not model.strip():
            raise InputError("[analysis.sentiment] model must be a non-empty string.",
                             expected='"minilm-lora", "vader", a Hugging Face model id or a local folder')
        for key, value in (("batch_size", batch_size), ("max_length", max_length)):
            if not isinstance(value, int) or isinstance(value, bool) or value < 1:
                raise InputError(f"[analysis.sentiment] {key} must be a positive whole number, not {value!r}.")
        if label_map is not None and not (isinstance(label_map, dict)
                                          and all(v in LABELS for v in label_map.values())):
            raise InputError("[analysis.sentiment] label_map must map model labels to negative/neutral/positive.")
        precision = settings.get("precision", "auto")
        if precision not in ("auto", "bf16", "fp32"):
            raise InputError(f"[analysis.sentiment] precision must be auto, bf16 or fp32, not {precision!r}.")
        backend = make_backend(model, resolve=resolve, max_length=max_length, batch_size=batch_size,
                               label_map=label_map, precision=precision)
        return cls(backend)

    @property
    def model(self) -> str:
        return self.backend.name

    @property
    def version(self) -> str:
        """Component + model version: changes whenever the outputs would."""
        return f"{COMPONENT_VERSION}+{self.backend.version}"

    def load(self) -> None:
        if not self.loaded:
            self.backend.load()
            self.loaded = True

    def process(self, docs: list[Doc]) -> list[Signal]:
        """Score every sentence of the English docs in one length-sorted pass, then roll up per record."""
        self.load()
        units: list[tuple[Doc, list[tuple[str | None, str]]]] = []
        for doc in docs:
            if not doc.is_english:
                continue
            parts = [(s.id, s.text) for s in doc.sentences if s.text.strip()]
            if not parts and doc.text.strip():
                parts = [(None, doc.text)]  # no sentences: score the whole text, record level only
            if parts:
                units.append((doc, parts))
        texts = [text for _, parts in units for _, text in parts]
        # Records of several sentences are also read whole (rollup.WHOLE_TEXT_WEIGHT), in the same pass.
        several = [doc.text for doc, parts in units if len(parts) > 1] if WHOLE_TEXT_WEIGHT else []
        probs = self.backend.predict_proba(texts + several) if texts else np.zeros((0, len(LABELS)))
        whole = iter(probs[len(texts):])

        signals: list[Signal] = []
        model, version = self.model, self.version
        precision = getattr(self.backend, "precision", "fp32")
        position = 0
        for doc, parts in units:
            doc_probs = probs[position : position + len(parts)]
            position += len(parts)
            labels = [self.backend.label_of(p) for p in doc_probs]
            for (sentence_id, _), p, label in zip(parts, doc_probs, labels):
                if sentence_id is not None:
                    signals.append(self._signal(doc.record_id, sentence_id, p, label, {"precision": precision},
                                                model, version))
            record_probs = rollup_probs(doc_probs, [len(text) for _, text in parts])
            if len(parts) > 1 and WHOLE_TEXT_WEIGHT:
                record_probs = blend_whole(record_probs, next(whole), len(parts))
            extra = {"mixed": is_mixed(doc_probs, labels), "sentences": len(parts), "precision": precision}
            label = record_label(doc_probs, record_probs, label_of=self.backend.label_of)
            signals.append(self._signal(doc.record_id, None, record_probs, label, extra, model, version))
        return signals

    @staticmethod
    def _signal(record_id: str, sentence_id: str | None, probs: np.ndarray, label: str,
                extra: dict[str, Any], model: str, version: str) -> Signal:
        rounded = {name: round(float(p), 4) for name, p in zip(LABELS, probs)}
        score = float(np.clip(probs[2] - probs[0], -1.0, 1.0))
        return Signal(record_id=record_id, kind="sentiment", label=label, score=round(score, 4),
                      sentence_id=sentence_id, data={"probs": rounded, **extra}, model=model, model_version=version)
