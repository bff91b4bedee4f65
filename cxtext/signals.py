"""What analyzers receive and what they emit.

The host splits every record into sentences and hands analyzers batches of
:class:`Doc` objects (a record's text, sentences, language and, when the analyzer
asks for them, cached sentence embeddings). Analyzers return :class:`Signal` rows;
the host writes them to the ``signals`` table with the analyzer's model name and
version, in the same transaction that marks the records as done, so an interrupted
run resumes where it stopped.
"""

from __future__ import annotations

from collections.abc import Mapping
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


LEVELS = ("sentence", "record")


@dataclass(frozen=True)
class SignalOutput:
    """What an analyzer writes, declared up front (spaCy's ``assigns``, for signals).

    The KPI engine builds its analysis frame from these declarations, so a new analyzer's
    record-level labels and scores become frame columns, grouping fields, metric inputs and
    report sections without any host edit.

    What the signal is:
        kind: the ``Signal.kind`` it writes ("sentiment", "theme", "urgency").
        level: ``"sentence"`` (``sentence_id`` set) or ``"record"``.
        labels: the label set, or None for an open set (theme ids, effort drivers).
        score: what ``Signal.score`` means, in words ("p_pos - p_neg"); empty when unused.
        score_range: (low, high) of the score, when bounded.
        data_keys: the keys of ``Signal.data`` a reader may rely on.
        description: one line for people (``cxtext plugins``, the docs).

    How a record-level signal reaches the analysis frame (one row per record):
        label_column: a categorical column with the record's label (None when it has no
            such signal); groupable with ``--by``.
        score_column: a numeric column with the record's score (NaN when missing).
        list_column: a column with the list of every label of this kind the record has
            (multi-label kinds such as themes; ``[]`` when none).
        data_columns: frame column -> data key holding a list (``{"effort_drivers": "drivers"}``).
        fallback_column: a frame column used where a record has no such signal.
        label_names: the data key holding a label's display name (``"theme_label"``);
            the names land in ``frame.attrs[names_attr]`` (default ``"labels:KIND"``).
        drivers: the list column is what key-driver analysis ranks (one such output).

    How a sentence-level signal is used:
        polarity: its labels are positive / neutral / negative per sentence; other
            sentence-level outputs are paired with it (one such output).
        pair_column: a record-level column with ``[label, sentence polarity]`` pairs, one per
            sentence carrying this kind's label.
        evidence: the pain-point kind its sentences are evidence for ("theme"); None: none.
        evidence_rule: ``"negative"`` (only negative sentences count, and only net-negative
            labels are pain points) or ``"any"`` (every row counts).
        exclude: data values that make a row no evidence (``{"polarity": "low"}``).
    """

    kind: str
    level: str = "record"
    labels: tuple[str, ...] | None = None
    score: str = ""
    score_range: tuple[float, float] | None = None
    data_keys: tuple[str, ...] = ()
    description: str = ""
    label_column: str | None = None
    score_column: str | None = None
    list_column: str | None = None
    data_columns: Mapping[str, str] = field(default_factory=dict)
    fallback_column: str | None = None
    label_names: str | None = None
    names_attr: str | None = None
    drivers: bool = False
    polarity: bool = False
    pair_column: str | None = None
    evidence: str | None = None
    evidence_rule: str = "any"
    exclude: Mapping[str, Any] = field(default_factory=dict)

    def __post_init__(self) -> None:
        if not self.kind or not isinstance(self.kind, str):
            raise ValueError("SignalOutput.kind must be a non-empty string")
        if self.level not in LEVELS:
            raise ValueError(f"SignalOutput.level must be one of {', '.join(LEVELS)}, not {self.level!r}")
        if self.evidence_rule not in ("any", "negative"):
            raise ValueError(f"SignalOutput.evidence_rule must be 'any' or 'negative', not {self.evidence_rule!r}")

    @property
    def columns(self) -> list[str]:
        """The analysis-frame columns this output fills."""
        named = [self.label_column, self.score_column, self.list_column, *self.data_columns, self.pair_column]
        return [c for c in named if c]

    @property
    def names_key(self) -> str:
        """The ``frame.attrs`` key of the label -> display name map."""
        return self.names_attr or f"labels:{self.kind}"


#: The language signal the host writes while splitting sentences (stage "sentences").
LANGUAGE_OUTPUT = SignalOutput(
    kind="language", level="record", score="detection confidence (1.0 when the source file states it)",
    score_range=(0.0, 1.0), data_keys=("source",), label_column="language", fallback_column="record_language",
    description="ISO 639-1 code of the record's language, from the file or detected by lingua",
)


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
        outputs: a :class:`SignalOutput` per kind and level it writes. The KPI engine
            builds its analysis frame from every registered analyzer's outputs; an
            analyzer without ``outputs`` still has its signals stored and exported, but
            no frame column.
    """

    name: str
    version: str
    model: str
    needs_embeddings: bool
    outputs: list[SignalOutput]

    def load(self) -> None:
        """Load models and resources; called once before the first batch."""

    def process(self, docs: list[Doc]) -> list[Signal]:
        """Analyse a batch of docs and return their signals."""
