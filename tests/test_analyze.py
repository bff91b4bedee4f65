"""The analysis pipeline: sentences, language, batching, resume after interruption, embedding cache."""

import shutil
from dataclasses import dataclass

import pytest

from cxtext.analyze import analyze_store
from cxtext.config import ProjectConfig
from cxtext.records import Record
from cxtext.signals import Signal


@dataclass
class CountingAnalyzer:
    """Emits one signal per sentence; can be told to fail on a given batch."""

    name: str = "counter"
    version: str = "counter-1"
    model: str = "counting-model"
    needs_embeddings: bool = False
    fail_on_batch: int | None = None
    batches: int = 0
    loads: int = 0

    def load(self):
        self.loads += 1

    def process(self, docs):
        self.batches += 1
        if self.fail_on_batch == self.batches:
            raise KeyboardInterrupt
        return [Signal(record_id=d.record_id, sentence_id=s.id, kind="count", label=d.language, score=len(s.text))
                for d in docs for s in d.sentences]


def fill(store, n=10):
    items = [Record("survey", f"Lovely engineer. But the wait was awful, number {i}!", "demo", source_id=str(i))
             for i in range(n)]
    items.append(Record("transcript", "So tell me about your last bill?", "int", role="interviewer", turn_index=0,
                        conversation_id="i1"))
    items.append(Record("transcript", "Le service était horrible et personne ne m'a rappelé.", "int",
                        role="participant", turn_index=1, conversation_id="i1"))
    store.ingest(iter(items), path="x", source="survey", dataset="demo", file_sha256="0")


def test_sentences_language_and_signals(store):
    fill(store)
    analyzer = CountingAnalyzer()
    summary = analyze_store(store, available={"counter": analyzer}, batch_size=4)
    # 10 survey records + the participant turn; the interviewer's question is not analysed
    assert summary == {"sentences": 11, "counter": 11}
    assert analyzer.loads == 1 and analyzer.batches == 3
    rows = list(store.iter_signals(kind="count"))
    assert len(rows) == 21  # two sentences per survey record, one for the French turn
    assert all(r["model"] == "counting-model" and r["model_version"] == "counter-1" for r in rows)
    languages = {r["label"] for r in store.iter_signals(kind="language")}
    assert languages == {"en", "fr"}


def test_rerun_skips_done_records_and_new_version_redoes(store):
    fill(store)
    analyze_store(store, available={"counter": CountingAnalyzer()})
    again = CountingAnalyzer()
    assert analyze_store(store, available={"counter": again})["counter"] == 0
    assert again.loads == 0  # nothing to do: the model is not even loaded
    newer = CountingAnalyzer(version="counter-2")
    assert analyze_store(store, available={"counter": newer})["counter"] == 11
    assert len(list(store.iter_signals(kind="count"))) == 21  # replaced, not duplicated


def test_interrupted_run_keeps_finished_batches_and_resumes(store):
    fill(store)
    with pytest.raises(KeyboardInterrupt):
        analyze_store(store, available={"counter": CountingAnalyzer(fail_on_batch=2)}, batch_size=4)
    assert len({r["record_id"] for r in store.iter_signals(kind="count")}) == 4
    resumed = CountingAnalyzer()
    assert analyze_store(store, available={"counter": resumed}, batch_size=4)["counter"] == 7


def test_unknown_analyzer_is_a_clear_error(store):
    from cxtext.errors import InputError

    with pytest.raises(InputError, match="unknown analyzer"):
        analyze_store(store, names=["nope"], available={})


@pytest.fixture
def tiny_encoder(tmp_path):
    """A 1-layer random BERT with the real MiniLM tokenizer: exercises the plumbing, not the model."""
    from transformers import BertConfig, BertModel

    from cxtext.embeddings import default_model_path

    folder = tmp_path / "tiny-bert"
    config = BertConfig(vocab_size=30522, hidden_size=16, num_hidden_layers=1, num_attention_heads=2,
                        intermediate_size=32)
    BertModel(config).save_pretrained(folder)
    for name in ("tokenizer.json", "tokenizer_config.json", "vocab.txt", "special_tokens_map.json"):
        shutil.copy(f"{default_model_path()}/{name}", folder / name)
    return str(folder)


def test_embeddings_are_computed_once_and_cached(store, tiny_encoder, monkeypatch):
    from cxtext import embeddings

    fill(store)
    calls = []
    original = embeddings.Embedder.encode

    def counting_encode(self, texts, batch_size=64):
        calls.append(len(texts))
        return original(self, texts, batch_size)

    monkeypatch.setattr(embeddings.Embedder, "encode", counting_encode)
    config = ProjectConfig(analysis={"embedding_model": tiny_encoder})
    seen = []

    @dataclass
    class EmbeddingUser(CountingAnalyzer):
        needs_embeddings: bool = True

        def process(self, docs):
            seen.extend(s.embedding for d in docs for s in d.sentences)
            return super().process(docs)

    analyze_store(store, config, available={"e": EmbeddingUser(name="e")})
    distinct = store.conn.execute("select count(distinct text_hash) from sentences").fetchone()[0]
    assert sum(calls) == distinct == store.conn.execute("select count(*) from embeddings").fetchone()[0]
    assert all(v is not None and v.shape == (16,) for v in seen)
    calls.clear()
    analyze_store(store, config, available={"e2": EmbeddingUser(name="e2", version="e2-1")})
    assert calls == []  # a second analyzer reads the cache


def test_redo_analyses_everything_again_without_duplicates(store):
    fill(store)
    analyze_store(store, available={"counter": CountingAnalyzer()})
    assert store.reset_analysis("counter") == 11
    again = CountingAnalyzer()
    assert analyze_store(store, available={"counter": again})["counter"] == 11
    assert len(list(store.iter_signals(kind="count"))) == 21
