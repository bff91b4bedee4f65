"""Pain points: themes and effort drivers that pull a touchpoint down, with representative quotes."""

from __future__ import annotations

import numpy as np
import pytest

from cxtext.embeddings import DEFAULT_MODEL
from cxtext.kpis import pain_points
from cxtext.records import Record
from cxtext.signals import Sentence, Signal
from cxtext.store import text_hash

from .conftest import ingest  # noqa: TID252

TEXTS = {
    "a": "They charged me twice this month.",
    "b": "I was double charged again.",
    "c": "Billing sent me a letter about something unrelated entirely.",
    "d": "I had to call three times and got transferred.",
    "e": "Lovely bill, very clear.",
}
VECTORS = {  # a and b close together, c an outlier: the centroid sits near a and b
    "a": [1.0, 0.1, 0.0], "b": [1.0, 0.0, 0.1], "c": [0.0, 1.0, 0.0],
}


@pytest.fixture
def pain_store(store):
    records = [
        Record(source_kind="survey", text=text, dataset="s", source_id=key, touchpoint="Billing",
               scores={"nps": 9 if key == "e" else 2})
        for key, text in TEXTS.items()
    ]
    ingest(store, records, "s")
    by_key = {r.source_id: r for r in records}
    sentences, sentiment, themes, effort = [], [], [], []
    for key, record in by_key.items():
        sentence = Sentence(f"{record.id}:0", record.id, 0, record.text, 0, len(record.text))
        sentences.append(sentence)
        label, score = ("positive", 0.9) if key == "e" else ("negative", -0.9)
        sentiment += [Signal(record.id, "sentiment", label, score, sentence.id), Signal(record.id, "sentiment", label, score)]
        if key in "abce":
            confidence = 0.99 if key == "c" else 0.7  # the outlier is the most confident match
            themes.append(Signal(record.id, "theme", "billing_error", confidence, sentence.id, {"theme_label": "Billing error"}))
            themes.append(Signal(record.id, "theme", "billing_error", confidence, None, {"theme_label": "Billing error"}))
        if key == "d":
            effort.append(Signal(record.id, "effort", "repeat_contact", 0.9, sentence.id, {"polarity": "high"}))
            effort.append(Signal(record.id, "effort", "transfer", 0.8, sentence.id, {"polarity": "high"}))
        effort.append(Signal(record.id, "effort_score", "high_effort" if key == "d" else "neutral", 2.0 if key == "d" else 4.0))
    ids = [r.id for r in records]
    store.save_analysis("sentences", "1", ids, [], sentences=sentences)
    store.save_analysis("sentiment", "1", ids, sentiment)
    store.save_analysis("themes", "1", ids, themes)
    store.save_analysis("effort", "1", ids, effort)
    return store, by_key


def test_themes_and_effort_drivers_that_pull_billing_down(pain_store):
    store, _ = pain_store
    pain = pain_points(store)
    theme = pain[pain.kind == "theme"].iloc[0]
    assert (theme["group"], theme["item"], theme["label"]) == ("Billing", "billing_error", "Billing error")
    assert theme.records == 3 and theme.analysed == 5 and theme.share == pytest.approx(60.0)
    assert theme.net_sentiment == pytest.approx(100 * (1 - 3) / 4)  # e is positive, a b c negative
    assert theme.score_gap < 0
    drivers = pain[pain.kind == "effort_driver"]
    assert list(drivers["item"]) == ["repeat_contact", "transfer"]
    assert drivers.iloc[0].quotes[0]["text"] == TEXTS["d"]


def test_quotes_are_the_most_confident_without_cached_vectors(pain_store):
    store, _ = pain_store
    theme = pain_points(store).iloc[0]
    assert theme.quote_method == "confidence"
    assert theme.quotes[0]["text"] == TEXTS["c"]  # most confident, even though off-topic
    assert TEXTS["e"] not in [q["text"] for q in theme.quotes]  # positive sentences are never quotes


def test_quotes_nearest_the_centroid_with_cached_vectors(pain_store):
    store, _ = pain_store
    vectors = {}
    for key, vector in VECTORS.items():
        array = np.array(vector, dtype=np.float32)
        vectors[text_hash(TEXTS[key])] = array / np.linalg.norm(array)
    store.save_embeddings(DEFAULT_MODEL, vectors)
    theme = pain_points(store, quotes=2).iloc[0]
    assert theme.quote_method == "centroid"
    assert {q["text"] for q in theme.quotes} == {TEXTS["a"], TEXTS["b"]}  # the outlier is left out


def test_text_effort_kpis(pain_store):
    from cxtext.kpis import compute_kpis

    store, _ = pain_store
    table = compute_kpis(store, metrics=["text_effort", "high_effort_share"]).set_index("metric")
    assert table.loc["text_effort", "value"] == pytest.approx((2 + 4 * 4) / 5)
    assert table.loc["high_effort_share", "value"] == pytest.approx(20.0)  # d of 5 analysed
    assert "7 = very easy" in table.loc["text_effort", "label"]
