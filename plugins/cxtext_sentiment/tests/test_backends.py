"""Backends: label mapping for any Hugging Face model, VADER, and choosing a backend from settings."""

from __future__ import annotations

import numpy as np
import pytest

from cxtext.errors import InputError
from cxtext_sentiment.backends import (
    HuggingFaceBackend, LoraBackend, VaderBackend, compound_to_probs, make_backend, map_labels,
)


@pytest.mark.parametrize("id2label, expected", [
    ({0: "negative", 1: "neutral", 2: "positive"}, ["negative", "neutral", "positive"]),
    ({0: "NEGATIVE", 1: "POSITIVE"}, ["negative", "positive"]),
    ({0: "LABEL_0", 1: "LABEL_1", 2: "LABEL_2"}, ["negative", "neutral", "positive"]),
    ({0: "LABEL_0", 1: "LABEL_1"}, ["negative", "positive"]),
    ({0: "1 star", 1: "2 stars", 2: "3 stars", 3: "4 stars", 4: "5 stars"},
     ["negative", "negative", "neutral", "positive", "positive"]),
    ({1: "Pos", 0: "Neg"}, ["negative", "positive"]),
])
def test_map_labels(id2label, expected):
    assert map_labels(id2label) == expected


def test_map_labels_unknown_names_need_a_label_map():
    labels = {0: "joy", 1: "anger"}
    with pytest.raises(InputError, match="label_map"):
        map_labels(labels)
    assert map_labels(labels, {"JOY": "positive", "anger": "negative"}) == ["positive", "negative"]


def test_vader_probabilities_follow_compound():
    probs = compound_to_probs(np.array([0.8, -0.5, 0.0]))
    assert probs[:, 2] - probs[:, 0] == pytest.approx([0.8, -0.5, 0.0])
    assert probs.sum(1) == pytest.approx([1.0, 1.0, 1.0])


def test_vader_backend_labels():
    vader = VaderBackend()
    probs = vader.predict_proba(["I love it, wonderful staff!", "Terrible, the worst wait ever.", "The store opens at 9."])
    assert [vader.label_of(p) for p in probs] == ["positive", "negative", "neutral"]
    assert vader.version.startswith("vader-")


def test_make_backend_routes_settings(tmp_path, tiny_classifier):
    assert isinstance(make_backend(None), LoraBackend)
    assert isinstance(make_backend("minilm-lora"), LoraBackend)
    assert isinstance(make_backend("VADER"), VaderBackend)
    hub = make_backend("cardiffnlp/twitter-roberta-base-sentiment-latest")
    assert isinstance(hub, HuggingFaceBackend) and hub.name == "cardiffnlp/twitter-roberta-base-sentiment-latest"
    adapter = tmp_path / "my-adapter"
    adapter.mkdir()
    (adapter / "head.safetensors").write_bytes(b"")
    retrained = make_backend("my-adapter", resolve=lambda p: tmp_path / p)
    assert isinstance(retrained, LoraBackend) and retrained.name == "minilm-lora:my-adapter"
    assert isinstance(make_backend(tiny_classifier), HuggingFaceBackend)


def test_hugging_face_backend_maps_two_class_models(tmp_path, tiny_backbone):
    from transformers import AutoTokenizer, BertConfig, BertForSequenceClassification

    config = BertConfig.from_pretrained(tiny_backbone, num_labels=2, id2label={0: "NEGATIVE", 1: "POSITIVE"},
                                        label2id={"NEGATIVE": 0, "POSITIVE": 1})
    BertForSequenceClassification(config).save_pretrained(tmp_path)
    AutoTokenizer.from_pretrained(tiny_backbone).save_pretrained(tmp_path)
    backend = HuggingFaceBackend(str(tmp_path))
    backend.load()
    probs = backend.predict_proba(["fine", "a much longer text about the delivery of my parcel", "bad"])
    assert probs.shape == (3, 3)
    assert probs[:, 1] == pytest.approx([0, 0, 0])  # a 2-class model never says neutral
    assert probs.sum(1) == pytest.approx([1, 1, 1], abs=1e-5)
    assert backend.version == "hf-local"


def test_hugging_face_backend_keeps_input_order(tiny_classifier):
    backend = HuggingFaceBackend(tiny_classifier)
    texts = ["a long sentence about waiting for a refund for weeks", "ok", "great"]
    together = backend.predict_proba(texts)
    alone = np.vstack([backend.predict_proba([t]) for t in texts])
    assert together == pytest.approx(alone, abs=1e-5)


def test_missing_hugging_face_model_is_an_input_error(tmp_path):
    with pytest.raises(InputError, match="cannot load the sentiment model"):
        HuggingFaceBackend(str(tmp_path / "nowhere")).load()
