"""docs/cli.md is generated from the click commands; it must match them (regenerate with
``python scripts/cli_reference.py``), and docs/python-api.md names a method for each command."""

from __future__ import annotations

import runpy
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def test_cli_reference_is_up_to_date():
    script = runpy.run_path(str(ROOT / "scripts" / "cli_reference.py"))
    assert script["main"](["--check"]) == 0, "docs/cli.md is out of date: run python scripts/cli_reference.py"


def test_every_project_method_of_the_cli_table_exists():
    from cxtext import Project

    text = (ROOT / "docs" / "python-api.md").read_text(encoding="utf-8")
    for name in ("ingest", "analyze", "kpis", "trends", "alerts", "drivers", "pain_points", "metric_catalogue",
                 "records_frame", "report", "export", "sources", "analyzers", "metrics", "exporters", "reporters"):
        assert callable(getattr(Project, name)), name
        assert f"`{name}(" in text, f"docs/python-api.md does not show Project.{name}"
