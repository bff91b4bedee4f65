"""Theme discovery: deterministic drafts, c-TF-IDF labels, stable ids against an existing codebook, the CLI."""

from __future__ import annotations

import numpy as np
import pytest
from click.testing import CliRunner

from cxtext.records import Record
from cxtext_themes.codebook import load_codebook, write_codebook
from cxtext_themes.discover import class_tfidf_terms, discover_themes

TOPIC_SENTENCES = {
    "billing": ["My bill was wrong again", "I was charged twice on the bill", "The bill payment failed",
                "Another wrong bill this month", "Charged twice, bill still wrong", "Bill payment taken twice"],
    "waiting": ["I waited on hold for hours", "Hold times are far too long", "Waited an hour on hold again",
                "Long hold before anyone answered", "On hold for ninety minutes", "Hold music for hours"],
    "app": ["The app crashes on login", "App login keeps failing", "The app crashed after the update",
            "Cannot login to the app", "App update broke login", "The app crashes every time"],
}


def corpus(seed: int = 0, repeats: int = 3) -> tuple[list[str], np.ndarray]:
    """Sentences around three well-separated directions, with a little noise."""
    rng = np.random.default_rng(seed)
    texts, vectors = [], []
    for topic, (name, sentences) in enumerate(TOPIC_SENTENCES.items()):
        for _ in range(repeats):
            for sentence in sentences:
                vector = np.zeros(16)
                vector[topic] = 1.0
                vector += rng.normal(0, 0.15, 16)
                texts.append(sentence)
                vectors.append(vector / np.linalg.norm(vector))
    return texts, np.array(vectors, dtype=np.float32)


def test_same_seed_same_draft(tmp_path):
    texts, vectors = corpus()
    first = discover_themes(texts, vectors, seed=3, max_themes=6)
    second = discover_themes(texts, vectors, seed=3, max_themes=6)
    a = write_codebook(first.codebook, tmp_path / "a.yaml").read_text()
    b = write_codebook(second.codebook, tmp_path / "b.yaml").read_text()
    assert a == b
    assert np.array_equal(first.assignments, second.assignments)


def test_finds_the_topics_with_distinctive_labels_and_central_examples(tmp_path):
    texts, vectors = corpus()
    found = discover_themes(texts, vectors, seed=0, max_themes=6)
    assert found.k == 3 and len(found.themes) == 3
    assert found.unassigned_share == 0.0
    ids = sorted(d.theme.id for d in found.themes)
    assert any("bill" in i or "charged" in i for i in ids), ids
    assert any("hold" in i for i in ids) and any("app" in i for i in ids), ids
    assert all(i.startswith(("t01-", "t02-", "t03-")) for i in ids)
    for theme in found.themes:
        topic = next(name for name, sentences in TOPIC_SENTENCES.items() if theme.theme.examples[0] in sentences)
        assert all(example in TOPIC_SENTENCES[topic] for example in theme.theme.examples)
        assert len(set(theme.theme.examples)) == len(theme.theme.examples)  # no duplicate quotes
        assert theme.size == 18
    # The draft is a valid codebook, ready to edit and apply.
    path = write_codebook(found.codebook, tmp_path / "draft.yaml")
    assert [t.id for t in load_codebook(path).themes] == [d.theme.id for d in found.themes]


def test_outliers_and_small_clusters(tmp_path):
    texts, vectors = corpus()
    stray = np.zeros((1, 16), dtype=np.float32)
    stray[0, 15] = 1.0
    found = discover_themes(texts + ["Lovely weather"], np.vstack([vectors, stray]), seed=0, k=3,
                            outlier_similarity=0.3)
    assert found.assignments[-1] == -1  # far from every theme: left unassigned
    assert found.unassigned_share == pytest.approx(1 / 55)


def test_existing_codebook_keeps_ids_on_new_data(encoder):
    texts, vectors = corpus(seed=0)
    first = discover_themes(texts, vectors, seed=0, k=3)
    # A researcher renames one theme and keeps the rest.
    first.codebook.themes[0].label = "Edited label"
    edited = first.codebook
    centroids = {d.theme.id: d.centroid for d in first.themes}

    def prototype_encoder(prototypes: list[str]) -> np.ndarray:
        # The existing themes' prototypes sit where their clusters were.
        for theme in edited.themes:
            if prototypes == theme.prototypes():
                return np.repeat(centroids[theme.id][None, :], len(prototypes), axis=0)
        raise AssertionError(prototypes)

    new_texts, new_vectors = corpus(seed=7)  # new data, same topics, shuffled
    order = np.random.default_rng(1).permutation(len(new_texts))
    second = discover_themes([new_texts[i] for i in order], new_vectors[order], seed=5, k=3,
                             existing=edited, encoder=prototype_encoder)
    assert sorted(d.theme.id for d in second.themes) == sorted(centroids)
    assert all(d.matched == d.theme.id and d.match_similarity > 0.9 for d in second.themes)
    assert "Edited label" in [d.theme.label for d in second.themes]
    assert second.codebook.version == "0.1-draft"


def test_new_topic_gets_a_new_id_after_existing_ones():
    texts, vectors = corpus()
    two_topics = discover_themes(texts[:36], vectors[:36], seed=0, k=2)
    centroids = {d.theme.id: d.centroid for d in two_topics.themes}
    encoder = lambda prototypes: np.repeat(  # noqa: E731
        next(centroids[t.id] for t in two_topics.codebook.themes if t.prototypes() == prototypes)[None, :],
        len(prototypes), axis=0)
    three = discover_themes(texts, vectors, seed=0, k=3, existing=two_topics.codebook, encoder=encoder)
    new = [d.theme.id for d in three.themes if d.matched is None]
    assert len(new) == 1 and new[0].startswith("t03-") and "app" in new[0]


def test_unmatched_existing_themes_stay_in_the_draft():
    texts, vectors = corpus()
    first = discover_themes(texts, vectors, seed=0, k=3)
    far = lambda prototypes: np.tile(np.eye(16)[15], (len(prototypes), 1))  # noqa: E731
    second = discover_themes(texts, vectors, seed=0, k=3, existing=first.codebook, encoder=far)
    assert sorted(second.kept_existing) == sorted(t.id for t in first.codebook.themes)
    assert len(second.codebook.themes) == 6
    assert len({t.id for t in second.codebook.themes}) == 6


def test_class_tfidf_prefers_distinctive_terms():
    terms = class_tfidf_terms([["the bill was wrong", "wrong bill again", "service was fine"],
                               ["on hold for hours", "hours on hold", "service was fine"]], top_n=3)
    # Shared words ("service", "fine") rank below each class's own words.
    assert set(" ".join(terms[0][:2]).split()) <= {"bill", "wrong"}
    assert set(" ".join(terms[1][:2]).split()) <= {"hold", "hours"}


def test_discover_command_end_to_end(store, tmp_path, monkeypatch, encoder):
    from cxtext.cli import build_cli
    import cxtext_themes.commands as commands

    class FakeEmbedder:
        cache_key = "fake"
        dim = 7

        def encode(self, texts, batch_size=64):
            return encoder(texts)

    monkeypatch.setattr(commands, "embedder_for", lambda config: FakeEmbedder())
    sentences = ["My bill was charged twice.", "The invoice payment was wrong.", "Bill charged again.",
                 "I waited on hold for hours.", "The queue was slow.", "Hold for minutes.",
                 "The app crashes on login.", "Website login failed.", "App update crashed."]
    records = [Record(source_kind="survey", text=t, dataset="d", source_id=str(i)) for i, t in enumerate(sentences)]
    records.append(Record(source_kind="survey", text="La factura está mal y nadie responde.", dataset="d",
                          source_id="es", language="es"))
    records.append(Record(source_kind="transcript", text="How was your billing experience overall?", dataset="d",
                          source_id="q", role="interviewer"))
    store.ingest(records, path="x.csv", source="survey", dataset="d", file_sha256="0")
    store.close()
    out = tmp_path / "draft.yaml"
    runner = CliRunner()
    args = ["themes", "discover", "--db", str(store.path), "--out", str(out), "--k", "3", "--min-size", "2"]
    result = runner.invoke(build_cli(), args)
    assert result.exit_code == 0, result.output
    assert "unassigned share 0.0%" in result.output
    draft = load_codebook(out)
    assert len(draft.themes) == 3
    examples = [e for t in draft.themes for e in t.examples]
    assert examples and all("factura" not in e and "overall?" not in e for e in examples), examples
    assert runner.invoke(build_cli(), args).exit_code == 0
    again = tmp_path / "again.yaml"
    runner.invoke(build_cli(), args[:-4] + ["--out", str(again), "--k", "3", "--min-size", "2",
                                           "--existing", str(out)])
    assert sorted(t.id for t in load_codebook(again).themes) == sorted(t.id for t in draft.themes)


def test_check_command_reports_errors_without_traceback(tmp_path, codebook_path):
    from cxtext.cli import build_cli

    runner = CliRunner()
    ok = runner.invoke(build_cli(), ["themes", "check", str(codebook_path)])
    assert ok.exit_code == 0 and "5 themes, valid" in ok.output
    bad = tmp_path / "bad.yaml"
    bad.write_text('name: x\nversion: "1"\nthemes:\n  - {id: a, label: A}\n')
    result = runner.invoke(build_cli(), ["themes", "check", str(bad)])
    assert result.exit_code == 2
    assert "theme 'a' has no description" in result.output and "Traceback" not in result.output


def test_near_duplicate_clusters_are_merged():
    from cxtext_themes.discover import merge_near_duplicates

    rng = np.random.default_rng(1)
    vectors = np.vstack([np.eye(6)[0] + rng.normal(0, 0.05, (20, 6)), np.eye(6)[1] + rng.normal(0, 0.05, (20, 6))])
    vectors /= np.linalg.norm(vectors, axis=1, keepdims=True)
    split_in_three = np.array([0] * 10 + [1] * 10 + [2] * 20)  # topic 0 cut in two
    merged = merge_near_duplicates(vectors, split_in_three, threshold=0.8)
    assert sorted(set(merged.tolist())) == [0, 1]
    assert len(set(merged[:20].tolist())) == 1 and merged[0] != merged[-1]


def test_k_is_chosen_within_the_range_and_stable_across_seeds():
    from sklearn.metrics import adjusted_rand_score

    rng = np.random.default_rng(2)
    centres = np.eye(24)[:12]
    vectors = np.vstack([c + rng.normal(0, 0.12, (25, 24)) for c in centres])
    texts = [f"topic{t} word{t} sentence {i}" for t in range(12) for i in range(25)]
    first = discover_themes(texts, vectors, seed=0)
    second = discover_themes(texts, vectors, seed=1)
    assert 8 <= first.k <= 20 and first.k == 12
    assert adjusted_rand_score(first.assignments, second.assignments) >= 0.9


def test_discovery_text_drops_handles_links_and_filler():
    from cxtext_themes.discover import discovery_text

    assert discovery_text("@united um my bag never arrived https://t.co/x1") == "my bag never arrived"
    assert discovery_text("email me at help@example.com") == "email me at help@example.com"
    assert discovery_text("@united") == "@united"  # nothing left: the text is kept as it was


def test_clusters_that_are_all_alike_are_not_merged_into_one():
    """Every centroid within cosine ~0.85 of every other (tweets to airlines): a fixed 0.8 merged them all."""
    from cxtext_themes.discover import merge_near_duplicates

    rng = np.random.default_rng(3)
    shared = np.ones(12) * 0.9
    directions = np.eye(12)[:4] * 0.45
    vectors = np.vstack([shared + d + rng.normal(0, 0.02, (15, 12)) for d in directions])
    vectors /= np.linalg.norm(vectors, axis=1, keepdims=True)
    labels = np.repeat(np.arange(4), 15)
    merged = merge_near_duplicates(vectors, labels, threshold=0.8)
    assert len(set(merged.tolist())) == 4


def test_the_same_sentences_give_the_same_draft_whatever_the_seed():
    texts, vectors = corpus()
    first = discover_themes(texts, vectors, seed=0, max_themes=6)
    second = discover_themes(texts, vectors, seed=7, max_themes=6)
    assert np.array_equal(first.assignments, second.assignments)
