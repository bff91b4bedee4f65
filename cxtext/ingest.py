"""Ingest: run a source plugin over files and land the records in the store.

One file is one transaction: if the source raises on row 9,000, the first 8,999 are
not kept either, and the error names the file and row.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path
from typing import Any

from cxtext import plugins
from cxtext.errors import InputError
from cxtext.hygiene import CharacterTally, clean_record
from cxtext.records import Record
from cxtext.sourcing import ReadContext, shown, unreadable_error
from cxtext.store import ImportResult, Store

_EMAIL_ID = re.compile(r"[^@\s]+@[^@\s]+\.[A-Za-z]{2,}")
#: What to do when one file gives two records the same id (``--on-duplicate``).
ON_DUPLICATE = ("error", "keep-first", "keep-last")


def file_sha256(path: Path) -> str:
    """Hash of a file's bytes (of every file in a folder, in name order, for folder sources)."""
    digest = hashlib.sha256()
    files = sorted(p for p in path.rglob("*") if p.is_file()) if path.is_dir() else [path]
    for file in files:
        try:
            with open(file, "rb") as handle:
                for block in iter(lambda: handle.read(1 << 20), b""):
                    digest.update(block)
        except OSError as exc:
            raise unreadable_error(file, exc) from None
    return digest.hexdigest()


class DuplicateIds:
    """Finds records of one file that share an id, and applies ``--on-duplicate``.

    Two rows with one id are one record in the store, so without this the later row
    would silently replace the earlier one.
    """

    def __init__(self, path: Path, policy: str) -> None:
        if policy not in ON_DUPLICATE:
            raise InputError(f"--on-duplicate {policy!r} is not known.", expected=" or ".join(ON_DUPLICATE))
        self.path = path
        self.policy = policy
        self.first_row: dict[str, int | None] = {}
        self.repeats: list[tuple[str, int | None, int | None]] = []

    def keep(self, record: Record) -> bool:
        """Whether to store ``record``; raises under the "error" policy."""
        if record.id not in self.first_row:
            self.first_row[record.id] = record.source_row
            return True
        first = self.first_row[record.id]
        shown_id = shown(record.source_id or record.id)
        if self.policy == "error":
            raise InputError(
                f"id {shown_id} appears twice in the file, on rows {first} and {record.source_row}; "
                "one would silently replace the other.",
                path=self.path,
                row=record.source_row,
                expected="one row per id",
                hint="Fix the file, or pass --on-duplicate keep-first or --on-duplicate keep-last.",
            )
        self.repeats.append((shown_id, first, record.source_row))
        return self.policy == "keep-last"

    def notes(self) -> list[str]:
        if not self.repeats:
            return []
        kept = "first" if self.policy == "keep-first" else "last"
        examples = "; ".join(f"{i} on rows {a} and {b}" for i, a, b in self.repeats[:5])
        more = f"; and {len(self.repeats) - 5} more" if len(self.repeats) > 5 else ""
        return [f"{len(self.repeats)} row(s) repeat an id already in the file; kept the {kept} of each "
                f"({examples}{more})"]


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


def _redactor(store: Store, kinds: list[str] | None):
    """A fresh :class:`~cxtext.redaction.Redactor` (its counts are this file's), or None."""
    if not kinds:
        return None
    from cxtext.redaction import Redactor, parse_kinds

    return Redactor(parse_kinds(kinds), salt=store.project_salt())


def ingest_path(
    store: Store,
    path: str | Path,
    *,
    source: str | None = None,
    context: ReadContext | None = None,
    on_record: Callable[[], None] | None = None,
    on_duplicate: str = "error",
    redact: list[str] | None = None,
) -> ImportResult:
    """Read one file (or folder) with a source plugin and upsert its records in one transaction.

    ``source`` names the plugin (``--source``); without it the plugins' ``sniff`` decides.
    ``on_record`` is called once per record read (progress bars). ``on_duplicate``
    ("error", "keep-first", "keep-last") decides what two records with one id do.
    Control characters are removed and invalid characters replaced, with counts in
    the notes. ``redact`` names PII kinds (see :mod:`cxtext.redaction`) to replace
    before anything is stored; customer ids are then hashed with the store's salt.
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

    duplicates = DuplicateIds(path, on_duplicate)
    characters = CharacterTally()
    redactor = _redactor(store, redact)
    digest = file_sha256(path)

    email_ids = 0

    def cleaned():
        nonlocal email_ids
        for record in reader.read(path, context):
            if on_record:
                on_record()
            if duplicates.keep(record):
                record = clean_record(record, characters)
                if not redactor and record.customer_id and _EMAIL_ID.fullmatch(record.customer_id):
                    email_ids += 1
                yield redactor.record(record) if redactor else record
        for note in characters.notes() + duplicates.notes() + (redactor.notes() if redactor else []):
            context.note(note)
        if email_ids:
            context.note(f"{email_ids} customer id(s) are email addresses, stored as they are; "
                         "--redact email stores a salted hash instead")

    result = store.ingest(
        cleaned(),
        path=path,
        source=reader.name,
        dataset=context.dataset_for(path),
        file_sha256=digest,
        issues=context.issues,
        notes=context.notes,
    )
    if result.rows_read == 0 and not result.issues:
        result.notes.append("no records: the file has no data rows with text (only a header?)")
    return result
