"""Plugin discovery: entry points, the allow-list, listing, and each hook's first-party plugins."""

import json
import os
import subprocess
import sys
from pathlib import Path

import click
import pytest
from click.testing import CliRunner

from cxtext import plugins
from cxtext.cli import build_cli, cli
from cxtext.config import ProjectConfig
from cxtext.signals import Analyzer

ROOT = Path(__file__).resolve().parent.parent
FIRST_PARTY = {"survey", "reviews", "social", "transcripts", "sentiment", "themes", "effort", "kpis",
               "exporters", "report"}


def test_first_party_plugins_come_from_entry_points():
    names = {info.name for info in plugins.list_plugins()}
    assert FIRST_PARTY <= names
    info = next(i for i in plugins.list_plugins() if i.name == "survey")
    assert info.package == "cxtext" and info.version and "register_sources" in info.hooks


def test_allow_list_limits_what_loads(monkeypatch):
    monkeypatch.setenv("CXTEXT_LOAD_PLUGINS", "survey,reviews")
    pm = plugins.make_plugin_manager()
    assert {name for name, _ in pm.list_name_plugin()} == {"survey", "reviews"}
    monkeypatch.setenv("CXTEXT_LOAD_PLUGINS", "")
    assert plugins.make_plugin_manager().list_name_plugin() == []


def test_plugins_command_lists_versions_and_hooks():
    result = CliRunner().invoke(cli, ["plugins", "--json"])
    assert result.exit_code == 0, result.output
    listed = {item["name"]: item for item in json.loads(result.output)}
    assert FIRST_PARTY <= set(listed)
    assert listed["social"]["hooks"] == ["register_sources"]
    assert listed["social"]["version"]


def test_hook_register_sources():
    sources = plugins.sources()
    assert {"survey", "reviews", "social", "transcripts"} <= set(sources)
    for source in sources.values():
        assert source.kind in ("survey", "review", "social", "transcript")
        assert source.description and callable(source.sniff) and callable(source.read)


def test_hook_register_analyzers():
    analyzers = plugins.analyzers(ProjectConfig())
    assert {"sentiment", "themes", "effort"} <= set(analyzers)
    for analyzer in analyzers.values():
        assert isinstance(analyzer, Analyzer)
        assert analyzer.version and analyzer.model


def test_hook_register_metrics():
    metrics = plugins.metrics(ProjectConfig())
    assert {"nps", "csat", "ces"} <= set(metrics)


def test_hook_register_exporters():
    assert {"jsonl", "csv", "parquet"} <= set(plugins.exporters())


def test_hook_register_reporters():
    assert "html" in plugins.reporters()


def test_hook_register_commands():
    group = build_cli()
    assert isinstance(group, click.Group)
    # Plugins add their commands through the hook (sentiment: models train, themes: discover).
    assert "models" in group.commands and "themes" in group.commands


def test_third_party_plugin_installed_with_pip_is_discovered(tmp_path):
    """pip-install the example Zendesk plugin into a folder and list it: no host change needed."""
    target = tmp_path / "site"
    subprocess.run(
        [sys.executable, "-m", "pip", "install", "--quiet", "--no-deps", "--no-build-isolation",
         "--target", str(target), str(ROOT / "examples" / "cxtext-zendesk")],
        check=True, capture_output=True,
    )
    env = {**os.environ, "PYTHONPATH": str(target)}
    listed = subprocess.run([sys.executable, "-m", "cxtext", "plugins", "--json"], env=env,
                            capture_output=True, text=True, check=True)
    names = {item["name"]: item for item in json.loads(listed.stdout)}
    assert names["zendesk"]["package"] == "cxtext-zendesk"
    assert names["zendesk"]["hooks"] == ["register_sources"]


def test_example_plugin_tests_pass():
    """The worked example in docs/plugin-authors.md ships with a passing test."""
    example = ROOT / "examples" / "cxtext-zendesk"
    result = subprocess.run([sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", str(example)],
                            cwd=example, capture_output=True, text=True,
                            env={**os.environ, "PYTHONPATH": str(example)})
    assert result.returncode == 0, result.stdout + result.stderr
