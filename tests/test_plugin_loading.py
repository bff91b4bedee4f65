"""Robust plugin loading: a plugin that fails to import, or implements a hook no spec defines,
is listed as broken with a one-line reason and not registered; everything else keeps working."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import types
from importlib.metadata import EntryPoint
from importlib.metadata import entry_points as real_entry_points
from pathlib import Path

import pytest
from click.testing import CliRunner
from rich.console import Console

from cxtext import plugins
from cxtext.cli import build_cli
from cxtext.hookspecs import hookimpl
from cxtext.plugin_listing import plugins_table

SURVEY_CSV = "id,comment,NPS\n1,The engineer fixed it first time.,10\n2,Still waiting for my refund.,1\n"


def write_broken_distribution(site: Path) -> Path:
    """A real (unzipped) distribution with two broken ``cxtext`` entry points, as pip would leave it."""
    site.mkdir(exist_ok=True)
    (site / "cxtext_test_needs_missing.py").write_text(
        '"""Needs a dependency that is not installed."""\nimport cxtext_test_no_such_dependency\n')
    (site / "cxtext_test_typo.py").write_text(
        '"""A plugin with a mistyped hook name."""\nfrom cxtext.hookspecs import hookimpl\n\n\n'
        "@hookimpl\ndef register_sourcez():\n    return []\n")
    info = site / "cxtext_test_broken-0.1.dist-info"
    info.mkdir(exist_ok=True)
    (info / "METADATA").write_text("Metadata-Version: 2.1\nName: cxtext-test-broken\nVersion: 0.1\n")
    (info / "entry_points.txt").write_text(
        "[cxtext]\nneeds-missing = cxtext_test_needs_missing\ntypo = cxtext_test_typo\n")
    return site


@pytest.fixture
def fresh_manager(monkeypatch):
    """Rebuild the process-wide manager for this test and again after it (no broken plugin leaks out)."""
    monkeypatch.setattr(plugins, "_warned", set())
    plugins.get_plugin_manager.cache_clear()
    yield
    plugins.get_plugin_manager.cache_clear()


@pytest.fixture
def broken_site(tmp_path, monkeypatch, fresh_manager) -> Path:
    site = write_broken_distribution(tmp_path / "site")
    monkeypatch.syspath_prepend(str(site))
    return site


@pytest.fixture
def fake_entry_points(monkeypatch, fresh_manager):
    """Add fake entry points (module name -> module object) beside the real ones."""

    def install(**modules: types.ModuleType | None) -> None:
        extra = []
        for name, module in modules.items():
            module_name = f"cxtext_fake_{name}"
            if module is not None:
                monkeypatch.setitem(sys.modules, module_name, module)
            extra.append(EntryPoint(name=name, value=module_name, group=plugins.ENTRY_POINT_GROUP))
        monkeypatch.setattr(plugins, "entry_points", lambda group: [*real_entry_points(group=group), *extra])

    return install


def module_with(doc: str, **functions) -> types.ModuleType:
    module = types.ModuleType("fake", doc)
    for name, function in functions.items():
        setattr(module, name, function)
    return module


def test_import_error_and_unknown_hook_are_broken_not_fatal(fake_entry_points):
    @hookimpl
    def register_sourcez():
        return []

    fake_entry_points(missing=None, typo=module_with("Typo.", register_sourcez=register_sourcez))
    pm = plugins.make_plugin_manager()
    assert pm.broken == {"missing": "ModuleNotFoundError: No module named 'cxtext_fake_missing'",
                         "typo": "unknown hook 'register_sourcez'"}
    assert pm.get_plugin("missing") is None and pm.get_plugin("typo") is None
    # The unknown hook is not left behind for a later check_pending to trip over.
    pm.check_pending()
    assert {"survey", "reviews", "social", "transcripts"} <= set(plugins.sources(pm))


def test_bad_hookimpl_signature_is_broken(fake_entry_points):
    @hookimpl
    def register_sources(nonsense):
        return []

    fake_entry_points(odd=module_with("Odd.", register_sources=register_sources))
    pm = plugins.make_plugin_manager()
    assert pm.broken["odd"].startswith("PluginValidationError: ")
    assert "nonsense" in pm.broken["odd"] and "\n" not in pm.broken["odd"]
    assert pm.get_plugin("odd") is None


def test_allow_list_skips_broken_plugins_it_does_not_name(fake_entry_points, monkeypatch):
    fake_entry_points(missing=None)
    monkeypatch.setenv("CXTEXT_LOAD_PLUGINS", "survey")
    pm = plugins.make_plugin_manager()
    assert pm.broken == {} and [name for name, _ in pm.list_name_plugin()] == ["survey"]


def test_one_warning_line_per_process(fake_entry_points, capsys):
    fake_entry_points(missing=None)
    plugins.make_plugin_manager()
    plugins.make_plugin_manager()
    lines = capsys.readouterr().err.splitlines()
    assert lines == ["cxtext: warning: plugin not loaded: missing (ModuleNotFoundError: No module named "
                     "'cxtext_fake_missing'). See `cxtext plugins`."]


def test_list_plugins_reports_broken_and_what_each_plugin_provides(fake_entry_points):
    @hookimpl
    def register_exporters():
        raise RuntimeError("no exporters today")

    fake_entry_points(missing=None, flaky=module_with("Flaky exporters.\n\nMore text.",
                                                      register_exporters=register_exporters))
    infos = {info.name: info for info in plugins.list_plugins(plugins.make_plugin_manager())}
    assert infos["missing"].status == "broken"
    assert infos["missing"].reason == "ModuleNotFoundError: No module named 'cxtext_fake_missing'"
    assert infos["missing"].hooks == [] and infos["missing"].provides == {}
    assert infos["flaky"].status == "error"
    assert infos["flaky"].reason == "register_exporters raised RuntimeError: no exporters today"
    assert infos["flaky"].description == "Flaky exporters."
    assert infos["survey"].status == "ok" and infos["survey"].reason is None
    assert infos["survey"].provides == {"sources": ["survey"]}
    assert infos["survey"].description.startswith("cxtext survey plugin:")
    assert infos["sentiment"].provides == {"analyzers": ["sentiment"], "commands": ["models"]}
    assert infos["themes"].provides == {"analyzers": ["themes"], "commands": ["themes"]}
    assert "xlsx" in infos["exporters"].provides["exporters"]
    assert "nps" in infos["kpis"].provides["metrics"]
    assert infos["report"].provides == {"reporters": ["html"]}


def test_listing_does_not_load_models():
    """Analyzers are only constructed to name them: no torch, transformers or spaCy import."""
    code = ("import sys; from cxtext import plugins; plugins.list_plugins(); "
            "print(sorted(m for m in ('torch', 'transformers', 'spacy', 'peft') if m in sys.modules))")
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert result.stdout.strip() == "[]"


def test_plugins_table_shows_status_reason_and_provides(broken_site):
    console = Console(width=250, record=True)
    console.print(plugins_table(plugins.list_plugins()))
    text = console.export_text()
    rows = {line.split("│")[1].strip(): line for line in text.splitlines() if line.startswith("│")}
    assert "broken" in rows["typo"] and "unknown hook 'register_sourcez'" in rows["typo"]
    assert "No module named 'cxtext_test_no_such_dependency'" in rows["needs-missing"]
    assert "ok" in rows["survey"] and "sources: survey" in rows["survey"]
    assert "0.1" in rows["typo"]  # the broken distribution's version


def test_cli_with_a_broken_distribution_installed(broken_site, tmp_path):
    runner = CliRunner()
    result = runner.invoke(build_cli(), ["--help"])
    assert result.exit_code == 0, result.output
    assert "ingest" in result.output and "Traceback" not in result.output

    result = runner.invoke(build_cli(), ["plugins", "--json"])
    assert result.exit_code == 0, result.output
    listed = {item["name"]: item for item in json.loads(result.stdout)}
    assert listed["typo"]["status"] == "broken" and listed["typo"]["package"] == "cxtext-test-broken"
    assert listed["typo"]["reason"] == "unknown hook 'register_sourcez'"
    assert listed["needs-missing"]["reason"] == (
        "ModuleNotFoundError: No module named 'cxtext_test_no_such_dependency'")
    assert listed["survey"]["status"] == "ok" and listed["survey"]["provides"] == {"sources": ["survey"]}

    survey = tmp_path / "answers.csv"
    survey.write_text(SURVEY_CSV)
    result = runner.invoke(build_cli(), ["ingest", str(survey), "--db", str(tmp_path / "cx.db"),
                                         "--source", "survey", "--text", "comment", "--id", "id"])
    assert result.exit_code == 0, result.output


def test_installed_broken_plugin_in_a_real_process(tmp_path):
    """`cxtext --help` works with a broken plugin installed: one warning line, no traceback."""
    site = write_broken_distribution(tmp_path / "site")
    env = {**os.environ, "PYTHONPATH": str(site)}
    env.pop(plugins.ALLOW_LIST_ENV, None)

    def cxtext(*args: str) -> subprocess.CompletedProcess:
        return subprocess.run([sys.executable, "-m", "cxtext", *args], env=env, cwd=tmp_path,
                              capture_output=True, text=True, timeout=300)

    result = cxtext("--help")
    assert result.returncode == 0, result.stderr
    assert "Usage:" in result.stdout and "Traceback" not in result.stderr
    assert result.stderr.splitlines() == [
        "cxtext: warning: plugin not loaded: needs-missing (ModuleNotFoundError: No module named "
        "'cxtext_test_no_such_dependency'); typo (unknown hook 'register_sourcez'). See `cxtext plugins`."]

    result = cxtext("plugins", "--json")
    assert result.returncode == 0, result.stderr
    listed = {item["name"]: item for item in json.loads(result.stdout)}
    assert listed["typo"]["status"] == listed["needs-missing"]["status"] == "broken"
    assert listed["typo"]["reason"] == "unknown hook 'register_sourcez'"

    survey = tmp_path / "answers.csv"
    survey.write_text(SURVEY_CSV)
    result = cxtext("ingest", str(survey), "--db", str(tmp_path / "cx.db"), "--source", "survey",
                    "--text", "comment", "--id", "id")
    assert result.returncode == 0, result.stderr
    assert "2 records read, 2 new" in " ".join(result.stdout.split())
