"""Fixtures for the reviews source tests: run `cxtext ingest` and look at the store."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from cxtext import plugins
from cxtext.cli import cli
from cxtext.store import Store

DATA = Path(__file__).parent / "data"


@pytest.fixture(autouse=True)
def source_plugins_only(monkeypatch):
    """Load just the source plugins: these tests need no analyzer, and sniffing sees a fixed set."""
    monkeypatch.setenv("CXTEXT_LOAD_PLUGINS", "survey,reviews")
    plugins.get_plugin_manager.cache_clear()
    yield
    plugins.get_plugin_manager.cache_clear()


@pytest.fixture
def data() -> Path:
    return DATA


class Ingest:
    """``cxtext ingest PATH --db DB ...`` through click's CliRunner, plus a look at the store."""

    def __init__(self, db: Path) -> None:
        self.db = db

    def __call__(self, path: Path, *args: str):
        result = CliRunner().invoke(cli, ["ingest", str(path), "--db", str(self.db), "--json", *args])
        result.summary = json.loads(result.stdout)[0] if result.exit_code == 0 else None
        return result

    def state(self) -> tuple[int, list[dict]]:
        """Record count and the imports table: what a failed ingest must leave unchanged."""
        with Store(self.db) as store:
            return store.count_records(), list(store.db["imports"].rows)

    def records(self):
        with Store(self.db) as store:
            return list(store.iter_records())


@pytest.fixture
def ingest(tmp_path) -> Ingest:
    return Ingest(tmp_path / "cx.db")
