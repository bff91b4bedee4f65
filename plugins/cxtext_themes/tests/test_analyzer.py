"""The themes analyzer: keyword + embedding evidence, calibration, multi-label, hierarchy, signals."""

from __future__ import annotations

import numpy as np
import pytest

from cxtext.config import ProjectConfig
from cxtext.errors import InputError
from cxtext.signals import Doc, Sentence
from cxtext_themes import ThemesAnalyzer
from cxtext_themes.analyzer import GENERIC_CODEBOOK
from cxtext_themes.scoring import DEFAULT_CALIBRATION, Calibration


def make_doc(record_id: str, sentences: list[str], language: str | None = "en") -> Doc:
    text, items, position = "", [], 0
    for index, sentence in enumerate(sentences):
        items.append(Sentence(id=f"{record_id}:{index}", record_id=record_id, index=index, text=sentence,
                              start=position, end=position + len(sentence)))
        text += sentence + " "
        position = len(text)
    return Doc(record_id=record_id, text=text.strip(), language=language, sentences=items, source_kind="survey")


@pytest.fixture
def analyzer(codebook_path, encoder):
    loaded = ThemesAnalyzer(codebook_path, encoder=encoder)
    loaded.load()
    return loaded


def sentence_themes(signals, sentence_id):
    return sorted(s.label for s in signals if s.sentence_id == sentence_id)


def test_calibration_is_fitted_on_the_codebook_examples(analyzer):
    # 13 examples is below the minimum, so the documented default applies ...
    assert analyzer.calibration.similarity_weight == DEFAULT_CALIBRATION.similarity_weight
    # ... while the shipped generic codebook has enough to fit its own.
    generic = ThemesAnalyzer(encoder=analyzer._encoder)
    generic.load()
    assert generic.calibration.source.startswith("fitted on")
    assert generic.calibration.similarity_weight > 0


def test_confidence_is_monotonic_in_every_piece_of_evidence():
    calibration = DEFAULT_CALIBRATION
    similarity = np.linspace(-0.2, 1.0, 25)
    zeros = np.zeros_like(similarity)
    by_similarity = calibration.confidence(similarity, zeros, zeros)
    assert np.all(np.diff(by_similarity) > 0)
    assert np.all(np.diff(calibration.confidence(zeros + 0.5, np.linspace(-0.5, 0.5, 25), zeros)) > 0)
    assert np.all(calibration.confidence(similarity, zeros, zeros + 1) > by_similarity)
    assert np.all((by_similarity > 0) & (by_similarity < 1))
    # Meaningful, not just monotonic: weak evidence is unlikely, strong evidence likely.
    assert calibration.confidence(np.array([0.1]), np.array([-0.2]), np.array([0.0]))[0] < 0.1
    assert calibration.confidence(np.array([0.7]), np.array([0.3]), np.array([1.0]))[0] > 0.8


def test_keyword_and_embedding_evidence(analyzer):
    docs = [make_doc("r1", ["I was double charged on my invoice.", "The engineer never came for the visit."])]
    signals = analyzer.process(docs)
    assert sentence_themes(signals, "r1:0") == ["billing"]
    assert sentence_themes(signals, "r1:1") == ["install"]
    billing = next(s for s in signals if s.sentence_id == "r1:0")
    assert billing.data["method"] == "keyword+embedding"
    assert billing.data["keywords"] == ["double charged", "invoice"]
    assert billing.data["codebook"] == "test-book@1.0"
    assert billing.data["theme_label"] == "Billing" and billing.data["parent"] is None
    assert 0.5 <= billing.score <= 1.0
    # Embedding evidence alone also assigns a theme (no keyword of "waiting" in the text).
    signals = analyzer.process([make_doc("r2", ["I waited and waited in the queue for hours."])])
    assert sentence_themes(signals, "r2:0") == ["waiting"]
    assert next(s for s in signals if s.sentence_id == "r2:0").data["method"] == "embedding"


def test_keyword_raises_confidence(analyzer):
    with_keyword, _ = analyzer.score(["stuck on hold"])
    without, _ = analyzer.score(["stuck holding"])
    waiting = analyzer.scorer.theme_ids.index("waiting")
    assert with_keyword[0, waiting] > without[0, waiting]


def test_multi_label_sentence(analyzer):
    signals = analyzer.process([make_doc("r1", ["The app crashed so I waited on hold for hours."])])
    assert sentence_themes(signals, "r1:0") == ["app", "waiting"]


def test_children_imply_parents_at_record_level(analyzer):
    signals = analyzer.process([make_doc("r1", ["A fee was charged on my bill.", "The app crashes on login."])])
    # At sentence level the child says it all ...
    assert sentence_themes(signals, "r1:0") == ["fees"]
    record = {s.label: s for s in signals if s.sentence_id is None}
    # ... at record level the parent is implied, with the child's confidence.
    assert set(record) == {"fees", "billing", "app"}
    assert record["billing"].data["method"] == "roll-up from child themes"
    assert record["billing"].score == record["fees"].score
    assert record["fees"].data["method"] == "max over sentences"


def test_record_level_row_per_theme_with_max_confidence(analyzer):
    doc = make_doc("r1", ["The app crashes.", "The app crashed on login after the update, the app is broken."])
    signals = analyzer.process([doc])
    app_sentences = [s.score for s in signals if s.label == "app" and s.sentence_id]
    app_record = [s for s in signals if s.label == "app" and s.sentence_id is None]
    assert len(app_sentences) == 2 and len(app_record) == 1
    assert app_record[0].score == max(app_sentences)


def test_exclude_keyword_vetoes_a_theme(analyzer):
    signals = analyzer.process([make_doc("r1", ["There was no fee charged on my bill."])])
    assert "fees" not in sentence_themes(signals, "r1:0")


def test_fallback_assigns_substantive_sentences_only(codebook_path, encoder):
    strict = ThemesAnalyzer(codebook_path, encoder=encoder, threshold=0.99, fallback_threshold=0.0)
    signals = strict.process([make_doc("r1", ["The engineer came today at noon.", "Thanks!"])])
    fallback = [s for s in signals if s.sentence_id == "r1:0"]
    assert [s.label for s in fallback] == ["install"] and fallback[0].data["fallback"] is True
    assert sentence_themes(signals, "r1:1") == []  # one word: not substantive
    off = ThemesAnalyzer(codebook_path, encoder=encoder, threshold=0.99, fallback_threshold=1.0)
    assert off.process([make_doc("r1", ["The engineer came today at noon."])]) == []


def test_non_english_and_empty_docs_get_no_themes(analyzer):
    signals = analyzer.process([make_doc("r1", ["La factura es incorrecta, me cobraron dos veces."], language="es"),
                                make_doc("r2", [])])
    assert signals == []


def test_uses_sentence_embeddings_from_the_host(codebook_path, encoder):
    calls = []

    def counting(texts):
        calls.append(list(texts))
        return encoder(texts)

    analyzer = ThemesAnalyzer(codebook_path, encoder=counting)
    analyzer.load()
    doc = make_doc("r1", ["I was charged twice."])
    doc.sentences[0].embedding = encoder(["I was charged twice."])[0]
    calls.clear()
    analyzer.process([doc])
    assert calls == []  # nothing re-embedded


def test_version_tracks_codebook_and_settings(codebook_path, encoder):
    first = ThemesAnalyzer(codebook_path, encoder=encoder).version
    assert first.startswith("themes-1.0+test-book-1.0-")
    assert ThemesAnalyzer(codebook_path, encoder=encoder, threshold=0.6).version != first
    codebook_path.write_text(codebook_path.read_text().replace("[app]", "[app, apps]"))
    assert ThemesAnalyzer(codebook_path, encoder=encoder).version != first


def test_plugin_registers_analyzer_from_project_settings(codebook_path, tmp_path):
    import cxtext_themes

    config = ProjectConfig(base_dir=codebook_path.parent, analysis={"themes": {"codebook": "codebook.yaml",
                                                                                "threshold": 0.6}})
    (analyzer,) = cxtext_themes.register_analyzers(config)
    assert analyzer.name == "themes" and analyzer.needs_embeddings
    assert analyzer.codebook.name == "test-book" and analyzer.threshold == 0.6
    (default,) = cxtext_themes.register_analyzers(ProjectConfig(base_dir=tmp_path))
    assert default.codebook.path == GENERIC_CODEBOOK


@pytest.mark.parametrize(
    ("settings", "message"),
    [({"threshold": 2}, "threshold = 2 is out of range"), ({"threshold": "high"}, "out of range"),
     ({"treshold": 0.5}, "unknown setting(s) treshold")],
)
def test_bad_settings_are_input_errors(settings, message):
    with pytest.raises(InputError, match=message.replace("(", r"\(").replace(")", r"\)")):
        ThemesAnalyzer.from_settings(settings, where="cxtext.toml")


def test_bad_codebook_fails_when_used_not_when_registered(tmp_path, encoder):
    analyzer = ThemesAnalyzer(tmp_path / "nope.yaml", encoder=encoder)
    with pytest.raises(InputError, match="codebook file not found"):
        analyzer.version


@pytest.mark.slow
def test_generic_codebook_with_minilm():
    """The shipped codebook with the real model: right themes, confident, and few sentences left out."""
    analyzer = ThemesAnalyzer()
    analyzer.load()
    sentences = {
        "I was charged twice this month and my bill is wrong.": "billing",
        "I waited on hold for over an hour.": "wait-times",
        "The engineer did not turn up for the installation appointment.": "delivery-installation",
        "The app keeps crashing since the update.": "digital-self-service",
        "The lady I spoke to was rude and dismissive.": "staff-attitude",
        "My broadband drops out every evening.": "reliability",
        "Far too expensive for what you get.": "price-value",
        "I am still waiting for my refund.": "refunds",
    }
    docs = [make_doc(f"r{i}", [text]) for i, text in enumerate(sentences)]
    signals = analyzer.process(docs)
    for i, (text, expected) in enumerate(sentences.items()):
        assigned = {s.label: s.score for s in signals if s.sentence_id == f"r{i}:0"}
        assert expected in assigned, (text, assigned)
        assert assigned[expected] >= 0.5
    confidences, _ = analyzer.score(["The weather was lovely in Spain."])
    assert confidences.max() < 0.5  # off-topic: no confident theme
    assert isinstance(analyzer.calibration, Calibration)


@pytest.mark.slow
def test_fitted_calibration_beats_the_base_rate_on_held_out_examples():
    """Each example scored with itself left out: confidences separate its theme from the others."""
    from cxtext.embeddings import get_embedder
    from cxtext_themes.codebook import load_codebook
    from cxtext_themes.scoring import ThemeScorer

    book = load_codebook(GENERIC_CODEBOOK)
    scorer = ThemeScorer(book, get_embedder().encode)
    calibration = scorer.fit_calibration()
    rows = [i for i, (text, owner) in enumerate(zip(scorer.prototype_texts, scorer.prototype_owner))
            if text in book.themes[owner].examples]
    evidence = scorer.evidence([scorer.prototype_texts[i] for i in rows], scorer.prototypes[rows], leave_out=rows)
    confidence = calibration.with_keyword_weight(0).confidence(evidence.similarity, evidence.margin,
                                                               evidence.keyword)
    truth = np.zeros_like(confidence)
    for row, prototype in enumerate(rows):
        theme_id = book.themes[scorer.prototype_owner[prototype]].id
        for target in [theme_id, *book.ancestors(theme_id)]:
            truth[row, scorer.theme_ids.index(target)] = 1
    brier = np.mean((confidence - truth) ** 2)
    base_rate = np.mean((truth.mean() - truth) ** 2)
    assert brier < 0.9 * base_rate
    assert abs(confidence.mean() - truth.mean()) < 0.02  # calibrated on average
    assert confidence[truth == 1].mean() > 3 * confidence[truth == 0].mean()
