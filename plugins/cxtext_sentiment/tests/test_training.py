"""Training the LoRA adapter end to end on a tiny backbone, then loading what it saved."""

from __future__ import annotations

import json

import numpy as np
import pytest

from cxtext_sentiment import model as sentiment_model
from cxtext_sentiment.backends import LoraBackend
from cxtext_sentiment.training import TrainingSettings, length_grouped_batches, train


def test_length_grouped_batches_cover_every_index_once():
    import random

    lengths = [random.Random(1).randint(1, 90) for _ in range(250)]
    batches = length_grouped_batches(lengths, 32, random.Random(0), pool=3)
    flat = sorted(i for batch in batches for i in batch)
    assert flat == list(range(250)) and max(len(b) for b in batches) == 32


def test_train_saves_only_adapter_and_head(tmp_path, fake_corpora, tiny_backbone):
    out = tmp_path / "adapter"
    settings = TrainingSettings(epochs=2, max_per_domain=30, batch_size=8, backbone=tiny_backbone, lora_rank=4, cx_templates_per_class=5,
                                lora_layers=(1,))
    lines: list[str] = []
    config = train(fake_corpora, out, settings, report=lines.append)
    assert sorted(p.name for p in out.iterdir()) == [
        "adapter_config.json", "adapter_model.safetensors", "head.safetensors", "training_config.json"]
    saved = json.loads((out / "training_config.json").read_text())
    assert saved == json.loads(json.dumps(config))
    assert saved["epochs_completed"] == 2 and len(saved["history"]) == 2
    assert saved["settings"]["seed"] == 0 and "sha1" in saved["data"]["split_rule"]
    adapter = json.loads((out / "adapter_config.json").read_text())
    assert adapter["base_model_name_or_path"] == "sentence-transformers/all-MiniLM-L6-v2"
    assert any("training examples" in line for line in lines)


def test_saved_adapter_predicts_like_the_trained_model(tmp_path, fake_corpora, tiny_backbone):
    """Merging LoRA into the backbone on load must not change predictions."""
    import torch

    torch.manual_seed(0)
    trained, tokenizer = sentiment_model.build_for_training(rank=4, backbone=tiny_backbone)
    with torch.no_grad():  # LoRA starts as a no-op; move it so the test can tell
        for name, parameter in trained.named_parameters():
            if "lora_B" in name:
                parameter.normal_(0, 0.5)
    trained.eval()
    sentiment_model.save(trained, tmp_path, {"model_version": "test-1"})
    texts = ["the delivery was late again", "great", "fine I guess, nothing more to say about it"]
    expected = sentiment_model.predict_proba(trained, tokenizer, texts)
    loaded = sentiment_model.LoraSentimentModel(tmp_path, backbone=tiny_backbone, precision="fp32")
    assert loaded.predict_proba(texts) == pytest.approx(expected, abs=1e-5)
    assert loaded.version.startswith("test-1.") and len(loaded.version) == len("test-1.") + 8
    assert not np.allclose(expected, expected[0])


def test_missing_adapter_is_reported(tmp_path):
    with pytest.raises(FileNotFoundError, match="no sentiment adapter"):
        LoraBackend(tmp_path).load()


def test_interrupted_training_resumes_to_the_same_adapter(tmp_path, fake_corpora, tiny_backbone):
    """A run killed mid-epoch continues from its checkpoint and ends where an uninterrupted run ends."""
    from safetensors.torch import load_file

    def settings() -> TrainingSettings:
        return TrainingSettings(epochs=2, max_per_domain=30, batch_size=8, backbone=tiny_backbone, lora_rank=4,
                                lora_layers=(1,), cx_templates_per_class=5, checkpoint_every=3, precision="fp32")

    whole = tmp_path / "whole"
    train(fake_corpora, whole, settings(), report=lambda line: None)

    class Killed(Exception):
        pass

    def kill_at_step_20(line: str) -> None:
        if "step 20/" in line:
            raise Killed

    resumed = tmp_path / "resumed"
    with pytest.raises(Killed):
        train(fake_corpora, resumed, settings(), report=kill_at_step_20)
    assert (resumed / "checkpoint.pt").exists()
    lines: list[str] = []
    config = train(fake_corpora, resumed, settings(), report=lines.append)
    assert any(line.startswith("resuming from") for line in lines)
    assert config["epochs_completed"] == 2 and not (resumed / "checkpoint.pt").exists()
    for name in ("adapter_model.safetensors", "head.safetensors"):
        expected, got = load_file(whole / name), load_file(resumed / name)
        assert all(np.allclose(expected[k], got[k], atol=1e-6) for k in expected), name
