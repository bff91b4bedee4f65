"""cxtext social plugin: posts with engagement counts (X/Twitter, Reddit, CSV exports).

Registers the ``social`` source (``cxtext ingest --source social FILE``). Formats,
auto-detected fields and options are described in ``docs/sources-social-transcripts.md``.
"""

from __future__ import annotations

from cxtext.hookspecs import hookimpl

from cxtext_social.source import SocialSource

__version__ = "0.1.0"


@hookimpl
def register_sources():
    return [SocialSource()]
