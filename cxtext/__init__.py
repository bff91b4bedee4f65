"""cxtext: plugin-based text and sentiment analytics for customer experience.

From Python, start with the façade::

    from cxtext import Project, analyze_frame

    signals = analyze_frame(df, text="comment", scores={"nps": "NPS"})   # a DataFrame, in memory

    with Project("cx.db", "cxtext.toml") as project:
        project.ingest("responses.csv")
        project.analyze()
        project.kpis(by="touchpoint")

The public API that plugins may use lives in these modules (a test keeps plugins to it):

- :mod:`cxtext` - :class:`Project` (what reporters and exporters receive), :func:`analyze_frame`
- :mod:`cxtext.hookspecs` - the extension points (``hookimpl`` to implement them)
- :mod:`cxtext.records` - the normalised :class:`Record` every source yields
- :mod:`cxtext.signals` - :class:`Signal` rows analyzers emit and the batch types they receive
- :mod:`cxtext.errors` - :class:`InputError` for bad user input
- :mod:`cxtext.sourcing` - helpers for source plugins (column mapping, file opening, score parsing)
- :mod:`cxtext.embeddings` - the shared, cached sentence-embedding service
- :mod:`cxtext.metrics` - base classes and interval helpers for KPI metrics
- :mod:`cxtext.config` - :class:`ProjectConfig`, the parsed project file
- :mod:`cxtext.store` - the SQLite :class:`Store` (``project.store``)
- :mod:`cxtext.text` - sentence splitting
- :mod:`cxtext.console` - terminal output, errors and progress for plugins' commands
- :mod:`cxtext.safe_output` - escaping for spreadsheets and terminals
- :mod:`cxtext.testing` - helpers for plugins' tests
- :mod:`cxtext.views` - :class:`StoreView` for the browsing views plugins contribute

Everything else (``cxtext.cli``, ``cxtext.analyze``, ``cxtext.ingest``, ``cxtext.kpis``,
``cxtext.plugins``...) is the engine, reached through :class:`Project`.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

__version__ = "0.1.0"

#: Modules a plugin may import (``cxtext`` itself included); see ``tests/test_public_api.py``.
PUBLIC_MODULES = (
    "cxtext", "cxtext.hookspecs", "cxtext.records", "cxtext.signals", "cxtext.errors", "cxtext.sourcing",
    "cxtext.embeddings", "cxtext.metrics", "cxtext.config", "cxtext.store", "cxtext.text", "cxtext.console",
    "cxtext.safe_output", "cxtext.testing", "cxtext.views",
)

__all__ = ["Project", "analyze_frame", "__version__", "PUBLIC_MODULES"]

if TYPE_CHECKING:
    from cxtext.frames import analyze_frame
    from cxtext.project import Project


def __getattr__(name: str) -> Any:
    # Imported on first use: `import cxtext` (and `cxtext --version`) stays instant.
    if name == "Project":
        from cxtext.project import Project

        return Project
    if name == "analyze_frame":
        from cxtext.frames import analyze_frame

        return analyze_frame
    raise AttributeError(f"module 'cxtext' has no attribute {name!r}")
