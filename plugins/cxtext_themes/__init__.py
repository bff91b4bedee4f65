"""cxtext themes plugin: codebook themes per sentence (deductive) and theme discovery (inductive).

- Analyzer ``themes``: tags sentences with the themes of a codebook (``[analysis.themes]
  codebook = "codebook.yaml"``; default: the shipped ``codebooks/cx-generic.yaml``).
- Command ``cxtext themes discover``: clusters the store's sentences into a draft codebook
  to edit and apply. ``cxtext themes check`` validates a codebook.

See ``docs/themes.md``.
"""

from __future__ import annotations

from cxtext.hookspecs import hookimpl
from cxtext_themes.analyzer import GENERIC_CODEBOOK, ThemesAnalyzer
from cxtext_themes.codebook import Codebook, Theme, load_codebook

__all__ = ["GENERIC_CODEBOOK", "Codebook", "Theme", "ThemesAnalyzer", "load_codebook"]


@hookimpl
def register_analyzers(config):
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
