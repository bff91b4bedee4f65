"""Helpers for testing plugins: run ``cxtext ingest`` and look at what the store kept.

A source plugin's bad-input tests all ask the same two questions: did the command
fail with a clear message, and is the store exactly as it was? These helpers answer
them, for first-party and third-party plugins alike::

    from cxtext.testing import IngestRunner, load_only

    def test_bad_file(tmp_path, monkeypatch):
        load_only(monkeypatch, "mysource")
        ingest = IngestRunner(tmp_path / "cx.db")
        before = ingest.state()
        result = ingest(tmp_path / "bad.csv", "--source", "mysource")
        assert result.exit_code == 2 and "row 3" in result.output
        assert ingest.state() == before
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from click.testing import CliRunner, Result

from cxtext import plugins
from cxtext.records import Record
from cxtext.store import Store


def load_only(monkeypatch: Any, *names: str) -> None:
    """Load only these plugins for the rest of the test (pytest's ``monkeypatch`` undoes it)."""
    monkeypatch.setenv(plugins.ALLOW_LIST_ENV, ",".join(names))
    plugins.get_plugin_manager.cache_clear()


class IngestRunner:
    """``cxtext ingest PATH --db DB ARGS...`` through click's CliRunner, plus a look at the store."""

    def __init__(self, db: Path) -> None:
        self.db = Path(db)

    def __call__(self, path: Path | str, *args: str) -> Result:
        """Run the command; on success ``result.summary`` is the import summary (from ``--json``)."""
        from cxtext.cli import cli

        result = CliRunner().invoke(cli, ["ingest", str(path), "--db", str(self.db), "--json", *map(str, args)])
        result.summary = json.loads(result.stdout)[0] if result.exit_code == 0 else None
        return result

    def state(self) -> tuple[int, list[dict[str, Any]]]:
        """Record count and the whole ``imports`` table: what a failed ingest must leave unchanged."""
        return store_state(self.db)

    def records(self) -> list[Record]:
        with Store(self.db) as store:
            return list(store.iter_records())


def store_state(db: Path) -> tuple[int, list[dict[str, Any]]]:
    """Record count and the ``imports`` table of the store at ``db``."""
    with Store(db) as store:
        return store.count_records(), [dict(row) for row in store.db["imports"].rows]
