"""The deductive themes analyzer: tag each sentence with the codebook themes it is about.

Multi-label at sentence level: every theme whose calibrated confidence reaches
``threshold`` is assigned (at most ``max_per_sentence``, most confident first). So that
few substantive sentences are left without a theme, a sentence with no theme above the
threshold but at least ``min_words`` words still gets its best theme when that theme's
confidence reaches ``fallback_threshold`` (those rows say ``"fallback": true``). Of a
theme and its ancestor, a sentence keeps only the more confident (the more specific one
on a tie); at record level children imply their parents (the parent's record-level
confidence is the best of its own and its descendants').
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import numpy as np

from cxtext.errors import InputError
from cxtext.signals import Doc, Signal, SignalOutput
from cxtext_themes.codebook import Codebook, load_codebook
from cxtext_themes.scoring import Calibration, Encoder, ThemeScorer

GENERIC_CODEBOOK = Path(__file__).parent / "codebooks" / "cx-generic.yaml"
ANALYZER_VERSION = "1.0"
SETTING_RANGES = {
    "threshold": (0.0, 1.0), "fallback_threshold": (0.0, 1.0), "min_words": (0, 1000),
    "max_per_sentence": (1, 100), "keyword_weight": (0.0, 20.0),
}
SETTINGS = tuple(SETTING_RANGES)
WORD = re.compile(r"[^\W\d_]{2,}")


def _codebook_setting(value: Any, resolve) -> Path | None:
    """A codebook file (relative to the project), or a shipped codebook named without a suffix."""
    from cxtext_themes.domains import shipped_codebook_path

    if not value:
        return None
    shipped = shipped_codebook_path(value) if isinstance(value, str) and Path(value).suffix == "" else None
    return shipped or resolve(value)


class ThemesAnalyzer:
    """Assigns codebook themes to sentences (see the module docstring).

    ``encoder`` (texts -> unit vectors) defaults to the shared embedding service; tests
    inject a fake one. It must be the same model the host embeds sentences with.
    """

    name = "themes"
    model = "codebook+all-MiniLM-L6-v2"
    needs_embeddings = True
    #: What it writes: the KPI frame's ``themes`` and ``theme_sentiments`` columns come from these.
    outputs = [
        SignalOutput(kind="theme", level="sentence", score="calibrated confidence", score_range=(0.0, 1.0),
                     data_keys=("theme_label", "parent", "codebook", "method", "similarity", "keywords", "fallback"),
                     label_names="theme_label", names_attr="theme_labels", pair_column="theme_sentiments",
                     evidence="theme", evidence_rule="negative",
                     description="codebook themes a sentence is about (multi-label; label = theme id)"),
        SignalOutput(kind="theme", level="record", score="best confidence over the record's sentences",
                     score_range=(0.0, 1.0), data_keys=("theme_label", "parent", "codebook", "method"),
                     list_column="themes", label_names="theme_label", names_attr="theme_labels", drivers=True,
                     description="themes the record mentions, parents implied by their children"),
    ]

    def __init__(
        self,
        codebook: str | Path | Codebook | None = None,
        *,
        encoder: Encoder | None = None,
        threshold: float = 0.5,
        fallback_threshold: float = 0.15,
        min_words: int = 3,
        max_per_sentence: int = 3,
        keyword_weight: float = 2.0,
        embedding_model: str | None = None,
    ) -> None:
        self._codebook_source = codebook if codebook is not None else GENERIC_CODEBOOK
        self._codebook: Codebook | None = None
        self._encoder = encoder
        self.embedding_model = embedding_model
        self.threshold = float(threshold)
        self.fallback_threshold = float(fallback_threshold)
        self.min_words = int(min_words)
        self.max_per_sentence = int(max_per_sentence)
        self.keyword_weight = float(keyword_weight)
        self.scorer: ThemeScorer | None = None
        self.calibration: Calibration | None = None

    @classmethod
    def from_settings(cls, settings: dict[str, Any], resolve=Path, *, where: str | Path | None = None,
                      **kwargs: Any) -> "ThemesAnalyzer":
        """Build from an ``[analysis.themes]`` table; ``resolve`` makes paths absolute.

        Unknown keys and out-of-range values raise :class:`InputError` naming ``where``
        (the project file).
        """
        unknown = sorted(set(settings) - set(SETTINGS) - {"codebook"})
        if unknown:
            raise InputError(f"[analysis.themes] has unknown setting(s) {', '.join(unknown)}.", path=where,
                             expected=f"one of codebook, {', '.join(SETTINGS)}")
        options = {}
        for key in SETTINGS:
            if key not in settings:
                continue
            value = settings[key]
            low, high = SETTING_RANGES[key]
            if isinstance(value, bool) or not isinstance(value, (int, float)) or not low <= value <= high:
                raise InputError(f"[analysis.themes] {key} = {value!r} is out of range.", path=where,
                                 expected=f"a number from {low} to {high}")
            options[key] = value
        return cls(_codebook_setting(settings.get("codebook"), resolve), **options, **kwargs)

    @property
    def codebook(self) -> Codebook:
        """The codebook, read and validated on first use (so a bad file fails only when themes run)."""
        if self._codebook is None:
            source = self._codebook_source
            self._codebook = source if isinstance(source, Codebook) else load_codebook(source)
        return self._codebook

    @property
    def version(self) -> str:
        """Changes with the codebook's content and the assignment settings, so edits re-analyse."""
        book = self.codebook
        settings = (f"t{self.threshold:g}-f{self.fallback_threshold:g}-w{self.min_words}-m{self.max_per_sentence}"
                    f"-k{self.keyword_weight:g}")
        model = (self.embedding_model or "minilm").rsplit("/", 1)[-1]
        return f"themes-{ANALYZER_VERSION}+{book.name}-{book.version}-{book.content_hash}+{settings}+{model}"

    def load(self) -> None:
        if self._encoder is None:
            from cxtext.embeddings import get_embedder

            self._encoder = get_embedder(self.embedding_model).encode
        self.scorer = ThemeScorer(self.codebook, self._encoder)
        self.calibration = self.scorer.fit_calibration().with_keyword_weight(self.keyword_weight)

    # --- scoring ---------------------------------------------------------------------

    def score(self, texts: list[str], embeddings: np.ndarray | None = None) -> tuple[np.ndarray, Any]:
        """(n, K) confidences for sentences, with the evidence behind them."""
        if self.scorer is None:
            self.load()
        if embeddings is None:
            embeddings = self._encoder(texts)
        evidence = self.scorer.evidence(texts, embeddings)
        return self.scorer.confidence(evidence, self.calibration), evidence

    def assign(self, text: str, confidences: np.ndarray) -> list[tuple[int, float, bool]]:
        """Themes for one sentence: (theme index, confidence, via fallback), most confident first."""
        order = np.argsort(-confidences, kind="stable")
        chosen = [(int(t), float(confidences[t]), False) for t in order[: self.max_per_sentence]
                  if confidences[t] >= self.threshold]
        if not chosen and len(WORD.findall(text)) >= self.min_words and confidences.size:
            best = int(order[0])
            if confidences[best] >= self.fallback_threshold:
                chosen = [(best, float(confidences[best]), True)]
        # Of a theme and its ancestor both assigned, keep the more confident (the more
        # specific one on a tie); the ancestor comes back at record level anyway.
        ids = self.scorer.theme_ids
        book = self.codebook

        def related(a: int, b: int) -> bool:
            return ids[b] in book.ancestors(ids[a]) or ids[a] in book.ancestors(ids[b])

        kept: list[tuple[int, float, bool]] = []
        for item in chosen:  # most confident first
            rival = next((other for other in kept if related(item[0], other[0])), None)
            if rival is None:
                kept.append(item)
            elif item[1] == rival[1] and ids[rival[0]] in book.ancestors(ids[item[0]]):
                kept[kept.index(rival)] = item
        return kept

    def process(self, docs: list[Doc]) -> list[Signal]:
        if self.scorer is None:
            self.load()
        book = self.codebook
        sentences = [s for doc in docs if doc.is_english for s in doc.sentences if s.text.strip()]
        if not sentences:
            return []
        missing = [i for i, s in enumerate(sentences) if s.embedding is None]
        if missing:
            computed = self._encoder([sentences[i].text for i in missing])
            for i, vector in zip(missing, computed):
                sentences[i].embedding = vector
        embeddings = np.stack([s.embedding for s in sentences])
        confidences, evidence = self.score([s.text for s in sentences], embeddings)

        signals: list[Signal] = []
        direct: dict[str, dict[str, float]] = {}  # record -> theme -> best sentence confidence
        implied: dict[str, dict[str, float]] = {}  # record -> ancestor -> best descendant confidence
        for row, sentence in enumerate(sentences):
            for theme_index, confidence, fallback in self.assign(sentence.text, confidences[row]):
                theme = book.themes[theme_index]
                matched = evidence.hits[row].get(theme_index, [])
                data = {
                    "theme_label": theme.label,
                    "parent": theme.parent,
                    "codebook": f"{book.name}@{book.version}",
                    "method": "keyword+embedding" if matched else "embedding",
                    "similarity": round(float(evidence.similarity[row, theme_index]), 4),
                }
                if matched:
                    data["keywords"] = sorted(set(m.lower() for m in matched))
                if fallback:
                    data["fallback"] = True
                signals.append(Signal(record_id=sentence.record_id, kind="theme", label=theme.id,
                                      score=round(confidence, 4), sentence_id=sentence.id, data=data))
                mine = direct.setdefault(sentence.record_id, {})
                mine[theme.id] = max(confidence, mine.get(theme.id, 0.0))
                for ancestor in book.ancestors(theme.id):
                    above = implied.setdefault(sentence.record_id, {})
                    above[ancestor] = max(confidence, above.get(ancestor, 0.0))
        for record_id in dict.fromkeys([*direct, *implied]):
            own, rolled = direct.get(record_id, {}), implied.get(record_id, {})
            for theme in book.themes:  # codebook order, so output is stable
                if theme.id not in own and theme.id not in rolled:
                    continue
                confidence = max(own.get(theme.id, 0.0), rolled.get(theme.id, 0.0))
                data = {"theme_label": theme.label, "parent": theme.parent,
                        "codebook": f"{book.name}@{book.version}",
                        "method": "max over sentences" if theme.id in own else "roll-up from child themes"}
                signals.append(Signal(record_id=record_id, kind="theme", label=theme.id,
                                      score=round(confidence, 4), data=data))
        return signals
