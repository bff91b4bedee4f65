"""KPI tables (cxtext.kpis.compute_kpis) written as CSV and Parquet."""

from __future__ import annotations

import json

import pandas as pd
import pytest

from cxtext import plugins
from cxtext.config import ProjectConfig
from cxtext_exporters.kpi_tables import KpiCsvExporter, KpiParquetExporter
from cxtext_report.testing import build_sample_store


@pytest.fixture
def kpi_store(tmp_path, monkeypatch):
    monkeypatch.setenv(plugins.ALLOW_LIST_ENV, "kpis,exporters,sentiment,themes,effort")  # the analyzers declare the frame columns
    plugins.get_plugin_manager.cache_clear()
    with build_sample_store(tmp_path / "cx.db", n=120) as store:
        yield store
    plugins.get_plugin_manager.cache_clear()


def test_kpis_csv_is_the_compute_kpis_table(kpi_store, tmp_path, project_of):
    from cxtext.kpis import KPI_COLUMNS

    out = tmp_path / "kpis.csv"
    rows = KpiCsvExporter().export(project_of(kpi_store), out, by=["touchpoint"], metrics=["nps", "net_sentiment"])
    frame = pd.read_csv(out, encoding="utf-8-sig")
    assert len(frame) == rows and list(frame.columns) == KPI_COLUMNS
    assert set(frame["metric"]) == {"nps", "net_sentiment"}
    assert set(frame["group_by"]) == {"all", "touchpoint"}
    overall = frame[(frame["metric"] == "nps") & (frame["group_by"] == "all")].iloc[0]
    assert overall["ci_low"] < overall["value"] < overall["ci_high"]
    assert isinstance(json.loads(overall["details"]), dict)


def test_kpis_parquet_matches_csv_and_follows_the_project_settings(kpi_store, tmp_path, project_of):
    config = ProjectConfig(kpis={"by": ["segment:plan"], "period": "month"})
    KpiCsvExporter().export(project_of(kpi_store, config), tmp_path / "k.csv", metrics=["nps"])
    rows = KpiParquetExporter().export(project_of(kpi_store, config), tmp_path / "k.parquet", metrics=["nps"])
    parquet = pd.read_parquet(tmp_path / "k.parquet")
    csv = pd.read_csv(tmp_path / "k.csv", encoding="utf-8-sig")
    assert len(parquet) == len(csv) == rows
    assert list(parquet.columns) == list(csv.columns)
    assert "segment:plan" in set(parquet["group_by"]) and "2026-09" in set(parquet["period"])


def test_cli_kpis_export_reads_the_project_file(kpi_store, tmp_path):
    from click.testing import CliRunner

    from cxtext.cli import cli

    project = tmp_path / "cxtext.toml"
    project.write_text('[kpis]\nby = ["touchpoint"]\n', encoding="utf-8")
    out = tmp_path / "kpis.csv"
    result = CliRunner().invoke(cli, ["export", "--db", str(kpi_store.path), "--format", "kpis-csv",
                                      "--config", str(project), "--out", str(out)])
    assert result.exit_code == 0, result.output
    assert set(pd.read_csv(out, encoding="utf-8-sig")["group_by"]) == {"all", "touchpoint"}
