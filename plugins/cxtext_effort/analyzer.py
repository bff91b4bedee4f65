"""The effort analyzer: evidence spans per sentence and a CES-like score per record.

Signals written (see docs/effort.md):

- ``kind="effort"`` per evidence span (``sentence_id`` set): label = driver id, score =
  confidence, data = {start, end (character offsets in the record text), evidence,
  polarity "high"/"low", duration_minutes, method "pattern"/"classifier", negated}.
- ``kind="effort_score"`` per analysed English record (``sentence_id`` None): score on
  the CES scale 1-7 (7 = very easy) or None when the text holds no effort evidence,
  label high_effort / neutral / low_effort / no_evidence, data = {drivers, ...}.

Records in another language get no effort signals (the language signal says why).
"""

from __future__ import annotations

import hashlib
from pathlib import Path
from typing import Any

from cxtext.signals import Doc, Sentence, Signal, SignalOutput

from .agency import CONTACT_DRIVERS, other_party_spans
from .classifier import EffortClassifier, Encoder, load_prototypes
from .durations import parse_duration
from .patterns import EffortMatcher, Evidence, load_pattern_set
from .scoring import SpanSummary, effort_score

COMPONENT_VERSION = "effort-1.1"
DEFAULT_THRESHOLD = 0.6


class EffortAnalyzer:
    """Customer effort from text: spaCy Matcher patterns plus a confident-only embedding classifier.

    Settings (the ``[analysis.effort]`` table of the project file):

    - ``classifier`` (bool, default false): use the embedding classifier as well.
    - ``classifier_threshold`` (float, default 0.6): least probability for a classifier span.
    - ``parse`` (bool, default true): drop contacts the parse says someone else made
      ("they called me"); see :mod:`cxtext_effort.agency`.
    - ``patterns`` / ``prototypes``: paths to replacement pattern / prototype files.
    - the embedding model is the project's ``[analysis] embedding_model`` (default MiniLM).

    ``encoder`` (tests, notebooks) replaces the sentence embedder used to fit the classifier.
    """

    name = "effort"
    model = "cxtext-effort-patterns+minilm-logreg"
    #: What it writes: the KPI frame's ``effort_score`` / ``effort_label`` / ``effort_drivers`` come from these.
    outputs = [
        SignalOutput(kind="effort", level="sentence", score="confidence", score_range=(0.0, 1.0),
                     data_keys=("start", "end", "evidence", "polarity", "duration_minutes", "method", "negated"),
                     evidence="effort_driver", exclude={"polarity": "low"},
                     description="effort evidence spans (label = driver id; polarity high or low effort)"),
        SignalOutput(kind="effort_score", level="record", labels=("high_effort", "neutral", "low_effort", "no_evidence"),
                     score="CES-like effort score, 7 = very easy", score_range=(1.0, 7.0),
                     data_keys=("drivers", "high_effort_drivers", "low_effort_spans", "longest_wait_minutes"),
                     label_column="effort_label", score_column="effort_score",
                     data_columns={"effort_drivers": "drivers"},
                     description="effort score of the record on the CES 2.0 scale, with its drivers"),
    ]

    def __init__(self, settings: dict[str, Any] | None = None, *, embedding_model: str | None = None,
                 encoder: Encoder | None = None) -> None:
        settings = dict(settings or {})
        # Off by default: on the dev half of the independent benchmark it cut high-effort
        # precision from 0.89 to 0.71 at equal recall (benchmarks/results/effort.md).
        self.use_classifier = bool(settings.get("classifier", False))
        self.threshold = float(settings.get("classifier_threshold", DEFAULT_THRESHOLD))
        self.use_parse = bool(settings.get("parse", True))
        self.patterns_path = Path(settings["patterns"]) if settings.get("patterns") else None
        self.prototypes_path = Path(settings["prototypes"]) if settings.get("prototypes") else None
        self.embedding_model = embedding_model
        self.encoder = encoder
        self.needs_embeddings = self.use_classifier
        self.matcher: EffortMatcher | None = None
        self.classifier: EffortClassifier | None = None
        self.version = self._version()

    def _version(self) -> str:
        """Changes whenever outputs could: patterns, prototypes, threshold or classifier on/off."""
        digest = hashlib.sha1(load_pattern_set(self.patterns_path).source.encode("utf-8"))
        if self.use_classifier:
            digest.update(load_prototypes(self.prototypes_path)[2].encode("utf-8"))
            digest.update(f"{self.threshold}|{self.embedding_model}".encode())
        method = ("patterns+parse" if self.use_parse else "patterns") + ("+logreg" if self.use_classifier else "")
        return f"{COMPONENT_VERSION}+{method}-{digest.hexdigest()[:8]}"

    def load(self) -> None:
        if self.matcher is None:
            self.matcher = EffortMatcher(load_pattern_set(self.patterns_path))
        if self.use_classifier and self.classifier is None:
            encode = self.encoder or self._default_encoder()
            self.classifier = EffortClassifier.from_prototypes(encode, self.prototypes_path, threshold=self.threshold)

    def _default_encoder(self) -> Encoder:
        from cxtext.embeddings import get_embedder

        return get_embedder(self.embedding_model).encode

    def process(self, docs: list[Doc]) -> list[Signal]:
        self.load()
        english = [doc for doc in docs if doc.is_english]
        sentences = [sentence for doc in english for sentence in doc.sentences]
        found = self.matcher.find([s.text for s in sentences])
        if self.use_parse:
            found = self._drop_others_contacts(sentences, found)
        extra = self._classify(sentences, found) if self.classifier else [None] * len(sentences)
        evidence_by_record: dict[str, list[tuple[Sentence, Evidence]]] = {}
        for sentence, spans, guess in zip(sentences, found, extra):
            items = spans or ([guess] if guess else [])
            evidence_by_record.setdefault(sentence.record_id, []).extend((sentence, e) for e in items)
        signals: list[Signal] = []
        for doc in english:
            items = evidence_by_record.get(doc.record_id, [])
            signals.extend(self._span_signal(doc, sentence, evidence) for sentence, evidence in items)
            signals.append(self._score_signal(doc, [e for _, e in items]))
        return signals

    def _drop_others_contacts(self, sentences: list[Sentence], found: list[list[Evidence]]) -> list[list[Evidence]]:
        """Remove contact spans made by the company or a collector, not the customer (parse only these sentences)."""
        todo = [i for i, spans in enumerate(found) if any(e.driver in CONTACT_DRIVERS for e in spans)]
        if not todo:
            return found
        offsets = [[(e.start, e.end) for e in found[i] if e.driver in CONTACT_DRIVERS] for i in todo]
        flags = other_party_spans([sentences[i].text for i in todo], offsets)
        found = list(found)
        for index, flagged in zip(todo, flags):
            contact = [e for e in found[index] if e.driver in CONTACT_DRIVERS]
            others = {id(e) for e, is_other in zip(contact, flagged) if is_other}
            found[index] = [e for e in found[index] if id(e) not in others]
        return found

    def _classify(self, sentences: list[Sentence], found: list[list[Evidence]]) -> list[Evidence | None]:
        """Classifier evidence for sentences the patterns found nothing in (whole sentence as span)."""
        import numpy as np

        result: list[Evidence | None] = [None] * len(sentences)
        todo = [i for i, (s, spans) in enumerate(zip(sentences, found)) if not spans and s.embedding is not None]
        if not todo:
            return result
        vectors = np.stack([sentences[i].embedding for i in todo])
        for index, guess in zip(todo, self.classifier.confident(vectors)):
            if guess is None:
                continue
            driver, probability = guess
            text = sentences[index].text
            polarity = self.matcher.patterns.drivers[driver].polarity if driver in self.matcher.patterns.drivers else "high"
            # A negated sentence ("it was not easy") is no evidence of ease.
            if polarity == "low" and self.matcher.has_negator(text):
                continue
            result[index] = Evidence(driver=driver, polarity=polarity, start=0, end=len(text), text=text,
                                     method="classifier", confidence=round(probability, 4),
                                     duration_minutes=parse_duration(text) if driver == "waiting" else None)
        return result

    def _span_signal(self, doc: Doc, sentence: Sentence, evidence: Evidence) -> Signal:
        start, end = sentence.start + evidence.start, sentence.start + evidence.end
        return Signal(
            record_id=doc.record_id, sentence_id=sentence.id, kind="effort", label=evidence.driver,
            score=evidence.confidence,
            data={
                "start": start, "end": end, "evidence": doc.text[start:end], "polarity": evidence.polarity,
                "duration_minutes": evidence.duration_minutes, "method": evidence.method,
                "negated": evidence.negated,
            },
        )

    def _score_signal(self, doc: Doc, evidence: list[Evidence]) -> Signal:
        score, label = effort_score(SpanSummary(e.driver, e.polarity, e.duration_minutes) for e in evidence)
        high = sorted({e.driver for e in evidence if e.polarity == "high"})
        durations = [e.duration_minutes for e in evidence if e.driver == "waiting" and e.duration_minutes]
        return Signal(
            record_id=doc.record_id, kind="effort_score", score=score, label=label,
            data={
                "drivers": sorted({e.driver for e in evidence}),
                "high_effort_drivers": high,
                "low_effort_spans": sum(1 for e in evidence if e.polarity == "low"),
                "longest_wait_minutes": max(durations) if durations else None,
            },
        )
