"""A metric in one file, as docs/kpis.md shows it, gets grouping, CIs and trends from the host."""

from __future__ import annotations

import types

import pandas as pd
import pytest

from cxtext import plugins
from cxtext.hookspecs import hookimpl
from cxtext.kpis import compute_kpis, kpi_trends
from cxtext.metrics import ShareMetric


class BillingErrors(ShareMetric):
    name = "billing_errors"
    label = "Billing errors (% of analysed texts)"
    description = "Share of analysed records that mention the 'billing_error' theme. Wilson 95% CI."
    higher_is_better = False

    def applies(self, frame: pd.DataFrame) -> bool:
        return bool(frame["analysed:themes"].any())

    def outcomes(self, frame: pd.DataFrame) -> pd.Series:
        analysed = frame[frame["analysed:themes"]]
        return analysed["themes"].map(lambda themes: "billing_error" in themes)


@pytest.fixture
def registered():
    module = types.ModuleType("my_kpis")
    module.register_metrics = hookimpl(lambda config: [BillingErrors(config)])
    manager = plugins.get_plugin_manager()
    manager.register(module, name="my_kpis")
    yield
    manager.unregister(name="my_kpis")


def test_a_third_party_metric_is_grouped_and_trended(kpi_store, registered):
    table = compute_kpis(kpi_store, by=["touchpoint"], metrics=["billing_errors"])
    billing = table[(table.group == "Billing")].iloc[0]
    assert billing.value == pytest.approx(75.0)  # 3 of the 4 Billing records
    assert billing.ci_low < 75 < billing.ci_high and billing.low_n
    trend = kpi_trends(kpi_store, metric="billing_errors", period="month")
    assert list(trend["period"]) == ["2026-09", "2026-10", "2026-11"]
    assert trend["test"].iloc[-1] == "two-proportion z-test"
