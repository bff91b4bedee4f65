"""The effort analyzer end to end: signals, offsets, scores, language skip, classifier path."""

import hashlib
import re

import numpy as np
import pytest

from cxtext.signals import Doc
from cxtext.text import split_sentences
from cxtext_effort import EffortAnalyzer, register_analyzers

DIM = 256


def fake_encode(texts):
    """Bag-of-words vectors (hashed, unit length): enough for a classifier to learn keywords."""
    vectors = np.zeros((len(texts), DIM), dtype=np.float32)
    for row, text in enumerate(texts):
        for word in re.findall(r"[a-z]+", text.lower()):
            vectors[row, int(hashlib.md5(word.encode()).hexdigest(), 16) % DIM] += 1
    norms = np.linalg.norm(vectors, axis=1, keepdims=True)
    return vectors / np.where(norms == 0, 1, norms)


def make_doc(text, record_id="r1", language="en", embed=False):
    (sentences,) = split_sentences([text], [record_id])
    if embed:
        for sentence, vector in zip(sentences, fake_encode([s.text for s in sentences])):
            sentence.embedding = vector
    return Doc(record_id=record_id, text=text, language=language, sentences=sentences, source_kind="survey")


@pytest.fixture(scope="module")
def patterns_only():
    analyzer = EffortAnalyzer({"classifier": False})
    analyzer.load()
    return analyzer


def test_spans_point_at_the_evidence_in_the_record_text(patterns_only):
    text = "Great engineer.  But I was on hold for 45 mins!\nThen transferred to 3 departments."
    signals = patterns_only.process([make_doc(text)])
    spans = [s for s in signals if s.kind == "effort"]
    assert {s.label for s in spans} == {"waiting", "transfer"}
    for signal in spans:
        assert text[signal.data["start"] : signal.data["end"]] == signal.data["evidence"]
        assert signal.sentence_id.startswith("r1:")
        assert signal.data["polarity"] == "high" and signal.data["method"] == "pattern"
        assert 0 < signal.score <= 1
    waiting = next(s for s in spans if s.label == "waiting")
    assert waiting.data["evidence"] == "on hold for 45 mins"
    assert waiting.data["duration_minutes"] == 45
    assert waiting.sentence_id == "r1:1"


def test_record_score_row(patterns_only):
    signals = patterns_only.process([make_doc("Called three times and was passed from pillar to post.", "a"),
                                     make_doc("Quick and easy, sorted first time.", "b")])
    scores = {s.record_id: s for s in signals if s.kind == "effort_score"}
    assert scores["a"].sentence_id is None
    assert scores["a"].label == "high_effort" and scores["a"].score == 2.0
    assert scores["a"].data["drivers"] == ["repeat_contact", "transfer"]
    assert scores["b"].label == "low_effort" and scores["b"].score > 5
    assert scores["b"].data["drivers"] == ["low_effort"]


def test_record_without_evidence_gets_a_no_evidence_row(patterns_only):
    signals = patterns_only.process([make_doc("The price is fine.")])
    assert len(signals) == 1
    assert (signals[0].kind, signals[0].label, signals[0].score) == ("effort_score", "no_evidence", None)


def test_non_english_records_get_no_signal(patterns_only):
    french = make_doc("J'ai attendu 45 minutes au téléphone, quelle galère.", language="fr")
    english = make_doc("Waited 45 minutes on the phone.", record_id="r2")
    signals = patterns_only.process([french, english])
    assert {s.record_id for s in signals} == {"r2"}


def test_version_changes_with_settings():
    assert EffortAnalyzer({"classifier": False}).version != EffortAnalyzer({"classifier": True}).version
    assert EffortAnalyzer({"classifier": True, "classifier_threshold": 0.5}).version != EffortAnalyzer({"classifier": True, "classifier_threshold": 0.7}).version
    assert EffortAnalyzer({"classifier": False}).needs_embeddings is False


@pytest.fixture
def tiny_prototypes(tmp_path):
    path = tmp_path / "prototypes.yaml"
    path.write_text(
        "waiting:\n  - zonk tune zonk\n  - zonk tune forever more\n  - that zonk tune again\n"
        "low_effort:\n  - breezy lovely breezy\n  - so breezy\n  - breezy stuff\n"
        "none:\n  - nice price\n  - good price deal\n  - price ok\n  - lovely colour\n  - colour nice\n",
        encoding="utf-8",
    )
    return path


def test_classifier_adds_confident_evidence_where_patterns_find_none(tiny_prototypes):
    analyzer = EffortAnalyzer({"classifier": True, "prototypes": str(tiny_prototypes), "classifier_threshold": 0.5}, encoder=fake_encode)
    text = "Zonk tune zonk. Nice price."
    signals = analyzer.process([make_doc(text, embed=True)])
    (span,) = [s for s in signals if s.kind == "effort"]
    assert (span.label, span.data["method"], span.data["evidence"]) == ("waiting", "classifier", "Zonk tune zonk.")
    assert span.score >= 0.5
    assert next(s for s in signals if s.kind == "effort_score").label == "high_effort"


def test_classifier_stays_quiet_below_threshold_and_where_patterns_found_something(tiny_prototypes):
    strict = EffortAnalyzer({"classifier": True, "prototypes": str(tiny_prototypes), "classifier_threshold": 0.999}, encoder=fake_encode)
    assert not [s for s in strict.process([make_doc("Zonk tune zonk.", embed=True)]) if s.kind == "effort"]
    analyzer = EffortAnalyzer({"classifier": True, "prototypes": str(tiny_prototypes), "classifier_threshold": 0.5}, encoder=fake_encode)
    signals = analyzer.process([make_doc("On hold for an hour with zonk tune.", embed=True)])
    assert [s.data["method"] for s in signals if s.kind == "effort"] == ["pattern"]


def test_classifier_low_effort_is_dropped_in_negated_sentences(tiny_prototypes):
    analyzer = EffortAnalyzer({"classifier": True, "prototypes": str(tiny_prototypes), "classifier_threshold": 0.5}, encoder=fake_encode)
    assert [s.label for s in analyzer.process([make_doc("So breezy.", embed=True)]) if s.kind == "effort"] == ["low_effort"]
    assert not [s for s in analyzer.process([make_doc("Never breezy.", embed=True)]) if s.kind == "effort"]


def test_registered_through_the_hook(tmp_path):
    from cxtext.config import ProjectConfig

    config = ProjectConfig(base_dir=tmp_path, analysis={"effort": {"classifier": False, "patterns": "p.yaml"}})
    (tmp_path / "p.yaml").write_text(
        "drivers:\n  waiting:\n    polarity: high\n    patterns: ['queue music']\n", encoding="utf-8"
    )
    (analyzer,) = register_analyzers(config)
    assert analyzer.name == "effort" and analyzer.patterns_path == tmp_path / "p.yaml"
    signals = analyzer.process([make_doc("Hours of queue music.")])
    assert [s.label for s in signals if s.kind == "effort"] == ["waiting"]


@pytest.mark.slow
def test_real_minilm_embeddings():
    """The shipped prototypes with real MiniLM vectors: a paraphrase no pattern covers is caught."""
    from cxtext.embeddings import get_embedder

    analyzer = EffortAnalyzer({"classifier": True})
    analyzer.load()
    encode = get_embedder().encode
    texts = ["Their staff kept sending me to other teams.", "The TV picture quality is superb."]
    docs = []
    for index, text in enumerate(texts):
        doc = make_doc(text, record_id=f"m{index}")
        for sentence, vector in zip(doc.sentences, encode([s.text for s in doc.sentences])):
            sentence.embedding = vector
        docs.append(doc)
    assert analyzer.matcher.find(texts) == [[], []]  # patterns alone find nothing here
    signals = analyzer.process(docs)
    spans = {s.record_id: s for s in signals if s.kind == "effort"}
    assert spans["m0"].label == "transfer" and spans["m0"].data["method"] == "classifier"
    assert spans["m0"].score >= analyzer.threshold
    assert "m1" not in spans
