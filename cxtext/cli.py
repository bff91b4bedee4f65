"""The ``cxtext`` command line: a thin layer over the Python API, one command per stage."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click
from rich.markup import escape

from cxtext import __version__, plugins
from cxtext.console import console, friendly_errors, out, print_import_results, progress_bar, quiet_third_party
from cxtext.safe_output import strip_terminal_controls

if TYPE_CHECKING:
    from cxtext.config import ProjectConfig
    from cxtext.project import Project

__all__ = ["cli", "build_cli", "main", "console", "out", "friendly_errors", "progress_bar", "print_import_results",
           "quiet_third_party"]


def open_project(db: Path, config_path: Path | None = None) -> "Project":
    """The façade for a command. Imported here, not at the top: the store pulls in pandas,
    and ``cxtext --help`` / ``--version`` should not wait for that."""
    from cxtext.project import Project

    return Project(db, config_path)


def load_config_or_default(config_path: Path | None) -> "ProjectConfig":
    from cxtext.config import ProjectConfig, load_config

    return load_config(config_path) if config_path else ProjectConfig()


@click.group()
@click.version_option(__version__, prog_name="cxtext")
@click.option("-v", "--verbose", is_flag=True, help="Show third-party progress bars and warnings (model loading...).")
def cli(verbose: bool) -> None:
    """cxtext: text and sentiment analytics for customer experience.

    Typical flow: ingest files into a store, analyze them, then compute KPIs
    and render a report. `cxtext demo` runs all of it on the bundled corpora.
    """
    if not verbose:
        quiet_third_party()


def _pairs(values: tuple[str, ...], option: str) -> dict[str, str]:
    pairs = {}
    for value in values:
        if "=" not in value:
            raise click.BadParameter(f"{value!r} is not NAME=COLUMN", param_hint=option)
        name, column = value.split("=", 1)
        pairs[name.strip()] = column.strip()
    return pairs


@cli.command()
@click.argument("paths", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option("--db", required=True, type=click.Path(path_type=Path), help="SQLite store (created if missing).")
@click.option("--source", "source", help="Source plugin (survey, reviews, social, transcripts); sniffed if omitted.")
@click.option("--config", "config_path", type=click.Path(path_type=Path), help="Project file whose [[inputs]] mapping applies.")
@click.option("--dataset", help="Dataset name that namespaces record ids (default: the file name).")
@click.option("--text", "text_columns", multiple=True, help="Open-text column (repeat for several).")
@click.option("--title", "title_column", help="Title column (reviews).")
@click.option("--id", "id_column", help="Column with the source's own id.")
@click.option("--date", "date_column", help="Date/time column.")
@click.option("--date-format", help="strptime format, or 'dayfirst' / 'monthfirst'.")
@click.option("--customer", "customer_column", help="Customer/author id column.")
@click.option("--touchpoint", "touchpoint_column", help="Journey touchpoint column.")
@click.option("--segment", "segment_columns", multiple=True, help="Segment column (repeat for several).")
@click.option("--score", "score_pairs", multiple=True, help="NAME=COLUMN, e.g. nps=Q6 (repeat).")
@click.option("--engagement", "engagement_pairs", multiple=True, help="NAME=COLUMN, e.g. likes=Likes (repeat).")
@click.option("--language", "language_column", help="Column with a language code.")
@click.option("--channel", help="Channel for every record (email, app, twitter...).")
@click.option("--encoding", help="File encoding when it is not UTF-8 (e.g. cp1252).")
@click.option("--option", "option_pairs", multiple=True, help="Source-specific KEY=VALUE (repeat).")
@click.option("--sheet", help="Worksheet of an Excel file to read (default: the first).")
@click.option("--on-duplicate", type=click.Choice(["error", "keep-first", "keep-last"]), default="error",
              show_default=True, help="What to do when two rows of one file have the same id.")
@click.option("--redact", "redact", multiple=True,
              help="Replace PII before storage: email, phone, card, ssn, iban, name, address (comma-separated or "
                   "repeat), or all. Customer ids are then hashed. Needs the 'pii' extra.")
@click.option("--json", "as_json", is_flag=True, help="Print the import summary as JSON.")
@friendly_errors
def ingest(paths, db, source, config_path, dataset, text_columns, title_column, id_column, date_column,
           date_format, customer_column, touchpoint_column, segment_columns, score_pairs, engagement_pairs,
           language_column, channel, encoding, option_pairs, sheet, on_duplicate, redact, as_json) -> None:
    """Read PATHS (files or folders) with a source plugin into the store DB.

    Each file is one transaction: it lands whole or not at all. Ingesting the same
    file again adds nothing. Columns are auto-detected; map them explicitly with
    the options below or a project file.
    """
    results = []
    try:
        with open_project(db, config_path) as project, progress_bar() as bar:
            for path in paths:  # one call per file: results of files before a failing one still print
                task = bar.add_task(f"Ingesting {path.name}", total=None)
                results += project.ingest(
                    path, source=source, on_duplicate=on_duplicate, redact=list(redact) or None,
                    on_record=lambda: bar.advance(task),
                    dataset=dataset, channel=channel, encoding=encoding, sheet=sheet,
                    options=_pairs(option_pairs, "--option"),
                    text=list(text_columns), title=title_column, id=id_column, date=date_column,
                    date_format=date_format, customer=customer_column, touchpoint=touchpoint_column,
                    segments=list(segment_columns), scores=_pairs(score_pairs, "--score"),
                    engagement=_pairs(engagement_pairs, "--engagement"), language=language_column,
                )
                bar.remove_task(task)
    finally:
        # Files imported before a failing one are saved: say so before the error.
        print_import_results(results, as_json)


@cli.command(name="plugins")
@click.option("--json", "as_json", is_flag=True, help="Print as JSON.")
def plugins_command(as_json: bool) -> None:
    """List installed plugins: status (broken ones too, with why), version, description, what each provides."""
    from cxtext.plugin_listing import plugins_json, plugins_table

    infos = plugins.list_plugins()
    if as_json:
        out.print_json(json.dumps(plugins_json(infos)))
        return
    out.print(plugins_table(infos))


@cli.command()
@click.option("--db", required=True, type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--format", "fmt", default="jsonl", show_default=True, help="Export format (see `cxtext plugins`).")
@click.option("--out", "out_path", type=click.Path(path_type=Path), help="Output file (default: export.FORMAT).")
@click.option("--config", "config_path", type=click.Path(exists=True, dir_okay=False, path_type=Path),
              help="Project file ([kpis] by, period, min_n for the kpis-* formats).")
@click.option("--no-escape-formulas", "raw_cells", is_flag=True,
              help="Write cells starting with = + - @ as they are (by default they are prefixed with ' so a "
                   "spreadsheet does not run them as formulas).")
@friendly_errors
def export(db: Path, fmt: str, out_path: Path | None, config_path: Path | None, raw_cells: bool) -> None:
    """Write every record with all the signals stored for it (or, kpis-csv/kpis-parquet, the KPI table)."""
    from cxtext.paths import check_output_path, output_error

    available = plugins.exporters()
    if fmt not in available:
        raise click.BadParameter(f"choose from {', '.join(sorted(available))}", param_hint="--format")
    out_path = out_path or Path(f"export{available[fmt].extension}")
    check_output_path(out_path)
    options: dict[str, Any] = {"escape_formulas": False} if raw_cells else {}
    with open_project(db, config_path) as project:
        try:
            count = project.export(out_path, format=fmt, **options)
        except OSError as exc:  # the output file: disk full, permission changed while writing
            raise output_error(out_path, exc) from None
    out.print(f"Wrote {count} rows to {escape(str(out_path))}")


@cli.command()
@click.option("--db", required=True, type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--config", "config_path", type=click.Path(exists=True, path_type=Path), help="Project file ([analysis] settings).")
@click.option("--analyzer", "names", multiple=True, help="Run only these analyzers (repeat).")
@click.option("--batch-size", default=64, show_default=True, type=click.IntRange(min=1), help="Records per batch.")
@click.option("--redo", "redo", multiple=True,
              help="Analyse every record again with this analyzer (repeat); cached embeddings are reused.")
@click.option("--limit", type=click.IntRange(min=1), help="Analyse only the first N pending records (try a subset first).")
@click.option("--sample", type=click.IntRange(min=1), help="Analyse a random sample of N pending records.")
@click.option("--seed", type=int, help="Random seed for --sample (default 0: the same draw each time).")
@click.option("--engine", type=click.Choice(["local", "ray"]), default="local", show_default=True,
              help="Where analyzers run: this process, or Ray Data actor pools (pip install 'cxtext[ray]').")
@click.option("--address", help="Ray cluster to join (ray://HEAD:10001 or HEAD:6379); default: start a local Ray.")
@click.option("--num-cpus", type=click.IntRange(min=1), help="CPUs of the local Ray (default: all).")
@click.option("--cpus-per-actor", type=click.IntRange(min=1),
              help="CPUs (model threads) per Ray actor [default: 1].")
@friendly_errors
def analyze(db: Path, config_path: Path | None, names: tuple[str, ...], batch_size: int, redo: tuple[str, ...],
            limit: int | None, sample: int | None, seed: int | None, engine: str, address: str | None,
            num_cpus: int | None, cpus_per_actor: int | None) -> None:
    """Split records into sentences and run the analyzers (sentiment, themes, effort).

    Finished batches are kept: an interrupted run resumes where it stopped, and
    records already analysed by the same analyzer version are skipped. With
    --limit or --sample only part of the pending records is analysed; the next
    run carries on with the rest. With --engine ray the same analyzers run in Ray
    Data actor pools and write the same signals (docs/scale.md).
    """
    if limit is not None and sample is not None:
        raise click.UsageError("use --limit or --sample, not both.")
    if seed is not None and sample is None:
        raise click.UsageError("--seed goes with --sample N.")
    with open_project(db, config_path) as project, progress_bar() as bar:
        summary = project.analyze(list(names) or None, redo=redo, batch_size=batch_size, progress=bar,
                                  limit=limit, sample=sample, seed=seed, engine=engine, address=address,
                                  num_cpus=num_cpus, cpus_per_actor=cpus_per_actor)
    for name, count in summary.items():
        out.print(f"{name}: {count} records analysed")


@cli.command()
@click.option("--out", "out_dir", default="demo-out", show_default=True, type=click.Path(path_type=Path),
              help="Folder for the store and the report.")
@friendly_errors
def demo(out_dir: Path) -> None:
    """Run the whole job on the bundled demo corpora (a fictional company)."""
    from cxtext.config import load_config
    from cxtext.project import DEMO_PROJECT, run_project

    run_project(load_config(DEMO_PROJECT), out_dir=out_dir, console=out, progress=progress_bar())


@cli.command()
@click.argument("project_file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--out", "out_dir", type=click.Path(path_type=Path), help="Folder for outputs (default: the project file's folder).")
@friendly_errors
def run(project_file: Path, out_dir: Path | None) -> None:
    """Run a project file: ingest its inputs, analyze, compute KPIs and write the report."""
    from cxtext.config import load_config
    from cxtext.project import run_project

    config = load_config(project_file)
    run_project(config, out_dir=out_dir or config.base_dir, console=out, progress=progress_bar())


@cli.command(name="eval")
@click.option("--shared", type=click.Path(path_type=Path), default=Path("../shared/corpora"), show_default=True,
              help="Folder of the public evaluation corpora.")
@click.option("--task", "tasks", multiple=True,
              help="Evaluate only these tasks (repeat): the benchmarks/eval_TASK.py scripts; default all.")
@click.option("--json", "json_out", type=click.Path(path_type=Path), default=Path("benchmarks/results/all.json"),
              show_default=True, help="Where to write all rows as JSON.")
@friendly_errors
def evaluate(shared: Path, tasks: tuple[str, ...], json_out: Path) -> None:
    """Evaluate sentiment, themes and effort on fixed splits of the public corpora.

    Prints one table (our models beside VADER and the frozen-embedding baseline)
    and writes it as JSON. See docs/evaluation.md.
    """
    from cxtext.evaluation import markdown_table, run_evaluation, write_results

    rows = run_evaluation(shared, tasks or None)
    write_results(rows, json_out)
    out.print(markdown_table(rows), markup=False)


@cli.command()
@click.option("--db", type=click.Path(exists=True, dir_okay=False, path_type=Path),
              help="SQLite store (required except with --list).")
@click.option("--config", "config_path", type=click.Path(exists=True, dir_okay=False, path_type=Path),
              help="Project file ([kpis] benchmarks, min_n, by, period).")
@click.option("--by", "by", multiple=True,
              help="Group by FIELD: touchpoint, source_kind, channel, dataset, language, segment:NAME (or just "
                   "NAME for a segment). Repeat for separate groupings; FIELD,FIELD crosses them.")
@click.option("--period", type=click.Choice(["week", "month", "quarter"]), help="Also split every group by period.")
@click.option("--metric", "metric_names", multiple=True, help="Only these metrics (repeat); `--list` shows them.")
@click.option("--trends", is_flag=True, help="Each period against the previous one, with a significance test.")
@click.option("--alerts", "show_alerts", is_flag=True, help="The largest significant period-on-period moves.")
@click.option("--drivers", is_flag=True, help="Theme impact on a score (--score) and key drivers.")
@click.option("--pain-points", "show_pain", is_flag=True, help="Per group: themes and effort drivers pulling it down, with quotes.")
@click.option("--score", default="nps", show_default=True, help="Score for --drivers (nps, csat, ces, rating...).")
@click.option("--list", "list_metrics", is_flag=True, help="List the available metrics and their definitions.")
@click.option("--format", "fmt", type=click.Choice(["table", "json", "csv"]), default="table", show_default=True)
@click.option("--out", "out_path", type=click.Path(dir_okay=False, path_type=Path), help="Write to FILE instead of the terminal.")
@click.option("--no-escape-formulas", "raw_cells", is_flag=True,
              help="CSV: write cells starting with = + - @ as they are (by default prefixed with ').")
@friendly_errors
def kpis(db, config_path, by, period, metric_names, trends, show_alerts, drivers, show_pain, score, list_metrics,
         fmt, out_path, raw_cells) -> None:
    """KPIs (NPS, CSAT, CES, CX rating, engagement, sentiment, themes, effort, support) with n and 95% CIs.

    \b
    Examples:
      cxtext kpis --db cx.db --by touchpoint --period month --metric nps
      cxtext kpis --db cx.db --by plan,region --format csv --out kpis.csv
      cxtext kpis --db cx.db --trends --metric nps --by touchpoint
      cxtext kpis --db cx.db --drivers --by touchpoint
      cxtext kpis --db cx.db --pain-points --by touchpoint

    Groups smaller than [kpis] min_n (default 30) are marked low n. See docs/kpis.md.
    """
    from cxtext.kpi_output import emit_kpi_table
    from cxtext.project import Project

    if list_metrics:
        # The catalogue needs the settings only: the store is never opened.
        emit_kpi_table(Project(db or "cxtext.db", config_path).metric_catalogue(), fmt, out_path, out)
        return
    if db is None:
        raise click.UsageError("Missing option '--db'.")
    names = list(metric_names) or None
    with open_project(db, config_path) as project:
        if trends:
            from cxtext.kpis import concat_rows

            table = concat_rows([project.trends(name, spec, period or "month")
                                 for name in (names or ["nps"]) for spec in [None, *by]])
        elif show_alerts:
            table = project.alerts(names, list(by) if by else None, period or "month")
        elif drivers:
            table = project.drivers(score, list(by) or None)
        elif show_pain:
            table = project.pain_points(list(by) or ["touchpoint"], score)
        else:
            table = project.kpis(list(by) if by else None, period, names)
    empty = ("No significant moves (Benjamini-Hochberg adjusted p < 0.05, groups of at least min_n)."
             if show_alerts else None)
    emit_kpi_table(table, fmt, out_path, out, **({"empty": empty} if empty else {}), escape_formulas=not raw_cells)


@cli.command()
@click.option("--db", required=True, type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--out", "out_path", default="report.html", show_default=True, type=click.Path(dir_okay=False, path_type=Path),
              help="Report file to write.")
@click.option("--config", "config_path", type=click.Path(exists=True, dir_okay=False, path_type=Path),
              help="Project file ([report] title, touchpoints order, segments; [kpis] benchmarks, min_n, period).")
@click.option("--title", help="Report title (default: the project's title).")
@click.option("--format", "fmt", default="html", show_default=True, help="Reporter (see `cxtext plugins`).")
@friendly_errors
def report(db: Path, out_path: Path, config_path: Path | None, title: str | None, fmt: str) -> None:
    """Render the report: one self-contained HTML file that works offline.

    KPIs with 95% intervals and trends, the journey by touchpoint, segments, theme
    impact with quotes, alerts, effort drivers and data coverage. See docs/report.md.
    """
    available = plugins.reporters()
    if fmt not in available:
        raise click.BadParameter(f"choose from {', '.join(sorted(available)) or '(no reporter installed)'}",
                                 param_hint="--format")
    from cxtext.paths import check_output_path, output_error

    check_output_path(out_path)
    with open_project(db, config_path) as project:
        try:
            path = project.report(out_path, format=fmt, title=title)
        except OSError as exc:  # the report file: disk full, permission changed while writing
            raise output_error(out_path, exc) from None
    out.print(f"Report: {escape(str(path))}")


@cli.command()
@click.option("--db", required=True, type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to listen on.")
@click.option("--port", default=8001, show_default=True, type=int, help="Port to listen on.")
@click.option("--metadata", "metadata_path", type=click.Path(dir_okay=False, path_type=Path),
              help="Where to write the generated Datasette metadata (default: beside the store).")
@click.option("--title", help="Title shown in Datasette (default: the store's file name).")
@click.option("--prepare-only", is_flag=True, help="Add the views and the sentence search index, write the metadata, and stop.")
@friendly_errors
def serve(db: Path, host: str, port: int, metadata_path: Path | None, title: str | None, prepare_only: bool) -> None:
    """Browse the store in Datasette (install with `pip install 'cxtext[serve]'`).

    Adds views with the verbatim, touchpoint, segments, scores and sentiment beside every
    theme row, full-text search on sentences, table and column descriptions, and canned
    queries (detractor verbatims, effort evidence, theme trend, segment verbatims).
    """
    import importlib.util
    import os
    import subprocess

    from cxtext.errors import InputError
    from cxtext.serve import datasette_metadata, prepare_database

    if not prepare_only and importlib.util.find_spec("datasette") is None:
        raise InputError("cxtext serve needs Datasette: pip install 'cxtext[serve]'")
    metadata_path = metadata_path or db.with_name(f"{db.stem}.metadata.json")
    with open_project(db) as project:
        views = prepare_database(project)
        metadata = datasette_metadata(project, title=title or f"cxtext: {db.name}", database=db.stem)
    metadata_path.write_text(json.dumps(metadata, indent=2, ensure_ascii=False), encoding="utf-8")
    console.print(f"Views: {', '.join(views)}; sentence search on; metadata: {escape(str(metadata_path))}")
    command = [sys.executable, "-m", "datasette", "serve", str(db), "--metadata", str(metadata_path),
               "--host", host, "--port", str(port)]
    if prepare_only:
        out.print(escape(" ".join(command[1:])))
        return
    sys.stdout.flush()
    sys.stderr.flush()
    if os.name == "posix":  # become Datasette: a signal to this process (Ctrl-C, kill) reaches the server
        os.execv(sys.executable, command)
    sys.exit(subprocess.call(command))


def build_cli() -> click.Group:
    """The CLI with commands added by plugins through ``register_commands``."""
    plugins.get_plugin_manager().hook.register_commands(cli=cli)
    return cli


def main() -> None:
    if sys.argv[1:] == ["--version"]:  # answered before the plugins load: they import pandas, scipy...
        out.print(f"cxtext, version {__version__}")
        return
    build_cli()(prog_name="cxtext")
