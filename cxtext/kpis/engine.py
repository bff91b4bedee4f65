"""The KPI engine object: one analysis frame and one set of metric instances per run.

A :class:`KpiEngine` builds the analysis frame once (from every registered analyzer's
declared outputs), asks the metric registry once, and caches what the frame becomes
after each metric's ``prepare``. KPIs, trends, alerts, drivers and pain points are
methods over that shared state, so a report that asks for dozens of tables reads the
store and the registry once.
"""

from __future__ import annotations

from collections.abc import Iterable
from functools import cached_property
from typing import Any

import pandas as pd

from cxtext.config import ProjectConfig
from cxtext.errors import InputError
from cxtext.kpis.drivers import NO_DRIVERS, ScoreStatistic, driver_source, impact_columns, score_metric, theme_impact_table
from cxtext.kpis.frame import build_frame
from cxtext.kpis.grouping import (
    ALL,
    DEFAULT_MIN_N,
    KPI_COLUMNS,
    check_period,
    choose,
    groups,
    kpi_row,
    narrowed,
    parse_by,
    periods,
    prepare_frame,
    settings_of,
    values_of,
)
from cxtext.kpis.pain import PAIN_COLUMNS, pain_table
from cxtext.kpis.trends import TREND_COLUMNS, check_baseline, significant_moves, trend_table
from cxtext.metrics import Metric
from cxtext.store import Store

CATALOGUE_COLUMNS = ["metric", "label", "unit", "higher_is_better", "kind", "description"]


class KpiEngine:
    """KPIs, trends, alerts, drivers and pain points over one store, sharing one analysis frame.

    ``metrics`` (name -> metric, a list of metrics, or a list of registered metric names) and
    ``analyzers`` (name -> analyzer, or a list) replace the plugin registries (tests,
    notebooks, a project with its own plugin manager); ``frame`` is an analysis frame already
    built. Results are cached per engine: build a new one after the store changes.
    """

    def __init__(self, store: Store, config: ProjectConfig | None = None, metrics: Any = None, *,
                 analyzers: Any = None, frame: pd.DataFrame | None = None) -> None:
        self.store = store
        self.config, self.settings = settings_of(config)
        self._metrics = metrics
        self._analyzers = analyzers
        self._frame = frame
        self._prepared: dict[tuple[str, ...], pd.DataFrame] = {}
        self._trends: dict[tuple[Any, ...], pd.DataFrame] = {}
        self._applies: dict[str, bool] = {}

    def __repr__(self) -> str:
        return f"<KpiEngine {getattr(self.store, 'path', self.store)!s}>"

    # --- shared state ----------------------------------------------------------------------

    @property
    def min_n(self) -> int:
        """Groups below this many records or responses are flagged ``low_n`` (``[kpis] min_n``)."""
        return int(self.settings.get("min_n", DEFAULT_MIN_N))

    @cached_property
    def registry(self) -> dict[str, Metric]:
        """Every metric by name: one pass over the metric plugins, instances kept for the engine's life."""
        if self._metrics is None:
            from cxtext import plugins

            return plugins.metrics(self.config)
        if isinstance(self._metrics, dict):
            return dict(self._metrics)
        given = list(self._metrics)
        if given and all(isinstance(item, str) for item in given):  # names: those of the registered metrics
            from cxtext import plugins

            return choose(plugins.metrics(self.config), given)
        return {metric.name: metric for metric in given}

    @cached_property
    def analyzers(self) -> dict[str, Any]:
        """The analyzers whose declared outputs shape the frame (the registered ones by default)."""
        if self._analyzers is None:
            from cxtext import plugins

            return plugins.analyzers(self.config)
        if isinstance(self._analyzers, dict):
            return dict(self._analyzers)
        return {analyzer.name: analyzer for analyzer in self._analyzers}

    @property
    def frame(self) -> pd.DataFrame:
        """The analysis frame (see :func:`cxtext.kpis.analysis_frame`), built on first use."""
        if self._frame is None:
            self._frame = build_frame(self.store, self.analyzers)
        return self._frame

    def select(self, names: Iterable[str] | None = None) -> dict[str, Metric]:
        """The registered metrics, limited to ``names`` (an error names the unknown ones)."""
        return choose(self.registry, names)

    def metric(self, name: str) -> Metric:
        return self.select([name])[name]

    def applies(self, name: str) -> bool:
        """Whether the data supports metric ``name`` (asked once per metric)."""
        if name not in self._applies:
            frame = self.frame
            self._applies[name] = bool(len(frame)) and bool(self.registry[name].applies(frame))
        return self._applies[name]

    def applicable(self, names: Iterable[str] | None = None) -> list[str]:
        """Names of the metrics (of ``names``) the data supports, in registry order."""
        return [name for name in self.select(names) if self.applies(name)]

    def prepared(self, metrics: Iterable[Metric]) -> pd.DataFrame:
        """The frame after the ``prepare`` of these metrics, worked out once per set of metrics."""
        metrics = [m for m in metrics if getattr(m, "prepare", None) is not None]
        key = tuple(sorted(m.name for m in metrics))
        if key not in self._prepared:
            self._prepared[key] = prepare_frame(self.frame, metrics) if key else self.frame
        return self._prepared[key]

    #: The columns of each table the engine returns, by method name (for empty tables).
    COLUMNS = {
        "kpis": KPI_COLUMNS, "trends": TREND_COLUMNS, "alerts": TREND_COLUMNS + ["p_adjusted"],
        "drivers": impact_columns(), "pain_points": PAIN_COLUMNS, "catalogue": CATALOGUE_COLUMNS,
    }

    def empty(self, table: str) -> pd.DataFrame:
        """An empty result of ``table`` ("kpis", "trends", "alerts", "drivers", "pain_points") with its columns."""
        if table not in self.COLUMNS:
            raise InputError(f"unknown KPI table {table!r}.", expected=", ".join(self.COLUMNS))
        if table == "drivers":  # its item columns are named after the declared drivers kind
            return pd.DataFrame(columns=impact_columns(self.driver_kind))
        return pd.DataFrame(columns=list(self.COLUMNS[table]))

    @property
    def driver_kind(self) -> str:
        """The signal kind key-driver analysis ranks (the declared ``drivers`` output's), or "item"."""
        source = driver_source(self.frame)
        return source.kind if source else NO_DRIVERS

    def statistic(self, score: str) -> ScoreStatistic:
        """How drivers summarise ``score``: through the net metric over it (NPS), else the mean."""
        return ScoreStatistic(score, score_metric(self.registry, score))

    # --- KPIs ------------------------------------------------------------------------------

    def kpis(self, by: list[str] | None = None, period: str | None = None,
             metrics: list[str] | None = None) -> pd.DataFrame:
        """Every applicable metric overall and per grouping (see :func:`cxtext.kpis.compute_kpis`)."""
        by = list(self.settings.get("by", [])) if by is None else list(by)
        period = self.settings.get("period") if period is None else period
        check_period(period)
        frame = self.frame
        chosen = self.select(metrics)
        groupings: list[tuple[str, list[str]]] = [(ALL, [])]
        for spec in by:
            columns = parse_by(frame, spec)
            groupings.append((",".join(columns), columns))
        applicable = [chosen[name] for name in chosen if self.applies(name)]
        keep = [c for _, columns in groupings for c in columns] + ([f"period:{period}"] if period else [])
        frame = narrowed(self.prepared(applicable), applicable, keep)
        rows = []
        for group_by, columns in groupings:
            for group, part in groups(frame, columns):
                slices = [(ALL, part)] + (list(periods(part, period)) if period else [])
                for period_value, piece in slices:
                    for metric in applicable:
                        for item, value in values_of(metric.compute(piece)):
                            if value.value is None or value.n == 0:
                                continue
                            rows.append(kpi_row(metric, item, group_by, group, period_value, value, self.min_n, frame))
        return pd.DataFrame(rows, columns=KPI_COLUMNS)

    def catalogue(self) -> pd.DataFrame:
        """Every registered metric with its label, unit, direction and definition."""
        rows = [
            {"metric": m.name, "label": m.label, "unit": m.unit, "higher_is_better": m.higher_is_better,
             "kind": getattr(m, "kind", ""), "description": m.description}
            for m in self.registry.values()
        ]
        return pd.DataFrame(rows, columns=CATALOGUE_COLUMNS)

    # --- trends and alerts -----------------------------------------------------------------

    def trends(self, metric: str = "nps", by: str | list[str] | None = None, period: str = "month", *,
               baseline: str = "previous", alpha: float = 0.05) -> pd.DataFrame:
        """One metric per period (per group with ``by``), each tested against a baseline (see :func:`cxtext.kpis.kpi_trends`)."""
        check_period(period)
        check_baseline(baseline)
        chosen = self.metric(metric)
        columns = parse_by(self.frame, by) if by else []
        key = (metric, tuple(columns), period, baseline, alpha)
        if key not in self._trends:
            if not self.applies(metric):
                table = pd.DataFrame([], columns=TREND_COLUMNS)
            else:
                frame = narrowed(self.prepared([chosen]), [chosen], [*columns, f"period:{period}"])
                table = trend_table(frame, chosen, columns, period, baseline=baseline, alpha=alpha,
                                    min_n=self.min_n)
            self._trends[key] = table
        return self._trends[key].copy()

    def alerts(self, metrics: list[str] | None = None, by: list[str] | None = None, period: str = "month", *,
               alpha: float = 0.05, top: int = 10, latest_only: bool = False,
               include_low_n: bool = False) -> pd.DataFrame:
        """The largest significant period-on-period moves across metrics and groups (see :func:`cxtext.kpis.alerts`)."""
        by = list(self.settings.get("by", [])) if by is None else list(by)
        chosen = self.select(metrics)
        tables = [self.trends(name, spec, period, alpha=alpha)
                  for name in chosen if self.applies(name) for spec in [None, *by]]
        return significant_moves(tables, alpha=alpha, top=top, latest_only=latest_only, include_low_n=include_low_n)

    # --- drivers and pain points -----------------------------------------------------------

    def drivers(self, score: str = "nps", by: str | list[str] | None = None, *, min_mentions: int = 5,
                reps: int = 1000) -> pd.DataFrame:
        """Theme impact and key drivers of ``score`` (see :func:`cxtext.kpis.theme_impact`)."""
        columns = parse_by(self.frame, by) if by else []
        return theme_impact_table(self.frame, score, columns, self.statistic(score), min_mentions=min_mentions,
                                  reps=reps, min_n=self.min_n)

    theme_impact = drivers

    def pain_points(self, by: str | list[str] = "touchpoint", *, top: int = 5, quotes: int = 3,
                    score: str | None = "nps") -> pd.DataFrame:
        """Per group, the evidence that pulls it down, with quotes (see :func:`cxtext.kpis.pain_points`)."""
        columns = parse_by(self.frame, by) if by else []
        statistic = self.statistic(score) if score else None
        return pain_table(self.store, self.config, self.frame, columns, top=top, quotes=quotes, score=score,
                          statistic=statistic, min_n=self.min_n)


__all__ = ["KpiEngine", "PAIN_COLUMNS", "TREND_COLUMNS", "KPI_COLUMNS", "CATALOGUE_COLUMNS"]
