"""Quiet by default: no third-party progress bars or warnings unless -v; --version loads nothing heavy."""

from __future__ import annotations

import subprocess
import sys
import warnings

from click.testing import CliRunner

from cxtext import cli as cli_module


def test_quiet_sets_progress_bar_switches_and_keeps_user_choices(monkeypatch):
    monkeypatch.delenv("HF_HUB_DISABLE_PROGRESS_BARS", raising=False)
    monkeypatch.setenv("TRANSFORMERS_VERBOSITY", "info")  # the user's own choice wins
    with warnings.catch_warnings():
        cli_module.quiet_third_party()
        import os

        assert os.environ["HF_HUB_DISABLE_PROGRESS_BARS"] == "1"
        assert os.environ["TRANSFORMERS_VERBOSITY"] == "info"
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("default")
            cli_module.quiet_third_party()
            warnings.warn_explicit("old API", FutureWarning, "x.py", 1, module="transformers.modeling_utils")
            warnings.warn_explicit("ours", FutureWarning, "x.py", 1, module="cxtext.kpis")
        assert [str(w.message) for w in caught] == ["ours"]  # our own warnings still show


def test_verbose_leaves_third_party_output_alone(monkeypatch):
    calls = []
    monkeypatch.setattr(cli_module, "quiet_third_party", lambda: calls.append("quiet"))
    runner = CliRunner()
    runner.invoke(cli_module.cli, ["plugins"])
    runner.invoke(cli_module.cli, ["-v", "plugins"])
    assert calls == ["quiet"]


def test_version_answers_without_loading_pandas_or_plugins():
    code = ("import sys; sys.argv = ['cxtext', '--version']; from cxtext.cli import main; main(); "
            "print(sorted(m for m in ('pandas', 'scipy', 'sqlite_utils', 'torch') if m in sys.modules))")
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines() == ["cxtext, version " + cli_module.__version__, "[]"]


def test_a_wide_table_is_cut_at_the_terminal_edge_with_the_rest_named():
    import io

    import pandas as pd
    from rich.console import Console

    from cxtext.kpi_output import render_table

    table = pd.DataFrame([{f"column_{n}": f"value number {n} of a long row" for n in range(13)} for _ in range(3)])
    buffer = io.StringIO()
    console = Console(file=buffer, width=100, force_terminal=True, color_system=None, highlight=False)
    render_table(table, console)
    text = buffer.getvalue()
    lines = text.splitlines()
    assert len(lines) < 20  # not 13 columns squeezed into slivers over hundreds of lines
    assert "more columns do not fit" in text and "column_12" in text and "--format csv" in text
