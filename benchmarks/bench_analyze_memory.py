"""Memory of `cxtext analyze` over time on a million-record store: is it flat?

    python benchmarks/bench_analyze_memory.py [--limit 20000] [--cache /tmp/cxtext-bench]

Needs the 1,000,000-record survey store that ``benchmarks/bench_kpis_1m.py`` builds in the
cache folder (``1m.db``; run that first). Copies it (the copy is analysed, the original stays
ingested only) and runs ``cxtext analyze --limit N`` on it as a child process, sampling the
child's resident memory (RSS) every second with psutil. With pending work read in pages, RSS
should rise while the models load and then stay flat however many records are pending.

Reported: RSS after model loading, at each tenth of the run, and at its peak; the growth from
the first to the last tenth; records/s; and the whole 1M run extrapolated from that rate.
The synthetic survey has about 3,400 distinct comments, so after the first few thousand
records most sentences hit the embedding cache: the rate here is far above what real,
distinct text gets. The extrapolation for real text uses the records/s of the whole analysis
in ``benchmarks/results/speed.json`` (``bench_analysis.py``: real verbatims and tweets) when
that file is present. Results go to benchmarks/results/analyze_memory.md and .json.
"""

from __future__ import annotations

import argparse
import json
import platform
import shutil
import subprocess
import sys
import time
from pathlib import Path

import psutil

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "benchmarks" / "results"
MILLION = 1_000_000


def sample_rss(command: list[str], log: Path, interval: float = 1.0) -> tuple[list[tuple[float, float]], int, float]:
    """Run ``command``; (seconds, RSS MB) samples of it and its children, its exit code and wall time."""
    started = time.perf_counter()
    samples: list[tuple[float, float]] = []
    with open(log, "w") as out:
        child = subprocess.Popen(command, stdout=out, stderr=subprocess.STDOUT, cwd=ROOT)
        process = psutil.Process(child.pid)
        while child.poll() is None:
            try:
                rss = process.memory_info().rss + sum(c.memory_info().rss for c in process.children(recursive=True))
                samples.append((time.perf_counter() - started, rss / 2**20))
            except psutil.Error:
                pass
            time.sleep(interval)
    return samples, child.returncode, time.perf_counter() - started


def deciles(samples: list[tuple[float, float]]) -> list[dict]:
    """RSS at each tenth of the run (the sample nearest to it)."""
    if not samples:
        return []
    end = samples[-1][0]
    rows = []
    for tenth in range(1, 11):
        target = end * tenth / 10
        at = min(samples, key=lambda s: abs(s[0] - target))
        rows.append({"share": tenth / 10, "seconds": round(at[0], 1), "rss_mb": round(at[1], 1)})
    return rows


def real_text_rate() -> float | None:
    """Records/s of the whole analysis on real text, from bench_analysis.py's results."""
    path = RESULTS / "speed.json"
    if not path.exists():
        return None
    rate = json.loads(path.read_text()).get("whole_analysis_records_per_s")
    return round(rate, 1) if rate else None


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--limit", type=int, default=20_000)
    parser.add_argument("--cache", type=Path, default=Path("/tmp/cxtext-bench"))
    args = parser.parse_args()
    source = args.cache / "1m.db"
    if not source.exists():
        print(f"{source} is missing: run python benchmarks/bench_kpis_1m.py first", file=sys.stderr)
        return 2
    work = args.cache / "analyze-memory.db"
    shutil.copyfile(source, work)
    command = [sys.executable, "-m", "cxtext", "analyze", "--db", str(work), "--limit", str(args.limit)]
    samples, code, seconds = sample_rss(command, args.cache / "analyze-memory.log")
    tenths = deciles(samples)
    rate = args.limit / seconds if seconds else None
    real_rate = real_text_rate()
    result = {
        "records": args.limit, "store_records": MILLION, "exit": code, "seconds": round(seconds, 1),
        "records_per_s": round(rate, 1) if rate else None,
        "peak_rss_mb": round(max((s[1] for s in samples), default=0.0), 1),
        "rss_by_tenth": tenths,
        "growth_first_to_last_tenth_mb": round(tenths[-1]["rss_mb"] - tenths[0]["rss_mb"], 1) if tenths else None,
        "extrapolated_1m_hours_this_text": round(MILLION / rate / 3600, 2) if rate else None,
        "real_text_records_per_s": real_rate,
        "extrapolated_1m_hours_real_text": round(MILLION / real_rate / 3600, 1) if real_rate else None,
        "machine": f"{platform.machine()}, {psutil.cpu_count()} CPUs, Python {platform.python_version()}",
        "when": time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime()),
    }
    RESULTS.mkdir(parents=True, exist_ok=True)
    (RESULTS / "analyze_memory.json").write_text(json.dumps(result, indent=2) + "\n")
    lines = [
        f"# `cxtext analyze --limit {args.limit:,}` on a 1,000,000-record store: memory over time", "",
        f"Run {result['when']} ({result['machine']}); `python benchmarks/bench_analyze_memory.py`. "
        f"Exit {code}, {seconds:.0f} s, {result['records_per_s']} records/s, peak RSS {result['peak_rss_mb']} MB "
        "(the process and its children, sampled every second).", "",
        "| share of the run | seconds | RSS (MB) |", "|---:|---:|---:|",
        *[f"| {t['share']:.0%} | {t['seconds']} | {t['rss_mb']} |" for t in tenths], "",
        f"Growth from the first to the last tenth: {result['growth_first_to_last_tenth_mb']} MB.", "",
        f"Whole 1M run at this rate: {result['extrapolated_1m_hours_this_text']} h, but the synthetic "
        "comments repeat (about 3,400 distinct), so most sentences hit the embedding cache.",
    ]
    if real_rate:
        lines.append(f"On real, distinct text (`bench_analysis.py`: {real_rate} records/s for the whole analysis) "
                     f"a million records take about {result['extrapolated_1m_hours_real_text']} h on this machine.")
    (RESULTS / "analyze_memory.md").write_text("\n".join(lines) + "\n")
    print("\n".join(lines))
    return 0 if code == 0 else 1


if __name__ == "__main__":
    sys.exit(main())
