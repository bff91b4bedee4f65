"""Train the shipped sentiment adapter and the leave-one-domain-out (LODO) models.

    python benchmarks/train_sentiment.py full --shared ../shared/corpora   # the shipped recipe
    python benchmarks/train_sentiment.py lodo --shared ../shared/corpora   # one model per held-out domain

``full`` trains with :class:`TrainingSettings` defaults (``--set FIELD=VALUE`` overrides one) into ``out/sentiment-full``
(copy it to ``models/cxtext_models/sentiment-minilm-lora`` to ship it).

``rollup`` chooses ``rollup.MIXED_NEUTRAL_MARGIN``, ``rollup.CONFIDENCE_POWER`` and ``rollup.WHOLE_TEXT_WEIGHT`` on the validation splits with the
model in ``out/sentiment-full``.

``lodo`` trains, for each domain, a model on every *other* domain with a reduced recipe
(1 epoch, 1,500 examples per domain and 400 contrast sentences per class; a full run per domain does not fit two CPU
cores in a session) and scores it on the held-out domain's test split at record
level, as ``cxtext analyze`` labels records. Results go to
``benchmarks/results/sentiment_lodo.json`` after every domain; a rerun skips the
domains already there and resumes an interrupted training from its checkpoint.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
from dataclasses import replace
from pathlib import Path

os.environ.setdefault("HF_HUB_OFFLINE", "1")

from cxtext_sentiment import corpora  # noqa: E402
from cxtext_sentiment.evaluation import cached, roll_up, scores_by_domain, sentence_probs, whole_probs  # noqa: E402
from cxtext_sentiment.model import LoraSentimentModel  # noqa: E402
from cxtext_sentiment.rollup import MIXED_NEUTRAL_MARGIN  # noqa: E402
from cxtext_sentiment.training import TrainingSettings, train  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
RESULTS = ROOT / "benchmarks" / "results"
LODO_RECIPE = {"epochs": 1, "max_per_domain": 1500, "cx_templates_per_class": 400}
MARGINS = (0.0, 0.1, 0.2, 0.3, 0.4, 0.5)


def log(line: str) -> None:
    print(f"{time.strftime('%H:%M:%S')} {line}", file=sys.stderr, flush=True)


SANITY = ROOT / "benchmarks" / "sentiment"


def evaluation_texts() -> frozenset[str]:
    """The CX sanity suite's texts, so that no training text equals one of them."""
    import csv

    from cxtext_sentiment.training import comparable

    texts = set()
    for name in ("cx_sanity.csv", "cx_sanity_records.csv"):
        path = SANITY / name
        if path.exists():
            with path.open(encoding="utf-8", newline="") as handle:
                for row in csv.DictReader(handle):
                    texts.add(comparable(row["text"]))
                    texts.update(comparable(part) for part in row["text"].replace("!", ".").replace("?", ".").split("."))
    texts.discard("")
    return frozenset(texts)


def run_full(shared: Path, out: Path, overrides: dict | None = None) -> None:
    train(shared, out, replace(TrainingSettings(), **(overrides or {})), report=log, exclude=evaluation_texts())


def parse_overrides(pairs: list[str]) -> dict:
    """``--set epochs=1 --set lora_lr=0.00025``: TrainingSettings fields, values read as Python literals."""
    import ast

    fields = TrainingSettings.__dataclass_fields__
    found = {}
    for pair in pairs:
        key, _, raw = pair.partition("=")
        if key not in fields:
            raise SystemExit(f"--set {pair}: {key!r} is not a TrainingSettings field ({', '.join(fields)})")
        try:
            found[key] = ast.literal_eval(raw)
        except (ValueError, SyntaxError):
            found[key] = raw  # a plain string (a path)
    return found


def run_lodo(shared: Path, out: Path, domains: tuple[str, ...], results: Path) -> None:
    done = json.loads(results.read_text()) if results.exists() else {}
    for held_out in domains:
        if held_out in done:
            log(f"{held_out}: already scored, skipped")
            continue
        settings = replace(TrainingSettings(), **LODO_RECIPE,
                           domains=tuple(d for d in corpora.DOMAINS if d != held_out))
        folder = out / held_out
        config = train(shared, folder, settings, report=log, exclude=evaluation_texts())
        model = LoraSentimentModel(folder)
        test = corpora.load_split(shared, held_out, "test")
        per_record = sentence_probs(model.predict_proba, [e.text for e in test])
        by_margin = {str(m): scores_by_domain(test, roll_up(per_record, mixed_margin=m)[1])[held_out] for m in MARGINS}
        row = dict(by_margin[str(MIXED_NEUTRAL_MARGIN)])
        row.update({"macro_f1_by_margin": {m: r["macro_f1"] for m, r in by_margin.items()},
                    "margin": MIXED_NEUTRAL_MARGIN,"recipe": LODO_RECIPE, "trained_on": list(settings.domains),
                    "training_minutes": config.get("training_minutes"),
                    "validation_macro_f1": config["history"][-1].get("validation_macro_f1")})
        done[held_out] = row
        results.write_text(json.dumps(done, indent=2) + "\n")
        log(f"{held_out}: LODO macro-F1 {row['macro_f1']}")


POWERS = (0.0, 0.5, 1.0, 2.0, 3.0)
WHOLE_WEIGHTS = (0.0, 0.25, 0.5, 0.75, 1.0)


def choose_rollup(shared: Path, model_dir: Path, results: Path, cache: Path) -> None:
    """Mean record-level macro-F1 on the validation splits for each roll-up setting: the mixed
    margin (rollup.MIXED_NEUTRAL_MARGIN) x the confidence power (rollup.CONFIDENCE_POWER) x the
    whole-text share (rollup.WHOLE_TEXT_WEIGHT)."""
    import itertools

    import numpy as np

    model = LoraSentimentModel(model_dir)
    settings = list(itertools.product(MARGINS, POWERS, WHOLE_WEIGHTS))
    key = "{}/{}/{}".format
    table = {}
    for domain in corpora.available_domains(shared):
        examples = corpora.load_split(shared, domain, "validation")
        texts = [e.text for e in examples]
        per_record = cached(cache / f"{domain}-validation.pkl", lambda: sentence_probs(model.predict_proba, texts))
        whole = cached(cache / f"{domain}-validation-whole.pkl",
                       lambda: whole_probs(model.predict_proba, per_record, texts))
        table[domain] = {key(m, p, w): scores_by_domain(examples, roll_up(per_record, mixed_margin=m, confidence_power=p,
                                                                          whole=whole, whole_weight=w)[1])[domain]["macro_f1"]
                         for m, p, w in settings}
        log(f"{domain}: best {max(table[domain].items(), key=lambda item: item[1])}")
    means = {key(*s): round(float(np.mean([row[key(*s)] for row in table.values()])), 4) for s in settings}
    best = max(settings, key=lambda s: means[key(*s)])
    results.write_text(json.dumps({"setting": "mixed_margin/confidence_power/whole_text_weight", "per_domain": table,
                                   "mean": means, "chosen": {"mixed_margin": best[0], "confidence_power": best[1],
                                                             "whole_text_weight": best[2]}},
                                  indent=2) + "\n")
    top = sorted(means.items(), key=lambda item: -item[1])[:5]
    log(f"best mean validation macro-F1 (margin/power/whole): {top}; chosen {best}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("what", choices=("full", "lodo", "rollup"))
    parser.add_argument("--shared", type=Path, default=ROOT.parent / "shared" / "corpora")
    parser.add_argument("--out", type=Path, default=ROOT / "out")
    parser.add_argument("--domains", default=",".join(corpora.DOMAINS))
    parser.add_argument("--results", type=Path, default=RESULTS / "sentiment_lodo.json")
    parser.add_argument("--set", dest="overrides", action="append", default=[],
                        help="full: a TrainingSettings field, e.g. --set epochs=1 (repeat)")
    args = parser.parse_args(argv)
    if args.what == "full":
        run_full(args.shared, args.out / "sentiment-full", parse_overrides(args.overrides))
    elif args.what == "rollup":
        choose_rollup(args.shared, args.out / "sentiment-full", RESULTS / "sentiment_rollup.json",
                      args.out / "rollup-cache")
    else:
        run_lodo(args.shared, args.out / "lodo", tuple(args.domains.split(",")), args.results)
    return 0


if __name__ == "__main__":
    sys.exit(main())
