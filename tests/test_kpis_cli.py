"""`cxtext kpis`: table, JSON and CSV output, the trend/driver/pain-point views, friendly errors."""

from __future__ import annotations

import io
import json

import pandas as pd
import pytest
from click.testing import CliRunner

from cxtext.cli import cli
from cxtext.records import Record
from cxtext.signals import Sentence, Signal
from cxtext.store import Store


@pytest.fixture
def db(tmp_path):
    path = tmp_path / "cx.db"
    records = [
        Record(source_kind="survey", text=text, dataset="nps", source_id=str(i), touchpoint=touchpoint,
               created_at=f"2026-{month}-10", scores={"nps": score}, segments={"plan": "Prepaid"})
        for i, (text, touchpoint, month, score) in enumerate([
            ("Billed twice [bold]again[/bold]", "Billing", "09", 2),
            ("Wrong bill and long hold", "Billing", "10", 4),
            ("Engineer was brilliant", "Installation", "09", 10),
            ("Quick install", "Installation", "10", 9),
            ("Fine", "Installation", "10", 8),
        ])
    ]
    with Store(path) as store:
        store.ingest(records, path="nps.csv", source="test", dataset="nps", file_sha256="x")
        sentences, signals = [], []
        for record in records:
            sentence = Sentence(f"{record.id}:0", record.id, 0, record.text, 0, len(record.text))
            sentences.append(sentence)
            label = "negative" if record.scores["nps"] <= 6 else "positive"
            signals.append(Signal(record.id, "sentiment", label, -0.9 if label == "negative" else 0.9, sentence.id))
            if record.touchpoint == "Billing":
                confidence = 0.95 if "Billed" in record.text else 0.8  # the quote the table shows first
                signals.append(Signal(record.id, "theme", "billing_error", confidence, sentence.id,
                                      {"theme_label": "Billing error"}))
                signals.append(Signal(record.id, "theme", "billing_error", 0.8, None, {"theme_label": "Billing error"}))
        ids = [r.id for r in records]
        store.save_analysis("sentences", "1", ids, [], sentences=sentences)
        store.save_analysis("themes", "1", ids, [s for s in signals if s.kind == "theme"])
        store.save_analysis("sentiment", "1", ids, [s for s in signals if s.kind == "sentiment"])
    return path


def run(*args):
    result = CliRunner().invoke(cli, ["kpis", *map(str, args)])
    return result


def test_json_output(db):
    result = run("--db", db, "--by", "touchpoint", "--metric", "nps", "--format", "json")
    assert result.exit_code == 0, result.output
    rows = json.loads(result.output)
    billing = next(r for r in rows if r["group"] == "Billing")
    assert billing["value"] == pytest.approx(-100.0)
    assert billing["n"] == 2 and billing["low_n"] is True
    assert billing["details"]["detractors"] == 2
    overall = next(r for r in rows if r["group_by"] == "all")
    assert overall["value"] == pytest.approx(0.0)  # 2 promoters, 1 passive, 2 detractors


def test_csv_output_to_file(db, tmp_path):
    out = tmp_path / "kpis.csv"
    result = run("--db", db, "--by", "plan", "--period", "month", "--metric", "nps", "--format", "csv", "--out", out)
    assert result.exit_code == 0, result.output
    table = pd.read_csv(out)
    assert {"metric", "group_by", "group", "period", "value", "n", "ci_low", "ci_high", "low_n"} <= set(table.columns)
    assert set(table["period"]) == {"all", "2026-09", "2026-10"}
    assert set(table["group_by"]) == {"all", "segment:plan"}
    assert json.loads(table["details"].iloc[0])["promoters"] >= 0


def test_table_output(db):
    result = run("--db", db, "--by", "touchpoint", "--metric", "nps")
    assert result.exit_code == 0, result.output
    assert "Billing" in result.output and "low n" in result.output


def test_views(db):
    trends = run("--db", db, "--trends", "--metric", "nps", "--format", "json")
    assert [r["period"] for r in json.loads(trends.output)] == ["2026-09", "2026-10"]
    by_touchpoint = json.loads(run("--db", db, "--trends", "--by", "touchpoint", "--format", "json").output)
    assert {(r["group_by"], r["group"]) for r in by_touchpoint} == {
        ("all", "all"), ("touchpoint", "Billing"), ("touchpoint", "Installation")}
    drivers = run("--db", db, "--drivers", "--format", "json")
    assert json.loads(drivers.output)[0]["theme"] == "billing_error"
    pain = run("--db", db, "--pain-points", "--format", "json")
    quotes = json.loads(pain.output)[0]["quotes"]
    assert [q["text"] for q in quotes] == ["Billed twice [bold]again[/bold]", "Wrong bill and long hold"]
    listing = run("--list", "--format", "json")  # no store needed
    assert "nps" in {r["metric"] for r in json.loads(listing.output)}


def test_user_text_is_escaped_in_the_table(db):
    result = run("--db", db, "--pain-points")
    assert result.exit_code == 0, result.output
    assert "Billed twice [bold]again[/bold]" in result.output  # shown literally, not as markup


def test_bad_field_is_a_friendly_error(db):
    result = run("--db", db, "--by", "colour")
    assert result.exit_code == 2
    assert "cannot group by 'colour'" in result.output
    assert "Traceback" not in result.output


def test_db_is_required_except_for_list():
    result = run("--by", "touchpoint")
    assert result.exit_code == 2 and "--db" in result.output
