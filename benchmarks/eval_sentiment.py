"""Evaluate sentiment: every domain's test split, leave-one-domain-out, the CX sanity suite and the demo.

    python benchmarks/eval_sentiment.py --shared ../shared/corpora

Everything is scored at record level, the way ``cxtext analyze`` labels a record:
sentences from the host's splitter, one prediction per sentence, the rollup of
:mod:`cxtext_sentiment.rollup` (see :mod:`cxtext_sentiment.evaluation`). Macro-F1 is
over the classes present in the gold labels (UCI has no neutral class).

Methods:

- ``vader``: the VADER lexicon (compound >= 0.05 positive, <= -0.05 negative).
- ``minilm-lora-1.0``: the previous adapter (trained on airline, clothing and NPS only),
  when ``--previous`` names its folder (``git show`` it out of commit 3a5dad6).
- ``minilm-lora``: the shipped adapter.

Leave-one-domain-out rows come from ``benchmarks/results/sentiment_lodo.json``, written
by ``python benchmarks/train_sentiment.py lodo`` (a model per domain, trained without it).

Writes ``benchmarks/results/sentiment.md`` and ``.json`` and the model card's results;
``evaluate(shared)`` returns the rows for ``cxtext eval``.
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import sys
import time
from pathlib import Path

import numpy as np

os.environ.setdefault("HF_HUB_OFFLINE", "1")

from cxtext_sentiment import corpora  # noqa: E402
from cxtext_sentiment.evaluation import cached, roll_up, scores, sentence_probs, whole_probs  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
RESULTS = ROOT / "benchmarks" / "results"
SANITY = ROOT / "benchmarks" / "sentiment" / "cx_sanity.csv"
SANITY_RECORDS = ROOT / "benchmarks" / "sentiment" / "cx_sanity_records.csv"
DEMO_SURVEY = ROOT / "cxtext" / "demo" / "survey.csv"
MODEL_CARD = ROOT / "models" / "cxtext_models" / "sentiment-minilm-lora" / "MODEL_CARD.md"
CARD_START, CARD_END = "<!-- eval_sentiment.py:start -->", "<!-- eval_sentiment.py:end -->"
# The bars: leave-one-domain-out macro-F1 by where a domain's labels come from.
LODO_TARGET = {"human": 0.75, "score": 0.70}
IN_DOMAIN_TARGETS = {"airline": 0.82}
SANITY_TARGET = 0.95
DEMO_PROMOTER_NEGATIVE_MAX = 0.05
COMPLAINTS_CSV = "complaints_social_media_acl2019/complaints-data.csv"


def log(line: str) -> None:
    print(f"{time.strftime('%H:%M:%S')} {line}", file=sys.stderr, flush=True)


def load_backends(names: tuple[str, ...], previous: Path | None) -> dict:
    from cxtext_sentiment.backends import LoraBackend, VaderBackend

    backends = {}
    for name in names:
        if name == "vader":
            backends[name] = VaderBackend()
        elif name == "minilm-lora":
            backends[name] = LoraBackend()
        elif name == "minilm-lora-1.0" and previous is not None:
            backends[name] = LoraBackend(previous)
    for backend in backends.values():
        backend.load()
    return backends


#: Sentence probabilities per (model version, texts), so a roll-up change re-scores without a model pass.
CACHE = ROOT / "out" / "eval-sentiment-cache"


def labels_of(backend, texts: list[str]) -> tuple[np.ndarray, list[str]]:
    """Record probabilities and labels, rolled up from sentences with the backend's own label rule
    (the current rollup settings; the sentence pass is cached under out/)."""
    import hashlib

    key = hashlib.sha1("\x1f".join([str(getattr(backend, "version", backend)), *texts]).encode("utf-8")).hexdigest()
    per_record = cached(CACHE / f"{key}-sentences.pkl", lambda: sentence_probs(backend.predict_proba, texts))
    whole = cached(CACHE / f"{key}-whole.pkl", lambda: whole_probs(backend.predict_proba, per_record, texts))
    return roll_up(per_record, label_of=backend.label_of, whole=whole)


def test_split_rows(shared: Path, backends: dict) -> list[dict]:
    rows = []
    for domain in corpora.available_domains(shared):
        examples = corpora.load_split(shared, domain, "test")
        gold = [e.label for e in examples]
        for method, backend in backends.items():
            started = time.perf_counter()
            _, predicted = labels_of(backend, [e.text for e in examples])
            info = corpora.DOMAINS_INFO[domain]
            rows.append({"task": "sentiment", "dataset": domain, "method": method, "labels": info.labels,
                         **scores(gold, predicted), "seconds": round(time.perf_counter() - started, 1)})
            log(f"{method} {domain}: macro-F1 {rows[-1]['macro_f1']}")
    return rows


def sanity_rows(backends: dict) -> list[dict]:
    if not SANITY.exists():
        return []
    with SANITY.open(encoding="utf-8", newline="") as handle:
        suite = list(csv.DictReader(handle))
    rows = []
    for method, backend in backends.items():
        _, predicted = labels_of(backend, [r["text"] for r in suite])
        right = [p == r["label"] for p, r in zip(predicted, suite)]
        by_category = {}
        for ok, r in zip(right, suite):
            by_category.setdefault(r["category"], []).append(ok)
        rows.append({"task": "sentiment-sanity", "dataset": "cx-sanity", "method": method, "n": len(suite),
                     "accuracy": round(float(np.mean(right)), 4),
                     "by_category": {c: round(float(np.mean(v)), 3) for c, v in sorted(by_category.items())},
                     "wrong": [{"id": r["id"], "text": r["text"], "gold": r["label"], "predicted": p}
                               for ok, r, p in zip(right, suite, predicted) if not ok]})
        log(f"{method} sanity: {rows[-1]['accuracy']}")
    return rows


def demo_rows(backends: dict) -> list[dict]:
    """Share of the demo's promoters (NPS 9-10) whose reason for the score gets a negative record label."""
    import pandas as pd

    frame = pd.read_csv(DEMO_SURVEY)
    texts = [str(t) for t, score in zip(frame["Reason for score"], frame["NPS"])
             if score == score and int(score) >= 9 and isinstance(t, str) and t.strip()]
    rows = []
    for method, backend in backends.items():
        _, predicted = labels_of(backend, texts)
        negative = [t for t, p in zip(texts, predicted) if p == "negative"]
        rows.append({"task": "sentiment-demo", "dataset": "demo promoters", "method": method, "n": len(texts),
                     "negative_share": round(len(negative) / max(len(texts), 1), 4), "negative_texts": negative})
    return rows


def complaints_rows(shared: Path, backends: dict) -> list[dict]:
    """Out-of-domain proxy: do complaint tweets (ACL 2019, 9 domains, never trained on) score as negative?"""
    import pandas as pd
    from sklearn.metrics import roc_auc_score

    path = Path(shared) / COMPLAINTS_CSV
    if not path.exists():
        return []
    frame = pd.read_csv(path, header=None, names=["id", "text", "complaint", "domain"])
    texts = [corpora.normalise_text(str(t)) for t in frame["text"]]
    complaint = frame["complaint"].astype(int).to_numpy()
    rows = []
    for method, backend in backends.items():
        probs, labels = labels_of(backend, texts)
        negative = np.array([label == "negative" for label in labels])
        rows.append({
            "task": "sentiment-complaints-proxy", "dataset": "complaints", "method": method, "n": len(texts),
            "auc_negativity_vs_complaint": round(float(roc_auc_score(complaint, probs[:, 0] - probs[:, 2])), 4),
            "negative_share_complaints": round(float(negative[complaint == 1].mean()), 4),
            "negative_share_others": round(float(negative[complaint == 0].mean()), 4),
        })
    return rows


def lodo_rows(path: Path = RESULTS / "sentiment_lodo.json") -> list[dict]:
    if not path.exists():
        return []
    return [{"task": "sentiment-lodo", "dataset": domain, "method": "minilm-lora (trained without it)",
             "labels": corpora.DOMAINS_INFO[domain].labels, **row}
            for domain, row in json.loads(path.read_text()).items()]


def evaluate(shared: Path, methods: tuple[str, ...] = ("vader", "minilm-lora"), previous: Path | None = None,
             complaints: bool = True) -> list[dict]:
    backends = load_backends(methods, previous)
    rows = test_split_rows(Path(shared), backends) + sanity_rows(backends) + demo_rows(backends)
    if complaints:
        rows += complaints_rows(Path(shared), backends)
    return rows + lodo_rows()


def _f(value) -> str:
    return "" if value is None else f"{value:.3f}"


def markdown(rows: list[dict]) -> str:
    test = [r for r in rows if r["task"] == "sentiment"]
    methods = sorted({r["method"] for r in test}, key=["vader", "minilm-lora-1.0", "minilm-lora"].index)
    lodo = {r["dataset"]: r for r in rows if r["task"] == "sentiment-lodo"}
    lines = ["| domain | labels | n (test) | " + " | ".join(methods) + " | LODO (trained without it) | LODO bar | met |",
             "|---|---|---:|" + "---:|" * len(methods) + "---:|---:|---|"]
    for domain in corpora.DOMAINS:
        cells = {r["method"]: r for r in test if r["dataset"] == domain}
        if not cells:
            continue
        kind = corpora.DOMAINS_INFO[domain].labels
        bar = LODO_TARGET[kind]
        left_out = lodo.get(domain, {}).get("macro_f1")
        met = "" if left_out is None else ("yes" if left_out >= bar else "no")
        n = next(iter(cells.values()))["n"]
        lines.append(f"| {corpora.DOMAINS_INFO[domain].title} | {kind} | {n:,} | "
                     + " | ".join(_f(cells.get(m, {}).get("macro_f1")) for m in methods)
                     + f" | {_f(left_out)} | {bar:.2f} | {met} |")
    lines += ["", "In-domain targets: " + ", ".join(
        f"{d} {t:.2f} (shipped: {_f(next((r['macro_f1'] for r in test if r['dataset'] == d and r['method'] == 'minilm-lora'), None))})"
        for d, t in IN_DOMAIN_TARGETS.items()), ""]
    sanity = [r for r in rows if r["task"] == "sentiment-sanity"]
    if sanity:
        lines += [f"CX sanity suite ({sanity[0]['n']} hand-written sentences, target {SANITY_TARGET:.0%} right):", "",
                  "| method | right | " + " | ".join(sanity[0]["by_category"]) + " |",
                  "|---|---:|" + "---:|" * len(sanity[0]["by_category"])]
        for r in sanity:
            lines.append(f"| {r['method']} | {r['accuracy']:.1%} | "
                         + " | ".join(f"{v:.0%}" for v in r["by_category"].values()) + " |")
        lines.append("")
    demo = [r for r in rows if r["task"] == "sentiment-demo"]
    if demo:
        lines += [f"Demo promoters (NPS 9-10) whose reason gets a negative record label "
                  f"(target at most {DEMO_PROMOTER_NEGATIVE_MAX:.0%}): "
                  + ", ".join(f"{r['method']} {r['negative_share']:.1%} of {r['n']}" for r in demo), ""]
    proxy = [r for r in rows if r["task"] == "sentiment-complaints-proxy"]
    if proxy:
        lines += ["Out-of-domain proxy: complaint tweets (Preotiuc-Pietro et al., ACL 2019; 3,449 tweets to brands "
                  "in 9 domains, none trained on). AUC of negativity (p_neg - p_pos) for complaint vs not:", "",
                  "| method | AUC | negative among complaints | negative among others |", "|---|---:|---:|---:|"]
        lines += [f"| {r['method']} | {r['auc_negativity_vs_complaint']:.3f} | {r['negative_share_complaints']:.1%} | "
                  f"{r['negative_share_others']:.1%} |" for r in proxy]
    return "\n".join(lines) + "\n"


def update_model_card(card: Path, table: str) -> None:
    """Replace the results section of the model card (between its markers) with ``table``."""
    text = card.read_text()
    if CARD_START in text and CARD_END in text:
        head, rest = text.split(CARD_START, 1)
        card.write_text(head + CARD_START + "\n" + table + rest[rest.index(CARD_END):])


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--shared", type=Path, default=ROOT.parent / "shared" / "corpora")
    parser.add_argument("--methods", default="vader,minilm-lora-1.0,minilm-lora")
    parser.add_argument("--previous", type=Path, default=None,
                        help="folder of the previous adapter (minilm-lora-1.0), to report beside the shipped one")
    parser.add_argument("--out", type=Path, default=RESULTS)
    parser.add_argument("--keep", action="store_true",
                        help="keep the rows of methods not run now from an earlier sentiment.json in --out")
    args = parser.parse_args(argv)
    if not args.shared.is_dir():
        parser.error(f"{args.shared} is not a folder (it should hold the shared corpora)")
    methods = tuple(args.methods.split(","))
    rows = evaluate(args.shared, methods, args.previous)
    earlier = args.out / "sentiment.json"
    if args.keep and earlier.exists():
        rows = [r for r in json.loads(earlier.read_text())
                if r.get("method") not in methods and r["task"] != "sentiment-lodo"] + rows
    table = markdown(rows)
    args.out.mkdir(parents=True, exist_ok=True)
    (args.out / "sentiment.json").write_text(json.dumps(rows, indent=2, ensure_ascii=False) + "\n")
    (args.out / "sentiment.md").write_text(
        "# Sentiment evaluation\n\nRecord-level macro-F1 on each domain's test split (" + corpora.SPLIT_RULE
        + "), leave-one-domain-out (LODO), the CX sanity suite and the demo. "
        "Reproduce: `python benchmarks/eval_sentiment.py --shared ../shared/corpora --previous out/sentiment-v1` "
        "(LODO: `python benchmarks/train_sentiment.py lodo`).\n\n" + table)
    if MODEL_CARD.exists():
        update_model_card(MODEL_CARD, table)
    print(table)
    return 0


if __name__ == "__main__":
    sys.exit(main())
