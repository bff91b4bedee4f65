"""KPI definitions: the :class:`Metric` protocol, the :class:`KpiValue` result, and the statistics they share.

A metric computes ONE figure from a pandas DataFrame with one row per record (see
:func:`cxtext.kpis.analysis_frame` for its columns: the record's fields and scores, and the
columns every registered analyzer declares in its ``outputs``), returning the value with its
n and a confidence interval. The host does everything around it: grouping by touchpoint,
segment, source kind, channel and period, flagging small groups, trends and alerts.

A metric in one file (register it from a plugin's ``register_metrics`` hook), here over the
``themes`` column the themes analyzer declares::

    from cxtext.metrics import ShareMetric

    class RefundMentions(ShareMetric):
        name = "refund_share"
        label = "Refund mentions (%)"
        description = "Share of analysed records that mention the 'refund' theme."

        def applies(self, frame):
            return "themes" in frame and frame["themes"].notna().any()

        def outcomes(self, frame):
            analysed = frame[frame["analysed:themes"]]
            return analysed["themes"].map(lambda themes: "refund" in themes)

Statistics used (all two-sided, 95 % by default):

- shares: Wilson score interval (Wilson 1927); change tested with the two-proportion z-test.
- means: Student t interval; change tested with Welch's t-test.
- nets (NPS, net sentiment): normal interval with the trinomial variance
  ``var = (p_pos + p_neg - (p_pos - p_neg)**2) / n``; change tested with a z-test on the
  difference of the two nets (variances added).
- medians and ratios: percentile bootstrap (seeded, so reruns give the same interval).
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Any, Protocol, runtime_checkable

import numpy as np
import pandas as pd
from scipy import stats

Z95 = 1.959963984540054
BOOTSTRAP_SEED = 20260601
BOOTSTRAP_REPS = 2000


@dataclass
class KpiValue:
    """One computed figure. ``value`` is None when the frame has nothing to compute it from.

    ``details`` holds the pieces behind the figure (counts, shares, sd) that the trend
    tests and the report use; it must be JSON-serialisable.
    """

    value: float | None
    n: int
    ci_low: float | None = None
    ci_high: float | None = None
    details: dict[str, Any] = field(default_factory=dict)
    band: str | None = None
    benchmark: float | None = None


@dataclass
class Comparison:
    """A test of the change between two figures of the same metric."""

    change: float | None
    statistic: float | None
    p_value: float | None
    test: str


@runtime_checkable
class Metric(Protocol):
    """What a KPI plugin provides (one class per KPI).

    Attributes:
        name: id used on the command line and in result rows ("nps").
        label: short human label, with the scale or direction ("NPS (-100..100)").
        description: one paragraph: the definition, with its source.
        unit: "%", "points", "score 1-7", "minutes", "per customer"...
        higher_is_better: the direction of good (True for NPS, False for complaint share).
        kind: "share", "mean", "net", "median", "ratio" or "multi" (one figure per item,
            e.g. per theme): decides how :meth:`compare` tests a change.
    """

    name: str
    label: str
    description: str
    unit: str
    higher_is_better: bool
    kind: str

    def applies(self, frame: pd.DataFrame) -> bool:
        """Whether the data holds what this metric needs (e.g. an NPS score)."""

    def compute(self, frame: pd.DataFrame) -> KpiValue | dict[str, KpiValue]:
        """The figure for these records (a dict item -> figure for ``kind == "multi"``)."""

    def compare(self, before: KpiValue, after: KpiValue) -> Comparison:
        """Test the change from ``before`` to ``after``."""

    # Optional: ``prepare(frame) -> frame`` adds derived columns once, over ALL records,
    # before the host slices the frame into groups (e.g. which support thread a post is in).
    #
    # Optional: ``reads(frame) -> list[str] | None``, every frame column ``compute`` reads or
    # looks for (present or not). The host then slices groups and periods out of a frame of
    # those columns only (the same rows, index and attrs), which on a million records is most
    # of the time a KPI table takes. None, or no ``reads``: the whole frame.
    #
    # Optional, for a net metric over one score (NPS): ``score_name`` (the score, "nps") and
    # ``classify(values: np.ndarray) -> np.ndarray`` (+1 positive, 0 neutral, -1 negative,
    # NaN for missing). Key-driver analysis of that score then classifies responses through
    # the metric instead of copying its thresholds.


# --- interval helpers -------------------------------------------------------------------


def wilson_interval(successes: float, n: int, z: float = Z95) -> tuple[float | None, float | None]:
    """Wilson score interval for a proportion (as fractions in [0, 1])."""
    if n <= 0:
        return None, None
    p = successes / n
    denominator = 1 + z * z / n
    centre = (p + z * z / (2 * n)) / denominator
    half = z * math.sqrt(p * (1 - p) / n + z * z / (4 * n * n)) / denominator
    return max(0.0, centre - half), min(1.0, centre + half)


def mean_interval(values: np.ndarray, z: float | None = None) -> tuple[float | None, float | None, float | None]:
    """(mean, low, high) with the Student t interval; the interval is None below n = 2."""
    values = np.asarray(values, dtype=float)
    n = len(values)
    if n == 0:
        return None, None, None
    mean = float(values.mean())
    if n < 2:
        return mean, None, None
    se = float(values.std(ddof=1)) / math.sqrt(n)
    t = stats.t.ppf(0.975, n - 1) if z is None else z
    return mean, mean - t * se, mean + t * se


def net_variance(p_pos: float, p_neg: float, n: float) -> float:
    """Variance of ``p_pos - p_neg`` for a trinomial sample of size n (as fractions)."""
    if n <= 0:
        return float("nan")
    return max(0.0, p_pos + p_neg - (p_pos - p_neg) ** 2) / n


#: Pseudo-responses added to each of the three classes for the net-score interval.
NET_PSEUDO_COUNT = 1.0


def net_interval(
    positives: int, negatives: int, n: int, z: float = Z95, pseudo: float = NET_PSEUDO_COUNT
) -> tuple[float | None, float | None, float | None]:
    """(net, low, high) in points (-100..100): NPS or net sentiment.

    The interval is the normal one with the trinomial variance
    ``(p_pos + p_neg - (p_pos - p_neg)**2) / n``, computed after adding ``pseudo``
    responses to each class (an adjusted Wald interval, the trinomial analogue of
    Agresti-Coull): at large n it is the plain interval, and at small n it no longer
    collapses to zero width when every answer falls in one class (NPS = -100 on n = 3).
    It is widened, if need be, to contain the observed net.
    """
    if n <= 0:
        return None, None, None
    net = (positives - negatives) / n
    total = n + 3 * pseudo
    p_pos, p_neg = (positives + pseudo) / total, (negatives + pseudo) / total
    centre = p_pos - p_neg
    half = z * math.sqrt(max(0.0, p_pos + p_neg - centre**2) / total)
    low, high = max(-1.0, centre - half), min(1.0, centre + half)
    return 100 * net, 100 * min(low, net), 100 * max(high, net)


def bootstrap_interval(
    values: np.ndarray,
    statistic=np.median,
    *,
    reps: int = BOOTSTRAP_REPS,
    seed: int = BOOTSTRAP_SEED,
    level: float = 0.95,
) -> tuple[float | None, float | None]:
    """Percentile bootstrap interval of ``statistic`` over ``values`` (resampled with replacement).

    ``statistic`` takes a 2-D array (reps x n) and ``axis=1`` (numpy reductions do).
    """
    values = np.asarray(values, dtype=float)
    if len(values) < 2:
        return None, None
    rng = np.random.default_rng(seed)
    draws = values[rng.integers(0, len(values), size=(reps, len(values)))]
    estimates = statistic(draws, axis=1)
    tail = (1 - level) / 2 * 100
    low, high = np.percentile(estimates, [tail, 100 - tail])
    return float(low), float(high)


# --- tests of change --------------------------------------------------------------------


def two_proportion_z(x1: float, n1: int, x2: float, n2: int) -> tuple[float | None, float | None]:
    """(z, two-sided p) of the pooled two-proportion z-test."""
    if n1 <= 0 or n2 <= 0:
        return None, None
    pooled = (x1 + x2) / (n1 + n2)
    se = math.sqrt(pooled * (1 - pooled) * (1 / n1 + 1 / n2))
    if se == 0:
        return 0.0, 1.0
    z = (x2 / n2 - x1 / n1) / se
    return z, float(2 * stats.norm.sf(abs(z)))


def welch_t(mean1: float, sd1: float, n1: int, mean2: float, sd2: float, n2: int) -> tuple[float | None, float | None]:
    """(t, two-sided p) of Welch's unequal-variance t-test from summary statistics."""
    if n1 < 2 or n2 < 2:
        return None, None
    result = stats.ttest_ind_from_stats(mean2, sd2, n2, mean1, sd1, n1, equal_var=False)
    if not np.isfinite(result.statistic):
        return 0.0, 1.0
    return float(result.statistic), float(result.pvalue)


def net_difference_z(
    before: dict[str, Any], after: dict[str, Any], pseudo: float = NET_PSEUDO_COUNT
) -> tuple[float | None, float | None]:
    """(z, two-sided p) for the change in a net score (NPS, net sentiment).

    Each dict has ``p_pos``, ``p_neg`` (fractions) and ``n``; the variance of each net is
    the trinomial one and the two samples are independent. As for :func:`net_interval`,
    ``pseudo`` responses are added to each class of both samples first (the trinomial
    analogue of the Agresti-Caffo adjustment), so that two tiny all-detractor and
    all-promoter groups do not give a zero variance and an absurd z.
    """
    n1, n2 = before.get("n", 0), after.get("n", 0)
    if n1 <= 0 or n2 <= 0:
        return None, None

    def adjusted(sample: dict[str, Any], n: int) -> tuple[float, float, float]:
        total = n + 3 * pseudo
        return (sample["p_pos"] * n + pseudo) / total, (sample["p_neg"] * n + pseudo) / total, total

    pos1, neg1, t1 = adjusted(before, n1)
    pos2, neg2, t2 = adjusted(after, n2)
    var = net_variance(pos1, neg1, t1) + net_variance(pos2, neg2, t2)
    diff = (pos2 - neg2) - (pos1 - neg1)
    if var == 0:
        return 0.0, 1.0
    z = diff / math.sqrt(var)
    return z, float(2 * stats.norm.sf(abs(z)))


def interval_z(before: KpiValue, after: KpiValue) -> tuple[float | None, float | None]:
    """Fallback test: z from standard errors read off symmetric-ish 95 % intervals."""
    if None in (before.value, after.value, before.ci_low, before.ci_high, after.ci_low, after.ci_high):
        return None, None
    se1 = (before.ci_high - before.ci_low) / (2 * Z95)
    se2 = (after.ci_high - after.ci_low) / (2 * Z95)
    se = math.hypot(se1, se2)
    if se == 0:
        return 0.0, 1.0
    z = (after.value - before.value) / se
    return z, float(2 * stats.norm.sf(abs(z)))


# --- base classes ------------------------------------------------------------------------


class BaseMetric:
    """Shared behaviour; subclasses set the attributes and implement ``compute``."""

    name = ""
    label = ""
    description = ""
    unit = ""
    higher_is_better = True
    kind = "ratio"

    def __init__(self, config: Any = None) -> None:
        self.config = config

    @property
    def settings(self) -> dict[str, Any]:
        """The project's ``[kpis]`` table (empty without a project file)."""
        return dict(getattr(self.config, "kpis", None) or {})

    def applies(self, frame: pd.DataFrame) -> bool:  # pragma: no cover - overridden
        return False

    def compute(self, frame: pd.DataFrame) -> KpiValue:  # pragma: no cover - overridden
        raise NotImplementedError

    def compare(self, before: KpiValue, after: KpiValue) -> Comparison:
        change = None if before.value is None or after.value is None else after.value - before.value
        z, p = interval_z(before, after)
        return Comparison(change, z, p, "z-test on the interval widths (normal approximation)")

    def __repr__(self) -> str:
        return f"<{type(self).__name__} {self.name}>"


class ShareMetric(BaseMetric):
    """A percentage of records (or responses) meeting a condition, with a Wilson interval.

    Implement :meth:`outcomes`: a boolean Series over the records that count (the
    denominator); the value is the share of True, in percent.
    """

    kind = "share"
    unit = "%"

    def outcomes(self, frame: pd.DataFrame) -> pd.Series:  # pragma: no cover - overridden
        raise NotImplementedError

    def compute(self, frame: pd.DataFrame) -> KpiValue:
        flags = self.outcomes(frame).dropna().astype(bool)
        return share_value(int(flags.sum()), len(flags))

    def compare(self, before: KpiValue, after: KpiValue) -> Comparison:
        if before.value is None or after.value is None:
            return Comparison(None, None, None, "two-proportion z-test")
        z, p = two_proportion_z(before.details["count"], before.n, after.details["count"], after.n)
        return Comparison(after.value - before.value, z, p, "two-proportion z-test")


class MeanMetric(BaseMetric):
    """The mean of a number per record (or response), with a Student t interval.

    Implement :meth:`values`: a numeric Series (missing values are dropped).
    """

    kind = "mean"
    #: (min, max) of the scale; the t interval is clipped to it (small samples overshoot).
    bounds: tuple[float, float] | None = None

    def values(self, frame: pd.DataFrame) -> pd.Series:  # pragma: no cover - overridden
        raise NotImplementedError

    def compute(self, frame: pd.DataFrame) -> KpiValue:
        return mean_value(self.values(frame), self.bounds)

    def compare(self, before: KpiValue, after: KpiValue) -> Comparison:
        if before.value is None or after.value is None:
            return Comparison(None, None, None, "Welch t-test")
        t, p = welch_t(before.value, before.details.get("sd", 0.0), before.n,
                       after.value, after.details.get("sd", 0.0), after.n)
        return Comparison(after.value - before.value, t, p, "Welch t-test")


class NetMetric(BaseMetric):
    """positive share minus negative share, in points (-100..100): NPS, net sentiment.

    Implement :meth:`classes`: a Series of "positive"/"neutral"/"negative" per unit.
    """

    kind = "net"
    unit = "points"
    positive = "positive"
    negative = "negative"

    def classes(self, frame: pd.DataFrame) -> pd.Series:  # pragma: no cover - overridden
        raise NotImplementedError

    def compute(self, frame: pd.DataFrame) -> KpiValue:
        return net_value(self.classes(frame).dropna(), self.positive, self.negative)

    def compare(self, before: KpiValue, after: KpiValue) -> Comparison:
        if before.value is None or after.value is None:
            return Comparison(None, None, None, "z-test on the net difference (trinomial variance)")
        z, p = net_difference_z({**before.details, "n": before.n}, {**after.details, "n": after.n})
        return Comparison(after.value - before.value, z, p, "z-test on the net difference (trinomial variance)")


def share_value(count: int, n: int) -> KpiValue:
    """A percentage KpiValue with its Wilson interval."""
    if n == 0:
        return KpiValue(None, 0, details={"count": 0})
    low, high = wilson_interval(count, n)
    return KpiValue(100 * count / n, n, 100 * low, 100 * high, details={"count": int(count)})


def mean_value(values: pd.Series | np.ndarray, bounds: tuple[float, float] | None = None) -> KpiValue:
    """A mean KpiValue with its t interval (clipped to ``bounds`` when given) and sd."""
    array = pd.to_numeric(pd.Series(values), errors="coerce").to_numpy(dtype=float, na_value=np.nan)
    array = array[~np.isnan(array)]  # what dropna() leaves, without copying the index
    mean, low, high = mean_interval(array)
    if bounds is not None and low is not None:
        low, high = max(bounds[0], low), min(bounds[1], high)
    sd = float(array.std(ddof=1)) if len(array) > 1 else 0.0
    return KpiValue(mean, len(array), low, high, details={"sd": sd})


def net_value(classes: pd.Series, positive: str = "positive", negative: str = "negative") -> KpiValue:
    """A net score (positives% - negatives%) with the trinomial interval and the counts."""
    n = len(classes)
    pos = int((classes == positive).sum())
    neg = int((classes == negative).sum())
    net, low, high = net_interval(pos, neg, n)
    details = {
        "positive": pos, "negative": neg, "neutral": n - pos - neg,
        "p_pos": pos / n if n else 0.0, "p_neg": neg / n if n else 0.0,
    }
    return KpiValue(net, n, low, high, details=details)


def benjamini_hochberg(p_values: list[float | None]) -> list[float | None]:
    """False-discovery-rate adjusted p-values (None stays None)."""
    present = [(i, p) for i, p in enumerate(p_values) if p is not None and not math.isnan(p)]
    adjusted: list[float | None] = [None] * len(p_values)
    if present:
        values = stats.false_discovery_control([p for _, p in present], method="bh")
        for (i, _), value in zip(present, values):
            adjusted[i] = float(value)
    return adjusted


class MedianMetric(BaseMetric):
    """The median of a number (durations), with a seeded percentile-bootstrap interval.

    Implement :meth:`values`. Changes are tested with a z-test on the bootstrap interval widths.
    """

    kind = "median"

    def values(self, frame: pd.DataFrame) -> pd.Series:  # pragma: no cover - overridden
        raise NotImplementedError

    def compute(self, frame: pd.DataFrame) -> KpiValue:
        array = pd.to_numeric(pd.Series(self.values(frame)), errors="coerce").dropna().to_numpy(dtype=float)
        if len(array) == 0:
            return KpiValue(None, 0)
        low, high = bootstrap_interval(array, np.median)
        details = {"mean": float(array.mean()), "p90": float(np.percentile(array, 90))}
        return KpiValue(float(np.median(array)), len(array), low, high, details=details)
