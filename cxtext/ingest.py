"""Ingest: run a source plugin over files and land the records in the store.

One file is one transaction: if the source raises on row 9,000, the first 8,999 are
not kept either, and the error names the file and row.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path
from typing import Any

from cxtext import plugins
from cxtext.errors import InputError
from cxtext.sourcing import ReadContext
from cxtext.store import ImportResult, Store


def file_sha256(path: Path) -> str:
    """Hash of a file's bytes (of every file in a folder, in name order, for folder sources)."""
    digest = hashlib.sha256()
    files = sorted(p for p in path.rglob("*") if p.is_file()) if path.is_dir() else [path]
    for file in files:
        with open(file, "rb") as handle:
            for block in iter(lambda: handle.read(1 << 20), b""):
                digest.update(block)
    return digest.hexdigest()


def choose_source(path: Path, sources: dict[str, Any]) -> Any:
    """The source whose ``sniff`` is most confident about ``path``; an error if none is."""
    scored = sorted(((s.sniff(path), name) for name, s in sources.items()), reverse=True)
    if not scored or scored[0][0] < 0.3:
        raise InputError(
            "cxtext could not tell what kind of source this is.",
            path=path,
            expected=f"a file one of the source plugins reads ({', '.join(sorted(sources)) or 'none installed'})",
            hint="Name it with --source KIND.",
        )
    if len(scored) > 1 and scored[0][0] - scored[1][0] < 0.1:
        raise InputError(
            f"this could be a {scored[0][1]} or a {scored[1][1]} file.",
            path=path,
            expected="a file only one source plugin claims",
            hint=f"Name it with --source {scored[0][1]} (or --source {scored[1][1]}).",
        )
    return sources[scored[0][1]]


def ingest_path(
    store: Store,
    path: str | Path,
    *,
    source: str | None = None,
    context: ReadContext | None = None,
    on_record: Callable[[], None] | None = None,
) -> ImportResult:
    """Read one file (or folder) with a source plugin and upsert its records in one transaction.

    ``source`` names the plugin (``--source``); without it the plugins' ``sniff`` decides.
    ``on_record`` is called once per record read (progress bars).
    """
    path = Path(path)
    if not path.exists():
        raise InputError("no such file or folder.", path=path)
    available = plugins.sources()
    if source is None:
        reader = choose_source(path, available)
    elif source in available:
        reader = available[source]
    else:
        raise InputError(
            f"unknown source {source!r}.",
            expected=f"one of {', '.join(sorted(available)) or '(no source plugins installed)'}",
            hint="`cxtext plugins` lists what is installed.",
        )
    # A fresh context per file: issues and notes belong to this import alone.
    context = replace(context or ReadContext(), issues=[], notes=[])

    def counted():
        for record in reader.read(path, context):
            if on_record:
                on_record()
            yield record

    return store.ingest(
        counted(),
        path=path,
        source=reader.name,
        dataset=context.dataset_for(path),
        file_sha256=file_sha256(path),
        issues=context.issues,
        notes=context.notes,
    )
