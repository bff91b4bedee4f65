"""A third-party analyzer and a one-file metric over it reach `cxtext kpis` and the report, no host edit.

The "urgency" plugin below is registered exactly as an installed one would be (a module
with hook implementations on the plugin manager). Its analyzer declares its one output
(record level, labels urgent / not_urgent, a score); the analysis frame then has an
``urgency`` column, and the metric reads it like any first-party column.
"""

from __future__ import annotations

import csv
import io
import types

import pandas as pd
import pytest
from click.testing import CliRunner

from cxtext import plugins
from cxtext.cli import cli
from cxtext.hookspecs import hookimpl
from cxtext.metrics import ShareMetric
from cxtext.records import Record
from cxtext.signals import Doc, Signal, SignalOutput
from cxtext.store import Store
from cxtext.testing import load_only

URGENT_WORDS = ("asap", "urgent", "immediately", "right now")


class UrgencyAnalyzer:
    """Urgent or not, from a few words: enough to show the contract, no model."""

    name = "urgency"
    version = "urgency-0.1"
    model = "urgency-keywords"
    needs_embeddings = False
    outputs = [
        SignalOutput(kind="urgency", level="record", labels=("urgent", "not_urgent"),
                     score="share of the urgent words found", score_range=(0.0, 1.0), data_keys=("words",),
                     label_column="urgency", score_column="urgency_score",
                     description="whether the customer asks for something to happen at once"),
    ]

    def load(self) -> None:
        pass

    def process(self, docs: list[Doc]) -> list[Signal]:
        signals = []
        for doc in docs:
            words = [w for w in URGENT_WORDS if w in doc.text.lower()]
            signals.append(Signal(doc.record_id, "urgency", "urgent" if words else "not_urgent",
                                  len(words) / len(URGENT_WORDS), data={"words": words}))
        return signals


class UrgentShare(ShareMetric):
    name = "urgent_share"
    label = "Urgent requests (%)"
    description = "Share of the records the urgency analyzer read that ask for something at once. Wilson 95% CI."
    higher_is_better = False

    def applies(self, frame: pd.DataFrame) -> bool:
        return "urgency" in frame.columns and frame["urgency"].notna().any()

    def outcomes(self, frame: pd.DataFrame) -> pd.Series:
        return frame["urgency"].dropna() == "urgent"


TEXTS = [
    ("I need my router replaced ASAP, the line is dead.", "2026-09-03"),
    ("Please call me back immediately about the bill.", "2026-09-10"),
    ("Lovely engineer, all sorted.", "2026-09-12"),
    ("The app is fine.", "2026-09-20"),
    ("Urgent: I was charged twice.", "2026-10-02"),
    ("Nothing to add, thanks.", "2026-10-05"),
    ("Fix this right now or I leave.", "2026-10-08"),
    ("Good service overall.", "2026-10-15"),
]


@pytest.fixture
def urgency_plugin(monkeypatch):
    """The urgency plugin installed beside the KPI and report plugins (no model-backed analyzer)."""
    load_only(monkeypatch, "kpis", "report")
    module = types.ModuleType("cxtext_urgency")
    module.register_analyzers = hookimpl(lambda config: [UrgencyAnalyzer()])
    module.register_metrics = hookimpl(lambda config: [UrgentShare(config)])
    manager = plugins.get_plugin_manager()
    manager.register(module, name="urgency")
    yield
    manager.unregister(name="urgency")
    plugins.get_plugin_manager.cache_clear()


@pytest.fixture
def db(tmp_path, urgency_plugin):
    path = tmp_path / "cx.db"
    records = [Record("ticket", text, "tickets", source_id=str(i), created_at=f"{date}T09:00:00+00:00",
                      touchpoint="Support" if i % 2 else "Billing")
               for i, (text, date) in enumerate(TEXTS)]
    with Store(path) as store:
        store.ingest(records, path="tickets.json", source="test", dataset="tickets", file_sha256="t")
    result = CliRunner().invoke(cli, ["analyze", "--db", str(path)])
    assert result.exit_code == 0, result.output
    return path


def test_the_metric_appears_in_cxtext_kpis(db):
    result = CliRunner().invoke(cli, ["kpis", "--db", str(db)])
    assert result.exit_code == 0, result.output
    assert "Urgent requests (%)" in result.output

    table = CliRunner().invoke(cli, ["kpis", "--db", str(db), "--metric", "urgent_share", "--by", "urgency",
                                     "--format", "csv"])
    assert table.exit_code == 0, table.output
    rows = list(csv.DictReader(io.StringIO(table.output)))
    overall = next(r for r in rows if r["group_by"] == "all")
    assert float(overall["value"]) == pytest.approx(50.0) and overall["n"] == "8"  # 4 of the 8 tickets
    by_label = {r["group"]: float(r["value"]) for r in rows if r["group_by"] == "urgency"}
    assert by_label == {"urgent": 100.0, "not_urgent": 0.0}  # the declared label column is a grouping field


def test_the_metric_appears_in_the_report(db, tmp_path):
    out = tmp_path / "report.html"
    result = CliRunner().invoke(cli, ["report", "--db", str(db), "--out", str(out)])
    assert result.exit_code == 0, result.output
    page = out.read_text(encoding="utf-8")
    headline = page.split('<section id="kpis">')[1].split("</section>")[0]
    assert "Urgent requests (%)" in headline  # a KPI card of its own, with its label
    assert "Analysed: urgency" in page  # the coverage section lists every registered analyzer
