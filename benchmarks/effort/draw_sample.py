"""Draw the row sample for the hand-labelled effort benchmark (prints row numbers).

Two strata, both deterministic:

- ``systematic``: every 12th data row (0, 12, 24, ...), 199 rows, an unbiased picture of
  the corpus.
- ``enriched``: for each rare driver, the first 8 further rows (in file order) whose text
  matches a broad keyword for that driver. This only makes sure every driver has
  examples; the keywords are deliberately looser than the analyzer's patterns, and
  rows were labelled by reading them, so many enriched rows turn out NOT to show the
  driver. Metrics are reported per stratum as well as pooled.

Usage: python benchmarks/effort/draw_sample.py --shared ../shared/corpora
"""

from __future__ import annotations

import argparse
import re
from pathlib import Path

import pandas as pd

CORPUS = Path("nps_verbatims_textsummary") / "nps_verbatim.csv"
STEP = 12
PER_DRIVER = 8

#: Broad keywords used only to find candidate rows for rare drivers.
ENRICH_KEYWORDS = {
    "transfer": r"transferr|passed (?:around|from|between|to)|put (?:me )?through|department",
    "chasing": r"chas|call ?back|ring (?:me )?back|never (?:called|rang|got back)",
    "repeat_explaining": r"explain|repeat|same question|again and again|same thing",
    "channel_switch": r"\bchat\b|\bstore\b|\bshop\b|\bemail",
    "failed_self_service": r"website|\bonline\b|\bapp\b|log ?in|my account",
    "multiple_visits": r"engineer|visit|appointment",
    "repeat_contact": r"\btimes\b|\bcalls\b|\bagain\b",
}


def load_corpus(shared: Path) -> pd.DataFrame:
    return pd.read_csv(shared / CORPUS)


def systematic_rows(frame: pd.DataFrame) -> list[int]:
    return list(range(0, len(frame), STEP))


def enriched_rows(frame: pd.DataFrame) -> dict[str, list[int]]:
    taken = set(systematic_rows(frame))
    picked: dict[str, list[int]] = {}
    texts = frame["text"].fillna("").astype(str)
    for driver, pattern in ENRICH_KEYWORDS.items():
        regex = re.compile(pattern, re.IGNORECASE)
        rows = [i for i, text in enumerate(texts) if i not in taken and regex.search(text)][:PER_DRIVER]
        taken.update(rows)
        picked[driver] = rows
    return picked


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--shared", type=Path, default=Path("../shared/corpora"))
    parser.add_argument("--show", action="store_true", help="print the text too (for labelling; never commit it)")
    args = parser.parse_args()
    frame = load_corpus(args.shared)
    groups = {"systematic": systematic_rows(frame), **{f"enriched:{k}": v for k, v in enriched_rows(frame).items()}}
    for group, rows in groups.items():
        for row in rows:
            print(group, row, frame["text"][row] if args.show else "", sep="\t")


if __name__ == "__main__":
    main()
