"""The sentiment analyzer: signals per sentence and per record, settings, language skip."""

from __future__ import annotations

import numpy as np
import pytest

from cxtext.config import ProjectConfig
from cxtext.errors import InputError
from cxtext.signals import Analyzer
from cxtext_sentiment import register_analyzers
from cxtext_sentiment.analyzer import SentimentAnalyzer
from cxtext_sentiment.backends import HuggingFaceBackend, LoraBackend, VaderBackend

from .conftest import make_doc


class KeywordBackend:
    """A transparent backend for plumbing tests: 'good' is positive, 'bad' negative, else neutral."""

    name = "keywords"
    version = "kw-1"

    def __init__(self) -> None:
        self.calls: list[list[str]] = []

    def load(self) -> None:
        pass

    def predict_proba(self, texts):
        self.calls.append(list(texts))
        rows = {True: [0.05, 0.05, 0.9]}
        return np.array([[0.9, 0.05, 0.05] if "bad" in t else rows.get("good" in t, [0.1, 0.8, 0.1]) for t in texts])

    def label_of(self, probs):
        return ("negative", "neutral", "positive")[int(np.argmax(probs))]


def test_register_analyzers_reads_project_settings():
    (default,) = register_analyzers(ProjectConfig())
    assert isinstance(default, Analyzer) and isinstance(default.backend, LoraBackend)
    assert default.name == "sentiment" and default.model == "minilm-lora" and not default.needs_embeddings
    (vader,) = register_analyzers(ProjectConfig(analysis={"sentiment": {"model": "vader"}}))
    assert isinstance(vader.backend, VaderBackend) and vader.version.startswith("sentiment-1.1+vader-")


@pytest.mark.parametrize("settings, message", [
    ({"modle": "vader"}, "unknown"),
    ({"model": ""}, "non-empty"),
    ({"batch_size": 0}, "positive whole number"),
    ({"max_length": "long"}, "positive whole number"),
    ({"label_map": {"joy": "happy"}}, "label_map"),
])
def test_bad_settings_are_input_errors(settings, message):
    with pytest.raises(InputError, match=message):
        SentimentAnalyzer.from_settings(settings)


def test_sentence_and_record_signals():
    backend = KeywordBackend()
    analyzer = SentimentAnalyzer(backend)
    docs = [make_doc("r1", ["The staff were good.", "But the wait was really bad and very long."]),
            make_doc("r2", ["good"]), make_doc("r3", ["Nothing to add."])]
    signals = analyzer.process(docs)
    # One pass for the whole batch: four sentences, then the whole text of the two-sentence record.
    assert len(backend.calls) == 1 and len(backend.calls[0]) == 5
    assert backend.calls[0][4] == docs[0].text
    by_key = {(s.record_id, s.sentence_id): s for s in signals}
    assert set(by_key) == {("r1", "r1:0"), ("r1", "r1:1"), ("r1", None), ("r2", "r2:0"), ("r2", None),
                           ("r3", "r3:0"), ("r3", None)}
    assert by_key[("r1", "r1:0")].label == "positive" and by_key[("r1", "r1:1")].label == "negative"
    record = by_key[("r1", None)]
    assert record.label == "negative"  # the longer sentence weighs more
    assert record.data["mixed"] is True and record.data["sentences"] == 2
    assert not by_key[("r2", None)].data["mixed"]
    for signal in signals:
        probs = signal.data["probs"]
        assert signal.kind == "sentiment" and set(probs) == {"negative", "neutral", "positive"}
        assert signal.score == pytest.approx(probs["positive"] - probs["negative"], abs=1e-3)
        assert -1 <= signal.score <= 1
        assert (signal.model, signal.model_version) == ("keywords", "sentiment-1.1+kw-1")


def test_non_english_docs_get_no_sentiment():
    backend = KeywordBackend()
    signals = SentimentAnalyzer(backend).process([make_doc("fr", ["Très bon service"], language="fr"),
                                                  make_doc("unknown", ["good"], language=None)])
    assert {s.record_id for s in signals} == {"unknown"}
    assert backend.calls == [["good"]]


def test_doc_without_sentences_gets_a_record_signal_only():
    doc = make_doc("r1", [])
    doc.text = "bad service"
    signals = SentimentAnalyzer(KeywordBackend()).process([doc, make_doc("empty", [])])
    assert [(s.record_id, s.sentence_id, s.label) for s in signals] == [("r1", None, "negative")]


def test_vader_analyzer_end_to_end():
    analyzer = SentimentAnalyzer.from_settings({"model": "vader"})
    analyzer.load()
    signals = analyzer.process([make_doc("r1", ["Lovely, friendly staff!", "The wait was awful and horrible."])])
    labels = {s.sentence_id: s.label for s in signals}
    assert labels == {"r1:0": "positive", "r1:1": "negative", None: labels[None]}
    record = [s for s in signals if s.sentence_id is None][0]
    assert record.data["mixed"] is True and record.model == "vader"


def test_hugging_face_analyzer_names_the_model(tiny_classifier):
    analyzer = SentimentAnalyzer.from_settings({"model": tiny_classifier, "batch_size": 2})
    assert isinstance(analyzer.backend, HuggingFaceBackend)
    version_before_load = analyzer.version  # the host reads it before load()
    signals = analyzer.process([make_doc("r1", ["one", "two words", "three words here"])])
    assert len(signals) == 4 and {s.model for s in signals} == {tiny_classifier}
    assert analyzer.version == version_before_load == "sentiment-1.1+hf-local"
