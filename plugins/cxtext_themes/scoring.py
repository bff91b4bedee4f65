"""Scoring sentences against a codebook: evidence features and their calibrated confidence.

For every (sentence, theme) pair three pieces of evidence are computed:

- ``similarity``: the highest cosine similarity between the sentence embedding and the
  theme's prototypes (its label, description and examples);
- ``margin``: that similarity minus the sentence's average similarity over all themes,
  so a sentence that is close to everything (short, generic) does not score high
  everywhere, while a sentence about two themes can still score high on both;
- ``keyword``: 1 when one of the theme's keywords matches the sentence, else 0.

Their confidence in [0, 1] is a logistic model::

    confidence = sigmoid(w_sim * similarity + w_margin * margin + bias + keyword_weight * keyword)

``w_sim``, ``w_margin`` and ``bias`` are fitted on the codebook's own examples
(:meth:`ThemeScorer.fit_calibration`): each example is scored against every theme with
itself left out of the prototypes, and a logistic regression learns how often such
similarity means "this is the example's theme" (or one of its ancestors). So a
confidence of 0.7 from embeddings alone means that about 7 in 10 codebook examples with
that evidence belonged to the theme. Keywords are not fitted that way, because authors
write examples that contain their own keywords (a fit would trust keywords blindly); a
keyword hit adds a fixed ``keyword_weight`` to the log-odds instead (default 2.0: the
odds are multiplied by about 7.4). When a codebook has too few examples to fit,
:data:`DEFAULT_CALIBRATION` is used: the same fit on the shipped ``cx-generic`` codebook
(``python -m cxtext_themes.scoring`` reproduces it). A theme's ``exclude`` keywords veto
it: the confidence is 0 whatever the other evidence says.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace

import numpy as np

from cxtext_themes.codebook import Codebook
from cxtext_themes.keywords import KeywordMatcher

Encoder = Callable[[list[str]], np.ndarray]  # texts -> (n, dim) unit vectors

FEATURES = ("similarity", "margin", "keyword")
MIN_EXAMPLES_TO_FIT = 20  # below this many examples (over >= 3 themes) the default calibration is used


@dataclass(frozen=True)
class Calibration:
    """Logistic weights for similarity and margin, a bias, the keyword weight, and their origin."""

    similarity_weight: float
    margin_weight: float
    bias: float
    keyword_weight: float = 2.0
    source: str = ""

    def logit(self, similarity: np.ndarray, margin: np.ndarray, keyword: np.ndarray) -> np.ndarray:
        return (self.similarity_weight * similarity + self.margin_weight * margin + self.bias
                + self.keyword_weight * keyword)

    def confidence(self, similarity: np.ndarray, margin: np.ndarray, keyword: np.ndarray) -> np.ndarray:
        return 1.0 / (1.0 + np.exp(-self.logit(similarity, margin, keyword)))

    def with_keyword_weight(self, weight: float) -> "Calibration":
        return replace(self, keyword_weight=float(weight))


# Fitted on plugins/cxtext_themes/codebooks/cx-generic.yaml with all-MiniLM-L6-v2
# (python -m cxtext_themes.scoring prints the fit).
DEFAULT_CALIBRATION = Calibration(similarity_weight=4.30, margin_weight=6.06, bias=-4.66,
                                  source="default (fitted on cx-generic examples)")


@dataclass
class Evidence:
    """Features of n sentences against K themes (each an (n, K) array) and the keyword hits."""

    similarity: np.ndarray
    margin: np.ndarray
    keyword: np.ndarray
    excluded: np.ndarray
    hits: list[dict[int, list[str]]]


class ThemeScorer:
    """A codebook made ready for scoring: prototype embeddings and compiled keywords."""

    def __init__(self, codebook: Codebook, encode: Encoder) -> None:
        self.codebook = codebook
        self.theme_ids = [theme.id for theme in codebook.themes]
        texts, owners = [], []
        for index, theme in enumerate(codebook.themes):
            for text in dict.fromkeys(theme.prototypes()):  # de-duplicated, in order
                texts.append(text)
                owners.append(index)
        self.prototype_texts = texts
        self.prototype_owner = np.array(owners)
        self.prototypes = np.asarray(encode(texts), dtype=np.float32)
        self.keywords = KeywordMatcher([theme.keywords for theme in codebook.themes])
        self.excludes = KeywordMatcher([theme.exclude for theme in codebook.themes])

    def evidence(self, texts: list[str], embeddings: np.ndarray, *, leave_out: list[int | None] | None = None) -> Evidence:
        """Evidence for ``texts`` (with their unit-length ``embeddings``).

        ``leave_out[i]`` names a prototype row sentence ``i`` must not be compared with
        (itself, when calibrating on the codebook's own examples).
        """
        n, k = len(texts), len(self.theme_ids)
        cosine = np.asarray(embeddings, dtype=np.float32) @ self.prototypes.T if n else np.zeros((0, len(self.prototypes)))
        if leave_out is not None:
            for row, column in enumerate(leave_out):
                if column is not None:
                    cosine[row, column] = -1.0
        similarity = np.full((n, k), -1.0, dtype=np.float32)
        for theme in range(k):
            columns = self.prototype_owner == theme
            similarity[:, theme] = cosine[:, columns].max(axis=1) if n else similarity[:, theme]
        margin = _relative_to_mean(similarity)
        keyword = np.zeros((n, k), dtype=np.float32)
        excluded = np.zeros((n, k), dtype=bool)
        hits = []
        for row, text in enumerate(texts):
            found = self.keywords.matches(text)
            hits.append(found)
            for theme in found:
                keyword[row, theme] = 1.0
            for theme in self.excludes.matches(text):
                excluded[row, theme] = True
        return Evidence(similarity, margin, keyword, excluded, hits)

    def confidence(self, evidence: Evidence, calibration: Calibration) -> np.ndarray:
        """(n, K) calibrated confidences, 0 where an exclude keyword vetoes the theme."""
        scores = calibration.confidence(evidence.similarity, evidence.margin, evidence.keyword)
        scores[evidence.excluded] = 0.0
        return scores

    def fit_calibration(self) -> Calibration:
        """Fit the logistic calibration on the codebook's examples (see the module docstring).

        Falls back to :data:`DEFAULT_CALIBRATION` when there are fewer than
        :data:`MIN_EXAMPLES_TO_FIT` examples or fewer than three themes have any, or when
        the fit is degenerate (similarity does not raise the confidence).
        """
        from sklearn.linear_model import LogisticRegression

        rows, texts, owners = [], [], []
        for position, (text, owner) in enumerate(zip(self.prototype_texts, self.prototype_owner)):
            theme = self.codebook.themes[owner]
            if text in theme.examples:
                rows.append(position)
                texts.append(text)
                owners.append(int(owner))
        if len(rows) < MIN_EXAMPLES_TO_FIT or len(set(owners)) < 3:
            return DEFAULT_CALIBRATION
        evidence = self.evidence(texts, self.prototypes[rows], leave_out=rows)
        index = {theme_id: i for i, theme_id in enumerate(self.theme_ids)}
        target = np.zeros_like(evidence.similarity, dtype=int)
        for row, owner in enumerate(owners):
            target[row, owner] = 1
            for ancestor in self.codebook.ancestors(self.theme_ids[owner]):
                target[row, index[ancestor]] = 1
        features = np.stack([evidence.similarity.ravel(), evidence.margin.ravel()], axis=1)
        model = LogisticRegression(C=1.0, max_iter=1000)
        model.fit(features, target.ravel())
        w_sim, w_margin = (float(w) for w in model.coef_[0])
        if w_sim <= 0 or w_sim + w_margin <= 0:
            return DEFAULT_CALIBRATION
        return Calibration(similarity_weight=round(w_sim, 4), margin_weight=round(w_margin, 4),
                           bias=round(float(model.intercept_[0]), 4), source=f"fitted on {len(rows)} codebook examples")


def _relative_to_mean(similarity: np.ndarray) -> np.ndarray:
    """similarity[i, t] minus the mean of similarity[i, :] (zero with fewer than two themes)."""
    if similarity.shape[1] < 2 or similarity.shape[0] == 0:
        return np.zeros_like(similarity)
    return similarity - similarity.mean(axis=1, keepdims=True)


if __name__ == "__main__":  # reproduce DEFAULT_CALIBRATION
    from pathlib import Path

    from cxtext.embeddings import get_embedder
    from cxtext_themes.codebook import load_codebook

    generic = load_codebook(Path(__file__).parent / "codebooks" / "cx-generic.yaml")
    scorer = ThemeScorer(generic, get_embedder().encode)
    print(scorer.fit_calibration())
