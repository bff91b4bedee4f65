"""Filler and disfluencies: stripped before clustering, never a theme or a key phrase."""

from __future__ import annotations

import numpy as np
import pytest

from cxtext_themes.discover import class_tfidf_terms, discover_themes
from cxtext_themes.filler import is_filler, strip_filler


@pytest.mark.parametrize("text, expected", [
    ("Uh, yeah, so the weather data came in late.", "the weather data came in late."),
    ("Um, and then I, I went to the data team.", "and then I went to the data team."),
    ("The labels were, like, wrong.", "The labels were, wrong."),
    ("I like the fit.", "I like the fit."),  # "like" as a verb stays
    ("Okay, ok.", ""),
    ("Yeah, yes, sure.", ""),
])
def test_strip_filler(text, expected):
    assert strip_filler(text) == expected


@pytest.mark.parametrize("text, filler", [
    ("Yeah, yes, sure.", True), ("Okay, ok", True), ("Um, uh, like, you know", True),
    ("Data, like, um", True), ("The data pipeline broke", False), ("Labels were wrong", False),
])
def test_is_filler(text, filler):
    assert is_filler(text, min_content_words=2) is filler


def test_filler_words_are_never_key_phrases():
    groups = [["yeah so um the bill was wrong", "um yeah the bill again"], ["okay like the app crashed", "uh the app"]]
    terms = class_tfidf_terms(groups, top_n=5)
    flat = {word for group in terms for term in group for word in term.split()}
    assert {"bill", "app"} <= flat
    assert not flat & {"um", "uh", "yeah", "okay", "like", "so"}


def test_filler_sentences_form_no_theme():
    rng = np.random.default_rng(0)
    texts, vectors = [], []
    for topic, words in enumerate(["bill charged twice", "app login crash", "engineer visit missed"]):
        for i in range(30):
            texts.append(f"the {words} again {i}")
            vectors.append(np.eye(8)[topic] + rng.normal(0, 0.1, 8))
    for i in range(30):  # filler: one tight cluster of its own in embedding space
        texts.append(["Yeah, yes, sure.", "Okay, ok.", "Um, uh, like."][i % 3])
        vectors.append(np.eye(8)[5] + rng.normal(0, 0.02, 8))
    found = discover_themes(texts, np.array(vectors), seed=0, min_themes=2, max_themes=6)
    assert len(found.themes) == 3
    assert (found.assignments[90:] == -1).all()
    assert all(not set(d.theme.keywords) & {"yeah", "okay", "um", "uh", "like"} for d in found.themes)
