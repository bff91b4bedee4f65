"""cxtext transcripts plugin: interview transcripts as one record per speaker turn.

Registers the ``transcripts`` source (``cxtext ingest --source transcripts FILE_OR_FOLDER``)
for plain-text ``Speaker: text`` transcripts, WebVTT and SRT captions. Formats, role
detection and options are described in ``docs/sources-social-transcripts.md``.
"""

from __future__ import annotations

from cxtext.hookspecs import hookimpl

from cxtext_transcripts.source import TranscriptSource

__version__ = "0.1.0"


@hookimpl
def register_sources():
    return [TranscriptSource()]
