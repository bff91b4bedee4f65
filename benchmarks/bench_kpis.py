"""Speed of the KPI engine on the public corpora in ../shared/corpora (ingested, not analysed).

    python benchmarks/bench_kpis.py [--repeat 3]

Ingests the clothing reviews (23k records; rating, helpful votes, three segments), the
support tweets (5,000 posts in threads) and the NPS verbatims (2,385 survey answers) into
one fresh store, then times, best of ``--repeat``: building the analysis frame, all KPIs
overall, all KPIs by every segment and touchpoint with monthly periods, and NPS trends by
touchpoint. Results go to benchmarks/results/kpis.md and .json.
"""

from __future__ import annotations

import argparse
import json
import platform
import sys
import tempfile
import time
from pathlib import Path

from cxtext import kpis
from cxtext.ingest import ingest_path
from cxtext.sourcing import ColumnMapping, ReadContext
from cxtext.store import Store

ROOT = Path(__file__).resolve().parent.parent
SHARED = ROOT.parent / "shared" / "corpora"
INPUTS = [
    ("womens_ecommerce_clothing_reviews/Womens Clothing E-Commerce Reviews.csv", "reviews",
     ReadContext(mapping=ColumnMapping(segments=["division=Division Name", "department=Department Name",
                                                 "class=Class Name"]))),
    ("customer_support_on_twitter_sample/twcs_head_sample.csv", "social", ReadContext()),
    ("nps_verbatims_textsummary/nps_verbatim.csv", "survey", ReadContext(dataset="nps")),
]


def best_of(repeat: int, run) -> tuple[float, object]:
    times, result = [], None
    for _ in range(repeat):
        start = time.perf_counter()
        result = run()
        times.append(time.perf_counter() - start)
    return min(times), result


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    if not SHARED.is_dir():
        print(f"{SHARED} is not present; nothing to measure", file=sys.stderr)
        return 1
    with tempfile.TemporaryDirectory() as folder, Store(Path(folder) / "cx.db") as store:
        for relative, source, context in INPUTS:
            ingest_path(store, SHARED / relative, source=source, context=context)
        records = store.count_records()
        seconds, frame = best_of(args.repeat, lambda: kpis.analysis_frame(store))
        rows = [("analysis frame", seconds, len(frame))]
        by = ["touchpoint", "source_kind", "division", "department", "class", "brand"]
        cases = [
            ("all KPIs, overall", lambda: kpis.compute_kpis(store, by=[], frame=frame)),
            (f"all KPIs by {', '.join(by)}, monthly",
             lambda: kpis.compute_kpis(store, by=by, period="month", frame=frame)),
            ("NPS trends by touchpoint", lambda: kpis.kpi_trends(store, metric="nps", by="touchpoint", frame=frame)),
        ]
        for label, run in cases:
            seconds, table = best_of(args.repeat, run)
            rows.append((label, seconds, len(table)))
    results = {"records": records, "python": platform.python_version(), "machine": platform.machine(),
               "rows": [{"step": label, "seconds": round(s, 3), "rows_out": n} for label, s, n in rows]}
    out = ROOT / "benchmarks" / "results"
    out.mkdir(parents=True, exist_ok=True)
    (out / "kpis.json").write_text(json.dumps(results, indent=2) + "\n")
    lines = [f"# KPI engine speed ({records:,} records, best of {args.repeat})", "",
             "| step | seconds | rows out |", "|---|---:|---:|"]
    lines += [f"| {label} | {s:.2f} | {n:,} |" for label, s, n in rows]
    (out / "kpis.md").write_text("\n".join(lines) + "\n")
    print("\n".join(lines))
    return 0


if __name__ == "__main__":
    sys.exit(main())
