"""Speed of the analysis, beside the bare backbone forward pass on the same texts.

    python benchmarks/bench_analysis.py --records 2000

Reports records/s for the sentence stage, each analyzer, and the whole analysis; the
bare MiniLM forward pass over the same sentences; re-analysis with cached embeddings
(themes and effort re-run at a new version, as after a codebook edit); a no-op re-run;
and peak memory. Texts come from the public corpora in ../shared/corpora when present
(NPS verbatims and airline tweets), else from the demo corpora. Results go to
benchmarks/results/speed.md and .json.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import resource
import sys
import tempfile
import time
from pathlib import Path

os.environ.setdefault("HF_HUB_OFFLINE", "1")

from cxtext import plugins  # noqa: E402
from cxtext.analyze import SENTENCE_STAGE, run_analyzer, split_records  # noqa: E402
from cxtext.config import ProjectConfig, load_config  # noqa: E402
from cxtext.embeddings import Embedder, get_embedder  # noqa: E402
from cxtext.ingest import ingest_path  # noqa: E402
from cxtext.records import Record  # noqa: E402
from cxtext.store import Store  # noqa: E402
from cxtext.text import language_detector, sentencizer  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
SHARED = ROOT.parent / "shared" / "corpora"


def load_records(limit: int) -> list[Record]:
    """Real customer texts: half NPS verbatims, half airline tweets (or the demo corpora)."""
    import pandas as pd

    if not SHARED.is_dir():
        return []
    nps = pd.read_csv(SHARED / "nps_verbatims_textsummary" / "nps_verbatim.csv").dropna(subset=["text"])
    tweets = pd.read_csv(SHARED / "twitter_us_airline_sentiment" / "Tweets.csv")
    half = limit // 2
    records = [Record("survey", str(t), "nps", source_row=i) for i, t in enumerate(nps["text"][:half])]
    records += [Record("social", str(t), "tweets", source_row=i) for i, t in enumerate(tweets["text"][: limit - len(records)])]
    return records


def fill_store(store: Store, records: list[Record]) -> None:
    if records:
        store.ingest(iter(records), path="benchmark", source="benchmark", dataset="bench", file_sha256="-")
        return
    config = load_config(ROOT / "cxtext" / "demo" / "cxtext.toml")
    for spec in config.inputs:
        ingest_path(store, spec.path, source=spec.source, context=spec.context)


def timed(func, *args, **kwargs) -> tuple[float, object]:
    start = time.perf_counter()
    value = func(*args, **kwargs)
    return time.perf_counter() - start, value


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--records", type=int, default=2000)
    parser.add_argument("--out", type=Path, default=ROOT / "benchmarks" / "results" / "speed")
    args = parser.parse_args()

    config = ProjectConfig()
    analyzers = plugins.analyzers(config)
    rows: dict[str, dict] = {}
    with tempfile.TemporaryDirectory() as tmp, Store(Path(tmp) / "bench.db") as store:
        fill_store(store, load_records(args.records))
        n_records = store.count_records()
        # Load the sentencizer and language models first: like the analyzers' load(), a one-off cost.
        load_seconds, _ = timed(lambda: (sentencizer(), language_detector()))
        seconds, _ = timed(split_records, store, config)
        rows[SENTENCE_STAGE] = {"seconds": seconds, "load_seconds": load_seconds}
        sentences = [row[0] for row in store.conn.execute("select text from sentences")]

        # The bare forward pass: the same sentences through the backbone, nothing else.
        bare = Embedder()
        bare.encode(sentences[:64])  # warm-up
        bare_seconds, _ = timed(bare.encode, sentences)
        get_embedder()  # the pipeline's shared embedder, loaded outside the timings like the bare one

        for name, analyzer in analyzers.items():
            load_seconds, _ = timed(analyzer.load)
            analyzer.load = lambda: None  # already loaded: time the processing, as a long run sees it
            seconds, _ = timed(run_analyzer, store, analyzer, config)
            rows[name] = {"seconds": seconds, "load_seconds": load_seconds}

        total = sum(row["seconds"] for row in rows.values())
        # Re-analysis after a codebook or pattern change: embeddings come from the cache.
        rerun = {}
        for name in ("themes", "effort"):
            if name in analyzers:
                store.reset_analysis(name)  # as `cxtext analyze --redo NAME` does
                rerun[name] = timed(run_analyzer, store, analyzers[name], config)[0]
        noop_seconds = sum(timed(run_analyzer, store, a, config)[0] for a in analyzers.values())
        first_embedding_users = sum(rows[n]["seconds"] for n in rerun)

    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    result = {
        "records": n_records,
        "sentences": len(sentences),
        "machine": f"{platform.processor() or platform.machine()}, {os.cpu_count()} cores, Python {sys.version.split()[0]}",
        "bare_forward_records_per_s": n_records / bare_seconds,
        "stages": {name: {**row, "records_per_s": n_records / row["seconds"]} for name, row in rows.items()},
        "whole_analysis_records_per_s": n_records / total,
        "whole_vs_bare": bare_seconds / total,
        "reanalysis_seconds": rerun,
        "reanalysis_speedup": (first_embedding_users / sum(rerun.values())) if rerun else None,
        "noop_rerun_seconds": noop_seconds,
        "peak_memory_mb": peak_mb,
    }
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.with_suffix(".json").write_text(json.dumps(result, indent=2) + "\n")
    lines = [
        f"# Analysis speed ({n_records} records, {len(sentences)} sentences; {result['machine']})",
        "",
        "Rerun: `python benchmarks/bench_analysis.py --records %d`" % args.records,
        "",
        "Model loading is timed apart (it is paid once per run, whatever the corpus size).",
        "",
        "| stage | seconds | records/s | load seconds (once) |",
        "|---|---|---|---|",
        f"| bare MiniLM forward pass (same sentences) | {bare_seconds:.1f} | {result['bare_forward_records_per_s']:.0f} | |",
    ]
    for name, row in result["stages"].items():
        lines.append(f"| {name} | {row['seconds']:.1f} | {row['records_per_s']:.0f} | {row['load_seconds']:.1f} |")
    lines += [
        f"| **whole analysis** | {total:.1f} | {result['whole_analysis_records_per_s']:.0f} | |",
        "",
        f"- whole analysis / bare forward pass: **{result['whole_vs_bare']:.2f}x**",
        f"- re-analysis of themes + effort with cached embeddings: {sum(rerun.values()):.1f} s vs "
        f"{first_embedding_users:.1f} s first time (**{result['reanalysis_speedup'] or 0:.0f}x faster**)",
        f"- re-running `cxtext analyze` with nothing new: {noop_seconds:.2f} s",
        f"- peak memory: {peak_mb:.0f} MB",
    ]
    args.out.with_suffix(".md").write_text("\n".join(lines) + "\n")
    print("\n".join(lines))


if __name__ == "__main__":
    main()
