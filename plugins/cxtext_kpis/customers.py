"""Customer-level KPIs: engagement per customer, churn and retention."""

from __future__ import annotations

import numpy as np
import pandas as pd

from cxtext.metrics import BaseMetric, KpiValue, ShareMetric, bootstrap_interval

DEFAULT_ENGAGEMENT = ("likes", "shares", "comments", "replies", "retweets")
_TRUE = {"1", "1.0", "true", "yes", "y", "churned"}
_FALSE = {"0", "0.0", "false", "no", "n", "retained", "active"}


def customer_keys(frame: pd.DataFrame) -> pd.Series:
    """``customer_id``, or the record id for records without one (each then counts as a customer)."""
    ids = frame["customer_id"] if "customer_id" in frame.columns else pd.Series(None, index=frame.index)
    return ids.where(ids.notna(), "record:" + frame["record_id"].astype(str))


class EngagementScore(BaseMetric):
    name = "engagement_score"
    label = "Customer Engagement Score (activities per customer)"
    description = (
        "Customer Engagement Score by segment: sum of engagement activities (likes, shares, comments, "
        "replies, retweets; [kpis] engagement_counts to change the list) / number of distinct "
        "customers in the segment. Only records that carry engagement counts take part; a record "
        "without customer_id counts as its own customer (so the score falls back to activities per "
        "post). 95% CI: percentile bootstrap over customers (2,000 resamples, seeded)."
    )
    unit = "per customer"
    kind = "mean"

    def _columns(self, frame: pd.DataFrame) -> list[str]:
        names = self.settings.get("engagement_counts", DEFAULT_ENGAGEMENT)
        return [f"engagement:{n}" for n in names if f"engagement:{n}" in frame.columns]

    def reads(self, frame: pd.DataFrame) -> list[str]:
        return [*self._columns(frame), "customer_id", "record_id"]

    def applies(self, frame: pd.DataFrame) -> bool:
        columns = self._columns(frame)
        return bool(columns) and frame[columns].notna().any().any()

    def compute(self, frame: pd.DataFrame) -> KpiValue:
        columns = self._columns(frame)
        if not columns:
            return KpiValue(None, 0)
        engaged = frame[frame[columns].notna().any(axis=1)]
        if engaged.empty:
            return KpiValue(None, 0)
        totals = engaged[columns].fillna(0).sum(axis=1).groupby(customer_keys(engaged)).sum()
        values = totals.to_numpy(dtype=float)
        low, high = bootstrap_interval(values, np.mean)
        details = {
            "activities": int(values.sum()), "customers": len(values), "records": len(engaged),
            "records_without_customer_id": int(engaged["customer_id"].isna().sum()) if "customer_id" in engaged else len(engaged),
            "sd": float(values.std(ddof=1)) if len(values) > 1 else 0.0,
        }
        return KpiValue(float(values.mean()), len(values), low, high, details=details)

    def compare(self, before, after):
        from cxtext.metrics import Comparison, welch_t

        if before.value is None or after.value is None:
            return Comparison(None, None, None, "Welch t-test")
        t, p = welch_t(before.value, before.details["sd"], before.n, after.value, after.details["sd"], after.n)
        return Comparison(after.value - before.value, t, p, "Welch t-test")


def churn_flags(frame: pd.DataFrame) -> pd.Series:
    """True/False per record from a ``churned`` score (0/1) or metadata flag; None when absent."""
    def parse(value):
        if value is None or value != value:
            return None
        if isinstance(value, bool):
            return value
        text = str(value).strip().lower()
        return True if text in _TRUE else (False if text in _FALSE else None)

    flags = pd.Series(None, index=frame.index, dtype=object)
    for column in ("meta:churned", "score:churned"):
        if column in frame.columns:
            parsed = frame[column].map(parse)
            flags = flags.where(flags.notna(), parsed)
    return flags


def _customer_churn(frame: pd.DataFrame) -> pd.Series:
    flags = churn_flags(frame)
    known = flags.notna()
    return flags[known].astype(bool).groupby(customer_keys(frame[known])).max()


class ChurnRate(ShareMetric):
    name = "churn_rate"
    label = "Churn rate (% of customers)"
    description = (
        "Share of distinct customers flagged as churned, for customer-level files with a 'churned' "
        "column mapped as a score (--score churned=COLUMN, 0/1) or kept in metadata (churned = "
        "yes/no, true/false, 1/0). A customer with any churned record counts as churned. 95% Wilson "
        "interval. Lower is better."
    )
    higher_is_better = False

    def reads(self, frame: pd.DataFrame) -> list[str]:
        return ["meta:churned", "score:churned", "customer_id", "record_id"]

    def applies(self, frame: pd.DataFrame) -> bool:
        return bool(churn_flags(frame).notna().any())

    def outcomes(self, frame: pd.DataFrame) -> pd.Series:
        return _customer_churn(frame)


class RetentionRate(ShareMetric):
    name = "retention_rate"
    label = "Retention rate (% of customers)"
    description = "100% minus the churn rate: share of distinct customers not flagged as churned. 95% Wilson interval."

    def reads(self, frame: pd.DataFrame) -> list[str]:
        return ["meta:churned", "score:churned", "customer_id", "record_id"]

    def applies(self, frame: pd.DataFrame) -> bool:
        return bool(churn_flags(frame).notna().any())

    def outcomes(self, frame: pd.DataFrame) -> pd.Series:
        return ~_customer_churn(frame)
