"""The Python façade: the docs' DataFrame example on 1,000 verbatims, and Project mirroring the CLI."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pandas as pd
import pytest
from click.testing import CliRunner

from cxtext import Project
from cxtext.cli import cli
from cxtext.errors import InputError
from cxtext.project import DEMO_PROJECT

DOCS = Path(__file__).resolve().parent.parent / "docs" / "python-api.md"
DEMO_SURVEY = DEMO_PROJECT.parent / "survey.csv"
DEMO_TEXT = ["Reason for score", "What could we improve?"]


def doc_example() -> str:
    """The code block the docs mark as tested."""
    text = DOCS.read_text(encoding="utf-8")
    match = re.search(r"<!-- tested: tests/test_python_api.py[^>]*-->\s*```python\n(.*?)```", text, re.S)
    assert match, "docs/python-api.md lost its tested example"
    return match.group(1)


def verbatims(count: int = 1000) -> pd.DataFrame:
    """``count`` survey verbatims (the demo's reasons and suggestions, cycled) with NPS and plan."""
    survey = pd.read_csv(DEMO_SURVEY)
    rows = []
    for column in ("Reason for score", "What could we improve?"):
        part = survey[[column, "NPS", "Plan"]].dropna(subset=[column])
        rows += [{"comment": r[column], "NPS": r["NPS"], "plan": r["Plan"]} for _, r in part.iterrows()]
    return pd.DataFrame([rows[i % len(rows)] for i in range(count)])


@pytest.fixture(scope="module")
def analysed(tmp_path_factory):
    folder = tmp_path_factory.mktemp("api")
    verbatims().to_csv(folder / "verbatims.csv", index=False)
    namespace: dict = {}
    import os

    cwd = os.getcwd()
    os.chdir(folder)
    try:
        exec(compile(doc_example(), str(DOCS), "exec"), namespace)
    finally:
        os.chdir(cwd)
    return namespace


def test_the_docs_example_is_at_most_five_lines():
    lines = [line for line in doc_example().splitlines() if line.strip() and not line.strip().startswith("#")]
    assert len(lines) <= 5, lines


def test_the_docs_example_analyses_1000_verbatims(analysed):
    df, signals = analysed["df"], analysed["signals"]
    assert len(df) == 1000 and len(signals) == 1000
    assert signals.index.equals(df.index)
    assert (signals["text"] == df["comment"]).all()
    assert signals["record_id"].notna().all()
    assert set(signals["sentiment"].dropna()) <= {"positive", "negative", "neutral", "mixed"}
    assert signals["sentiment"].notna().mean() > 0.95
    assert (signals["score:nps"] == df["NPS"]).all()
    assert (signals["segment:plan"] == df["plan"]).all()
    assert signals["themes"].map(len).sum() > 0
    assert signals["effort_score"].notna().any()
    # Labels come along with the theme ids.
    row = signals[signals["themes"].map(len) > 0].iloc[0]
    assert len(row["theme_labels"]) == len(row["themes"])


def test_project_kpis_match_the_cli(tmp_path):
    db = tmp_path / "cx.db"
    with Project(db) as project:
        results = project.ingest(DEMO_SURVEY, source="survey", text=DEMO_TEXT)
        assert results[0].records_new > 0
        table = project.kpis(metrics=["nps"])
    nps = table[(table["metric"] == "nps") & (table["group_by"] == "all")].iloc[0]
    printed = CliRunner().invoke(cli, ["kpis", "--db", str(db), "--metric", "nps", "--format", "json"])
    assert printed.exit_code == 0, printed.output
    rows = json.loads(printed.stdout)
    cli_nps = next(r for r in rows if r["metric"] == "nps" and r["group_by"] == "all")
    assert cli_nps["value"] == pytest.approx(nps["value"]) and cli_nps["n"] == nps["n"]


def test_project_caches_the_frame_until_the_store_changes(tmp_path):
    with Project(tmp_path / "cx.db") as project:
        project.ingest(DEMO_SURVEY, source="survey", text=DEMO_TEXT)
        first = project.frame()
        assert project.frame() is first
        project.kpis()
        assert project.frame() is first
        frame = pd.DataFrame({"comment": ["Great service", "Slow refund"], "NPS": [10, 2]})
        project.ingest(frame, dataset="extra", text=["comment"], scores={"nps": "NPS"})
        assert project.frame() is not first
        assert len(project.frame()) == len(first) + 2


def test_a_dataframe_ingests_once_and_errors_name_the_row(tmp_path):
    frame = pd.DataFrame({"comment": ["Great service", "Slow refund", "Fine"], "NPS": [10, 2, 7]})
    with Project(tmp_path / "cx.db") as project:
        assert project.ingest(frame, text=["comment"], scores={"nps": "NPS"})[0].records_new == 3
        again = project.ingest(frame, text=["comment"], scores={"nps": "NPS"})[0]
        assert again.records_new == 0 and again.records_unchanged == 3
        bad = pd.DataFrame({"comment": ["ok", "fine"], "NPS": [10, 42]})
        result = project.ingest(bad, dataset="bad", text=["comment"], scores={"nps": "NPS"})[0]
        assert any(issue.row == 3 and "42" in str(issue) for issue in result.issues), result.issues
    with pytest.raises(InputError, match="no column 'missing'"):
        from cxtext import analyze_frame

        analyze_frame(frame, text="missing")


def test_unknown_ingest_option_is_a_clear_error(tmp_path):
    with Project(tmp_path / "cx.db") as project, pytest.raises(InputError, match="unknown ingest option"):
        project.ingest(DEMO_SURVEY, texts=["comment"])
