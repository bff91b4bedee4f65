"""NPS by touchpoint and month, with CIs, on the shared NPS verbatims (2,385 UK telecom comments)."""

from __future__ import annotations

import pytest

from cxtext.ingest import ingest_path
from cxtext.kpis import compute_kpis, kpi_trends
from cxtext.sourcing import ReadContext


@pytest.mark.shared
def test_nps_by_touchpoint_and_month(shared_corpora, store):
    path = shared_corpora / "nps_verbatims_textsummary" / "nps_verbatim.csv"
    ingest_path(store, path, source="survey", context=ReadContext(dataset="nps"))
    table = compute_kpis(store, by=["touchpoint"], period="month", metrics=["nps"])

    overall = table[(table.group_by == "all") & (table.period == "all")].iloc[0]
    assert overall.n == 2353  # 32 rows have no score
    assert overall.value == pytest.approx(-24.7, abs=0.1)  # README: "about -24"
    assert overall.ci_low < overall.value < overall.ci_high
    assert 3 < overall.ci_high - overall.ci_low < 10  # +/- about 3.5 points at n = 2,353
    assert overall.details["promoters"] + overall.details["passives"] + overall.details["detractors"] == overall.n

    by_touchpoint = table[(table.group_by == "touchpoint") & (table.period == "all")].set_index("group")
    assert {"First Payment", "Order", "Equipment Received", "Service in Use"} <= set(by_touchpoint.index)
    assert by_touchpoint["n"].sum() == overall.n
    months = table[(table.group_by == "touchpoint") & (table.period != "all")]
    assert set(months.period) >= {"2018-01", "2018-02", "2018-03", "2018-04", "2018-05"}
    first_payment = months[months.group == "First Payment"]
    assert first_payment["n"].sum() == by_touchpoint.loc["First Payment", "n"]
    assert months["ci_low"].notna().all() and (months["ci_low"] <= months["value"]).all()
    assert (months["n"] < 30).sum() == months["low_n"].sum()

    trend = kpi_trends(store, metric="nps", period="month")
    assert trend["p_value"].notna().sum() == len(trend) - 1
