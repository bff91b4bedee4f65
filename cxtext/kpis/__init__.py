"""The KPI engine: records + signals -> one analysis frame -> KPIs by group and period, trends, drivers.

Everything starts from :func:`analysis_frame`, a pandas DataFrame with one row per record
joined with the record-level signals every registered analyzer declares
(:class:`cxtext.signals.SignalOutput`). Metric plugins (:class:`cxtext.metrics.Metric`)
compute one figure from any slice of it; this package does the slicing (overall, by
touchpoint, segment, source kind, channel, dataset, period), flags small groups, tests
changes between periods, and ranks what drives scores down.

:class:`KpiEngine` holds the shared state (one frame, one set of metric instances, the
prepared frames) and has a method per job; the functions below are thin wrappers that
build an engine per call, for callers that want one table. The package is split by job:

- :mod:`cxtext.kpis.frame` - the analysis frame, from the declared outputs
- :mod:`cxtext.kpis.grouping` - grouping fields, groups, periods, KPI rows
- :mod:`cxtext.kpis.trends` - trends and alerts
- :mod:`cxtext.kpis.drivers` - theme impact and key drivers
- :mod:`cxtext.kpis.pain` - pain points with representative quotes
- :mod:`cxtext.kpis.engine` - :class:`KpiEngine`

See ``docs/kpis.md`` for every definition and statistical method.
"""

from __future__ import annotations

from collections.abc import Iterable

import pandas as pd

from cxtext.config import ProjectConfig
from cxtext.kpis.drivers import ScoreStatistic, impact_columns, response_frame
from cxtext.kpis.engine import CATALOGUE_COLUMNS, KpiEngine
from cxtext.kpis.frame import Declared, build_frame, declarations
from cxtext.kpis.grouping import (
    ALL,
    DEFAULT_MIN_N,
    GROUP_FIELDS,
    KPI_COLUMNS,
    MISSING_GROUP,
    PERIODS,
    choose,
    concat_rows,
    parse_by,
    prepare_frame,
    resolve_field,
)
from cxtext.kpis.pain import PAIN_COLUMNS
from cxtext.kpis.trends import TREND_COLUMNS
from cxtext.metrics import Metric
from cxtext.store import Store

__all__ = [
    "KpiEngine", "analysis_frame", "compute_kpis", "kpi_trends", "alerts", "theme_impact", "pain_points",
    "metric_catalogue", "resolve_field", "parse_by", "select_metrics", "prepare_frame", "response_frame",
    "concat_rows", "declarations", "Declared", "ScoreStatistic",
    "PERIODS", "DEFAULT_MIN_N", "ALL", "MISSING_GROUP", "GROUP_FIELDS", "KPI_COLUMNS", "TREND_COLUMNS",
    "IMPACT_COLUMNS", "PAIN_COLUMNS", "CATALOGUE_COLUMNS", "impact_columns",
]


def __getattr__(name: str):
    # The theme-impact columns are named after the kind the registered analyzers declare as
    # drivers, so they are worked out on first use rather than fixed here.
    if name == "IMPACT_COLUMNS":
        from cxtext import plugins
        from cxtext.kpis.frame import Declared, declarations
        from cxtext.kpis.drivers import NO_DRIVERS

        found = [d for d in declarations(plugins.analyzers()) if isinstance(d, Declared)
                 and d.output.level == "record" and d.output.drivers and d.output.list_column]
        return impact_columns(found[0].output.kind if found else NO_DRIVERS)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def analysis_frame(store: Store, config: ProjectConfig | None = None) -> pd.DataFrame:
    """One row per record with its fields and record-level signals.

    Columns:

    - record fields: ``record_id``, ``source_kind``, ``dataset``, ``source_id``, ``channel``,
      ``touchpoint``, ``customer_id``, ``conversation_id``, ``speaker``, ``role``, ``turn_index``,
      ``created_at`` (UTC timestamp) and its ``period:week`` / ``period:month`` / ``period:quarter``;
    - ``segment:NAME``, ``score:NAME``, ``engagement:NAME`` for every name seen, and
      ``meta:KEY`` for every scalar metadata value (``meta:inbound``, ``meta:churned``...);
    - ``response_id``: records of one survey response (same conversation id and the same
      scores) share it, so score KPIs count each response once;
    - ``language`` (the host's language signal, else the file's);
    - every column the registered analyzers declare (:class:`cxtext.signals.SignalOutput`):
      with the first-party ones, ``sentiment`` (label), ``sentiment_score``, ``themes`` (list
      of ids), ``effort_score`` (1-7, 7 = easy), ``effort_label``, ``effort_drivers`` (list),
      ``theme_sentiments`` (list of ``[theme, sentence sentiment]`` pairs, one per sentence
      carrying a theme);
    - ``analysed:NAME`` for every registered analyzer (``analysed:sentiment``...).

    ``frame.attrs`` holds each declared label -> display name map under its ``names_attr``
    (``frame.attrs["theme_labels"]`` maps theme ids to their labels), the declarations
    (``"outputs"``) and the declared grouping fields (``"group_fields"``).
    """
    return KpiEngine(store, config, metrics={}).frame


def compute_kpis(
    store: Store,
    config: ProjectConfig | None = None,
    by: list[str] | None = None,
    period: str | None = None,
    metrics: list[str] | None = None,
    *,
    frame: pd.DataFrame | None = None,
) -> pd.DataFrame:
    """Every applicable metric, overall and for each grouping in ``by``, with n, CI and flags.

    ``by`` lists groupings; each is one field (``"touchpoint"``, ``"segment:plan"``, or just
    ``"plan"``) or several crossed with commas (``"segment:plan,segment:region"``). Overall
    rows (``group_by == "all"``) always come first. With ``period`` ("week", "month",
    "quarter") each group also gets one row per period besides its all-time row
    (``period == "all"``). ``by``/``period`` default to the project's ``[kpis]`` ``by`` and
    ``period``. Groups smaller than ``[kpis] min_n`` (default 30) are kept with ``low_n``.
    """
    return KpiEngine(store, config, frame=frame).kpis(by, period, metrics)


def kpi_trends(
    store: Store,
    config: ProjectConfig | None = None,
    metric: str = "nps",
    by: str | list[str] | None = None,
    period: str = "month",
    *,
    baseline: str = "previous",
    alpha: float = 0.05,
    frame: pd.DataFrame | None = None,
) -> pd.DataFrame:
    """One metric per period (per group when ``by`` is given), each period tested against a baseline.

    ``baseline="previous"`` compares each period with the previous period that has data;
    ``baseline="first"`` compares every period with the first one; ``baseline="pooled"``
    compares each period with all earlier periods taken together (more power against a
    step change when single periods are small; ``baseline_period`` reads ``first–last``).
    The test depends on the
    metric (two-proportion z for shares, Welch t for means, z on the NPS/net difference
    with the trinomial variance). ``significant`` is ``p_value < alpha`` (per test, not
    adjusted; :func:`alerts` adjusts across tests). ``by`` is one grouping (fields crossed).
    """
    return KpiEngine(store, config, frame=frame).trends(metric, by, period, baseline=baseline, alpha=alpha)


def alerts(
    store: Store,
    config: ProjectConfig | None = None,
    metrics: list[str] | None = None,
    by: list[str] | None = None,
    period: str = "month",
    *,
    alpha: float = 0.05,
    top: int = 10,
    latest_only: bool = False,
    include_low_n: bool = False,
    frame: pd.DataFrame | None = None,
) -> pd.DataFrame:
    """The largest significant period-on-period moves across metrics and groups.

    Runs :func:`kpi_trends` (baseline: previous period) for every metric (default: all that
    apply) overall and for each grouping in ``by`` (default: the ``[kpis] by`` setting),
    adjusts the p-values for the number of tests with Benjamini-Hochberg (``p_adjusted``),
    keeps moves with ``p_adjusted < alpha`` and returns the ``top`` with the largest |statistic|.
    ``latest_only`` keeps only moves into each series' last period. Moves where either
    period is below ``min_n`` are left out unless ``include_low_n``.
    """
    return KpiEngine(store, config, frame=frame).alerts(
        metrics, by, period, alpha=alpha, top=top, latest_only=latest_only, include_low_n=include_low_n)


def theme_impact(
    store: Store,
    config: ProjectConfig | None = None,
    score: str = "nps",
    by: str | list[str] | None = None,
    *,
    min_mentions: int = 5,
    reps: int = 1000,
    frame: pd.DataFrame | None = None,
) -> pd.DataFrame:
    """Per theme: how common it is and how much it moves ``score``, with bootstrap uncertainty.

    The themes are the items of the analyzer output declared ``drivers=True`` (the themes
    analyzer's ``themes`` column). Per response (records of one response merged):
    ``prevalence`` (% of responses mentioning the theme, Wilson CI); ``score_with`` /
    ``score_without`` (NPS, or the mean score, among responses that do / do not mention it)
    and their ``difference``; ``score_if_removed``: the score with the theme's negative
    responses removed (NPS: its detractors, as the NPS metric classifies them; other scores:
    responses below the midpoint of the scale), and ``impact`` = score_if_removed - score
    (how far the score would move if that theme's problems went away). CIs are percentile
    bootstraps over responses (``reps`` resamples, seeded).

    Key drivers (themes with at least ``min_mentions``): an OLS regression of the score on
    all theme indicators together (``driver_coef``: points of score associated with
    mentioning the theme, others held fixed, with its standard error and p-value), Pratt's
    relative importance (``driver_importance``: share of R² explained, sums to R²) and, for
    NPS, the odds ratio of being a detractor from a logistic regression on the same indicators.
    ``by`` gives one row per theme per group as well as overall.
    """
    return KpiEngine(store, config, frame=frame).drivers(score, by, min_mentions=min_mentions, reps=reps)


def pain_points(
    store: Store,
    config: ProjectConfig | None = None,
    by: str | list[str] = "touchpoint",
    *,
    top: int = 5,
    quotes: int = 3,
    score: str | None = "nps",
    frame: pd.DataFrame | None = None,
) -> pd.DataFrame:
    """Per group (default: touchpoint), the themes and effort drivers that pull it down, with quotes.

    The evidence kinds are the sentence-level outputs that declare ``evidence``. Themes
    (``evidence_rule="negative"``): ranked by the share of the group's analysed records with
    a NEGATIVE sentence carrying the theme (Wilson CI); only themes whose sentences are net
    negative are kept. Effort drivers: high-effort evidence (repeat contact, transfers,
    waiting...), ranked by the share of effort-analysed records showing them. ``score_gap``
    is the mean ``score`` (NPS: the NPS) of records with the item minus those without, when
    the records have it.

    Quotes are the ``quotes`` most representative negative sentences: nearest the centroid
    of their cached sentence embeddings (the themes analyzer caches them); without cached
    vectors, the most confident and most negative ones. Duplicate texts are shown once.
    """
    return KpiEngine(store, config, frame=frame).pain_points(by, top=top, quotes=quotes, score=score)


def select_metrics(config: ProjectConfig, names: Iterable[str] | None = None) -> dict[str, Metric]:
    """The registered metrics, limited to ``names`` (an error names the unknown ones)."""
    from cxtext import plugins

    return choose(plugins.metrics(config), names)


def metric_catalogue(config: ProjectConfig | None = None) -> pd.DataFrame:
    """Every registered metric with its label, unit, direction and definition."""
    return KpiEngine(None, config).catalogue()  # type: ignore[arg-type]  # the catalogue reads no store
