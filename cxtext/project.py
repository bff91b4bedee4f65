"""Running a whole project: ingest -> analyze -> KPIs -> report, from one project file.

``cxtext demo`` is this on the bundled demo corpora; ``cxtext run FILE`` on a user's.
"""

from __future__ import annotations

from pathlib import Path

from rich.console import Console
from rich.markup import escape
from rich.progress import Progress
from rich.table import Table

from cxtext import plugins
from cxtext.analyze import analyze_store
from cxtext.config import ProjectConfig
from cxtext.errors import InputError
from cxtext.ingest import ingest_path
from cxtext.redaction import parse_kinds
from cxtext.store import ImportResult, Store

ROOT = Path(__file__).resolve().parent.parent
DEMO_PROJECT = ROOT / "corpora" / "demo" / "cxtext.toml"


def _redact_setting(config: ProjectConfig) -> list[str]:
    """The PII kinds of ``[ingest] redact`` (none when absent)."""
    return parse_kinds(config.ingest.get("redact"))


def run_project(
    config: ProjectConfig,
    *,
    out_dir: Path,
    console: Console,
    progress: Progress,
) -> dict[str, Path]:
    """Run every stage of a project; returns the paths written (store, report)."""
    if not config.inputs:
        raise InputError("the project file lists no [[inputs]].", path=config.source_path,
                         expected='at least one [[inputs]] table with a path')
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    db_path = out_dir / (config.db.name if config.db else "cxtext.db")
    written = {"store": db_path}
    with Store(db_path) as store:
        results: list[ImportResult] = []
        with progress:
            for spec in config.inputs:
                task = progress.add_task(f"Ingesting {spec.path.name}", total=None)
                results.append(ingest_path(store, spec.path, source=spec.source, context=spec.context,
                                           on_record=lambda: progress.advance(task),
                                           redact=_redact_setting(config)))
                progress.remove_task(task)
        from cxtext.cli import print_import_results

        print_import_results(results)
        console.print(f"Store: {escape(str(db_path))} ({store.count_records()} records)")

        with progress:
            summary = analyze_store(store, config, progress=progress)
        console.print("Analysed: " + ", ".join(f"{name} {count}" for name, count in summary.items()))

        if plugins.metrics(config):
            print_headline_kpis(store, config, console)
        reporter = plugins.reporters().get(config.report.get("format", "html"))
        if reporter is not None:
            report_path = out_dir / config.report.get("out", "report.html")
            reporter.render(store, report_path, config=config, title=config.title)
            written["report"] = report_path
            console.print(f"Report: {escape(str(report_path))}")
    return written


def print_headline_kpis(store: Store, config: ProjectConfig, console: Console) -> None:
    """The overall KPIs as a table (value, n, 95% CI)."""
    from cxtext.kpis import compute_kpis

    frame = compute_kpis(store, config, by=[])  # headline: overall only, all-time, no per-theme rows
    overall = frame[(frame["period"] == "all") & frame["item"].isna()]
    table = Table("KPI", "value", "n", "95% CI", title="Headline KPIs")
    for row in overall.itertuples():
        ci = "" if row.ci_low != row.ci_low else f"{row.ci_low:.1f} to {row.ci_high:.1f}"
        table.add_row(escape(str(row.label)), f"{row.value:.1f}{'' if row.unit in (None, '') else ' ' + str(row.unit)}",
                      str(row.n), ci)
    console.print(table)
