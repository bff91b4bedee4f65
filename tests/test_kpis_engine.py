"""The KPI engine: intervals shrink with n, small groups are flagged, trends flag real shifts only."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from cxtext.config import ProjectConfig
from cxtext.errors import InputError
from cxtext.kpis import alerts, analysis_frame, compute_kpis, kpi_trends
from cxtext.records import Record


def nps_records(count: int, shares: tuple[float, float, float], *, month: str, segment: str, seed: int,
                start: int = 0) -> list[Record]:
    """``count`` responses with NPS drawn as promoter/passive/detractor with ``shares``."""
    rng = np.random.default_rng(seed)
    classes = rng.choice(3, size=count, p=shares)
    scores = {0: 10, 1: 8, 2: 3}
    return [
        Record(source_kind="survey", text=f"answer {start + i}", dataset="nps", source_id=str(start + i),
               created_at=f"{month}-15T09:00:00Z", touchpoint="Billing", segments={"size": segment},
               scores={"nps": scores[int(c)]})
        for i, c in enumerate(classes)
    ]


def ingest(store, records):
    store.ingest(records, path="nps.csv", source="test", dataset="nps", file_sha256="x")


@pytest.fixture
def trend_store(store):
    records = (
        nps_records(300, (0.5, 0.3, 0.2), month="2026-09", segment="all", seed=1)
        + nps_records(300, (0.5, 0.3, 0.2), month="2026-10", segment="all", seed=2, start=1000)  # noise only
        + nps_records(300, (0.2, 0.3, 0.5), month="2026-11", segment="all", seed=3, start=2000)  # real drop
    )
    ingest(store, records)
    return store


def test_trend_flags_a_real_shift_and_not_noise(trend_store):
    trend = kpi_trends(trend_store, metric="nps", period="month").set_index("period")
    assert pd.isna(trend.loc["2026-09", "baseline_period"])
    assert not trend.loc["2026-10", "significant"]  # same distribution, sampling noise
    assert trend.loc["2026-11", "significant"]
    assert trend.loc["2026-11", "change"] < -40
    assert not trend.loc["2026-11", "improved"]
    assert "trinomial" in trend.loc["2026-11", "test"]


def test_trend_against_the_first_period(trend_store):
    trend = kpi_trends(trend_store, metric="nps", period="month", baseline="first").set_index("period")
    assert trend.loc["2026-11", "baseline_period"] == "2026-09"


def test_share_and_mean_trends_use_their_tests(trend_store):
    share = kpi_trends(trend_store, metric="nps", period="month")
    assert share["test"].dropna().str.contains("net difference").all()


def test_alerts_keep_the_significant_move_after_adjustment(trend_store):
    moves = alerts(trend_store, metrics=["nps"], by=["touchpoint"])
    assert len(moves) == 2  # overall and Billing, both Oct -> Nov
    assert set(moves["period"]) == {"2026-11"}
    assert (moves["p_adjusted"] < 0.05).all()


def test_intervals_shrink_with_n_and_small_groups_are_flagged(store):
    ingest(store, nps_records(40, (0.5, 0.3, 0.2), month="2026-09", segment="medium", seed=4)
           + nps_records(1000, (0.5, 0.3, 0.2), month="2026-09", segment="large", seed=5, start=100)
           + nps_records(12, (0.5, 0.3, 0.2), month="2026-09", segment="small", seed=6, start=5000))
    table = compute_kpis(store, by=["size"], metrics=["nps"]).set_index("group")
    width = table["ci_high"] - table["ci_low"]
    assert width["large"] < width["medium"] < width["small"]
    assert table.loc["small", "low_n"] and not table.loc["medium", "low_n"] and not table.loc["large", "low_n"]
    assert table.loc["small", "n"] == 12
    for group in ("small", "medium", "large"):
        assert table.loc[group, "ci_low"] <= table.loc[group, "value"] <= table.loc[group, "ci_high"]


def test_crossed_groupings_and_bare_segment_names(store):
    ingest(store, nps_records(50, (0.5, 0.3, 0.2), month="2026-09", segment="a", seed=7))
    table = compute_kpis(store, by=["touchpoint,size"], metrics=["nps"])
    assert set(table["group_by"]) == {"all", "touchpoint,segment:size"}
    assert "Billing | a" in set(table["group"])


def test_config_defaults_for_by_and_period(store):
    ingest(store, nps_records(50, (0.5, 0.3, 0.2), month="2026-09", segment="a", seed=8))
    config = ProjectConfig(kpis={"by": ["touchpoint"], "period": "quarter"})
    table = compute_kpis(store, config, metrics=["nps"])
    assert set(table["group_by"]) == {"all", "touchpoint"}
    assert set(table["period"]) == {"all", "2026-Q3"}


def test_unknown_field_metric_and_period_are_input_errors(store):
    ingest(store, nps_records(5, (0.5, 0.3, 0.2), month="2026-09", segment="a", seed=9))
    with pytest.raises(InputError, match="cannot group by 'colour'"):
        compute_kpis(store, by=["colour"])
    with pytest.raises(InputError, match="unknown metric"):
        compute_kpis(store, metrics=["happiness"])
    with pytest.raises(InputError, match="unknown period"):
        compute_kpis(store, period="fortnight")


def test_periods_in_the_frame(store):
    ingest(store, nps_records(1, (1.0, 0.0, 0.0), month="2026-09", segment="a", seed=10))
    row = analysis_frame(store).iloc[0]
    assert (row["period:week"], row["period:month"], row["period:quarter"]) == ("2026-W38", "2026-09", "2026-Q3")


def test_empty_store_gives_an_empty_table(store):
    assert compute_kpis(store).empty
