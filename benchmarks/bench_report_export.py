"""Speed and size of the HTML report and the exporters on a synthetic analysed store.

    python benchmarks/bench_report_export.py --records 2000 5000

For each size: build a "Lumen Mobile" store with every signal kind
(cxtext_report.testing.build_sample_store, no model run), then time
``gather_report_data`` (the KPI engine: KPIs by group, trends, alerts, theme impact, pain
points), drawing the figures and rendering the page, and each record exporter (JSONL,
CSV, Parquet), with the output sizes and the peak memory of the process. Results go to
benchmarks/results/report_export.md and .json.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import resource
import tempfile
import time
from pathlib import Path

from cxtext import Project, plugins
from cxtext.config import ProjectConfig
from cxtext_exporters.record_files import CsvExporter, JsonlExporter, ParquetExporter
from cxtext_report.data import gather_report_data
from cxtext_report.html import render_html
from cxtext_report.testing import TOUCHPOINTS, build_sample_store

RESULTS = Path(__file__).resolve().parent / "results"


def measure(records: int, folder: Path) -> dict[str, float]:
    row: dict[str, float] = {"records": records}
    started = time.perf_counter()
    store = build_sample_store(folder / f"cx-{records}.db", n=records, hostile=True)
    row["build_store_s"] = time.perf_counter() - started
    config = ProjectConfig(report={"touchpoints": TOUCHPOINTS})
    with store, Project(store.path, config) as project:
        started = time.perf_counter()
        data = gather_report_data(project)
        row["gather_s"] = time.perf_counter() - started
        started = time.perf_counter()
        page = render_html(data)
        row["figures_and_page_s"] = time.perf_counter() - started
        row["report_mb"] = len(page.encode("utf-8")) / 1e6
        for exporter in (JsonlExporter(), CsvExporter(), ParquetExporter()):
            out = folder / f"export-{records}{exporter.extension}"
            started = time.perf_counter()
            exporter.export(project, out)
            row[f"{exporter.format}_s"] = time.perf_counter() - started
            row[f"{exporter.format}_mb"] = out.stat().st_size / 1e6
    return row


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--records", type=int, nargs="+", default=[500, 2000])
    args = parser.parse_args()
    os.environ.setdefault(plugins.ALLOW_LIST_ENV, "kpis,report,exporters,sentiment,themes,effort")
    with tempfile.TemporaryDirectory() as folder:
        rows = [measure(n, Path(folder)) for n in args.records]
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    RESULTS.mkdir(exist_ok=True)
    meta = {"python": platform.python_version(), "cpus": os.cpu_count(), "peak_rss_mb": round(peak_mb, 1)}
    (RESULTS / "report_export.json").write_text(json.dumps({"meta": meta, "rows": rows}, indent=2))
    columns = list(rows[0])
    lines = [
        "# Report and export speed (synthetic analysed store)", "",
        f"`python benchmarks/bench_report_export.py --records {' '.join(map(str, args.records))}` "
        f"on {meta['cpus']} CPUs (shared machine), Python {meta['python']}; peak RSS {meta['peak_rss_mb']} MB.", "",
        "| " + " | ".join(columns) + " |", "|" + "---|" * len(columns),
    ]
    lines += ["| " + " | ".join(f"{row[c]:.2f}" if isinstance(row[c], float) else str(row[c]) for c in columns) + " |"
              for row in rows]
    (RESULTS / "report_export.md").write_text("\n".join(lines) + "\n")
    print("\n".join(lines))


if __name__ == "__main__":
    main()
