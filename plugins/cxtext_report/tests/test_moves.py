"""Largest moves: the demo's Billing NPS step (Jun-Aug vs Sep) is listed with honest p-values.

The demo survey has only 7-14 Billing responses a month, so month-on-month tests cannot see
the collapse and the alerts (both periods >= min_n, p adjusted across every test) leave it
out. Against all earlier months pooled the drop is clearer; the report lists it either way
and says whether it survives the multiple-testing adjustment.
"""

from __future__ import annotations

import pandas as pd
import pytest

from cxtext import kpis, plugins
from cxtext.config import load_config
from cxtext.store import Store
from cxtext_report.html import render_html
from cxtext_report.testing import gather_store, ingest_demo_inputs


@pytest.fixture
def demo_survey(demo_corpora, tmp_path, monkeypatch):
    monkeypatch.setenv(plugins.ALLOW_LIST_ENV, "kpis,report,survey,sentiment,themes,effort")  # other plugins may be mid-change
    plugins.get_plugin_manager.cache_clear()
    try:
        with Store(tmp_path / "survey.db") as store:
            ingest_demo_inputs(demo_corpora, store, ("survey",))
            yield store, load_config(demo_corpora / "cxtext.toml")
    finally:
        plugins.get_plugin_manager.cache_clear()


def test_pooled_baseline_takes_every_earlier_period_together(demo_survey):
    store, config = demo_survey
    frame = kpis.analysis_frame(store, config)
    trend = kpis.kpi_trends(store, config, "nps", "touchpoint", "month", baseline="pooled", frame=frame)
    billing = trend[trend["group"] == "Billing"].set_index("period")
    september = billing.loc["2026-09"]
    assert september["baseline_period"] == "2026-06–2026-08"
    earlier = frame[(frame["touchpoint"] == "Billing") & (frame["period:month"] < "2026-09")]
    scores = earlier.drop_duplicates("response_id")["score:nps"]
    expected = 100 * ((scores >= 9).mean() - (scores <= 6).mean())
    assert september["baseline_value"] == pytest.approx(expected)  # +8.7 on 23 responses
    assert september["value"] == pytest.approx(-50.0)
    assert billing.loc["2026-07", "baseline_period"] == "2026-06"  # one earlier month: just its name
    assert pd.isna(billing.loc["2026-06", "baseline_period"])
    previous = kpis.kpi_trends(store, config, "nps", "touchpoint", "month", frame=frame)
    previous = previous[previous["group"] == "Billing"].set_index("period")
    # The pooled baseline has the power the 8-response August lacks.
    assert september["p_value"] < 0.05 < previous.loc["2026-09", "p_value"]


def test_report_lists_the_billing_step_with_its_adjusted_p_value(demo_survey):
    store, config = demo_survey
    data = gather_store(store, config)
    assert not any((data.alerts["group"] == "Billing") & (data.alerts["metric"] == "nps"))  # why it was missing
    # August has 8 Billing responses (below min_n): the move is listed apart, with the small groups.
    assert not any(m["group"] == "Billing" and m["period"] == "2026-09" for m in data.moves)
    assert all(m["n"] >= data.min_n and not any(c["low_n"] for c in m["comparisons"]) for m in data.moves)
    move = next(m for m in data.small_moves if m["group"] == "Billing" and m["period"] == "2026-09")
    pooled = next(c for c in move["comparisons"] if c["kind"] == "pooled")
    assert pooled["change"] == pytest.approx(-58.7, abs=0.1)
    assert pooled["p_adjusted"] >= pooled["p_value"]
    # Significant on its own, not once adjusted for the other comparisons made: reported as such.
    assert pooled["significant"] is False and move["significant"] is False
    assert data.moves_tested > 20
    page = render_html(data)
    trends = page.split('<section id="trends">')[1].split("</section>")[0]
    small = trends.split("Moves in small groups")[1]
    assert "-58.7 pts vs 2026-06–2026-08" in small
    if data.moves:
        assert f"{sum(m['significant'] for m in data.moves)} of the {len(data.moves)} largest moves" in trends

