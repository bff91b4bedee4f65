"""The NPS thresholds live in the NPS metric only, and text KPIs cope with an analyzer not installed."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from cxtext.kpis import KpiEngine
from cxtext_kpis.scores import NPS
from cxtext_kpis.text import ComplaintShare


def test_nps_classify_is_promoter_passive_detractor():
    classes = NPS().classify(np.array([0, 6, 7, 8, 9, 10, np.nan]))
    assert classes[:6].tolist() == [-1, -1, 0, 0, 1, 1] and np.isnan(classes[6])


def test_drivers_classify_responses_through_the_metric(kpi_store):
    class LenientNPS(NPS):
        promoter_min = 8  # a metric with other thresholds: drivers must follow it, not copies of 9 / 6

    strict = KpiEngine(kpi_store, metrics={"nps": NPS()}).drivers("nps")
    lenient = KpiEngine(kpi_store, metrics={"nps": LenientNPS()}).drivers("nps")
    strict, lenient = (t.set_index("theme").loc["billing_error"] for t in (strict, lenient))
    # Responses without billing_error score 10, 10, 9, 9, 9, 8, 7: 5 of 7 promoters, or 6 of 7 at >= 8.
    assert strict["score_without"] == pytest.approx(100 * 5 / 7)
    assert lenient["score_without"] == pytest.approx(100 * 6 / 7)


def test_complaint_share_without_a_sentiment_column():
    frame = pd.DataFrame({"score:complaint": [1.0, 0.0, None]}, index=["a", "b", "c"])
    metric = ComplaintShare()
    assert metric.applies(frame)
    value = metric.compute(frame)
    assert (value.value, value.n) == (50.0, 2)
