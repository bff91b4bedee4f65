"""KPIs and the report on a million-record survey store: wall time and peak RSS per command.

    python benchmarks/bench_kpis_1m.py [--records 1000000] [--analysed 200000] [--cache /tmp/cxtext-bench]

Builds (once; reused while the cache folder holds it) a synthetic survey CSV of ``--records``
rows (NPS 0-10, CSAT 1-5, CES 1-7, a touchpoint, three segments, dates over 24 months, a short
comment) and ingests it with ``cxtext ingest`` in a child process, measuring the ingest's wall
time and peak RSS. A copy of that store gets synthetic signals for its first ``--analysed``
records through the store's public write method (``Store.save_analysis``): sentences with a
language, sentence and record sentiment, sentence and record themes, and effort spans and
scores, in the shapes the first-party analyzers declare. Then on both stores (``plain``:
ingested only; ``analysed``) it runs, each as a child process:

* ``cxtext kpis``
* ``cxtext kpis --by touchpoint``
* ``cxtext report``

and records each one's wall time, peak RSS (``os.wait4``) and exit status. A command that runs
past ``--timeout`` seconds is stopped and reported as such. Generated data stays in the cache
folder (outside the repository). Results go to benchmarks/results/kpis_1m.md and .json
(``--name`` changes the file stem, e.g. to keep a run of an older version beside them).
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import platform
import random
import shutil
import signal
import subprocess
import sys
import time
from datetime import datetime, timedelta, timezone
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "benchmarks" / "results"
#: The bar of issue 9: each command under 60 s and 2 GB peak RSS.
MAX_SECONDS, MAX_RSS_MB = 60.0, 2048.0

TOUCHPOINTS = ["Onboarding", "Installation", "Billing", "Support", "App", "Delivery", "Renewal", "Cancellation"]
PLANS = ["basic", "plus", "pro", "enterprise"]
REGIONS = ["north", "south", "east", "west", "central"]
TENURES = ["<1y", "1-3y", "3y+"]
OPENERS = ["The app", "Billing", "Support", "The installer", "Delivery", "The website", "My account", "The engineer"]
VERBS = ["was", "felt", "seemed", "is always", "was never", "became"]
ADJECTIVES = ["slow", "quick", "confusing", "easy", "helpful", "rude", "great", "frustrating", "fine", "expensive"]
TAILS = ["", " I waited 40 minutes on hold.", " Thanks to the team.", " Please fix the login.",
         " I had to call three times.", " Would recommend.", " The price went up again."]
#: Synthetic theme ids and names for the analysed store.
THEMES = {"billing": "Billing & payments", "support": "Customer support", "app": "App & website",
          "delivery": "Delivery", "price": "Price & value", "wait": "Waiting time"}
EFFORT_DRIVERS = ["repeat_contact", "long_wait", "transfer", "self_service_failure"]


def generate_csv(path: Path, records: int, seed: int = 7) -> None:
    """A survey export: one row per response, one open-text answer."""
    rng = random.Random(seed)
    start = datetime(2024, 1, 1, tzinfo=timezone.utc)
    span = 730 * 24 * 3600  # 24 months
    tmp = path.with_suffix(".part")
    with open(tmp, "w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(["response_id", "date", "touchpoint", "plan", "region", "tenure", "nps", "csat", "ces",
                         "comment"])
        for i in range(records):
            touchpoint = rng.choice(TOUCHPOINTS)
            # Billing and Support skew low, so groups and months differ.
            shift = -2 if touchpoint in ("Billing", "Support") else (1 if touchpoint == "App" else 0)
            nps = max(0, min(10, int(rng.gauss(7.5 + shift, 2.2))))
            csat = max(1, min(5, int(round(rng.gauss(3.8 + shift / 3, 0.9)))))
            ces = max(1, min(7, int(round(rng.gauss(5.0 + shift / 2, 1.3)))))
            when = start + timedelta(seconds=rng.randrange(span))
            text = f"{rng.choice(OPENERS)} {rng.choice(VERBS)} {rng.choice(ADJECTIVES)}.{rng.choice(TAILS)}"
            writer.writerow([f"R{i:07d}", when.strftime("%Y-%m-%d %H:%M:%S"), touchpoint, rng.choice(PLANS),
                             rng.choice(REGIONS), rng.choice(TENURES), nps, csat, ces, text])
    tmp.replace(path)


def run_child(command: list[str], timeout: float, log: Path) -> dict:
    """Run ``command``; its wall time, peak RSS (MB) and exit status (None when stopped at ``timeout``)."""
    started = time.perf_counter()
    with open(log, "w") as out:
        child = subprocess.Popen(command, stdout=out, stderr=subprocess.STDOUT, cwd=ROOT, start_new_session=True)
        deadline = started + timeout
        timed_out = False
        while True:
            pid, status, usage = os.wait4(child.pid, os.WNOHANG)
            if pid:
                break
            if time.perf_counter() > deadline:
                os.killpg(child.pid, signal.SIGKILL)
                pid, status, usage = os.wait4(child.pid, 0)
                timed_out = True
                break
            time.sleep(0.05)
        child.returncode = os.waitstatus_to_exitcode(status)
    seconds = time.perf_counter() - started
    return {"seconds": round(seconds, 2), "peak_rss_mb": round(usage.ru_maxrss / 1024, 1),
            "exit": None if timed_out else child.returncode, "timed_out": timed_out}


def cxtext(*args: str) -> list[str]:
    return [sys.executable, "-m", "cxtext", *args]


def ingest_command(db: Path, csv_path: Path) -> list[str]:
    return cxtext("ingest", "--db", str(db), "--source", "survey", "--dataset", "survey1m", "--id", "response_id",
                  "--date", "date", "--touchpoint", "touchpoint", "--segment", "plan", "--segment", "region",
                  "--segment", "tenure", "--score", "nps=nps", "--score", "csat=csat", "--score", "ces=ces",
                  "--text", "comment", str(csv_path))


def add_signals(db: Path, count: int, seed: int = 11, batch: int = 5000) -> int:
    """Synthetic analysis of the first ``count`` records, written with ``Store.save_analysis``."""
    from cxtext.signals import Sentence, Signal
    from cxtext.store import Store

    rng = random.Random(seed)
    labels = ["negative", "neutral", "positive"]
    written = 0
    with Store(db) as store:
        ids = [row[0] for row in store.conn.execute("select id from records order by rowid limit ?", [count])]
        texts = dict(store.conn.execute("select id, text from records order by rowid limit ?", [count]).fetchall())
        for start in range(0, len(ids), batch):
            chunk = ids[start:start + batch]
            sentences, language, sentiment, themes, effort = [], [], [], [], []
            for rid in chunk:
                text = texts[rid]
                parts = [p.strip() for p in text.split(".") if p.strip()]
                offset = 0
                record_labels, record_themes, record_drivers = [], [], []
                for index, part in enumerate(parts):
                    begin = text.find(part, offset)
                    offset = begin + len(part)
                    sid = f"{rid}:{index}"
                    sentences.append(Sentence(id=sid, record_id=rid, index=index, text=part, start=begin, end=offset))
                    label = rng.choice(labels)
                    record_labels.append(label)
                    score = {"negative": -0.7, "neutral": 0.0, "positive": 0.7}[label]
                    sentiment.append(Signal(record_id=rid, sentence_id=sid, kind="sentiment", label=label,
                                            score=score, model="synthetic", model_version="1"))
                    theme = rng.choice(list(THEMES))
                    record_themes.append(theme)
                    themes.append(Signal(record_id=rid, sentence_id=sid, kind="theme", label=theme,
                                         score=round(rng.random(), 3), data={"theme_label": THEMES[theme]},
                                         model="synthetic", model_version="1"))
                    if rng.random() < 0.15:
                        driver = rng.choice(EFFORT_DRIVERS)
                        record_drivers.append(driver)
                        effort.append(Signal(record_id=rid, sentence_id=sid, kind="effort", label=driver,
                                             score=0.8, data={"start": begin, "end": offset, "evidence": part,
                                                              "polarity": "high"},
                                             model="synthetic", model_version="1"))
                language.append(Signal(record_id=rid, kind="language", label="en", score=0.99,
                                       data={"source": "detected"}, model="synthetic", model_version="1"))
                overall = max(set(record_labels), key=record_labels.count) if record_labels else "neutral"
                sentiment.append(Signal(record_id=rid, kind="sentiment", label=overall,
                                        score={"negative": -0.5, "neutral": 0.0, "positive": 0.5}[overall],
                                        model="synthetic", model_version="1"))
                for theme in dict.fromkeys(record_themes):
                    themes.append(Signal(record_id=rid, kind="theme", label=theme, score=0.7,
                                         data={"theme_label": THEMES[theme]}, model="synthetic", model_version="1"))
                effort_label = "high_effort" if record_drivers else "no_evidence"
                effort.append(Signal(record_id=rid, kind="effort_score", label=effort_label,
                                     score=3.0 if record_drivers else 5.5, data={"drivers": record_drivers},
                                     model="synthetic", model_version="1"))
            store.save_analysis("sentences", "synthetic", chunk, language, sentences=sentences)
            store.save_analysis("sentiment", "synthetic", chunk, sentiment)
            store.save_analysis("themes", "synthetic", chunk, themes)
            store.save_analysis("effort", "synthetic", chunk, effort)
            written += len(language) + len(sentiment) + len(themes) + len(effort)
    return written


def commands(db: Path, work: Path) -> list[tuple[str, list[str]]]:
    return [
        ("cxtext kpis", cxtext("kpis", "--db", str(db), "--format", "csv", "--out", str(work / "kpis.csv"))),
        ("cxtext kpis --by touchpoint", cxtext("kpis", "--db", str(db), "--by", "touchpoint", "--format", "csv",
                                               "--out", str(work / "kpis_touchpoint.csv"))),
        ("cxtext report", cxtext("report", "--db", str(db), "--out", str(work / "report.html"))),
    ]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--records", type=int, default=1_000_000)
    parser.add_argument("--analysed", type=int, default=200_000,
                        help="records of the analysed store that get synthetic signals (0: skip that store)")
    parser.add_argument("--cache", type=Path, default=Path("/tmp/cxtext-bench"))
    parser.add_argument("--timeout", type=float, default=600.0, help="seconds before a command is stopped")
    parser.add_argument("--name", default="kpis_1m", help="file stem of the results in benchmarks/results")
    parser.add_argument("--stores", default="plain,analysed", help="which stores to measure (comma-separated)")
    args = parser.parse_args()
    cache = args.cache.resolve()
    if cache == ROOT or ROOT in cache.parents:
        parser.error("--cache must be outside the repository")
    cache.mkdir(parents=True, exist_ok=True)
    tag = f"{args.records // 1000}k" if args.records % 1_000_000 else f"{args.records // 1_000_000}m"
    csv_path, plain = cache / f"survey_{tag}.csv", cache / f"{tag}.db"
    analysed = cache / f"{tag}-analysed-{args.analysed}.db"
    results: dict = {"records": args.records, "analysed_records": args.analysed, "python": platform.python_version(),
                     "machine": platform.machine(), "cpus": os.cpu_count(), "bar": {"seconds": MAX_SECONDS,
                                                                                   "peak_rss_mb": MAX_RSS_MB},
                     "started": datetime.now(timezone.utc).strftime("%Y-%m-%d %H:%M UTC")}
    if not csv_path.exists():
        print(f"generating {csv_path} ...", flush=True)
        generate_csv(csv_path, args.records)
    ingest_path = cache / "ingest.json"
    if not plain.exists():
        print(f"ingesting into {plain} ...", flush=True)
        building = plain.with_suffix(".building.db")
        for stale in cache.glob(building.name + "*"):
            stale.unlink()
        measured = run_child(ingest_command(building, csv_path), 3600, cache / "ingest.log")
        if measured["exit"] != 0:
            print((cache / "ingest.log").read_text()[-2000:], file=sys.stderr)
            return 1
        for suffix in ("-wal", "-shm"):
            Path(str(building) + suffix).unlink(missing_ok=True)
        building.replace(plain)
        ingest_path.write_text(json.dumps(measured))
    results["ingest"] = json.loads(ingest_path.read_text()) if ingest_path.exists() else None
    stores = {"plain": plain}
    if args.analysed and "analysed" in args.stores.split(","):
        if not analysed.exists():
            print(f"writing synthetic signals for {args.analysed:,} records into {analysed} ...", flush=True)
            building = analysed.with_suffix(".building.db")
            shutil.copyfile(plain, building)
            started = time.perf_counter()
            rows = add_signals(building, args.analysed)
            (cache / f"{analysed.stem}.json").write_text(json.dumps(
                {"signal_rows": rows, "seconds": round(time.perf_counter() - started, 1)}))
            for suffix in ("-wal", "-shm"):
                Path(str(building) + suffix).unlink(missing_ok=True)
            building.replace(analysed)
        results["analysed_store"] = json.loads((cache / f"{analysed.stem}.json").read_text())
        stores["analysed"] = analysed
    stores = {k: v for k, v in stores.items() if k in args.stores.split(",")}
    rows = []
    for store_name, db in stores.items():
        work = cache / f"out-{store_name}"
        work.mkdir(exist_ok=True)
        for label, command in commands(db, work):
            print(f"{store_name}: {label} ...", flush=True)
            measured = run_child(command, args.timeout, work / "last.log")
            if measured["exit"] not in (0, None):
                print((work / "last.log").read_text()[-3000:], file=sys.stderr)
            rows.append({"store": store_name, "command": label, **measured,
                         "within_bar": bool(measured["exit"] == 0 and measured["seconds"] < MAX_SECONDS
                                            and measured["peak_rss_mb"] < MAX_RSS_MB)})
            print(f"  {measured}", flush=True)
    results["rows"] = rows
    RESULTS.mkdir(parents=True, exist_ok=True)
    (RESULTS / f"{args.name}.json").write_text(json.dumps(results, indent=2) + "\n")
    lines = [f"# KPIs and the report on {args.records:,} survey records", "",
             f"Run {results['started']} on {results['cpus']} CPUs (Python {results['python']}); "
             f"`python benchmarks/bench_kpis_1m.py` ({args.name}.json). Bar: under {MAX_SECONDS:.0f} s and "
             f"{MAX_RSS_MB / 1024:.0f} GB peak RSS per command.", ""]
    if results["ingest"]:
        ingest = results["ingest"]
        lines += [f"Ingest of the CSV (`cxtext ingest`, child process): {ingest['seconds']:.1f} s, "
                  f"peak RSS {ingest['peak_rss_mb']:.0f} MB.", ""]
    if "analysed_store" in results:
        lines += [f"`analysed`: the same store with synthetic signals for its first {args.analysed:,} records "
                  f"({results['analysed_store']['signal_rows']:,} signal rows); `plain`: ingested only.", ""]
    lines += ["| store | command | seconds | peak RSS (MB) | exit | within bar |", "|---|---|---:|---:|---|---|"]
    for row in rows:
        status = "stopped at timeout" if row["timed_out"] else str(row["exit"])
        lines.append(f"| {row['store']} | `{row['command']}` | {row['seconds']:.1f}{'+' if row['timed_out'] else ''} "
                     f"| {row['peak_rss_mb']:.0f} | {status} | {'yes' if row['within_bar'] else 'no'} |")
    (RESULTS / f"{args.name}.md").write_text("\n".join(lines) + "\n")
    print("\n".join(lines))
    return 0


if __name__ == "__main__":
    sys.exit(main())
