"""Draw the fresh independent effort benchmark sample (ids and offsets only, never text).

    python benchmarks/effort/draw_fresh.py --shared ../shared/corpora > /tmp/fresh.csv
    python benchmarks/effort/draw_fresh.py --shared ../shared/corpora --text   # for labelling
    python benchmarks/effort/draw_fresh.py --summary   # counts of fresh_labels.csv

A second, independent sample of the same three sources and id conventions as
``draw_independent.py`` (whose readers, ``PREFILTER`` and ``draw`` are imported, not
copied), drawn with a different seed (``SEED``) and excluding every id already in
``independent_labels.csv``. Per source, half the records are a keyword-free random draw and
half a random draw among the remaining records that match ``PREFILTER``.

The text is printed only with ``--text``, to stdout, for labelling; it is never stored in
the repository (labels go to ``fresh_labels.csv`` with ids only).
"""

from __future__ import annotations

import argparse
import csv
import sys
from pathlib import Path

import pandas as pd

sys.path.insert(0, str(Path(__file__).resolve().parent))
from draw_independent import PER_SOURCE, draw, read_source  # noqa: E402

SEED = 2026
FIRST_SET = Path(__file__).resolve().parent / "independent_labels.csv"
FRESH_LABELS = Path(__file__).resolve().parent / "fresh_labels.csv"


def excluded_ids(path: Path = FIRST_SET) -> dict[str, set[str]]:
    """Ids of the first independent set, per source (never drawn again)."""
    labels = pd.read_csv(path, dtype={"id": str})
    return {source: set(group["id"]) for source, group in labels.groupby("source")}


def draw_fresh(shared: Path, source: str, n: int, seed: int = SEED) -> pd.DataFrame:
    frame = read_source(shared, source)
    frame = frame[~frame["id"].isin(excluded_ids().get(source, set()))]
    return draw(frame, n, seed=seed)


def summary(path: Path = FRESH_LABELS) -> str:
    """Counts of the labels in ``fresh_labels.csv``: records, high / low effort and drivers, per source."""
    labels = pd.read_csv(path, dtype={"id": str}, keep_default_na=False)
    lines = ["source,records,high_effort,low_effort"]
    by_stratum = labels.groupby(["source", "stratum"], sort=False)
    groups = [(f"{source} {stratum}", group) for (source, stratum), group in by_stratum]
    groups += list(labels.groupby("source", sort=False)) + [("all", labels)]
    for source, group in groups:
        lines.append(f"{source},{len(group)},{int(group['high_effort'].sum())},{int(group['low_effort'].sum())}")
    drivers = labels.assign(driver=labels["drivers"].str.split(";")).explode("driver")
    drivers = drivers[drivers["driver"] != ""]
    lines.append("driver,records" + "".join(f",{s}" for s in labels["source"].unique()))
    for driver, group in sorted(drivers.groupby("driver"), key=lambda item: -len(item[1])):
        per = group["source"].value_counts()
        lines.append(f"{driver},{len(group)}" + "".join(f",{int(per.get(s, 0))}" for s in labels["source"].unique()))
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--shared", type=Path, default=Path(__file__).resolve().parents[3] / "shared" / "corpora")
    parser.add_argument("--text", action="store_true", help="also print the text (for labelling; never commit it)")
    parser.add_argument("--summary", action="store_true", help="print the counts of fresh_labels.csv and stop")
    args = parser.parse_args()
    if args.summary:
        print(summary())
        return
    writer = csv.writer(sys.stdout)
    writer.writerow(["source", "id", "stratum"] + (["text"] if args.text else []))
    for source, n in PER_SOURCE.items():
        for row in draw_fresh(args.shared, source, n).itertuples():
            writer.writerow([source, row.id, row.stratum] + ([row.text] if args.text else []))


if __name__ == "__main__":
    main()
