"""Slicing the analysis frame: grouping fields, groups, periods, and the rows KPI tables share."""

from __future__ import annotations

import math
from collections.abc import Iterable
from typing import Any

import numpy as np
import pandas as pd

from cxtext.config import ProjectConfig
from cxtext.errors import InputError
from cxtext.kpis.frame import label_names
from cxtext.metrics import KpiValue, Metric

PERIODS = ("week", "month", "quarter")
DEFAULT_MIN_N = 30
ALL = "all"
MISSING_GROUP = "(none)"
#: Record fields that can be grouped on besides ``segment:NAME``, ``meta:NAME`` and the
#: categorical label columns analyzers declare (``sentiment`` from the sentiment analyzer).
GROUP_FIELDS = ("touchpoint", "source_kind", "channel", "dataset", "language", "role")
KPI_COLUMNS = [
    "metric", "item", "label", "group_by", "group", "period", "value", "n", "ci_low", "ci_high",
    "unit", "band", "benchmark", "low_n", "higher_is_better", "details",
]


def group_fields(frame: pd.DataFrame) -> tuple[str, ...]:
    """The plain fields this frame can be grouped on: record fields, then declared label columns."""
    declared = [c for c in frame.attrs.get("group_fields", []) if c not in GROUP_FIELDS]
    return GROUP_FIELDS + tuple(declared)


def resolve_field(frame: pd.DataFrame, name: str) -> str:
    """The frame column for a grouping field: ``touchpoint``, ``segment:plan`` or just ``plan``."""
    name = name.strip()
    fields = group_fields(frame)
    if name in frame.columns and (name in fields or name.split(":")[0] in ("segment", "meta", "period")):
        return name
    if f"segment:{name}" in frame.columns:
        return f"segment:{name}"
    if name in fields:
        return name  # a known field with no values in this store: every record is "(none)"
    segments = sorted(c.split(":", 1)[1] for c in frame.columns if c.startswith("segment:"))
    raise InputError(
        f"cannot group by {name!r}.",
        expected=f"one of {', '.join(fields)}" + (f", or a segment: {', '.join(segments)}" if segments else ""),
    )


def parse_by(frame: pd.DataFrame, spec: str | Iterable[str]) -> list[str]:
    """Columns for one grouping: ``"segment:plan,segment:region"`` or a list of fields (crossed)."""
    parts = spec.split(",") if isinstance(spec, str) else [p for item in spec for p in item.split(",")]
    return [resolve_field(frame, p) for p in parts if p.strip()]


def group_labels(frame: pd.DataFrame, columns: list[str]) -> pd.Series:
    """Each record's group name for these columns: values joined with " | ", missing ones "(none)"."""
    keys = pd.DataFrame(
        {c: (frame[c] if c in frame.columns else pd.Series(None, index=frame.index, dtype=object)) for c in columns}
    ).astype(object).where(lambda d: d.notna(), MISSING_GROUP).astype(str)
    if len(columns) == 1:
        return keys[columns[0]]
    return pd.Series([" | ".join(values) for values in zip(*(keys[c].tolist() for c in columns))], index=frame.index,
                     dtype=object)


def positions_by_value(values: pd.Series) -> dict[Any, np.ndarray]:
    """value -> the positions of the rows holding it, ascending (missing values left out)."""
    codes, uniques = pd.factorize(values, use_na_sentinel=True)
    if not len(uniques):
        return {}
    order = np.argsort(codes, kind="stable")
    sorted_codes = codes[order]
    bounds = np.searchsorted(sorted_codes, np.arange(len(uniques) + 1))
    return {uniques[i]: order[bounds[i]:bounds[i + 1]] for i in range(len(uniques))}


def groups(frame: pd.DataFrame, columns: list[str]) -> Iterable[tuple[str, pd.DataFrame]]:
    """(group name, slice) for each combination of values, in name order; missing values form "(none)"."""
    if not columns:
        yield ALL, frame
        return
    found = positions_by_value(group_labels(frame, columns))
    for name in sorted(found):
        yield name, take_rows(frame, found[name])


def slice_frame(frame: pd.DataFrame, mask: pd.Series) -> pd.DataFrame:
    part = frame.loc[mask]
    part.attrs = frame.attrs  # metrics read label names from attrs; keep them on every slice
    return part


def take_rows(frame: pd.DataFrame, positions: np.ndarray) -> pd.DataFrame:
    """The rows at these (ascending) positions: the slice a boolean mask of them gives, attrs kept."""
    part = frame.take(positions)
    part.attrs = frame.attrs
    return part


def periods(frame: pd.DataFrame, period: str | None) -> Iterable[tuple[str, pd.DataFrame]]:
    """(period, slice) for each period the records fall in, in order (records without a date in none)."""
    if period is None:
        yield ALL, frame
        return
    column = f"period:{period}"
    found = positions_by_value(frame[column]) if column in frame.columns else {}
    for value in sorted(found):
        yield value, take_rows(frame, found[value])


def check_period(period: str | None) -> None:
    if period is not None and period not in PERIODS:
        raise InputError(f"unknown period {period!r}.", expected=f"one of {', '.join(PERIODS)}")


def settings_of(config: ProjectConfig | None) -> tuple[ProjectConfig, dict[str, Any]]:
    config = config or ProjectConfig()
    return config, dict(config.kpis or {})


def choose(available: dict[str, Metric], names: Iterable[str] | None = None) -> dict[str, Metric]:
    """``available`` limited to ``names`` (an error names the unknown ones)."""
    if names is None:
        return dict(available)
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


def narrowed(frame: pd.DataFrame, metrics: Iterable[Metric], keep: Iterable[str] = ()) -> pd.DataFrame:
    """The frame limited to the columns these metrics read (their optional ``reads(frame)``) and
    ``keep`` (grouping and period columns), with its rows, index and attrs; the frame itself when
    a metric does not say what it reads. Slicing a narrow frame costs a fraction of the wide one."""
    wanted = set(keep)
    for metric in metrics:
        reads = getattr(metric, "reads", None)
        columns = reads(frame) if callable(reads) else None
        if columns is None:
            return frame
        wanted.update(columns)
    present = [c for c in frame.columns if c in wanted]
    if len(present) == len(frame.columns):
        return frame
    part = frame[present]
    part.attrs = frame.attrs
    return part


def values_of(result: KpiValue | dict[str, KpiValue]) -> list[tuple[str | None, KpiValue]]:
    if isinstance(result, dict):
        return sorted(result.items())
    return [(None, result)]


def label_of(metric: Metric, item: str | None, frame: pd.DataFrame) -> str:
    """The metric's label, with the item's display name for per-item (``multi``) metrics."""
    if item is None:
        return metric.label
    return f"{metric.label}: {label_names(frame).get(item, item)}"


def kpi_row(metric: Metric, item, group_by, group, period, value: KpiValue, min_n: int, frame) -> dict[str, Any]:
    return {
        "metric": metric.name, "item": item, "label": label_of(metric, item, frame), "group_by": group_by,
        "group": group, "period": period, "value": round_value(value.value), "n": int(value.n),
        "ci_low": round_value(value.ci_low), "ci_high": round_value(value.ci_high), "unit": metric.unit,
        "band": value.band, "benchmark": value.benchmark, "low_n": bool(value.n < min_n),
        "higher_is_better": bool(metric.higher_is_better), "details": value.details,
    }


def round_value(value: float | None, digits: int | None = None) -> float | None:
    """A plain float (None for missing/NaN), rounded only when ``digits`` is given."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return None
    return float(value) if digits is None else round(float(value), digits)


def concat_rows(parts: list[pd.DataFrame]) -> pd.DataFrame:
    """Concatenate result tables, skipping empty ones (keeps the columns when all are empty)."""
    filled = [p for p in parts if len(p)]
    if not filled:
        return parts[0] if parts else pd.DataFrame()
    return pd.concat(filled, ignore_index=True)
