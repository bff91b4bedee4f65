"""Fixtures for the social source tests: a CLI runner limited to this repo's source plugins."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner


@pytest.fixture
def cli_ingest(monkeypatch):
    """``cli_ingest(db, *args)`` runs ``cxtext ingest --db DB ARGS`` and returns click's result.

    Only the source plugins load, so that an analyzer plugin being built elsewhere in
    the repo cannot break these tests.
    """
    from cxtext import plugins
    from cxtext.cli import cli
    from cxtext.testing import load_only

    load_only(monkeypatch, "social", "transcripts")

    def run(db: Path, *args: str):
        return CliRunner().invoke(cli, ["ingest", "--db", str(db), *map(str, args)])

    yield run
    plugins.get_plugin_manager.cache_clear()


def one_paragraph(output: str) -> str:
    """CLI output with rich's line wrapping undone."""
    return " ".join(output.split())


def write_jsonl(path: Path, objects: list) -> Path:
    path.write_text("".join(json.dumps(o) + "\n" for o in objects), encoding="utf-8")
    return path
