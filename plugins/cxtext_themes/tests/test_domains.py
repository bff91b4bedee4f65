"""Shipped domain codebooks: named in the project file, suggested for a store's sentences."""

from __future__ import annotations

from pathlib import Path

import numpy as np

from cxtext_themes import ThemesAnalyzer
from cxtext_themes.domains import DOMAIN_CODEBOOKS, shipped_codebook, suggest_codebook


def test_a_shipped_codebook_can_be_named_in_the_project_file(tmp_path):
    analyzer = ThemesAnalyzer.from_settings({"codebook": "retail-ecommerce"}, resolve=lambda p: tmp_path / p)
    assert analyzer.codebook.name == "retail-ecommerce"
    (tmp_path / "mine.yaml").write_text(Path(shipped_codebook("healthcare").path).read_text())
    assert ThemesAnalyzer.from_settings({"codebook": "mine.yaml"}, resolve=lambda p: tmp_path / p).codebook.name == "healthcare"


def test_suggestion_picks_the_domain_whose_prototypes_the_sentences_are_near():
    # A fake encoder: each domain's prototypes get their own direction.
    owner = {text: index for index, name in enumerate(DOMAIN_CODEBOOKS)
             for theme in shipped_codebook(name).themes for text in theme.prototypes()}

    def encode(texts):
        vectors = np.zeros((len(texts), len(DOMAIN_CODEBOOKS) + 1), dtype=np.float32)
        for row, text in enumerate(texts):
            vectors[row, owner.get(text, -1)] = 1.0
        return vectors

    healthcare = list(DOMAIN_CODEBOOKS).index("healthcare")
    sentences = np.zeros((5, len(DOMAIN_CODEBOOKS) + 1), dtype=np.float32)
    sentences[:, healthcare] = 0.9
    sentences[:, -1] = np.sqrt(1 - 0.81)
    suggestion = suggest_codebook(sentences, encode)
    assert suggestion.name == "healthcare"
    assert "healthcare" in suggestion.note and suggestion.fits["healthcare"] > suggestion.fits["retail-ecommerce"]
