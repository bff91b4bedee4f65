"""Theme impact and key drivers: how much each driver item (a theme) moves a score.

The items come from the analyzer output that declares ``drivers=True`` (its list column,
e.g. ``themes``); a score with a net metric over it (NPS) is summarised through that
metric's own classes (:meth:`classify`: +1 promoter, 0 passive, -1 detractor), any other
score by its mean.
"""

from __future__ import annotations

import warnings
from dataclasses import dataclass
from typing import Any, Callable

import numpy as np
import pandas as pd

from cxtext.errors import InputError
from cxtext.kpis.frame import Declared
from cxtext.kpis.grouping import ALL, groups, round_value
from cxtext.metrics import BOOTSTRAP_SEED, Metric, wilson_interval

#: The columns after the item's own two (``KIND`` and ``KIND_label``, named after the declared kind).
IMPACT_STATS = [
    "responses", "mentions", "prevalence", "prevalence_ci_low",
    "prevalence_ci_high", "score_with", "score_without", "difference", "difference_ci_low", "difference_ci_high",
    "score_if_removed", "impact", "impact_ci_low", "impact_ci_high", "driver_coef", "driver_se", "driver_p",
    "driver_importance", "detractor_odds_ratio", "low_n",
]
#: The item column when no analyzer declares a drivers output.
NO_DRIVERS = "item"


def impact_columns(item: str = NO_DRIVERS) -> list[str]:
    """The theme-impact table's columns for driver items of kind ``item`` (the themes' kind gives its columns)."""
    return ["group_by", "group", item, f"{item}_label", *IMPACT_STATS]


@dataclass(frozen=True)
class DriverSource:
    """Where driver items live in the frame: a list column and the column saying which records were analysed."""

    column: str
    analysed: str
    names: str
    kind: str


def driver_source(frame: pd.DataFrame) -> DriverSource | None:
    """The declared record-level list output marked ``drivers`` (first one), if any."""
    for declared in frame.attrs.get("outputs", []):
        output = declared.output
        if isinstance(declared, Declared) and output.level == "record" and output.drivers and output.list_column:
            return DriverSource(output.list_column, f"analysed:{declared.analyzer}", output.names_key, output.kind)
    return None


def score_metric(metrics: dict[str, Metric], score: str) -> Metric | None:
    """The net metric that classifies ``score`` (``score_name == score`` and a ``classify`` method)."""
    for metric in metrics.values():
        if getattr(metric, "score_name", None) == score and callable(getattr(metric, "classify", None)):
            return metric
    return None


class ScoreStatistic:
    """The score summary drivers use: the net of a metric's classes (points), else the mean."""

    def __init__(self, score: str, metric: Metric | None = None) -> None:
        self.score = score
        self.classify: Callable[[np.ndarray], np.ndarray] | None = getattr(metric, "classify", None)

    @property
    def is_net(self) -> bool:
        return self.classify is not None

    def classes(self, values: np.ndarray) -> np.ndarray:
        """+1 / 0 / -1 per value (NaN stays NaN), from the metric."""
        return np.asarray(self.classify(np.asarray(values, dtype=float)), dtype=float)

    def __call__(self, values: np.ndarray, axis: int | None = None) -> np.ndarray | float:
        """The net (points) or the mean of ``values``; NaN-aware along ``axis``."""
        if self.is_net:
            classes = self.classes(values)
            count = (~np.isnan(classes)).sum(axis=axis)
            positive = (classes == 1).sum(axis=axis)
            negative = (classes == -1).sum(axis=axis)
            with np.errstate(invalid="ignore", divide="ignore"):
                return 100 * (positive - negative) / count
        with warnings.catch_warnings():  # an empty bootstrap draw is NaN, not a problem
            warnings.simplefilter("ignore", RuntimeWarning)
            return np.nanmean(values, axis=axis)

    def negative(self, values: np.ndarray) -> np.ndarray:
        """Responses counted as negative: the metric's negative class, else below the scale's midpoint."""
        if self.is_net:
            return self.classes(values) == -1
        from cxtext.records import SCORE_RANGES

        low, high = SCORE_RANGES.get(self.score) or (np.nanmin(values), np.nanmax(values))
        return values < (low + high) / 2

    def target(self, values: np.ndarray) -> np.ndarray:
        """What the regression explains: the class in points (+100/0/-100) for a net score, else the value."""
        return 100.0 * self.classes(values) if self.is_net else values.astype(float)


def response_frame(frame: pd.DataFrame, score: str, source: DriverSource | None = None) -> pd.DataFrame:
    """One row per survey response with ``score`` and the union of its records' driver ``items`` (themes).

    Only responses that carry the score and whose text the declaring analyzer has processed.
    """
    column = f"score:{score}"
    if column not in frame.columns:
        scores = sorted(c.split(":", 1)[1] for c in frame.columns if c.startswith("score:"))
        raise InputError(f"no record has a {score!r} score.", expected=f"one of {', '.join(scores) or '(no scores)'}")
    source = source or driver_source(frame)
    if source is None or source.column not in frame.columns or source.analysed not in frame.columns:
        return pd.DataFrame(columns=["response_id", "score", "items"])
    part = frame[frame[column].notna() & frame[source.analysed]]
    if part.empty:
        return pd.DataFrame(columns=["response_id", "score", "items"])
    grouped = part.groupby("response_id", sort=False)
    responses = grouped.first()
    responses["score"] = grouped[column].first().astype(float)
    responses["items"] = _merged_items(part["response_id"], part[source.column].tolist(), len(responses))
    responses = responses.reset_index()
    responses.attrs = frame.attrs
    return responses


def _merged_items(response_ids: pd.Series, lists: list[list[str]], count: int) -> list[list[str]]:
    """Per response, in order of first appearance (the groups' order): its records' items, sorted, once each."""
    codes, _ = pd.factorize(response_ids)
    if count == len(lists):  # one record per response: nothing to merge
        return [sorted(set(items)) for items in lists]
    merged: list[set[str]] = [set() for _ in range(count)]
    for code, items in zip(codes.tolist(), lists):
        merged[code].update(items)
    return [sorted(found) for found in merged]


def theme_impact_table(frame: pd.DataFrame, score: str, columns: list[str], statistic: ScoreStatistic, *,
                       min_mentions: int, reps: int, min_n: int) -> pd.DataFrame:
    """The impact rows overall and for the grouping ``columns`` (see :meth:`KpiEngine.drivers`)."""
    source = driver_source(frame)
    responses = response_frame(frame, score, source)
    rows: list[dict[str, Any]] = []
    groupings = [(ALL, [])] + ([(",".join(columns), columns)] if columns else [])
    labels = frame.attrs.get(source.names, {}) if source else {}
    item = source.kind if source else NO_DRIVERS
    for group_by, cols in groupings:
        for group, part in groups(responses, cols):
            rows.extend(_impact_rows(part, statistic, group_by, group, labels, min_mentions, reps, min_n, item))
    result = pd.DataFrame(rows, columns=impact_columns(item))
    return result.sort_values(["group_by", "group", "impact"], ascending=[True, True, False], key=None).reset_index(drop=True)


def _impact_rows(part, statistic: ScoreStatistic, group_by, group, labels, min_mentions, reps, min_n,
                 item: str) -> list[dict[str, Any]]:
    if part.empty:
        return []
    values = part["score"].to_numpy(dtype=float)
    themes = sorted({t for ts in part["items"] for t in ts})
    if not themes:
        return []
    indicators = np.array([[t in ts for t in themes] for ts in part["items"]], dtype=bool)
    n = len(values)
    negative = statistic.negative(values)
    overall = statistic(values)
    diff_all, impact_all = _bootstrap(values, negative, indicators, statistic, reps)
    drivers = _key_drivers(values, indicators, themes, statistic, min_mentions)
    rows = []
    for j, theme in enumerate(themes):
        mention = indicators[:, j]
        count = int(mention.sum())
        low, high = wilson_interval(count, n)
        with_values, without_values = values[mention], values[~mention]
        score_with = statistic(with_values) if count else None
        score_without = statistic(without_values) if count < n else None
        keep = ~(mention & negative)
        removed = statistic(values[keep]) if keep.any() else None
        diff_ci = _percentiles(diff_all[:, j])
        impact_ci = _percentiles(impact_all[:, j])
        driver = drivers.get(theme, {})
        rows.append({
            "group_by": group_by, "group": group, item: theme, f"{item}_label": labels.get(theme, theme),
            "responses": n, "mentions": count, "prevalence": 100 * count / n,
            "prevalence_ci_low": 100 * low, "prevalence_ci_high": 100 * high,
            "score_with": round_value(score_with), "score_without": round_value(score_without),
            "difference": round_value(score_with - score_without) if score_with is not None and score_without is not None else None,
            "difference_ci_low": diff_ci[0], "difference_ci_high": diff_ci[1],
            "score_if_removed": round_value(removed), "impact": round_value(removed - overall) if removed is not None else None,
            "impact_ci_low": impact_ci[0], "impact_ci_high": impact_ci[1],
            "driver_coef": driver.get("coef"), "driver_se": driver.get("se"), "driver_p": driver.get("p"),
            "driver_importance": driver.get("importance"), "detractor_odds_ratio": driver.get("odds_ratio"),
            "low_n": bool(count < min_n),
        })
    return rows


#: Bootstrap draws held at once (reps x responses): the resamples are drawn in slices of reps.
BOOTSTRAP_CELLS = 4_000_000


def _bootstrap(values: np.ndarray, negative: np.ndarray, indicators: np.ndarray, statistic: ScoreStatistic,
               reps: int) -> tuple[np.ndarray, np.ndarray]:
    """Per resample and item: the with-minus-without difference and the impact (score if the item's
    negative responses were gone, minus the score), as (reps, items) arrays.

    The resamples are those of one ``rng.integers(0, n, size=(reps, n))`` call seeded with
    :data:`BOOTSTRAP_SEED`, drawn a slice of reps at a time (the generator gives the same numbers).
    A net statistic is counted exactly: per resample, how often each response was drawn times
    its class indicators (integers, so the sums are exact in any order); a mean is worked out
    per resample from the drawn values as before.
    """
    n, k = indicators.shape
    rng = np.random.default_rng(BOOTSTRAP_SEED)
    step = max(1, BOOTSTRAP_CELLS // max(n, 1))
    diff_all = np.empty((reps, k))
    impact_all = np.empty((reps, k))
    if statistic.is_net:
        classes = statistic.classes(values)
        valid, pos, neg = ~np.isnan(classes), classes == 1, classes == -1
        mention = indicators.astype(float)
        # columns: overall valid / positive / negative, then per item mentioned & valid / positive / negative
        weights = np.column_stack([valid, pos, neg, mention * valid[:, None], mention * pos[:, None],
                                   mention * neg[:, None]]).astype(float)
    for start in range(0, reps, step):
        size = min(step, reps - start)
        draws = rng.integers(0, n, size=(size, n))
        if statistic.is_net:
            counts = np.stack([np.bincount(row, minlength=n) for row in draws]).astype(float) @ weights
            count_all, pos_all, neg_all = counts[:, 0:1], counts[:, 1:2], counts[:, 2:3]
            count_with, pos_with, neg_with = counts[:, 3:3 + k], counts[:, 3 + k:3 + 2 * k], counts[:, 3 + 2 * k:]
            with np.errstate(invalid="ignore", divide="ignore"):
                boot_overall = 100 * (pos_all - neg_all) / count_all
                with_stat = 100 * (pos_with - neg_with) / count_with
                without_stat = 100 * ((pos_all - pos_with) - (neg_all - neg_with)) / (count_all - count_with)
                # a mentioned negative response is dropped: one negative (and one valid) fewer each time
                removed = 100 * (pos_all - (neg_all - neg_with)) / (count_all - neg_with)
                diff_all[start:start + size] = with_stat - without_stat
                impact_all[start:start + size] = removed - boot_overall
            continue
        boot_values = values[draws]
        boot_negative = negative[draws]
        boot_overall = statistic(boot_values, axis=1)
        for j in range(k):
            boot_mention = indicators[:, j][draws]
            masked_with = np.where(boot_mention, boot_values, np.nan)
            masked_without = np.where(~boot_mention, boot_values, np.nan)
            with np.errstate(invalid="ignore"):
                diff_all[start:start + size, j] = statistic(masked_with, axis=1) - statistic(masked_without, axis=1)
                impact_all[start:start + size, j] = (statistic(np.where(boot_mention & boot_negative, np.nan, boot_values),
                                                               axis=1) - boot_overall)
    return diff_all, impact_all


def _percentiles(draws: np.ndarray) -> tuple[float | None, float | None]:
    draws = draws[np.isfinite(draws)]
    if len(draws) < 10:
        return None, None
    low, high = np.percentile(draws, [2.5, 97.5])
    return round_value(low), round_value(high)


def _key_drivers(values, indicators, themes, statistic: ScoreStatistic, min_mentions) -> dict[str, dict[str, float]]:
    """OLS of the score on item indicators (coef, SE, p), Pratt importance, negative-class odds ratios."""
    from scipy import stats

    counts = indicators.sum(axis=0)
    keep = [j for j, c in enumerate(counts) if min_mentions <= c < len(values)]
    n, k = len(values), len(keep)
    if k == 0 or n <= k + 1:
        return {}
    X = indicators[:, keep].astype(float)
    design = np.column_stack([np.ones(n), X])
    y = statistic.target(values)  # a net score: coefficients in its points
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
    odds = _negative_odds(X, statistic.negative(values)) if statistic.is_net else {}
    for position, j in enumerate(keep):
        x = X[:, position]
        beta_std = coef[position + 1] * x.std() / sd_y if sd_y else float("nan")
        corr = np.corrcoef(x, y)[0, 1] if x.std() and sd_y else float("nan")
        result[themes[j]] = {
            "coef": round_value(coef[position + 1]), "se": round_value(se[position + 1]), "p": round_value(p[position + 1]),
            "importance": round_value(beta_std * corr), "odds_ratio": round_value(odds.get(position)),
        }
    return result


def _negative_odds(X: np.ndarray, negative: np.ndarray) -> dict[int, float]:
    """Odds ratios of being in the negative class (an NPS detractor) per indicator."""
    from sklearn.linear_model import LogisticRegression

    if negative.all() or not negative.any():
        return {}
    model = LogisticRegression(C=10.0, max_iter=1000)  # mild L2 keeps rare items finite
    model.fit(X, negative)
    return {j: float(np.exp(c)) for j, c in enumerate(model.coef_[0])}
