"""Fixtures for the reviews source tests: run `cxtext ingest` and look at the store."""

from __future__ import annotations

from pathlib import Path

import pytest

from cxtext import plugins
from cxtext.testing import IngestRunner, load_only

DATA = Path(__file__).parent / "data"


@pytest.fixture(autouse=True)
def source_plugins_only(monkeypatch):
    """Load just the source plugins: these tests need no analyzer, and sniffing sees a fixed set."""
    load_only(monkeypatch, "survey", "reviews")
    yield
    plugins.get_plugin_manager.cache_clear()


@pytest.fixture
def data() -> Path:
    return DATA


@pytest.fixture
def ingest(tmp_path) -> IngestRunner:
    return IngestRunner(tmp_path / "cx.db")
