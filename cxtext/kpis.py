"""The KPI engine: records + signals -> one analysis frame -> KPIs by group and period, trends, drivers.

Everything starts from :func:`analysis_frame`, a pandas DataFrame with one row per record
joined with its record-level signals. Metric plugins (:class:`cxtext.metrics.Metric`)
compute one figure from any slice of it; this module does the slicing (overall, by
touchpoint, segment, source kind, channel, dataset, period), flags small groups, tests
changes between periods, and ranks what drives scores down.

See ``docs/kpis.md`` for every definition and statistical method.
"""

from __future__ import annotations

import json
import math
import warnings
from collections import defaultdict
from collections.abc import Iterable
from typing import Any

import numpy as np
import pandas as pd

from cxtext import plugins
from cxtext.config import ProjectConfig
from cxtext.errors import InputError
from cxtext.metrics import (
    BOOTSTRAP_SEED,
    KpiValue,
    Metric,
    benjamini_hochberg,
    net_interval,
    wilson_interval,
)
from cxtext.store import Store

PERIODS = ("week", "month", "quarter")
DEFAULT_MIN_N = 30
ALL = "all"
MISSING_GROUP = "(none)"
#: Record fields that can be grouped on besides ``segment:NAME`` and ``meta:NAME``.
GROUP_FIELDS = ("touchpoint", "source_kind", "channel", "dataset", "language", "role", "sentiment")
KPI_COLUMNS = [
    "metric", "item", "label", "group_by", "group", "period", "value", "n", "ci_low", "ci_high",
    "unit", "band", "benchmark", "low_n", "higher_is_better", "details",
]
_ANALYZERS = ("sentiment", "themes", "effort")


# --- the analysis frame ------------------------------------------------------------------


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
    - signals: ``language``, ``sentiment`` (label), ``sentiment_score``, ``themes`` (list of
      ids), ``effort_score`` (1-7, 7 = easy), ``effort_label``, ``effort_drivers`` (list),
      ``theme_sentiments`` (list of ``[theme, sentence sentiment]`` pairs, one per sentence
      carrying a theme), and ``analysed:sentiment`` / ``analysed:themes`` / ``analysed:effort``.

    ``frame.attrs["theme_labels"]`` maps theme ids to their labels.
    """
    rows: list[dict[str, Any]] = []
    for record in store.iter_records():
        row: dict[str, Any] = {
            "record_id": record.id, "source_kind": record.source_kind, "dataset": record.dataset,
            "source_id": record.source_id, "channel": record.channel, "touchpoint": record.touchpoint,
            "customer_id": record.customer_id, "conversation_id": record.conversation_id,
            "speaker": record.speaker, "role": record.role, "turn_index": record.turn_index,
            "created_at": record.created_at, "record_language": record.language,
        }
        for name, value in record.segments.items():
            row[f"segment:{name}"] = None if value is None else str(value)
        for name, value in record.scores.items():
            row[f"score:{name}"] = value
        for name, value in record.engagement.items():
            row[f"engagement:{name}"] = value
        for key, value in record.metadata.items():
            if value is None or isinstance(value, (str, int, float, bool)):
                row[f"meta:{key}"] = value
        row["response_id"] = _response_key(record)
        rows.append(row)
    frame = pd.DataFrame(rows)
    if frame.empty:
        frame = pd.DataFrame(columns=["record_id", "source_kind", "dataset", "created_at", "response_id"])
    # Plain object columns: slicing many groups out of pyarrow-backed strings is several times slower.
    strings = [c for c in frame.columns if pd.api.types.is_string_dtype(frame[c]) and frame[c].dtype != object]
    frame = frame.astype({c: object for c in strings})
    frame = frame.set_index("record_id", drop=False)
    frame.index.name = None
    _add_periods(frame)
    labels = _add_signals(store, frame)
    frame.attrs["theme_labels"] = labels
    return frame


def _response_key(record) -> str:
    """Records of one survey response share a key: dataset + conversation id + the same scores."""
    if record.conversation_id and record.scores:
        scores = json.dumps(record.scores, sort_keys=True)
        return f"{record.dataset}\x1f{record.conversation_id}\x1f{scores}"
    return record.id


def _add_periods(frame: pd.DataFrame) -> None:
    created = pd.to_datetime(frame["created_at"], utc=True, errors="coerce", format="ISO8601")
    frame["created_at"] = created
    valid = created.notna()
    iso = created[valid].dt.isocalendar()
    week = pd.Series(None, index=frame.index, dtype=object)
    week[valid] = [f"{y}-W{w:02d}" for y, w in zip(iso["year"], iso["week"])]
    month = pd.Series(None, index=frame.index, dtype=object)
    month[valid] = created[valid].dt.strftime("%Y-%m")
    quarter = pd.Series(None, index=frame.index, dtype=object)
    quarter[valid] = [f"{d.year}-Q{(d.month - 1) // 3 + 1}" for d in created[valid]]
    frame["period:week"], frame["period:month"], frame["period:quarter"] = week, month, quarter


def _add_signals(store: Store, frame: pd.DataFrame) -> dict[str, str]:
    """Join record-level signals and sentence-level theme/sentiment pairs onto the frame."""
    ids = set(frame.index)
    language: dict[str, str] = {}
    sentiment: dict[str, tuple[str, float]] = {}
    themes: dict[str, list[str]] = defaultdict(list)
    effort: dict[str, tuple[float, str, list[str]]] = {}
    labels: dict[str, str] = {}
    for row in store.iter_signals(level="record"):
        rid, kind = row["record_id"], row["kind"]
        if rid not in ids:
            continue
        if kind == "language":
            language[rid] = row["label"]
        elif kind == "sentiment":
            sentiment[rid] = (row["label"], row["score"])
        elif kind == "theme" and row["label"]:
            if row["label"] not in themes[rid]:
                themes[rid].append(row["label"])
            labels.setdefault(row["label"], (row["data"] or {}).get("theme_label") or row["label"])
        elif kind == "effort_score":
            drivers = (row["data"] or {}).get("drivers") or []
            effort[rid] = (row["score"], row["label"], [str(d) for d in drivers])
    sentence_sentiment = {
        row["sentence_id"]: row["label"] for row in store.iter_signals(kind="sentiment", level="sentence")
    }
    pairs: dict[str, list[list[str]]] = defaultdict(list)
    for row in store.iter_signals(kind="theme", level="sentence"):
        if row["label"]:
            labels.setdefault(row["label"], (row["data"] or {}).get("theme_label") or row["label"])
            label = sentence_sentiment.get(row["sentence_id"])
            if label is not None:
                pairs[row["record_id"]].append([row["label"], label])
    index = frame.index
    frame["language"] = [language.get(r) or frame.at[r, "record_language"] for r in index]
    frame["sentiment"] = [sentiment[r][0] if r in sentiment else None for r in index]
    frame["sentiment_score"] = [sentiment[r][1] if r in sentiment else np.nan for r in index]
    frame["themes"] = [list(themes.get(r, [])) for r in index]
    frame["effort_score"] = [effort[r][0] if r in effort else np.nan for r in index]
    frame["effort_label"] = [effort[r][1] if r in effort else None for r in index]
    frame["effort_drivers"] = [list(effort[r][2]) if r in effort else [] for r in index]
    frame["theme_sentiments"] = [pairs.get(r, []) for r in index]
    for analyzer in _ANALYZERS:
        done = store.analyzed_record_ids(analyzer)
        frame[f"analysed:{analyzer}"] = [r in done for r in index]
    return labels


# --- grouping helpers --------------------------------------------------------------------


def resolve_field(frame: pd.DataFrame, name: str) -> str:
    """The frame column for a grouping field: ``touchpoint``, ``segment:plan`` or just ``plan``."""
    name = name.strip()
    if name in frame.columns and (name in GROUP_FIELDS or name.split(":")[0] in ("segment", "meta", "period")):
        return name
    if f"segment:{name}" in frame.columns:
        return f"segment:{name}"
    if name in GROUP_FIELDS:
        return name  # a known field with no values in this store: every record is "(none)"
    segments = sorted(c.split(":", 1)[1] for c in frame.columns if c.startswith("segment:"))
    raise InputError(
        f"cannot group by {name!r}.",
        expected=f"one of {', '.join(GROUP_FIELDS)}" + (f", or a segment: {', '.join(segments)}" if segments else ""),
    )


def parse_by(frame: pd.DataFrame, spec: str | Iterable[str]) -> list[str]:
    """Columns for one grouping: ``"segment:plan,segment:region"`` or a list of fields (crossed)."""
    parts = spec.split(",") if isinstance(spec, str) else [p for item in spec for p in item.split(",")]
    return [resolve_field(frame, p) for p in parts if p.strip()]


def _groups(frame: pd.DataFrame, columns: list[str]) -> Iterable[tuple[str, pd.DataFrame]]:
    """(group name, slice) for each combination of values; missing values form "(none)"."""
    if not columns:
        yield ALL, frame
        return
    keys = pd.DataFrame(
        {c: (frame[c] if c in frame.columns else pd.Series(None, index=frame.index, dtype=object)) for c in columns}
    ).astype(object).where(lambda d: d.notna(), MISSING_GROUP).astype(str)
    labels = keys.apply(lambda r: " | ".join(r), axis=1) if len(columns) > 1 else keys[columns[0]]
    for name in sorted(labels.unique()):
        yield name, _slice(frame, labels == name)


def _slice(frame: pd.DataFrame, mask: pd.Series) -> pd.DataFrame:
    part = frame.loc[mask]
    part.attrs = frame.attrs  # metrics read theme labels from attrs; keep them on every slice
    return part


def _periods(frame: pd.DataFrame, period: str | None) -> Iterable[tuple[str, pd.DataFrame]]:
    if period is None:
        yield ALL, frame
        return
    column = f"period:{period}"
    values = frame[column].dropna() if column in frame.columns else pd.Series(dtype=object)
    for value in sorted(values.unique()):
        yield value, _slice(frame, frame[column] == value)


def _check_period(period: str | None) -> None:
    if period is not None and period not in PERIODS:
        raise InputError(f"unknown period {period!r}.", expected=f"one of {', '.join(PERIODS)}")


def _settings(config: ProjectConfig | None) -> tuple[ProjectConfig, dict[str, Any]]:
    config = config or ProjectConfig()
    return config, dict(config.kpis or {})


def select_metrics(config: ProjectConfig, names: Iterable[str] | None = None) -> dict[str, Metric]:
    """The registered metrics, limited to ``names`` (an error names the unknown ones)."""
    available = plugins.metrics(config)
    if names is None:
        return available
    names = list(names)
    unknown = [n for n in names if n not in available]
    if unknown:
        raise InputError(
            f"unknown metric(s) {', '.join(unknown)}.",
            expected=f"one of {', '.join(sorted(available)) or '(no metric plugins installed)'}",
        )
    return {n: available[n] for n in names}


def prepare_frame(frame: pd.DataFrame, metrics: Iterable[Metric]) -> pd.DataFrame:
    """Let metrics add derived columns once, before slicing (optional ``Metric.prepare(frame)``).

    Used for what must be worked out over all records, such as which support thread a post
    belongs to; the frame passed in is not modified.
    """
    for metric in metrics:
        prepare = getattr(metric, "prepare", None)
        if prepare is not None:
            attrs = frame.attrs
            frame = prepare(frame)
            frame.attrs = attrs
    return frame


def _values(result: KpiValue | dict[str, KpiValue]) -> list[tuple[str | None, KpiValue]]:
    if isinstance(result, dict):
        return sorted(result.items())
    return [(None, result)]


def _label(metric: Metric, item: str | None, frame: pd.DataFrame) -> str:
    if item is None:
        return metric.label
    return f"{metric.label}: {frame.attrs.get('theme_labels', {}).get(item, item)}"


# --- KPIs -----------------------------------------------------------------------------------


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
    config, settings = _settings(config)
    by = list(settings.get("by", [])) if by is None else list(by)
    period = settings.get("period") if period is None else period
    _check_period(period)
    frame = analysis_frame(store, config) if frame is None else frame
    chosen = select_metrics(config, metrics)
    min_n = int(settings.get("min_n", DEFAULT_MIN_N))
    groupings: list[tuple[str, list[str]]] = [(ALL, [])]
    for spec in by:
        columns = parse_by(frame, spec)
        groupings.append((",".join(columns), columns))
    rows = []
    applicable = [m for m in chosen.values() if len(frame) and m.applies(frame)]
    frame = prepare_frame(frame, applicable)
    for group_by, columns in groupings:
        for group, part in _groups(frame, columns):
            slices = [(ALL, part)] + (list(_periods(part, period)) if period else [])
            for period_value, piece in slices:
                for metric in applicable:
                    for item, value in _values(metric.compute(piece)):
                        if value.value is None or value.n == 0:
                            continue
                        rows.append(_row(metric, item, group_by, group, period_value, value, min_n, frame))
    return pd.DataFrame(rows, columns=KPI_COLUMNS)


def _row(metric: Metric, item, group_by, group, period, value: KpiValue, min_n: int, frame) -> dict[str, Any]:
    return {
        "metric": metric.name, "item": item, "label": _label(metric, item, frame), "group_by": group_by,
        "group": group, "period": period, "value": _round(value.value), "n": int(value.n),
        "ci_low": _round(value.ci_low), "ci_high": _round(value.ci_high), "unit": metric.unit,
        "band": value.band, "benchmark": value.benchmark, "low_n": bool(value.n < min_n),
        "higher_is_better": bool(metric.higher_is_better), "details": value.details,
    }


def _round(value: float | None, digits: int | None = None) -> float | None:
    """A plain float (None for missing/NaN), rounded only when ``digits`` is given."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return None
    return float(value) if digits is None else round(float(value), digits)


# --- trends and alerts ------------------------------------------------------------------------

TREND_COLUMNS = [
    "metric", "item", "label", "group_by", "group", "period", "value", "n", "ci_low", "ci_high",
    "baseline_period", "baseline_value", "change", "statistic", "p_value", "test", "significant",
    "improved", "low_n", "unit",
]


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
    config, settings = _settings(config)
    _check_period(period)
    if baseline not in ("previous", "first", "pooled"):
        raise InputError(f"unknown baseline {baseline!r}.", expected="previous, first or pooled")
    frame = analysis_frame(store, config) if frame is None else frame
    chosen = select_metrics(config, [metric])[metric]
    min_n = int(settings.get("min_n", DEFAULT_MIN_N))
    columns = parse_by(frame, by) if by else []
    group_by = ",".join(columns) if columns else ALL
    rows = []
    if not len(frame) or not chosen.applies(frame):
        return pd.DataFrame(rows, columns=TREND_COLUMNS)
    frame = prepare_frame(frame, [chosen])
    for group, part in _groups(frame, columns):
        series: dict[str | None, list[tuple[str, KpiValue]]] = defaultdict(list)
        for period_value, piece in _periods(part, period):
            for item, value in _values(chosen.compute(piece)):
                if value.value is not None and value.n > 0:
                    series[item].append((period_value, value))
        pooled: dict[str, dict[str | None, KpiValue]] = {}
        for item, points in series.items():
            for position, (period_value, value) in enumerate(points):
                base = None if position == 0 else points[0 if baseline == "first" else position - 1]
                if base is not None and baseline == "pooled":
                    if period_value not in pooled:  # every earlier period's records, as one sample
                        earlier = _slice(part, part[f"period:{period}"] < period_value)
                        pooled[period_value] = dict(_values(chosen.compute(earlier)))
                    earlier_value = pooled[period_value].get(item)
                    base = (f"{points[0][0]}–{points[position - 1][0]}" if position > 1 else points[0][0],
                            earlier_value) if earlier_value is not None and earlier_value.value is not None else None
                comparison = chosen.compare(base[1], value) if base else None
                p = comparison.p_value if comparison else None
                change = comparison.change if comparison else None
                rows.append({
                    "metric": chosen.name, "item": item, "label": _label(chosen, item, frame),
                    "group_by": group_by, "group": group, "period": period_value,
                    "value": _round(value.value), "n": value.n, "ci_low": _round(value.ci_low),
                    "ci_high": _round(value.ci_high),
                    "baseline_period": base[0] if base else None,
                    "baseline_value": _round(base[1].value) if base else None,
                    "change": _round(change), "statistic": _round(comparison.statistic) if comparison else None,
                    "p_value": _round(p), "test": comparison.test if comparison else None,
                    "significant": bool(p is not None and p < alpha),
                    "improved": None if change is None else bool((change > 0) == chosen.higher_is_better and change != 0),
                    "low_n": bool(value.n < min_n or (base is not None and base[1].n < min_n)),
                    "unit": chosen.unit,
                })
    return pd.DataFrame(rows, columns=TREND_COLUMNS)


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
    config, settings = _settings(config)
    frame = analysis_frame(store, config) if frame is None else frame
    by = list(settings.get("by", [])) if by is None else list(by)
    chosen = select_metrics(config, metrics)
    frame = prepare_frame(frame, [m for m in chosen.values() if len(frame) and m.applies(frame)])
    parts = []
    for name, metric in chosen.items():
        if not len(frame) or not metric.applies(frame):
            continue
        for spec in [None, *by]:
            trend = kpi_trends(store, config, name, spec, period, alpha=alpha, frame=frame)
            trend = trend[trend["p_value"].notna()]
            if not include_low_n:
                trend = trend[~trend["low_n"].astype(bool)]
            if latest_only and len(trend):
                last = trend.groupby(["group", "item"], dropna=False)["period"].transform("max")
                trend = trend[trend["period"] == last]
            parts.append(trend)
    parts = [p for p in parts if len(p)]
    if not parts:
        return pd.DataFrame(columns=TREND_COLUMNS + ["p_adjusted"])
    moves = pd.concat(parts, ignore_index=True)
    moves["p_adjusted"] = benjamini_hochberg(moves["p_value"].tolist())
    moves = moves[moves["p_adjusted"] < alpha].copy()
    moves["significant"] = True
    moves = moves.reindex(moves["statistic"].abs().sort_values(ascending=False).index)
    return moves.head(top).reset_index(drop=True)


# --- theme impact and key drivers -------------------------------------------------------------

IMPACT_COLUMNS = [
    "group_by", "group", "theme", "theme_label", "responses", "mentions", "prevalence", "prevalence_ci_low",
    "prevalence_ci_high", "score_with", "score_without", "difference", "difference_ci_low", "difference_ci_high",
    "score_if_removed", "impact", "impact_ci_low", "impact_ci_high", "driver_coef", "driver_se", "driver_p",
    "driver_importance", "detractor_odds_ratio", "low_n",
]


def response_frame(frame: pd.DataFrame, score: str) -> pd.DataFrame:
    """One row per survey response with ``score`` and the union of its records' themes.

    Only responses that carry the score and whose text the themes analyzer has processed.
    """
    column = f"score:{score}"
    if column not in frame.columns:
        scores = sorted(c.split(":", 1)[1] for c in frame.columns if c.startswith("score:"))
        raise InputError(f"no record has a {score!r} score.", expected=f"one of {', '.join(scores) or '(no scores)'}")
    part = frame[frame[column].notna() & frame["analysed:themes"]]
    if part.empty:
        return pd.DataFrame(columns=["response_id", "score", "themes"])
    grouped = part.groupby("response_id", sort=False)
    responses = grouped.first()
    responses["score"] = grouped[column].first().astype(float)
    responses["themes"] = grouped["themes"].agg(lambda lists: sorted({t for themes in lists for t in themes}))
    responses = responses.reset_index()
    responses.attrs = frame.attrs
    return responses


def _score_stat(values: np.ndarray, score: str, axis: int | None = None) -> np.ndarray | float:
    """NPS (points) for ``score == "nps"``, else the mean; NaN-aware along ``axis``."""
    if score == "nps":
        valid = ~np.isnan(values)
        count = valid.sum(axis=axis)
        promoters = (values >= 9).sum(axis=axis)
        detractors = (values <= 6).sum(axis=axis)
        with np.errstate(invalid="ignore", divide="ignore"):
            return 100 * (promoters - detractors) / count
    with warnings.catch_warnings():  # an empty bootstrap draw is NaN, not a problem
        warnings.simplefilter("ignore", RuntimeWarning)
        return np.nanmean(values, axis=axis)


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

    Per response (records of one response merged): ``prevalence`` (% of responses mentioning
    the theme, Wilson CI); ``score_with`` / ``score_without`` (NPS, or the mean score, among
    responses that do / do not mention it) and their ``difference``; ``score_if_removed``:
    the score with the theme's negative responses removed (NPS: its detractors; other scores:
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
    config, settings = _settings(config)
    frame = analysis_frame(store, config) if frame is None else frame
    min_n = int(settings.get("min_n", DEFAULT_MIN_N))
    columns = parse_by(frame, by) if by else []
    responses = response_frame(frame, score)
    rows: list[dict[str, Any]] = []
    groupings = [(ALL, [])] + ([(",".join(columns), columns)] if columns else [])
    labels = frame.attrs.get("theme_labels", {})
    for group_by, cols in groupings:
        for group, part in _groups(responses, cols):
            rows.extend(_impact_rows(part, score, group_by, group, labels, min_mentions, reps, min_n))
    result = pd.DataFrame(rows, columns=IMPACT_COLUMNS)
    return result.sort_values(["group_by", "group", "impact"], ascending=[True, True, False], key=None).reset_index(drop=True)


def _negative(values: np.ndarray, score: str, scale: tuple[float, float] | None) -> np.ndarray:
    if score == "nps":
        return values <= 6
    low, high = scale or (np.nanmin(values), np.nanmax(values))
    return values < (low + high) / 2


def _impact_rows(part, score, group_by, group, labels, min_mentions, reps, min_n) -> list[dict[str, Any]]:
    from cxtext.records import SCORE_RANGES

    if part.empty:
        return []
    values = part["score"].to_numpy(dtype=float)
    themes = sorted({t for ts in part["themes"] for t in ts})
    if not themes:
        return []
    indicators = np.array([[t in ts for t in themes] for ts in part["themes"]], dtype=bool)
    n = len(values)
    negative = _negative(values, score, SCORE_RANGES.get(score))
    overall = _score_stat(values, score)
    rng = np.random.default_rng(BOOTSTRAP_SEED)
    draws = rng.integers(0, n, size=(reps, n))
    boot_values = values[draws]
    boot_negative = negative[draws]
    boot_overall = _score_stat(boot_values, score, axis=1)
    drivers = _key_drivers(values, indicators, themes, score, min_mentions)
    rows = []
    for j, theme in enumerate(themes):
        mention = indicators[:, j]
        count = int(mention.sum())
        low, high = wilson_interval(count, n)
        with_values, without_values = values[mention], values[~mention]
        score_with = _score_stat(with_values, score) if count else None
        score_without = _score_stat(without_values, score) if count < n else None
        keep = ~(mention & negative)
        removed = _score_stat(values[keep], score) if keep.any() else None
        boot_mention = mention[draws]
        masked_with = np.where(boot_mention, boot_values, np.nan)
        masked_without = np.where(~boot_mention, boot_values, np.nan)
        with np.errstate(invalid="ignore"):
            diff_draws = _score_stat(masked_with, score, axis=1) - _score_stat(masked_without, score, axis=1)
            impact_draws = _score_stat(np.where(boot_mention & boot_negative, np.nan, boot_values), score, axis=1) - boot_overall
        diff_ci = _percentiles(diff_draws)
        impact_ci = _percentiles(impact_draws)
        driver = drivers.get(theme, {})
        rows.append({
            "group_by": group_by, "group": group, "theme": theme, "theme_label": labels.get(theme, theme),
            "responses": n, "mentions": count, "prevalence": 100 * count / n,
            "prevalence_ci_low": 100 * low, "prevalence_ci_high": 100 * high,
            "score_with": _round(score_with), "score_without": _round(score_without),
            "difference": _round(score_with - score_without) if score_with is not None and score_without is not None else None,
            "difference_ci_low": diff_ci[0], "difference_ci_high": diff_ci[1],
            "score_if_removed": _round(removed), "impact": _round(removed - overall) if removed is not None else None,
            "impact_ci_low": impact_ci[0], "impact_ci_high": impact_ci[1],
            "driver_coef": driver.get("coef"), "driver_se": driver.get("se"), "driver_p": driver.get("p"),
            "driver_importance": driver.get("importance"), "detractor_odds_ratio": driver.get("odds_ratio"),
            "low_n": bool(count < min_n),
        })
    return rows


def _percentiles(draws: np.ndarray) -> tuple[float | None, float | None]:
    draws = draws[np.isfinite(draws)]
    if len(draws) < 10:
        return None, None
    low, high = np.percentile(draws, [2.5, 97.5])
    return _round(low), _round(high)


def _key_drivers(values, indicators, themes, score, min_mentions) -> dict[str, dict[str, float]]:
    """OLS of the score on theme indicators (coef, SE, p), Pratt importance, detractor odds ratios."""
    from scipy import stats

    counts = indicators.sum(axis=0)
    keep = [j for j, c in enumerate(counts) if min_mentions <= c < len(values)]
    n, k = len(values), len(keep)
    if k == 0 or n <= k + 1:
        return {}
    X = indicators[:, keep].astype(float)
    design = np.column_stack([np.ones(n), X])
    y = values.astype(float)
    if score == "nps":
        y = np.where(y >= 9, 100.0, np.where(y <= 6, -100.0, 0.0))  # coefficients in NPS points
    coef, _, rank, _ = np.linalg.lstsq(design, y, rcond=None)
    residuals = y - design @ coef
    dof = n - rank
    sigma2 = float(residuals @ residuals) / dof if dof > 0 else float("nan")
    cov = sigma2 * np.linalg.pinv(design.T @ design)
    se = np.sqrt(np.clip(np.diag(cov), 0, None))
    with np.errstate(invalid="ignore", divide="ignore"):
        t = coef / se
    p = 2 * stats.t.sf(np.abs(t), dof) if dof > 0 else np.full(len(coef), np.nan)
    # Pratt's measure: standardised beta x zero-order correlation; sums to R².
    sd_y = y.std()
    result: dict[str, dict[str, float]] = {}
    odds = _detractor_odds(X, values) if score == "nps" else {}
    for position, j in enumerate(keep):
        x = X[:, position]
        beta_std = coef[position + 1] * x.std() / sd_y if sd_y else float("nan")
        corr = np.corrcoef(x, y)[0, 1] if x.std() and sd_y else float("nan")
        result[themes[j]] = {
            "coef": _round(coef[position + 1]), "se": _round(se[position + 1]), "p": _round(p[position + 1]),
            "importance": _round(beta_std * corr), "odds_ratio": _round(odds.get(position)),
        }
    return result


def _detractor_odds(X: np.ndarray, values: np.ndarray) -> dict[int, float]:
    from sklearn.linear_model import LogisticRegression

    detractor = values <= 6
    if detractor.all() or not detractor.any():
        return {}
    model = LogisticRegression(C=10.0, max_iter=1000)  # mild L2 keeps rare themes finite
    model.fit(X, detractor)
    return {j: float(np.exp(c)) for j, c in enumerate(model.coef_[0])}


# --- pain points --------------------------------------------------------------------------------

PAIN_COLUMNS = [
    "group_by", "group", "kind", "item", "label", "records", "analysed", "share", "share_ci_low", "share_ci_high",
    "net_sentiment", "score_gap", "quotes", "quote_method", "low_n",
]


def _sentence_table(store: Store, frame: pd.DataFrame) -> pd.DataFrame:
    """Sentence-level theme and high-effort evidence with the sentence's sentiment."""
    sentiment = {
        row["sentence_id"]: (row["label"], row["score"])
        for row in store.iter_signals(kind="sentiment", level="sentence")
    }
    rows = []
    for row in store.iter_signals(kind="theme", level="sentence"):
        if row["label"] and row["record_id"] in frame.index:
            label, value = sentiment.get(row["sentence_id"], (None, None))
            rows.append(["theme", row["label"], row["record_id"], row["sentence_id"], row["score"], label, value])
    for row in store.iter_signals(kind="effort", level="sentence"):
        if row["label"] and row["record_id"] in frame.index and (row["data"] or {}).get("polarity") != "low":
            label, value = sentiment.get(row["sentence_id"], (None, None))
            rows.append(["effort_driver", row["label"], row["record_id"], row["sentence_id"], row["score"], label, value])
    return pd.DataFrame(
        rows, columns=["kind", "item", "record_id", "sentence_id", "confidence", "sentiment", "sentiment_score"]
    )


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

    Themes: ranked by the share of the group's analysed records with a NEGATIVE sentence
    carrying the theme (Wilson CI); only themes whose sentences are net negative are kept.
    Effort drivers: high-effort evidence (repeat contact, transfers, waiting...), ranked by
    the share of effort-analysed records showing them. ``score_gap`` is the mean ``score``
    (NPS: the NPS) of records with the item minus those without, when the records have it.

    Quotes are the ``quotes`` most representative negative sentences: nearest the centroid
    of their cached sentence embeddings (the themes analyzer caches them); without cached
    vectors, the most confident and most negative ones. Duplicate texts are shown once.
    """
    config, settings = _settings(config)
    frame = analysis_frame(store, config) if frame is None else frame
    min_n = int(settings.get("min_n", DEFAULT_MIN_N))
    columns = parse_by(frame, by) if by else []
    group_by = ",".join(columns) if columns else ALL
    sentences = _sentence_table(store, frame)
    rows: list[dict[str, Any]] = []
    labels = frame.attrs.get("theme_labels", {})
    embedding_model = _embedding_model(config)
    for group, part in _groups(frame, columns):
        in_group = sentences[sentences["record_id"].isin(part.index)]
        for kind, analyser in (("theme", "themes"), ("effort_driver", "effort")):
            analysed = int(part[f"analysed:{analyser}"].sum())
            if not analysed:
                continue
            found = in_group[in_group["kind"] == kind]
            if kind == "theme":
                found = found[found["sentiment"] == "negative"]
            candidates = []
            for item, items in found.groupby("item"):
                record_ids = set(items["record_id"])
                all_item = in_group[(in_group["kind"] == kind) & (in_group["item"] == item)]
                net = net_interval(
                    int((all_item["sentiment"] == "positive").sum()), int((all_item["sentiment"] == "negative").sum()),
                    int(all_item["sentiment"].notna().sum()),
                )[0]
                if kind == "theme" and (net is None or net >= 0):
                    continue
                candidates.append((len(record_ids) / analysed, item, items, record_ids, net))
            candidates.sort(key=lambda c: (-c[0], c[1]))
            for share, item, items, record_ids, net in candidates[:top]:
                low, high = wilson_interval(len(record_ids), analysed)
                chosen, method = _exemplars(store, items, quotes, embedding_model)
                rows.append({
                    "group_by": group_by, "group": group, "kind": kind, "item": item,
                    "label": labels.get(item, item) if kind == "theme" else item.replace("_", " "),
                    "records": len(record_ids), "analysed": analysed, "share": _round(100 * share),
                    "share_ci_low": _round(100 * low), "share_ci_high": _round(100 * high),
                    "net_sentiment": _round(net), "score_gap": _score_gap(part, record_ids, score),
                    "quotes": chosen, "quote_method": method, "low_n": bool(analysed < min_n),
                })
    return pd.DataFrame(rows, columns=PAIN_COLUMNS)


def _embedding_model(config: ProjectConfig) -> str:
    from cxtext.embeddings import resolve_model

    name = (config.analysis or {}).get("embedding_model") if config else None  # as cxtext.analyze reads it
    return resolve_model(name)[0]


def _score_gap(part: pd.DataFrame, record_ids: set[str], score: str | None) -> float | None:
    column = f"score:{score}" if score else None
    if not column or column not in part.columns:
        return None
    scored = part[part[column].notna()].drop_duplicates("response_id")
    if scored.empty:
        return None
    has = scored.index.isin(list(record_ids))
    if has.all() or not has.any():
        return None
    values = scored[column].to_numpy(dtype=float)
    return _round(_score_stat(values[has], score) - _score_stat(values[~has], score))


def _exemplars(store: Store, items: pd.DataFrame, count: int, model: str) -> tuple[list[dict[str, str]], str]:
    """The most representative sentences among ``items``: nearest the embedding centroid, else most confident."""
    from cxtext.store import text_hash

    texts = {}
    for rid, sentences in store.sentences_for(sorted(set(items["record_id"]))).items():
        for sentence in sentences:
            texts[sentence.id] = sentence.text
    items = items[items["sentence_id"].isin(texts.keys())].drop_duplicates("sentence_id").copy()
    if items.empty:
        return [], "none"
    items["text"] = items["sentence_id"].map(texts)
    items["key"] = items["text"].str.strip().str.lower()
    items = items.drop_duplicates("key")
    vectors = store.cached_embeddings(sorted({text_hash(t) for t in items["text"]}), model)
    method = "centroid"
    if len(items) > 1 and all(text_hash(t) in vectors for t in items["text"]):
        matrix = np.stack([vectors[text_hash(t)] for t in items["text"]])
        centroid = matrix.mean(axis=0)
        centroid /= np.linalg.norm(centroid) or 1.0
        items["rank"] = -(matrix @ centroid)
    else:
        method = "confidence"
        negativity = -items["sentiment_score"].fillna(0).astype(float)
        items["rank"] = -(items["confidence"].fillna(0).astype(float) + negativity)
    best = items.sort_values(["rank", "sentence_id"]).head(count)
    return [
        {"text": text[:400], "record_id": rid, "sentence_id": sid}
        for text, rid, sid in zip(best["text"], best["record_id"], best["sentence_id"])
    ], method


# --- helpers for the command line ----------------------------------------------------------------


def metric_catalogue(config: ProjectConfig | None = None) -> pd.DataFrame:
    """Every registered metric with its label, unit, direction and definition."""
    config = config or ProjectConfig()
    rows = [
        {"metric": m.name, "label": m.label, "unit": m.unit, "higher_is_better": m.higher_is_better,
         "kind": getattr(m, "kind", ""), "description": m.description}
        for m in plugins.metrics(config).values()
    ]
    return pd.DataFrame(rows, columns=["metric", "label", "unit", "higher_is_better", "kind", "description"])


def concat_rows(parts: list[pd.DataFrame]) -> pd.DataFrame:
    """Concatenate result tables, skipping empty ones (keeps the columns when all are empty)."""
    filled = [p for p in parts if len(p)]
    if not filled:
        return parts[0] if parts else pd.DataFrame()
    return pd.concat(filled, ignore_index=True)
