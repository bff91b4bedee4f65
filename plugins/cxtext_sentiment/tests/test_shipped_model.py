"""The shipped adapter on obvious sentences (loads the real MiniLM backbone: a few seconds)."""

from __future__ import annotations

import pytest

from cxtext_sentiment.analyzer import SentimentAnalyzer
from cxtext_sentiment.model import DEFAULT_MODEL_DIR

from .conftest import make_doc

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def analyzer():
    if not (DEFAULT_MODEL_DIR / "head.safetensors").exists():
        pytest.fail(f"the shipped adapter is missing from {DEFAULT_MODEL_DIR}")
    analyzer = SentimentAnalyzer.from_settings({})
    analyzer.load()
    return analyzer


def test_shipped_adapter_gets_obvious_sentences_right(analyzer):
    docs = [make_doc("pos", ["I love this, great service"]),
            make_doc("neg", ["worst service ever, still waiting for a refund"])]
    records = {s.record_id: s for s in analyzer.process(docs) if s.sentence_id is None}
    assert records["pos"].label == "positive" and records["pos"].score > 0.5
    assert records["neg"].label == "negative" and records["neg"].score < -0.5
    assert records["pos"].model == "minilm-lora"
    assert records["pos"].model_version.startswith("sentiment-1.1+minilm-lora-")


def test_shipped_adapter_sees_mixed_records(analyzer):
    doc = make_doc("mixed", ["The staff were lovely and so helpful.", "But the wait was awful, two hours in the queue."])
    signals = analyzer.process([doc])
    sentences = {s.sentence_id: s.label for s in signals if s.sentence_id}
    assert sentences == {"mixed:0": "positive", "mixed:1": "negative"}
    record = [s for s in signals if s.sentence_id is None][0]
    assert record.data["mixed"] is True
