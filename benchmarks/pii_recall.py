"""Recall of PII redaction on our own snippets (benchmarks/pii/snippets.jsonl).

A value counts as redacted when none of its letter/digit tokens survive in the
redacted text (so "<NAME> Smith" is a miss for "John Smith", and one group of a card
number left behind is a miss). Clean CX sentences measure false positives.

    python benchmarks/pii_recall.py            # both splits; writes benchmarks/results/pii_recall.json

The snippets are written by us, in formats we also wrote recognisers for, so these
numbers are optimistic for real verbatims.
"""

from __future__ import annotations

import json
import re
import sys
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parent
sys.path.insert(0, str(ROOT.parent))

from cxtext.redaction import KINDS, Redactor  # noqa: E402

SNIPPETS = ROOT / "pii" / "snippets.jsonl"
RESULTS = ROOT / "results" / "pii_recall.json"


def tokens(text: str) -> set[str]:
    return {t for t in re.findall(r"[a-z0-9]+", text.lower()) if len(t) >= 2}


def leaked(text: str, value: str, redacted: str) -> set[str]:
    """Tokens of ``value`` still in ``redacted`` that the rest of the snippet does not explain."""
    rest = tokens(text.replace(value, " "))
    return (tokens(value) & tokens(redacted)) - rest


def evaluate(rows: list[dict], redactor: Redactor) -> dict:
    found, total = defaultdict(int), defaultdict(int)
    misses, false_positives, clean = [], 0, 0
    for row in rows:
        redacted = redactor.redact(row["text"])
        if not row["pii"]:
            clean += 1
            false_positives += len(re.findall(r"<[A-Z]+>", redacted))
            continue
        for item in row["pii"]:
            total[item["kind"]] += 1
            if leaked(row["text"], item["value"], redacted):
                misses.append({"id": row["id"], "kind": item["kind"], "value": item["value"], "redacted": redacted})
            else:
                found[item["kind"]] += 1
    per_kind = {k: {"n": total[k], "recall": round(found[k] / total[k], 3)} for k in KINDS if total[k]}
    overall = sum(found.values()) / sum(total.values())
    return {"values": sum(total.values()), "recall": round(overall, 3), "per_kind": per_kind,
            "clean_sentences": clean, "false_positive_placeholders": false_positives, "misses": misses}


def main() -> None:
    rows = [json.loads(line) for line in SNIPPETS.read_text(encoding="utf-8").splitlines() if line.strip()]
    redactor = Redactor(list(KINDS), salt="benchmark")
    results = {split: evaluate([r for r in rows if r["split"] == split], redactor) for split in ("dev", "test")}
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text(json.dumps(results, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    print("| split | values | recall | " + " | ".join(KINDS) + " | false positives (clean sentences) |")
    print("|---|---|---|" + "---|" * len(KINDS) + "---|")
    for split, result in results.items():
        kinds = " | ".join(f"{result['per_kind'][k]['recall']:.3f}" if k in result["per_kind"] else "-" for k in KINDS)
        print(f"| {split} | {result['values']} | {result['recall']:.3f} | {kinds} | "
              f"{result['false_positive_placeholders']} in {result['clean_sentences']} |")
    for miss in results["dev"]["misses"][:15]:
        print("dev miss:", miss["kind"], repr(miss["value"]), "->", miss["redacted"])


if __name__ == "__main__":
    main()
