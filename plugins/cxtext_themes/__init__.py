"""cxtext themes plugin: codebook themes per sentence (deductive) and theme discovery (inductive).

- Analyzer ``themes``: tags sentences with the themes of a codebook (``[analysis.themes]
  codebook = "codebook.yaml"``; default: the shipped ``codebooks/cx-generic.yaml``).
- Command ``cxtext themes discover``: clusters the store's sentences into a draft codebook
  to edit and apply. ``cxtext themes check`` validates a codebook.

See ``docs/themes.md``.
"""

from __future__ import annotations

from typing import Any

from cxtext.hookspecs import hookimpl

__all__ = ["GENERIC_CODEBOOK", "Codebook", "Theme", "ThemesAnalyzer", "load_codebook"]
_LAZY = {"GENERIC_CODEBOOK": "cxtext_themes.analyzer", "ThemesAnalyzer": "cxtext_themes.analyzer",
         "Codebook": "cxtext_themes.codebook", "Theme": "cxtext_themes.codebook",
         "load_codebook": "cxtext_themes.codebook"}


def __getattr__(name: str) -> Any:
    # Imported on first use: `cxtext --help` does not wait for the analyzer's modules.
    if name in _LAZY:
        import importlib

        return getattr(importlib.import_module(_LAZY[name]), name)
    raise AttributeError(f"module 'cxtext_themes' has no attribute {name!r}")


@hookimpl
def register_analyzers(config):
    from cxtext_themes.analyzer import ThemesAnalyzer

    return [ThemesAnalyzer.from_settings(config.plugin_settings("themes"), resolve=config.resolve,
                                         where=config.source_path,
                                         embedding_model=config.analysis.get("embedding_model"))]


@hookimpl
def register_commands(cli):
    from cxtext_themes.commands import themes_group

    cli.add_command(themes_group)


@hookimpl
def register_views(context):
    from cxtext_themes.views import theme_views

    return theme_views(context)
