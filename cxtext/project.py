"""The cxtext façade: one :class:`Project` per store, the object every stage goes through.

Like datasette's ``Datasette`` object, a project holds the store, the project settings
and the plugins, and is what reporters and exporters receive, so no plugin needs the
engine's modules::

    from cxtext import Project

    project = Project("cx.db", "cxtext.toml")
    project.ingest("responses.csv", text=["comment"], scores={"nps": "Q6"})
    project.analyze()
    project.kpis(by="touchpoint", period="month")   # a DataFrame
    project.report("report.html")

The CLI is a thin layer over these methods, command for command (``cxtext ingest``
-> :meth:`Project.ingest`, ``cxtext analyze`` -> :meth:`Project.analyze`, ...).
``cxtext demo`` and ``cxtext run FILE`` are :func:`run_project`.
"""

from __future__ import annotations

import tempfile
from collections.abc import Callable, Iterable
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

from cxtext.config import ProjectConfig, load_config
from cxtext.errors import InputError
from cxtext.sourcing import ColumnMapping, ReadContext

if TYPE_CHECKING:
    import pandas as pd
    import pluggy
    from rich.console import Console

    from cxtext.store import ImportResult, Store

ROOT = Path(__file__).resolve().parent.parent
DEMO_PROJECT = Path(__file__).resolve().parent / "demo" / "cxtext.toml"  # package data: works installed

#: Ingest options that map onto :class:`~cxtext.sourcing.ColumnMapping` fields.
MAPPING_OPTIONS = ("text", "title", "id", "date", "date_format", "customer", "touchpoint", "segments",
                   "scores", "engagement", "language")


class Project:
    """A store, its project settings and the installed plugins.

    ``db`` is the SQLite store (created on first use); ``config`` a
    :class:`~cxtext.config.ProjectConfig`, the path of a project file, or None for the
    defaults. ``plugin_manager`` overrides the installed plugins (tests). Use it as a
    context manager, or call :meth:`close`, to release the store.
    """

    def __init__(self, db: str | Path = "cxtext.db", config: ProjectConfig | str | Path | None = None, *,
                 plugin_manager: "pluggy.PluginManager | None" = None) -> None:
        self.db_path = Path(db)
        if config is None:
            config = ProjectConfig()
        elif not isinstance(config, ProjectConfig):
            config = load_config(config)
        self.config: ProjectConfig = config
        self._plugin_manager = plugin_manager
        self._store: Store | None = None
        self._engine: Any = None

    # --- what the project is made of -----------------------------------------------------

    @property
    def store(self) -> "Store":
        """The open :class:`~cxtext.store.Store` (opened on first use)."""
        if self._store is None:
            from cxtext.store import Store

            self._store = Store(self.db_path)
        return self._store

    @property
    def plugin_manager(self) -> "pluggy.PluginManager":
        from cxtext import plugins

        return self._plugin_manager or plugins.get_plugin_manager()

    def sources(self) -> dict[str, Any]:
        """Source readers by name."""
        from cxtext import plugins

        return plugins.sources(self.plugin_manager)

    def analyzers(self) -> dict[str, Any]:
        """Analyzers by name, configured from the project settings (not loaded yet)."""
        from cxtext import plugins

        return plugins.analyzers(self.config, self.plugin_manager)

    def metrics(self) -> dict[str, Any]:
        """KPI metrics by name."""
        from cxtext import plugins

        return plugins.metrics(self.config, self.plugin_manager)

    def exporters(self) -> dict[str, Any]:
        """Exporters by format."""
        from cxtext import plugins

        return plugins.exporters(self.plugin_manager)

    def reporters(self) -> dict[str, Any]:
        """Reporters by name."""
        from cxtext import plugins

        return plugins.reporters(self.plugin_manager)

    @property
    def engine(self) -> Any:
        """The KPI engine over the store as it is now: the analysis frame is built once and
        shared by KPIs, trends, alerts, drivers and pain points until the store changes
        through this project (:meth:`ingest`, :meth:`analyze`)."""
        if self._engine is None:
            from cxtext.kpis import KpiEngine

            self._engine = KpiEngine(self.store, self.config, self.metrics(), analyzers=self.analyzers())
        return self._engine

    def changed(self) -> None:
        """Forget cached KPI state (call after writing to the store by other means)."""
        self._engine = None

    # --- stages ------------------------------------------------------------------------------

    def read_context(self, *, dataset: str | None = None, channel: str | None = None, encoding: str | None = None,
                     options: dict[str, Any] | None = None, sheet: str | None = None,
                     **mapping: Any) -> tuple[ReadContext, str | None]:
        """The read context for an ingest: explicit values over the project file's first
        ``[[inputs]]`` entry. Returns the context and that entry's source (or None)."""
        unknown = sorted(set(mapping) - set(MAPPING_OPTIONS))
        if unknown:
            raise InputError(f"unknown ingest option(s) {', '.join(unknown)}.",
                             expected=f"one of {', '.join(MAPPING_OPTIONS)}, dataset, channel, encoding, "
                                      "options, sheet, source, on_duplicate, redact")
        values = dict(mapping)
        for name in ("text", "segments"):
            if isinstance(values.get(name), str):
                values[name] = [values[name]]
            elif values.get(name) is not None:
                values[name] = list(values[name])
        explicit = ColumnMapping(**{k: v for k, v in values.items() if v is not None})
        base, base_source = ReadContext(), None
        if self.config.inputs:
            base, base_source = self.config.inputs[0].context, self.config.inputs[0].source
        context = ReadContext(
            mapping=explicit.merged_over(base.mapping),
            dataset=dataset or base.dataset,
            channel=channel or base.channel,
            encoding=encoding or base.encoding,
            options={**base.options, **(options or {}), **({"sheet": sheet} if sheet else {})},
        )
        return context, base_source

    def ingest(self, data: "str | Path | pd.DataFrame | Iterable[str | Path]", *, source: str | None = None,
               on_duplicate: str = "error", redact: Iterable[str] | None = None,
               on_record: Callable[[], None] | None = None, on_file: Callable[[Path], Any] | None = None,
               **read_options: Any) -> "list[ImportResult]":
        """Read files, folders or a pandas DataFrame into the store; one result per input.

        ``read_options`` are those of ``cxtext ingest``: ``text=["comment"]``,
        ``scores={"nps": "NPS"}``, ``segments=["plan"]``, ``touchpoint``, ``date``,
        ``dataset``, ``channel``, ``options={...}``... Each file lands whole or not at
        all; files before a failing one stay imported (the error says which failed).
        A DataFrame goes through the same source plugin (``source``, default "survey")
        as a CSV would, so it is checked the same way; ``dataset`` names it (default
        "dataframe"). ``on_file(path)`` may return a per-file ``on_record`` callback.
        """
        from cxtext.ingest import ingest_path
        from cxtext.redaction import parse_kinds

        context, base_source = self.read_context(**read_options)
        source = source or base_source
        kinds = list(redact) if redact else parse_kinds(self.config.ingest.get("redact"))
        results: list[ImportResult] = []
        with _as_paths(data, context) as (paths, frame_source):
            for path in paths:
                callback = on_file(path) if on_file else on_record
                try:
                    results.append(ingest_path(self.store, path, source=source or frame_source, context=context,
                                               on_record=callback, on_duplicate=on_duplicate, redact=kinds))
                finally:
                    self.changed()
        return results

    def analyze(self, analyzers: Iterable[str] | None = None, *, redo: Iterable[str] = (), batch_size: int = 64,
                limit: int | None = None, sample: int | None = None, seed: int | None = None,
                progress: Any = None, engine: str = "local", address: str | None = None,
                num_cpus: int | None = None, cpus_per_actor: int | None = None) -> dict[str, int]:
        """Split sentences and run the analyzers (all, or ``analyzers``); returns records analysed per stage.

        ``redo`` analyses every record again with those analyzers (cached embeddings are
        reused); ``limit`` / ``sample`` + ``seed`` try a subset first. ``progress`` takes
        a rich ``Progress``; in a notebook a bar is shown by default. ``engine="ray"``
        runs the analyzers on Ray Data actor pools: a local Ray with ``num_cpus``, or the
        cluster at ``address``, ``cpus_per_actor`` each (docs/scale.md); the signals are the same.
        """
        from cxtext.analyze import analyze_store

        available = self.analyzers()
        for name in redo:
            if name not in available:
                raise InputError(f"unknown analyzer {name!r} for redo.",
                                 expected=f"one of {', '.join(sorted(available))}")
            self.store.reset_analysis(name)
        try:
            with _notebook_progress(progress) as bar:
                summary = analyze_store(self.store, self.config, names=list(analyzers) if analyzers else None,
                                        batch_size=batch_size, progress=bar, available=available,
                                        limit=limit, sample=sample, seed=seed, engine=engine, address=address,
                                        num_cpus=num_cpus, cpus_per_actor=cpus_per_actor)
            self.prepare_views()  # browsing views follow the store's segments and the analyzers' outputs
            return summary
        finally:
            self.changed()

    def sentences(self, language: str | None = None) -> list[Any]:
        """The :class:`~cxtext.signals.Sentence` objects of the records analyses run on
        (transcripts: the ``[analysis] roles`` turns), in store order, blank ones left out.
        Records not split yet are split first; ``language="en"`` keeps one language."""
        from cxtext.analyze import selection, split_records

        if split_records(self.store, self.config):
            self.changed()
        where, params = selection(self.config)
        return [s for s in self.store.iter_sentences(where, params, language=language) if s.text.strip()]

    def views(self) -> list[Any]:
        """The browsing views (:class:`cxtext.views.StoreView`): the host's ``record_overview``
        and every plugin's ``register_views``, built for this store's segments."""
        from cxtext import views

        outputs = [output for analyzer in self.analyzers().values() for output in getattr(analyzer, "outputs", ())]
        context = views.ViewContext(segments=self.segment_names(), outputs=outputs)
        found = [views.record_overview(outputs)]
        for items in self.plugin_manager.hook.register_views(context=context):
            found += list(items or [])
        return found

    def segment_names(self) -> list[str]:
        """Segment names in the store that can be view columns (plain names only)."""
        from cxtext.views import SAFE_NAME

        rows = self.store.conn.execute(
            "select distinct j.key from records r, json_each(r.segments) j where json_valid(r.segments) order by j.key"
        ).fetchall()
        return [name for (name,) in rows if isinstance(name, str) and SAFE_NAME.match(name)]

    def prepare_views(self) -> list[str]:
        """Create (or refresh) the browsing views; returns their names. Views are dropped and
        created again, so segments added since the last run get their columns."""
        created = []
        with self.store.transaction() as conn:
            for view in self.views():
                conn.execute(f"drop view if exists [{view.name}]")
                conn.execute(f"create view [{view.name}] as {view.sql.strip()}")
                created.append(view.name)
        return created

    # --- results -----------------------------------------------------------------------------

    def frame(self) -> "pd.DataFrame":
        """The analysis frame (one row per record with every declared record-level signal),
        built once and reused by every KPI call until the store changes through this project."""
        return self.engine.frame

    def records_frame(self) -> "pd.DataFrame":
        """One row per record: its fields, scores, segments and every record-level signal."""
        return self.frame().copy()

    def kpis(self, by: str | Iterable[str] | None = None, period: str | None = None,
             metrics: Iterable[str] | None = None) -> "pd.DataFrame":
        """KPIs with n and 95% CIs, overall and per grouping (``by="touchpoint"``,
        ``by=["plan", "touchpoint,region"]``), optionally per ``period`` (week, month, quarter).
        ``by``/``period`` default to the project's ``[kpis]`` settings."""
        return self.engine.kpis(_by_list(by), period, list(metrics) if metrics else None)

    def trends(self, metric: str = "nps", by: str | None = None, period: str = "month") -> "pd.DataFrame":
        """Each period against the previous one, with a significance test."""
        return self.engine.trends(metric, by, period)

    def alerts(self, metrics: Iterable[str] | None = None, by: str | Iterable[str] | None = None,
               period: str = "month") -> "pd.DataFrame":
        """The significant period-on-period moves (Benjamini-Hochberg across all tests)."""
        return self.engine.alerts(list(metrics) if metrics else None, _by_list(by), period)

    def drivers(self, score: str = "nps", by: str | Iterable[str] | None = None) -> "pd.DataFrame":
        """Impact on ``score`` of what the analyzers declare as drivers (themes), with key-driver
        coefficients, overall and per grouping."""
        return self._per_grouping(lambda spec: self.engine.drivers(score, spec), _by_list(by) or [None])

    def pain_points(self, by: str | Iterable[str] | None = "touchpoint", score: str | None = "nps") -> "pd.DataFrame":
        """Per group: what pulls it down (negative themes, effort drivers), with quotes."""
        return self._per_grouping(lambda spec: self.engine.pain_points(spec, score=score),
                                  _by_list(by) or ["touchpoint"])

    def metric_catalogue(self) -> "pd.DataFrame":
        """Every available metric with its label, unit and definition."""
        return self.engine.catalogue()

    @staticmethod
    def _per_grouping(table_for: Callable[[Any], "pd.DataFrame"], specs: list[Any]) -> "pd.DataFrame":
        """One table per grouping, concatenated; the overall rows every grouping repeats appear once."""
        from cxtext.kpis import ALL, concat_rows

        parts = [table_for(spec) for spec in specs]
        parts = parts[:1] + [p[p["group_by"] != ALL] if "group_by" in p else p for p in parts[1:]]
        return concat_rows(parts)

    def report(self, out: str | Path = "report.html", *, format: str = "html", title: str | None = None,
               **options: Any) -> Path:
        """Render the report with a reporter plugin (default: the self-contained HTML page)."""
        reporter = _choose(self.reporters(), format, "reporter")
        return reporter.render(self, Path(out), title=title, **options)

    def export(self, out: str | Path | None = None, *, format: str = "jsonl", **options: Any) -> int:
        """Write every record with its signals (or a KPI table: ``kpis-csv``) with an exporter plugin;
        returns the rows written. ``out`` defaults to ``export`` + the format's extension."""
        exporter = _choose(self.exporters(), format, "export format")
        target = Path(out) if out is not None else Path(f"export{exporter.extension}")
        return exporter.export(self, target, **options)

    # --- lifetime ------------------------------------------------------------------------------

    def close(self) -> None:
        if self._store is not None:
            self._store.close()
            self._store = None
        self.changed()

    def __enter__(self) -> "Project":
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def __repr__(self) -> str:
        return f"Project({str(self.db_path)!r})"


def _by_list(by: str | Iterable[str] | None) -> list[str] | None:
    if by is None:
        return None
    return [by] if isinstance(by, str) else list(by)


def _choose(available: dict[str, Any], name: str, what: str) -> Any:
    if name not in available:
        raise InputError(f"unknown {what} {name!r}.",
                         expected=f"one of {', '.join(sorted(available)) or '(none installed)'}",
                         hint="`cxtext plugins` lists what is installed.")
    return available[name]


class _as_paths:
    """Paths to ingest for ``data``; a DataFrame is written to a temporary CSV named after its dataset."""

    def __init__(self, data: Any, context: ReadContext) -> None:
        self.data, self.context = data, context
        self.tmp: tempfile.TemporaryDirectory | None = None

    def __enter__(self) -> tuple[list[Path], str | None]:
        data = self.data
        if hasattr(data, "to_csv") and hasattr(data, "columns"):  # a pandas DataFrame
            self.tmp = tempfile.TemporaryDirectory(prefix="cxtext-frame-")
            name = self.context.dataset or "dataframe"
            path = Path(self.tmp.name) / f"{_safe_file_name(name)}.csv"
            data.to_csv(path, index=False, date_format="%Y-%m-%dT%H:%M:%S")
            self.context.dataset = name
            return [path], "survey"
        if isinstance(data, (str, Path)):
            return [Path(data)], None
        return [Path(p) for p in data], None

    def __exit__(self, *exc: object) -> None:
        if self.tmp is not None:
            self.tmp.cleanup()


def _safe_file_name(name: str) -> str:
    return "".join(c if c.isalnum() or c in "-_." else "_" for c in name)[:80] or "dataframe"


class _notebook_progress:
    """The caller's progress object, or a rich bar in a Jupyter notebook, or nothing."""

    def __init__(self, progress: Any) -> None:
        self.progress = progress
        self.own: Any = None

    def __enter__(self) -> Any:
        if self.progress is not None or not in_notebook():
            return self.progress
        from rich.progress import Progress

        self.own = Progress()
        self.own.start()
        return self.own

    def __exit__(self, *exc: object) -> None:
        if self.own is not None:
            self.own.stop()


def in_notebook() -> bool:
    """True inside a Jupyter kernel (where a progress bar helps), False in scripts and terminals."""
    import sys

    shell = getattr(sys.modules.get("IPython"), "get_ipython", lambda: None)()
    return type(shell).__name__ == "ZMQInteractiveShell"


# --- whole runs -----------------------------------------------------------------------------------


def run_project(config: ProjectConfig, *, out_dir: Path, console: "Console", progress: Any) -> dict[str, Path]:
    """Run every stage of a project file; returns the paths written (store, report)."""
    from rich.markup import escape

    from cxtext.console import print_import_results

    if not config.inputs:
        raise InputError("the project file lists no [[inputs]].", path=config.source_path,
                         expected='at least one [[inputs]] table with a path')
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    db_path = out_dir / (config.db.name if config.db else "cxtext.db")
    written = {"store": db_path}
    with Project(db_path, config) as project:
        results: list[ImportResult] = []
        with progress:
            for spec in config.inputs:
                task = progress.add_task(f"Ingesting {spec.path.name}", total=None)
                results += _ingest_spec(project, spec, on_record=lambda: progress.advance(task))
                progress.remove_task(task)
        print_import_results(results)
        console.print(f"Store: {escape(str(db_path))} ({project.store.count_records()} records)")

        with progress:
            summary = project.analyze(progress=progress)
        console.print("Analysed: " + ", ".join(f"{name} {count}" for name, count in summary.items()))

        if project.metrics():
            print_headline_kpis(project, console)
        reporter = project.reporters().get(config.report.get("format", "html"))
        if reporter is not None:
            report_path = out_dir / config.report.get("out", "report.html")
            reporter.render(project, report_path, title=config.title)
            written["report"] = report_path
            console.print(f"Report: {escape(str(report_path))}")
    return written


def _ingest_spec(project: Project, spec: Any, on_record: Callable[[], None]) -> "list[ImportResult]":
    """One ``[[inputs]]`` entry, read with exactly its own context."""
    from cxtext.ingest import ingest_path
    from cxtext.redaction import parse_kinds

    result = ingest_path(project.store, spec.path, source=spec.source, context=replace(spec.context),
                         on_record=on_record, redact=parse_kinds(project.config.ingest.get("redact")))
    project.changed()
    return [result]


def print_headline_kpis(project: Project, console: "Console") -> None:
    """The overall KPIs as a table (value, n, 95% CI)."""
    from rich.markup import escape
    from rich.table import Table

    frame = project.kpis(by=[])  # headline: overall only, all-time, no per-theme rows
    overall = frame[(frame["period"] == "all") & frame["item"].isna()]
    table = Table("KPI", "value", "n", "95% CI", title="Headline KPIs")
    for row in overall.itertuples():
        ci = "" if row.ci_low != row.ci_low else f"{row.ci_low:.1f} to {row.ci_high:.1f}"
        table.add_row(escape(str(row.label)), f"{row.value:.1f}{'' if row.unit in (None, '') else ' ' + str(row.unit)}",
                      str(row.n), ci)
    console.print(table)
