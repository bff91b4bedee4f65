"""Support-thread KPIs, churn/retention and the theme impact view on hand-made data."""

from __future__ import annotations

import pytest

from cxtext.kpis import compute_kpis, theme_impact
from cxtext.records import Record

from .conftest import ingest  # noqa: TID252 - the fixture helpers live beside the tests


def tweet(tweet_id, inbound, minute, customer, parent=None):
    return Record(
        source_kind="social", text=f"tweet {tweet_id}", dataset="twcs", source_id=str(tweet_id),
        customer_id=customer, created_at=f"2026-10-01T10:{minute:02d}:00+00:00", segments={"brand": "Lumen"},
        metadata={"inbound": inbound, "in_response_to_tweet_id": None if parent is None else str(parent)},
    )


@pytest.fixture
def support_store(store):
    # Thread A (c1): asks at :00, brand answers at :10, c1 thanks at :12, brand closes at :20.
    # Thread B (c2): asks at :00, brand answers at :30 -> resolved at first contact.
    # Thread C (c1 again): asks at :40, never answered.
    # Thread D: a brand announcement, not a customer thread.
    records = [
        tweet(1, True, 0, "c1"), tweet(2, False, 10, "c1", 1), tweet(3, True, 12, "c1", 2), tweet(4, False, 20, "c1", 3),
        tweet(5, True, 0, "c2"), tweet(6, False, 30, "c2", 5),
        tweet(7, True, 40, "c1"),
        tweet(8, False, 50, None),
    ]
    ingest(store, records, "twcs")
    return store


def one(table, metric):
    rows = table[(table.metric == metric) & (table.group_by == "all")]
    assert len(rows) == 1
    return rows.iloc[0]


def test_support_thread_kpis(support_store):
    table = compute_kpis(support_store)
    assert one(table, "response_rate").value == pytest.approx(200 / 3)  # A and B of A, B, C
    assert one(table, "response_rate").n == 3
    assert one(table, "first_response_time").value == pytest.approx(20.0)  # median of 10 and 30 minutes
    assert one(table, "resolution_time").value == pytest.approx(25.0)  # A: 20, B: 30
    assert one(table, "first_contact_resolution").value == pytest.approx(50.0)  # B only
    assert one(table, "repeat_contact_rate").value == pytest.approx(50.0)  # c1 of c1, c2


def test_churn_and_retention(store):
    records = [
        Record(source_kind="survey", text="bye", dataset="crm", source_id="1", customer_id="a", metadata={"churned": "yes"}),
        Record(source_kind="survey", text="again", dataset="crm", source_id="2", customer_id="a", metadata={"churned": "no"}),
        Record(source_kind="survey", text="stay", dataset="crm", source_id="3", customer_id="b", scores={"churned": 0}),
        Record(source_kind="survey", text="stay", dataset="crm", source_id="4", customer_id="c", metadata={"churned": False}),
        Record(source_kind="survey", text="?", dataset="crm", source_id="5", customer_id="d"),
    ]
    ingest(store, records, "crm")
    table = compute_kpis(store, metrics=["churn_rate", "retention_rate"])
    assert one(table, "churn_rate").value == pytest.approx(100 / 3)  # a of a, b, c (d has no flag)
    assert one(table, "retention_rate").value == pytest.approx(200 / 3)


def test_theme_impact_signs_and_what_if(kpi_store):
    impact = theme_impact(kpi_store, min_mentions=1).set_index("theme")
    billing = impact.loc["billing_error"]
    assert billing.mentions == 3 and billing.responses == 10
    assert billing.score_with == pytest.approx(-100.0)  # all three are detractors
    assert billing.score_without == pytest.approx(500 / 7)  # 5 promoters of the other 7
    assert billing.difference < 0 and billing.difference_ci_high < 0
    # Without billing_error's 3 detractors: 5 promoters of 7 responses -> 71.4, up from 20.
    assert billing.score_if_removed == pytest.approx(500 / 7)
    assert billing.impact == pytest.approx(500 / 7 - 20)
    assert billing.impact_ci_low <= billing.impact <= billing.impact_ci_high
    assert billing.driver_coef < 0  # mentioning billing errors goes with a lower NPS
    assert billing.detractor_odds_ratio > 1
    assert impact.loc["hold_time"].impact < billing.impact


def test_theme_impact_on_a_mean_score(kpi_store):
    impact = theme_impact(kpi_store, score="csat", min_mentions=1).set_index("theme")
    assert impact.loc["billing_error", "score_with"] == pytest.approx(4 / 3)  # CSAT 2, 1, 1
    assert impact.loc["billing_error", "score_without"] == pytest.approx(28 / 7)


def test_theme_impact_by_touchpoint(kpi_store):
    impact = theme_impact(kpi_store, by="touchpoint", min_mentions=1)
    billing = impact[(impact.group_by == "touchpoint") & (impact.group == "Billing")].set_index("theme")
    assert billing.loc["billing_error", "responses"] == 4
    assert billing.loc["billing_error", "score_without"] == pytest.approx(0.0)  # the one passive


def test_groups_without_threads_get_no_support_rows(support_store):
    survey = Record(source_kind="survey", text="fine", dataset="s", source_id="1", scores={"nps": 9},
                    created_at="2026-10-01")
    ingest(support_store, [survey], "s")
    table = compute_kpis(support_store, by=["source_kind"])
    survey_rows = table[(table.group_by == "source_kind") & (table.group == "survey")]
    assert set(survey_rows.metric) == {"nps"}
