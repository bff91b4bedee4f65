"""Evaluate sentiment methods on the test splits of the shared corpora.

    python benchmarks/eval_sentiment.py --shared ../shared/corpora

Datasets: airline tweets, clothing reviews, NPS verbatims, each split by the fixed
text-hash rule of :mod:`cxtext_sentiment.corpora` (the adapter never saw a test text).
Methods, all scoring the whole record text:

- ``vader``: the VADER lexicon (compound >= 0.05 positive, <= -0.05 negative).
- ``minilm-frozen+logreg``: frozen all-MiniLM-L6-v2 embeddings (``cxtext.embeddings.Embedder``)
  + one logistic regression (class-balanced) fitted on a balanced sample of the three
  train splits, drawn exactly as the adapter's training data is.
- ``minilm-lora``: the shipped adapter (``models/sentiment-minilm-lora``).

Writes ``benchmarks/results/sentiment.md`` and ``.json``; ``evaluate(shared)`` returns
the rows for ``cxtext eval``.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
from pathlib import Path

import numpy as np

os.environ.setdefault("HF_HUB_OFFLINE", "1")

from sklearn.metrics import accuracy_score, f1_score  # noqa: E402

from cxtext_sentiment import corpora  # noqa: E402

RESULTS = Path(__file__).resolve().parent / "results"
MODEL_CARD = Path(__file__).resolve().parents[1] / "models" / "cxtext_models" / "sentiment-minilm-lora" / "MODEL_CARD.md"
CARD_START, CARD_END = "<!-- eval_sentiment.py:start -->", "<!-- eval_sentiment.py:end -->"
TARGETS = {"airline": 0.82, "clothing": 0.75, "nps": 0.75}
DATASET_NAMES = {"airline": "airline tweets", "clothing": "clothing reviews", "nps": "NPS verbatims"}


def _row(dataset: str, method: str, gold: list[str], predicted: list[str], seconds: float) -> dict:
    return {
        "task": "sentiment",
        "dataset": dataset,
        "method": method,
        "n": len(gold),
        "accuracy": round(float(accuracy_score(gold, predicted)), 4),
        "macro_f1": round(float(f1_score(gold, predicted, labels=list(corpora.LABELS), average="macro")), 4),
        "f1_per_class": {label: round(float(f), 4) for label, f in zip(
            corpora.LABELS, f1_score(gold, predicted, labels=list(corpora.LABELS), average=None))},
        "seconds": round(seconds, 1),
    }


def evaluate(shared: Path, methods: tuple[str, ...] = ("vader", "minilm-frozen+logreg", "minilm-lora"),
             model_dir: Path | None = None, logreg_per_domain: int = 3000, seed: int = 0,
             complaints: bool = False, log=lambda line: print(line, file=sys.stderr)) -> list[dict]:
    """Rows {task, dataset, method, n, accuracy, macro_f1, ...} for every method on every test split.

    With ``complaints`` also the out-of-domain proxy rows of :func:`evaluate_complaints`
    (task "sentiment-complaints-proxy") for VADER and the adapter.
    """
    shared = Path(shared)
    tests = {domain: corpora.load_split(shared, domain, "test") for domain in corpora.DOMAINS}
    rows: list[dict] = []
    backends = {}

    if "vader" in methods:
        from cxtext_sentiment.backends import VaderBackend

        vader = VaderBackend()
        vader.load()
        backends["vader"] = vader
        for domain, examples in tests.items():
            started = time.perf_counter()
            probs = vader.predict_proba([e.text for e in examples])
            predicted = [vader.label_of(p) for p in probs]
            rows.append(_row(domain, "vader", [e.label for e in examples], predicted, time.perf_counter() - started))
            log(f"vader {domain}: macro-F1 {rows[-1]['macro_f1']}")

    if "minilm-frozen+logreg" in methods:
        from sklearn.linear_model import LogisticRegression

        from cxtext.embeddings import Embedder

        embedder = Embedder(precision="fp32", max_length=128)
        train = corpora.training_set(shared, logreg_per_domain, seed)
        started = time.perf_counter()
        features = embedder.encode([e.text for e in train])
        classifier = LogisticRegression(max_iter=2000, C=1.0, class_weight="balanced")
        classifier.fit(features, [e.label for e in train])
        log(f"logreg fitted on {len(train)} embeddings in {time.perf_counter() - started:.0f}s")
        for domain, examples in tests.items():
            started = time.perf_counter()
            predicted = list(classifier.predict(embedder.encode([e.text for e in examples])))
            rows.append(_row(domain, "minilm-frozen+logreg", [e.label for e in examples], predicted,
                             time.perf_counter() - started))
            log(f"logreg {domain}: macro-F1 {rows[-1]['macro_f1']}")

    if "minilm-lora" in methods:
        from cxtext_sentiment.backends import LoraBackend

        backend = LoraBackend(model_dir)
        backend.load()
        backends["minilm-lora"] = backend
        for domain, examples in tests.items():
            started = time.perf_counter()
            probs = backend.predict_proba([e.text for e in examples])
            predicted = [backend.label_of(p) for p in probs]
            rows.append(_row(domain, "minilm-lora", [e.label for e in examples], predicted,
                             time.perf_counter() - started))
            log(f"minilm-lora {domain}: macro-F1 {rows[-1]['macro_f1']}")
    if complaints and backends:
        rows += evaluate_complaints(shared, backends)
    return rows


COMPLAINTS_CSV = "complaints_social_media_acl2019/complaints-data.csv"


def evaluate_complaints(shared: Path, backends: dict) -> list[dict]:
    """Out-of-domain proxy: do complaint tweets (ACL 2019, 9 domains, never trained on) score as negative?

    Not a sentiment label set, so no F1: the ROC-AUC of p_neg - p_pos for complaint vs
    not-complaint, and the share labelled negative in each group.
    """
    import pandas as pd
    from sklearn.metrics import roc_auc_score

    frame = pd.read_csv(Path(shared) / COMPLAINTS_CSV, header=None, names=["id", "text", "complaint", "domain"])
    texts = [corpora.normalise_text(str(t)) for t in frame["text"]]
    complaint = frame["complaint"].astype(int).to_numpy()
    rows = []
    for method, backend in backends.items():
        probs = backend.predict_proba(texts)
        negative = np.array([backend.label_of(p) == "negative" for p in probs])
        rows.append({
            "task": "sentiment-complaints-proxy", "dataset": "complaints", "method": method, "n": len(texts),
            "auc_negativity_vs_complaint": round(float(roc_auc_score(complaint, probs[:, 0] - probs[:, 2])), 4),
            "negative_share_complaints": round(float(negative[complaint == 1].mean()), 4),
            "negative_share_others": round(float(negative[complaint == 0].mean()), 4),
        })
    return rows


def markdown_table(rows: list[dict]) -> str:
    """The results as a Markdown table, one row per dataset x method, with the target per dataset."""
    lines = ["| dataset (test split) | n | method | accuracy | macro-F1 | F1 neg / neu / pos | target |",
             "|---|---:|---|---:|---:|---|---:|"]
    proxy = [r for r in rows if r["task"] != "sentiment"]
    rows = [r for r in rows if r["task"] == "sentiment"]
    for row in sorted(rows, key=lambda r: (list(corpora.DOMAINS).index(r["dataset"]), r["method"])):
        per_class = " / ".join(f"{row['f1_per_class'][label]:.2f}" for label in corpora.LABELS)
        target = TARGETS.get(row["dataset"])
        lines.append(f"| {DATASET_NAMES.get(row['dataset'], row['dataset'])} | {row['n']} | {row['method']} | "
                     f"{row['accuracy']:.3f} | {row['macro_f1']:.3f} | {per_class} | "
                     f"{'' if target is None else f'{target:.2f}'} |")
    if proxy:
        lines += ["", "Out-of-domain proxy: complaint tweets (Preotiuc-Pietro et al., ACL 2019; 3,449 tweets to "
                  "brands in 9 domains, none used in training). AUC of negativity (p_neg - p_pos) for "
                  "complaint vs not, and the share labelled negative in each group.", "",
                  "| method | n | AUC | negative among complaints | negative among others |",
                  "|---|---:|---:|---:|---:|"]
        for row in proxy:
            lines.append(f"| {row['method']} | {row['n']} | {row['auc_negativity_vs_complaint']:.3f} | "
                         f"{row['negative_share_complaints']:.1%} | {row['negative_share_others']:.1%} |")
    return "\n".join(lines) + "\n"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--shared", type=Path, default=Path("../shared/corpora"))
    parser.add_argument("--model-dir", type=Path, default=None, help="adapter folder (default: the shipped one)")
    parser.add_argument("--methods", default="vader,minilm-frozen+logreg,minilm-lora")
    parser.add_argument("--out", type=Path, default=RESULTS, help="folder for sentiment.md / sentiment.json")
    parser.add_argument("--no-complaints", action="store_true", help="skip the out-of-domain complaints proxy")
    parser.add_argument("--keep", action="store_true",
                        help="keep the rows of methods not run now from an earlier sentiment.json in --out "
                             "(e.g. re-evaluate only a retrained adapter)")
    args = parser.parse_args(argv)
    if not args.shared.is_dir():
        parser.error(f"{args.shared} is not a folder (it should hold the shared corpora)")
    methods = tuple(args.methods.split(","))
    rows = evaluate(args.shared, methods, args.model_dir, complaints=not args.no_complaints)
    earlier = args.out / "sentiment.json"
    if args.keep and earlier.exists():
        rows = [r for r in json.loads(earlier.read_text()) if r["method"] not in methods] + rows
        rows.sort(key=lambda r: r["task"])
    args.out.mkdir(parents=True, exist_ok=True)
    table = markdown_table(rows)
    (args.out / "sentiment.json").write_text(json.dumps(rows, indent=2) + "\n")
    (args.out / "sentiment.md").write_text(
        "# Sentiment: test splits of the shared corpora\n\n"
        "Split rule: " + corpora.SPLIT_RULE + ". Labels: airline_sentiment; clothing Rating 1-2/3/4-5; "
        "NPS score 0-6/7-8/9-10. Reproduce: `python benchmarks/eval_sentiment.py --shared ../shared/corpora`.\n\n"
        + table)
    if MODEL_CARD.exists() and args.model_dir is None:
        update_model_card(MODEL_CARD, table)
    print(table)
    return 0


def update_model_card(card: Path, table: str) -> None:
    """Replace the results section of the model card (between its markers) with ``table``."""
    text = card.read_text()
    if CARD_START in text and CARD_END in text:
        head, rest = text.split(CARD_START, 1)
        card.write_text(head + CARD_START + "\n" + table + rest[rest.index(CARD_END):])


if __name__ == "__main__":
    sys.exit(main())
