"""KPIs from survey and review scores: NPS, CSAT, CES, star rating, Customer Experience Rating.

Score KPIs count each survey response once: records of one response (several open-text
answers sharing a conversation id and the same scores) have one ``response_id``.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from cxtext.metrics import KpiValue, MeanMetric, NetMetric, ShareMetric, mean_value
from cxtext.records import SCORE_RANGES

#: Seed benchmarks for the Customer Experience Rating (% of scale), overridable in ``[kpis.benchmarks]``.
DEFAULT_BENCHMARKS = {"retail": 78.0, "technology": 82.0, "healthcare": 75.0}
BANDS = ((85.0, "excellent"), (70.0, "good"), (float("-inf"), "critical"))
#: Class names of -1 / 0 / +1 (detractor, passive, promoter), indexed by class + 1.
CLASS_NAMES = np.array(["negative", "neutral", "positive"], dtype=object)


def has_score(frame: pd.DataFrame, name: str) -> bool:
    column = f"score:{name}"
    return column in frame.columns and frame[column].notna().any()


def response_scores(frame: pd.DataFrame, name: str) -> pd.Series:
    """The ``name`` score once per survey response (records of one response share ``response_id``)."""
    column = f"score:{name}"
    if column not in frame.columns:
        return pd.Series(dtype=float)
    scored = frame.loc[frame[column].notna(), ["response_id", column]]  # never copy the wide frame
    return scored.drop_duplicates("response_id")[column].astype(float)


class NPS(NetMetric):
    name = "nps"
    label = "NPS (-100..100)"
    description = (
        "Net Promoter Score (Reichheld 2003, 'The One Number You Need to Grow', HBR): % promoters "
        "(9-10) minus % detractors (0-6) on the 0-10 likelihood-to-recommend question; passives "
        "are 7-8. 95% CI: normal approximation with the trinomial variance "
        "(p_pro + p_det - (p_pro - p_det)^2) / n. Each response counted once."
    )
    higher_is_better = True
    #: The score this net metric classifies: the host's drivers summarise it through :meth:`classify`.
    score_name = "nps"
    promoter_min = 9  # 9-10 promote
    detractor_max = 6  # 0-6 detract; 7-8 are passives

    def reads(self, frame: pd.DataFrame) -> list[str]:
        return ["response_id", "score:nps"]

    def applies(self, frame: pd.DataFrame) -> bool:
        return has_score(frame, "nps")

    def classify(self, values: np.ndarray) -> np.ndarray:
        """+1 promoter, 0 passive, -1 detractor per score (NaN stays NaN): the one place the thresholds live."""
        values = np.asarray(values, dtype=float)
        classes = np.where(values >= self.promoter_min, 1.0, np.where(values <= self.detractor_max, -1.0, 0.0))
        return np.where(np.isnan(values), np.nan, classes)

    def classes(self, frame: pd.DataFrame) -> pd.Series:
        scores = response_scores(frame, "nps")
        classes = self.classify(scores.to_numpy())
        if np.isnan(classes).any():  # cannot happen (missing scores are left out); keep the KeyError
            names = {1.0: "positive", 0.0: "neutral", -1.0: "negative"}
            return pd.Series([names[c] for c in classes], index=scores.index, dtype=object)
        return pd.Series(CLASS_NAMES[(classes + 1).astype(np.int64)], index=scores.index, dtype=object)

    def compute(self, frame: pd.DataFrame) -> KpiValue:
        value = super().compute(frame)
        details = value.details
        value.details = {
            "promoters": details["positive"], "passives": details["neutral"], "detractors": details["negative"],
            "p_pos": details["p_pos"], "p_neg": details["p_neg"],
        }
        return value


class CSAT(ShareMetric):
    name = "csat"
    label = "CSAT top-2-box (% 4-5 of 5)"
    description = (
        "Customer Satisfaction (ACSI/ISO 10004 practice): share of responses scoring 4 or 5 on the "
        "1-5 satisfaction scale (top-2-box). 95% Wilson score interval. Each response counted once."
    )

    def reads(self, frame: pd.DataFrame) -> list[str]:
        return ["response_id", "score:csat"]

    def applies(self, frame: pd.DataFrame) -> bool:
        return has_score(frame, "csat")

    def outcomes(self, frame: pd.DataFrame) -> pd.Series:
        return response_scores(frame, "csat") >= 4


class CSATMean(MeanMetric):
    name = "csat_mean"
    label = "CSAT mean (1-5)"
    description = "Mean satisfaction on the 1-5 CSAT scale, with a Student t 95% interval. Each response counted once."
    unit = "score 1-5"
    bounds = (1.0, 5.0)

    def reads(self, frame: pd.DataFrame) -> list[str]:
        return ["response_id", "score:csat"]

    def applies(self, frame: pd.DataFrame) -> bool:
        return has_score(frame, "csat")

    def values(self, frame: pd.DataFrame) -> pd.Series:
        return response_scores(frame, "csat")


class CES(MeanMetric):
    name = "ces"
    label = "CES mean (1-7, 7 = very easy)"
    description = (
        "Customer Effort Score, CES 2.0 (Dixon, Freeman & Toman 2010, 'Stop Trying to Delight Your "
        "Customers', HBR; CEB 2013): agreement with 'the company made it easy for me to handle my issue' "
        "on 1-7, where 7 = strongly agree = very easy (LOW effort). Higher is better. Mean with a "
        "Student t 95% interval; each response counted once."
    )
    unit = "score 1-7"
    bounds = (1.0, 7.0)

    def reads(self, frame: pd.DataFrame) -> list[str]:
        return ["response_id", "score:ces"]

    def applies(self, frame: pd.DataFrame) -> bool:
        return has_score(frame, "ces")

    def values(self, frame: pd.DataFrame) -> pd.Series:
        return response_scores(frame, "ces")


class CESLowEffort(ShareMetric):
    name = "ces_low_effort"
    label = "CES low-effort share (% 5-7 of 7)"
    description = (
        "Share of CES 2.0 responses at 5 or above on the 1-7 scale (7 = very easy), i.e. customers "
        "who agree the issue was easy to handle. Higher is better. 95% Wilson interval."
    )

    def reads(self, frame: pd.DataFrame) -> list[str]:
        return ["response_id", "score:ces"]

    def applies(self, frame: pd.DataFrame) -> bool:
        return has_score(frame, "ces")

    def outcomes(self, frame: pd.DataFrame) -> pd.Series:
        return response_scores(frame, "ces") >= 5


class ReviewRating(MeanMetric):
    name = "rating"
    label = "Star rating mean (1-5)"
    description = (
        "Mean star rating (1-5) of reviews, with a Student t 95% interval; the distribution of "
        "stars is in the details."
    )
    unit = "stars 1-5"
    bounds = (1.0, 5.0)

    def reads(self, frame: pd.DataFrame) -> list[str]:
        return ["response_id", "score:rating"]

    def applies(self, frame: pd.DataFrame) -> bool:
        return has_score(frame, "rating")

    def values(self, frame: pd.DataFrame) -> pd.Series:
        return response_scores(frame, "rating")

    def compute(self, frame: pd.DataFrame) -> KpiValue:
        values = self.values(frame)
        value = mean_value(values, self.bounds)
        counts = values.round().astype(int).value_counts()
        value.details["distribution"] = {str(star): int(counts.get(star, 0)) for star in range(1, 6)}
        return value


def band_for(percent: float) -> str:
    """excellent (>= 85 %), good (70-84 %), critical (< 70 %)."""
    return next(name for threshold, name in BANDS if percent >= threshold)


class CXRating(MeanMetric):
    name = "cx_rating"
    label = "Customer Experience Rating (% of scale)"
    description = (
        "Customer Experience Rating by segment: sum of ratings / number of rated experiences, "
        "expressed as a percentage of the rating scale. Each experience's rating is rescaled with "
        "(rating - min) / (max - min) x 100, the 0-100 transformation the American Customer "
        "Satisfaction Index uses (Fornell et al. 1996, J. Marketing 60(4)), so a scale's lowest "
        "point is 0% on every scale. Set [kpis] cx_rating_method = \"max\" for rating / max x 100 "
        "instead. Ratings used, in order: [kpis] cx_rating_scores (default rating, csat). Banded "
        ">= 85% excellent, 70-84% good, < 70% critical and compared with [kpis.benchmarks] "
        "(seed: retail 78, technology 82, healthcare 75); [kpis] industry picks the benchmark "
        "column. Student t 95% interval on the rescaled ratings."
    )
    unit = "%"
    bounds = (0.0, 100.0)

    def _scores(self) -> list[str]:
        return list(self.settings.get("cx_rating_scores", ["rating", "csat"]))

    def reads(self, frame: pd.DataFrame) -> list[str]:
        return ["response_id", *(f"score:{name}" for name in self._scores())]

    def applies(self, frame: pd.DataFrame) -> bool:
        return any(has_score(frame, name) for name in self._scores())

    def values(self, frame: pd.DataFrame) -> pd.Series:
        method = self.settings.get("cx_rating_method", "range")
        parts, taken = [], pd.Index([])
        for name in self._scores():
            scores = response_scores(frame, name)
            scores = scores[~scores.index.isin(taken)]  # an experience counts once, with its first score
            taken = taken.append(scores.index)
            low, high = SCORE_RANGES.get(name, (scores.min() if len(scores) else 0, scores.max() if len(scores) else 1))
            if method == "max":
                parts.append(100 * scores / high)
            else:
                parts.append(100 * (scores - low) / (high - low) if high > low else scores * 0)
        return pd.concat(parts) if parts else pd.Series(dtype=float)

    def compute(self, frame: pd.DataFrame) -> KpiValue:
        value = super().compute(frame)
        if value.value is None:
            return value
        value.band = band_for(value.value)
        benchmarks = {**DEFAULT_BENCHMARKS, **dict(self.settings.get("benchmarks", {}))}
        value.details["benchmarks"] = {
            name: {"benchmark": float(target), "gap": round(value.value - float(target), 4)}
            for name, target in benchmarks.items()
        }
        value.details["method"] = self.settings.get("cx_rating_method", "range")
        industry = self.settings.get("industry")
        if industry in benchmarks:
            value.benchmark = float(benchmarks[industry])
        return value
