"""KPI values on the hand-computed store in conftest.py match exactly."""

from __future__ import annotations

import pytest

from cxtext.config import ProjectConfig
from cxtext.kpis import analysis_frame, compute_kpis


def value(table, metric, group_by="all", group="all", period="all", item=None):
    rows = table[(table.metric == metric) & (table.group_by == group_by) & (table.group == group) & (table.period == period)]
    if item is not None:
        rows = rows[rows["item"] == item]
    assert len(rows) == 1, rows
    return rows.iloc[0]


@pytest.fixture
def kpis(kpi_store):
    return compute_kpis(kpi_store, by=["touchpoint", "source_kind"], period="month")


def test_nps_counts_each_response_once(kpis):
    # 5 promoters (10, 10, 9, 9, 9), 2 passives (8, 7), 3 detractors (6, 3, 0); response 1 has 2 records.
    row = value(kpis, "nps")
    assert row.value == pytest.approx(20.0)
    assert row.n == 10
    assert row.details["promoters"] == 5 and row.details["passives"] == 2 and row.details["detractors"] == 3


def test_nps_by_touchpoint_and_month(kpis):
    assert value(kpis, "nps", "touchpoint", "Billing").value == pytest.approx(-75.0)  # 0 P, 3 D of 4
    assert value(kpis, "nps", "touchpoint", "App").value == pytest.approx(100.0)
    assert value(kpis, "nps", "touchpoint", "Support").value == pytest.approx(200 / 3)  # 2 P, 1 passive
    assert value(kpis, "nps", period="2026-10").value == pytest.approx(50.0)  # 9, 9, 8, 7
    assert value(kpis, "nps", period="2026-11").value == pytest.approx(-100.0)


def test_nps_interval_uses_the_trinomial_variance(kpis):
    row = value(kpis, "nps")
    # Adjusted Wald: one pseudo-response per class (6 P, 3 passives, 4 D of 13), trinomial variance.
    p_pro, p_det, n = 6 / 13, 4 / 13, 13
    centre = p_pro - p_det
    half = 1.959963984540054 * ((p_pro + p_det - centre**2) / n) ** 0.5
    assert row.ci_low == pytest.approx(100 * (centre - half))
    assert row.ci_high == pytest.approx(100 * (centre + half))


def test_nps_interval_does_not_collapse_when_everyone_agrees(kpis):
    billing_nov = value(kpis, "nps", "touchpoint", "Billing", "2026-11")  # 3 detractors of 3
    assert billing_nov.value == -100
    assert billing_nov.ci_low == -100 and billing_nov.ci_high > -60


def test_csat_top2box_and_mean(kpis):
    assert value(kpis, "csat").value == pytest.approx(50.0)  # 4,4,4,5,5 of 10
    assert value(kpis, "csat").n == 10
    assert value(kpis, "csat_mean").value == pytest.approx(3.2)  # 32 / 10


def test_ces_mean_and_low_effort_share(kpis):
    assert value(kpis, "ces").value == pytest.approx(4.0)  # 40 / 10
    assert value(kpis, "ces_low_effort").value == pytest.approx(50.0)  # 7, 6, 6, 5, 5
    assert "7 = very easy" in value(kpis, "ces").label


def test_cx_rating_percent_of_scale_band_and_benchmarks(kpis):
    review = value(kpis, "cx_rating", "source_kind", "review")
    assert review.value == pytest.approx(60.0)  # mean 3.4 on 1-5 -> (3.4 - 1) / 4
    assert review.band == "critical"
    assert review.details["benchmarks"]["technology"]["gap"] == pytest.approx(60.0 - 82.0)
    survey = value(kpis, "cx_rating", "source_kind", "survey")
    assert survey.value == pytest.approx(55.0)  # CSAT mean 3.2 -> (3.2 - 1) / 4
    assert value(kpis, "rating").value == pytest.approx(3.4)
    assert value(kpis, "rating").details["distribution"] == {"1": 1, "2": 0, "3": 1, "4": 2, "5": 1}


def test_cx_rating_max_method_and_configured_benchmark(kpi_store):
    config = ProjectConfig(kpis={"cx_rating_method": "max", "industry": "telecom", "benchmarks": {"telecom": 70}})
    table = compute_kpis(kpi_store, config, by=["source_kind"], metrics=["cx_rating"])
    review = value(table, "cx_rating", "source_kind", "review")
    assert review.value == pytest.approx(68.0)  # 3.4 / 5
    assert review.benchmark == 70
    assert review.band == "critical"
    assert value(table, "cx_rating", "source_kind", "survey").value == pytest.approx(64.0)  # 3.2 / 5


def test_engagement_score_per_customer(kpis):
    row = value(kpis, "engagement_score")
    # c1: 3 + 1 + 2, c2: 4, author-less post: 5 + 1 -> 16 activities / 3 customers.
    assert row.value == pytest.approx(16 / 3)
    assert row.n == 3
    assert row.details["records_without_customer_id"] == 1
    assert row.ci_low <= row.value <= row.ci_high


def test_text_kpis(kpis):
    # 11 survey records: 3 negative (detractors), 8 positive.
    assert value(kpis, "net_sentiment").value == pytest.approx(100 * (8 - 3) / 11)
    assert value(kpis, "complaint_share").value == pytest.approx(100 * 3 / 11)
    assert value(kpis, "theme_prevalence", item="billing_error").value == pytest.approx(100 * 3 / 11)
    assert value(kpis, "theme_prevalence", item="hold_time").value == pytest.approx(100 / 11)
    assert value(kpis, "theme_sentiment", item="billing_error").value == pytest.approx(-100.0)
    assert value(kpis, "theme_prevalence", item="billing_error").label.endswith("Billing error")


def test_every_row_has_n_and_an_interval_containing_the_value(kpis):
    for row in kpis.itertuples():
        assert row.n > 0
        if row.ci_low is not None and row.ci_low == row.ci_low:
            assert row.ci_low - 1e-9 <= row.value <= row.ci_high + 1e-9, row


def test_mean_intervals_stay_on_the_scale(kpis):
    for metric, (low, high) in {"csat_mean": (1, 5), "ces": (1, 7), "cx_rating": (0, 100)}.items():
        rows = kpis[(kpis.metric == metric) & kpis.ci_low.notna()]
        assert (rows.ci_low >= low).all() and (rows.ci_high <= high).all()


def test_all_groups_are_small_so_all_are_flagged(kpis):
    assert kpis.low_n.all()  # min_n defaults to 30 and the fixture has 10 responses


def test_min_n_setting(kpi_store):
    table = compute_kpis(kpi_store, ProjectConfig(kpis={"min_n": 10}), metrics=["nps", "rating"])
    assert not value(table, "nps").low_n  # n = 10
    assert value(table, "rating").low_n  # n = 5


def test_analysis_frame_response_ids(kpi_store):
    frame = analysis_frame(kpi_store)
    surveys = frame[frame.source_kind == "survey"]
    assert len(surveys) == 11
    assert surveys.response_id.nunique() == 10
    assert frame.attrs["theme_labels"]["hold_time"] == "Hold time"
