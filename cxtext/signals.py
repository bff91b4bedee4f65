"""What analyzers receive and what they emit.

The host splits every record into sentences and hands analyzers batches of
:class:`Doc` objects (a record's text, sentences, language and, when the analyzer
asks for them, cached sentence embeddings). Analyzers return :class:`Signal` rows;
the host writes them to the ``signals`` table with the analyzer's model name and
version, in the same transaction that marks the records as done, so an interrupted
run resumes where it stopped.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Protocol, runtime_checkable

import numpy as np


@dataclass
class Sentence:
    """One sentence of a record. ``start``/``end`` are character offsets in the record text."""

    id: str  # "<record_id>:<index>"
    record_id: str
    index: int
    text: str
    start: int
    end: int
    embedding: np.ndarray | None = None  # unit-length float32 vector when requested


@dataclass
class Doc:
    """A record as analyzers see it."""

    record_id: str
    text: str
    language: str | None  # ISO 639-1 code from language detection ("en", "fr"), None if unknown
    sentences: list[Sentence]
    source_kind: str
    scores: dict[str, float] = field(default_factory=dict)
    touchpoint: str | None = None
    segments: dict[str, str] = field(default_factory=dict)

    @property
    def is_english(self) -> bool:
        return self.language in (None, "en")


@dataclass
class Signal:
    """One fact an analyzer derived from text.

    ``sentence_id`` is None for record-level signals. ``kind`` groups signals
    ("sentiment", "theme", "effort", "effort_score", "language"); ``label`` is the
    categorical value (a sentiment class, a theme id, an effort driver); ``score`` the
    number (sentiment in [-1, 1], a theme's confidence, an effort score); ``data`` any
    detail (class probabilities, span offsets, evidence text, parsed durations).
    ``model``/``model_version`` are filled by the host from the analyzer when left empty.
    """

    record_id: str
    kind: str
    label: str | None = None
    score: float | None = None
    sentence_id: str | None = None
    data: dict[str, Any] = field(default_factory=dict)
    model: str = ""
    model_version: str = ""


@runtime_checkable
class Analyzer(Protocol):
    """An NLP plugin: load the model once, then process batches of docs.

    Shaped so the same object can run inside a Ray Data actor: ``load()`` in the
    actor's constructor, ``process()`` per batch, no store access inside either.

    Attributes:
        name: short id used in the store and on the command line ("sentiment").
        version: component version, bumped whenever outputs would change
            ("sentiment-minilm-lora-1.0"); records analysed by an older version are redone.
        model: the model name written on every signal row.
        needs_embeddings: when True the host fills ``Sentence.embedding`` from the
            shared cached embedding service before calling :meth:`process`.
    """

    name: str
    version: str
    model: str
    needs_embeddings: bool

    def load(self) -> None:
        """Load models and resources; called once before the first batch."""

    def process(self, docs: list[Doc]) -> list[Signal]:
        """Analyse a batch of docs and return their signals."""
