"""The record-level effort score: drivers found -> a CES-like 1-7 score (7 = very easy).

Formula (documented in docs/effort.md)::

    score = clip(4 - high + low, 1, 7)

    high = sum over distinct high-effort drivers of its weight (1.0; waiting 0.75; difficulty 0.5)
           + for waiting, a duration weight: min(1, max(0, log10(minutes / 10) / 3))
             (10 min -> 0, ~2 h -> 0.36, a day -> 0.72, 10 days or more -> 1)
           + 0.25 for each further span of a driver already counted (at most 0.5 per driver)
    low  = 1.0 for the first low-effort span + 0.5 for each further one, at most 2.0

Label: "high_effort" below 3.5, "low_effort" above 4.5, otherwise "neutral". A record
with no effort evidence at all gets score None and label "no_evidence".
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import dataclass

NEUTRAL = 4.0
SCALE_MIN, SCALE_MAX = 1.0, 7.0
DRIVER_WEIGHT = 1.0
WAITING_WEIGHT = 0.75
#: "A nightmare", "not easy": a hard process with no driver named. It is not one of the
#: nine drivers of the rules (docs/effort.md), so alone it leaves a record neutral (3.5).
DIFFICULTY_WEIGHT = 0.5
EXTRA_SPAN_WEIGHT = 0.25
MAX_EXTRA_PER_DRIVER = 0.5
FIRST_LOW_WEIGHT = 1.0
EXTRA_LOW_WEIGHT = 0.5
MAX_LOW = 2.0
HIGH_EFFORT_BELOW = 3.5
LOW_EFFORT_ABOVE = 4.5


@dataclass
class SpanSummary:
    """What the score needs from one effort span."""

    driver: str
    polarity: str  # "high" or "low"
    duration_minutes: float | None = None


def duration_weight(minutes: float | None) -> float:
    """Extra pull for long waits: 0 up to 10 minutes, 1 from about 10 days."""
    if not minutes or minutes <= 10:
        return 0.0
    return min(1.0, max(0.0, math.log10(minutes / 10) / 3))


def effort_score(spans: Iterable[SpanSummary]) -> tuple[float | None, str]:
    """(score on the 1-7 CES scale or None, label) for a record's effort spans."""
    spans = list(spans)
    if not spans:
        return None, "no_evidence"
    high = 0.0
    by_driver: dict[str, list[SpanSummary]] = {}
    for span in spans:
        if span.polarity == "high":
            by_driver.setdefault(span.driver, []).append(span)
    for driver, found in by_driver.items():
        weight = {"waiting": WAITING_WEIGHT, "difficulty": DIFFICULTY_WEIGHT}.get(driver, DRIVER_WEIGHT)
        if driver == "waiting":
            weight += duration_weight(max((s.duration_minutes or 0.0) for s in found))
        high += weight + min(MAX_EXTRA_PER_DRIVER, EXTRA_SPAN_WEIGHT * (len(found) - 1))
    low_count = sum(1 for span in spans if span.polarity == "low")
    low = min(MAX_LOW, FIRST_LOW_WEIGHT + EXTRA_LOW_WEIGHT * (low_count - 1)) if low_count else 0.0
    score = round(min(SCALE_MAX, max(SCALE_MIN, NEUTRAL - high + low)), 2)
    return score, score_label(score)


def score_label(score: float) -> str:
    if score < HIGH_EFFORT_BELOW:
        return "high_effort"
    if score > LOW_EFFORT_ABOVE:
        return "low_effort"
    return "neutral"
