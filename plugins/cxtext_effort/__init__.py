"""cxtext effort plugin: customer-effort evidence spans and a CES-like effort score.

Registers one analyzer, ``effort`` (see :mod:`cxtext_effort.analyzer` and docs/effort.md).
"""

from __future__ import annotations

from cxtext.hookspecs import hookimpl

from .analyzer import EffortAnalyzer

__all__ = ["EffortAnalyzer", "register_analyzers"]


@hookimpl
def register_analyzers(config):
    settings = dict(config.plugin_settings("effort"))
    for key in ("patterns", "prototypes"):
        if settings.get(key):
            settings[key] = str(config.resolve(settings[key]))
    return [EffortAnalyzer(settings, embedding_model=config.analysis.get("embedding_model"))]
