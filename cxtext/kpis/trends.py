"""One metric per period, each period tested against a baseline; alerts across metrics and groups."""

from __future__ import annotations

from collections import defaultdict

import numpy as np
import pandas as pd

from cxtext.errors import InputError
from cxtext.kpis.grouping import groups, label_of, positions_by_value, round_value, take_rows, values_of
from cxtext.metrics import KpiValue, Metric, benjamini_hochberg

TREND_COLUMNS = [
    "metric", "item", "label", "group_by", "group", "period", "value", "n", "ci_low", "ci_high",
    "baseline_period", "baseline_value", "change", "statistic", "p_value", "test", "significant",
    "improved", "low_n", "unit",
]
BASELINES = ("previous", "first", "pooled")


def check_baseline(baseline: str) -> None:
    if baseline not in BASELINES:
        raise InputError(f"unknown baseline {baseline!r}.", expected="previous, first or pooled")


def trend_table(frame: pd.DataFrame, metric: Metric, columns: list[str], period: str, *, baseline: str,
                alpha: float, min_n: int) -> pd.DataFrame:
    """The trend rows of ``metric`` over an already prepared ``frame`` (see :meth:`KpiEngine.trends`)."""
    group_by = ",".join(columns) if columns else "all"
    rows = []
    column = f"period:{period}"
    for group, part in groups(frame, columns):
        series: dict[str | None, list[tuple[str, KpiValue]]] = defaultdict(list)
        found = positions_by_value(part[column]) if column in part.columns else {}
        ordered = sorted(found)
        for period_value in ordered:
            for item, value in values_of(metric.compute(take_rows(part, found[period_value]))):
                if value.value is not None and value.n > 0:
                    series[item].append((period_value, value))
        if baseline == "pooled":  # each record's period as its rank in time (-1: none)
            rank = np.full(len(part), -1, dtype=np.int64)
            for position, period_value in enumerate(ordered):
                rank[found[period_value]] = position
            rank_of = {period_value: position for position, period_value in enumerate(ordered)}
        pooled: dict[str, dict[str | None, KpiValue]] = {}
        for item, points in series.items():
            for position, (period_value, value) in enumerate(points):
                base = None if position == 0 else points[0 if baseline == "first" else position - 1]
                if base is not None and baseline == "pooled":
                    if period_value not in pooled:  # every earlier period's records, as one sample
                        earlier = take_rows(part, np.flatnonzero((rank >= 0) & (rank < rank_of[period_value])))
                        pooled[period_value] = dict(values_of(metric.compute(earlier)))
                    earlier_value = pooled[period_value].get(item)
                    base = (f"{points[0][0]}–{points[position - 1][0]}" if position > 1 else points[0][0],
                            earlier_value) if earlier_value is not None and earlier_value.value is not None else None
                comparison = metric.compare(base[1], value) if base else None
                p = comparison.p_value if comparison else None
                change = comparison.change if comparison else None
                rows.append({
                    "metric": metric.name, "item": item, "label": label_of(metric, item, frame),
                    "group_by": group_by, "group": group, "period": period_value,
                    "value": round_value(value.value), "n": value.n, "ci_low": round_value(value.ci_low),
                    "ci_high": round_value(value.ci_high),
                    "baseline_period": base[0] if base else None,
                    "baseline_value": round_value(base[1].value) if base else None,
                    "change": round_value(change), "statistic": round_value(comparison.statistic) if comparison else None,
                    "p_value": round_value(p), "test": comparison.test if comparison else None,
                    "significant": bool(p is not None and p < alpha),
                    "improved": None if change is None else bool((change > 0) == metric.higher_is_better and change != 0),
                    "low_n": bool(value.n < min_n or (base is not None and base[1].n < min_n)),
                    "unit": metric.unit,
                })
    return pd.DataFrame(rows, columns=TREND_COLUMNS)


def significant_moves(trends: list[pd.DataFrame], *, alpha: float, top: int, latest_only: bool,
                      include_low_n: bool) -> pd.DataFrame:
    """Alerts from trend tables: BH-adjusted across all of them, significant ones, largest |statistic| first."""
    parts = []
    for trend in trends:
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
