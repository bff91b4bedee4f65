"""cxtext effort plugin: customer-effort evidence spans and a CES-like effort score.

Registers one analyzer, ``effort`` (see :mod:`cxtext_effort.analyzer` and docs/effort.md).
"""

from __future__ import annotations

from typing import Any

from cxtext.hookspecs import hookimpl

__all__ = ["EffortAnalyzer", "register_analyzers", "register_views"]


def __getattr__(name: str) -> Any:
    # The analyzer module (patterns, numpy) is imported on first use: `cxtext --help` stays fast.
    if name == "EffortAnalyzer":
        from .analyzer import EffortAnalyzer

        return EffortAnalyzer
    raise AttributeError(f"module 'cxtext_effort' has no attribute {name!r}")


@hookimpl
def register_analyzers(config):
    from .analyzer import EffortAnalyzer

    settings = dict(config.plugin_settings("effort"))
    for key in ("patterns", "prototypes"):
        if settings.get(key):
            settings[key] = str(config.resolve(settings[key]))
    return [EffortAnalyzer(settings, embedding_model=config.analysis.get("embedding_model"))]


@hookimpl
def register_views(context):
    from cxtext_effort.views import effort_views

    return effort_views(context)
