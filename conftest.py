"""Fixtures shared by the host's tests and every plugin's tests."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent
SHARED_CORPORA = ROOT.parent / "shared" / "corpora"

# Tests never reach a model hub: defaults must load offline.
os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
# CliRunner output is not a terminal: no plain progress lines unless a test asks for them.
os.environ.setdefault("CXTEXT_PROGRESS_SECONDS", "off")


@pytest.fixture
def shared_corpora() -> Path:
    """``../shared/corpora`` beside the checkout; the test is skipped when it is absent."""
    if not SHARED_CORPORA.is_dir():
        pytest.skip("../shared/corpora is not present (it holds the public evaluation corpora)")
    return SHARED_CORPORA


@pytest.fixture
def demo_corpora() -> Path:
    """The bundled demo corpora (``cxtext/demo``)."""
    return ROOT / "cxtext" / "demo"


@pytest.fixture
def store(tmp_path):
    """An empty store in a temporary folder."""
    from cxtext.store import Store

    with Store(tmp_path / "cx.db") as opened:
        yield opened
