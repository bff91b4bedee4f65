"""The XLSX workbook round-trips through openpyxl with its types: numbers, dates, booleans, text."""

from __future__ import annotations

from datetime import datetime

import pytest
from openpyxl import load_workbook

from cxtext import plugins
from cxtext.records import Record
from cxtext_exporters.spreadsheet import XlsxExporter
from cxtext_report.testing import build_sample_store


@pytest.fixture
def kpi_config_plugins(monkeypatch):
    monkeypatch.setenv(plugins.ALLOW_LIST_ENV, "kpis,exporters")  # other plugins may be mid-change
    plugins.get_plugin_manager.cache_clear()
    yield
    plugins.get_plugin_manager.cache_clear()


def _rows(sheet) -> list[dict]:
    values = list(sheet.iter_rows(values_only=True))
    return [dict(zip(values[0], row)) for row in values[1:]]


def test_records_and_kpis_round_trip_with_types(analysed_store, tmp_path, kpi_config_plugins, project_of):
    out = tmp_path / "cx.xlsx"
    assert XlsxExporter().export(project_of(analysed_store), out) == 4
    workbook = load_workbook(out, read_only=True)
    assert workbook.sheetnames == ["records", "kpis"]
    records = {row["source_id"]: row for row in _rows(workbook["records"])}
    billing = records["1"]
    assert billing["score_nps"] == 2 and isinstance(billing["score_nps"], (int, float))
    assert billing["created_at"] == datetime(2026, 9, 14, 10, 0)
    assert billing["segment_plan"] == "Essential"
    assert billing["text"].startswith("Billed twice")
    assert records["r9"]["engagement_helpful_votes"] == 4
    assert records["r9"]["text"].startswith('Great app "5 stars" <b>bold</b>')  # text, as written
    kpis = _rows(workbook["kpis"])
    nps = next(row for row in kpis if row["metric"] == "nps" and row["group_by"] == "all" and row["period"] == "all")
    # openpyxl reads a whole float back as int: a number either way, never text.
    assert isinstance(nps["value"], (int, float)) and not isinstance(nps["value"], bool) and nps["value"] == -100
    assert isinstance(nps["n"], int) and isinstance(nps["low_n"], bool)


def test_formula_text_is_escaped_and_numbers_stay_numbers(store, tmp_path, kpi_config_plugins, project_of):
    record = Record("survey", "=HYPERLINK(\"http://evil.example\",\"click\")", "nps", source_id="x1",
                    touchpoint="+cmd|' /C calc'!A0", segments={"plan": "-5"}, scores={"nps": -0.0 + 3})
    store.ingest([record], path="nps.csv", source="survey", dataset="nps", file_sha256="x")
    out = tmp_path / "cx.xlsx"
    XlsxExporter().export(project_of(store), out)
    row = _rows(load_workbook(out)["records"])[0]
    assert row["text"] == "'=HYPERLINK(\"http://evil.example\",\"click\")"
    assert row["touchpoint"].startswith("'+cmd") and row["segment_plan"] == "'-5"
    assert row["score_nps"] == 3
    XlsxExporter().export(project_of(store), out, escape_formulas=False)
    assert _rows(load_workbook(out)["records"])[0]["text"].startswith("=HYPERLINK")


def test_the_sample_store_exports_every_record(tmp_path, kpi_config_plugins, project_of):
    with build_sample_store(tmp_path / "cx.db", n=120) as store:
        written = XlsxExporter().export(project_of(store), tmp_path / "cx.xlsx")
        assert written == store.count_records()
    sheet = load_workbook(tmp_path / "cx.xlsx", read_only=True)["records"]
    assert sum(1 for _ in sheet.iter_rows()) == written + 1


def test_cli_writes_the_workbook(analysed_store, tmp_path, kpi_config_plugins):
    from click.testing import CliRunner

    from cxtext.cli import cli

    out = tmp_path / "out.xlsx"
    result = CliRunner().invoke(cli, ["export", "--db", str(analysed_store.path), "--format", "xlsx", "--out", str(out)])
    assert result.exit_code == 0, result.output
    assert "Wrote 4 rows" in result.output
    assert load_workbook(out, read_only=True).sheetnames == ["records", "kpis"]
