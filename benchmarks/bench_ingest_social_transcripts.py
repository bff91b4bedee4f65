"""Speed of the social and transcripts sources on the public corpora in ../shared/corpora.

    python benchmarks/bench_ingest_social_transcripts.py [--repeat 3]

For each corpus: records/s of the source's ``read()`` alone (parsing, detection, record
building) and of a full ``ingest_path`` into a fresh store (``read()`` plus the store's
upsert in one transaction), best of ``--repeat`` runs, and the peak memory of the
process. Results go to benchmarks/results/ingest_social_transcripts.md and .json.
"""

from __future__ import annotations

import argparse
import json
import platform
import resource
import sys
import tempfile
import time
from pathlib import Path

from cxtext import plugins
from cxtext.ingest import ingest_path
from cxtext.sourcing import ColumnMapping, ReadContext
from cxtext.store import Store

ROOT = Path(__file__).resolve().parent.parent
SHARED = ROOT.parent / "shared" / "corpora"

# (label, path under SHARED, source, context) exactly as docs/sources-social-transcripts.md ingests them.
CORPORA = [
    ("airline tweets", "twitter_us_airline_sentiment/Tweets.csv", "social",
     lambda: ReadContext(mapping=ColumnMapping(segments=["airline"]))),
    ("support tweets", "customer_support_on_twitter_sample/twcs_head_sample.csv", "social", ReadContext),
    ("complaint tweets", "complaints_social_media_acl2019/complaints-data.csv", "social",
     lambda: ReadContext(mapping=ColumnMapping(segments=["domain"], scores={"complaint": "complaint"}),
                         options={"columns": "tweet_id,text,complaint,domain"})),
    ("36 interviews", "interview_transcripts_mlsss/transcripts", "transcripts", ReadContext),
]


def best_of(repeat: int, run) -> tuple[float, int]:
    times, count = [], 0
    for _ in range(repeat):
        start = time.perf_counter()
        count = run()
        times.append(time.perf_counter() - start)
    return min(times), count


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    if not SHARED.is_dir():
        print(f"{SHARED} is not present; nothing to measure", file=sys.stderr)
        return 1
    sources = plugins.sources()
    rows = []
    for label, relative, source_name, make_context in CORPORA:
        path = SHARED / relative
        source = sources[source_name]
        read_s, records = best_of(args.repeat, lambda: sum(1 for _ in source.read(path, make_context())))

        def ingest() -> int:
            with tempfile.TemporaryDirectory() as folder, Store(Path(folder) / "cx.db") as store:
                return ingest_path(store, path, source=source_name, context=make_context()).records_new

        ingest_s, stored = best_of(args.repeat, ingest)
        rows.append({"corpus": label, "source": source_name, "records_read": records, "records_stored": stored,
                     "read_s": round(read_s, 3), "read_per_s": round(records / read_s),
                     "ingest_s": round(ingest_s, 3), "ingest_per_s": round(records / ingest_s)})
        print(rows[-1])
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    machine = f"{platform.processor() or platform.machine()}, Python {platform.python_version()}"
    out = ROOT / "benchmarks" / "results"
    out.mkdir(parents=True, exist_ok=True)
    (out / "ingest_social_transcripts.json").write_text(
        json.dumps({"machine": machine, "repeat": args.repeat, "peak_rss_mb": round(peak_mb), "rows": rows},
                   indent=2) + "\n", encoding="utf-8")
    lines = [
        "# Ingest speed: social and transcripts sources",
        "",
        f"`python benchmarks/bench_ingest_social_transcripts.py --repeat {args.repeat}` on {machine}; "
        f"best of {args.repeat}; peak RSS {peak_mb:.0f} MB. Wall-clock times on a shared machine.",
        "",
        "| corpus | source | records read | records stored | read() s | read() records/s | ingest s | ingest records/s |",
        "|---|---|---|---|---|---|---|---|",
    ]
    lines += [f"| {r['corpus']} | {r['source']} | {r['records_read']:,} | {r['records_stored']:,} | {r['read_s']} | "
              f"{r['read_per_s']:,} | {r['ingest_s']} | {r['ingest_per_s']:,} |" for r in rows]
    (out / "ingest_social_transcripts.md").write_text("\n".join(lines) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
