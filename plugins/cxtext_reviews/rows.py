"""Review exports as rows: ``(row number, {field: value})`` from CSV/TSV/XLSX, JSON or JSONL.

Row numbers are what the user sees in the file: the spreadsheet row (header = 1)
for tables, the line for JSONL and the item (1-based) for a JSON array. Nested JSON
objects are flattened to dotted names (``{"user": {"id": 7}}`` -> ``user.id``).
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from cxtext.errors import InputError
from cxtext.sourcing import (
    TABLE_SUFFIXES,
    ReadContext,
    Row,
    open_table,
    open_text,
    parse_json,
    read_checked,
)

JSON_SUFFIXES = (".json",)
JSONL_SUFFIXES = (".jsonl", ".ndjson")
SUFFIXES = (*TABLE_SUFFIXES, *JSON_SUFFIXES, *JSONL_SUFFIXES)
#: Keys under which a JSON object keeps its list of reviews, in order of preference.
LIST_KEYS = ("reviews", "data", "items", "results", "records", "entries")
#: Header pandas writes for an unnamed index column (``df.to_csv()``).
UNNAMED_FIRST = ("", "unnamed: 0")


@dataclass
class ReviewRows:
    """The rows of one file, plus what its header says (tables only)."""

    rows: Iterator[Row]
    #: Name given to a blank (or pandas "Unnamed: 0") first header: an exported index, used as id.
    unnamed_first: str | None = None


def open_rows(path: Path, context: ReadContext) -> ReviewRows:
    """The review rows of ``path``; an :class:`InputError` names the row of bad input."""
    suffix = path.suffix.lower()
    if suffix in JSONL_SUFFIXES:
        return ReviewRows(_jsonl_rows(path, context))
    if suffix in JSON_SUFFIXES:
        return ReviewRows(_json_rows(path, context))
    if suffix in TABLE_SUFFIXES:
        return _table(path, context)
    raise InputError(
        "the reviews source reads CSV, TSV, Excel, JSON and JSON Lines files only.",
        path=path,
        expected="a .csv, .tsv, .xlsx, .json or .jsonl file",
    )


def _table(path: Path, context: ReadContext) -> ReviewRows:
    table = open_table(path, context, expected="a header row and at least one review")
    first = table.header_cells[0]
    first_cell = "" if first is None else str(first).strip().lower()
    return ReviewRows(table.rows, unnamed_first=table.headers[0] if first_cell in UNNAMED_FIRST else None)


def flatten(item: dict[str, Any], prefix: str = "") -> dict[str, Any]:
    """``{"user": {"id": 7}, "stars": 5}`` -> ``{"user.id": 7, "stars": 5}``."""
    flat: dict[str, Any] = {}
    for key, value in item.items():
        name = f"{prefix}{key}"
        if isinstance(value, dict):
            flat.update(flatten(value, f"{name}."))
        else:
            flat[name] = value
    return flat


def _jsonl_rows(path: Path, context: ReadContext) -> Iterator[Row]:
    with open_text(path, context.encoding) as handle:
        for number, line in enumerate(read_checked(handle, path), start=1):
            if not line.strip():
                continue
            try:
                item = parse_json(line, path=path, row=number, expected="one JSON object per line")
            except json.JSONDecodeError as exc:
                raise InputError(
                    f"line {number} is not valid JSON ({exc.msg} at character {exc.colno}).",
                    path=path,
                    row=number,
                    expected="one JSON object per line",
                ) from None
            if not isinstance(item, dict):
                raise InputError(
                    f"line {number} holds a JSON {type(item).__name__}, not an object.",
                    path=path,
                    row=number,
                    expected='one JSON object per line, like {"rating": 5, "text": "..."}',
                )
            yield number, flatten(item)


def _json_rows(path: Path, context: ReadContext) -> Iterator[Row]:
    # A JSON document is parsed whole; JSON Lines is the format for files too big for memory.
    with open_text(path, context.encoding) as handle:
        try:
            document = parse_json(handle.read(), path=path, expected="a JSON list of review objects")
        except json.JSONDecodeError as exc:
            raise InputError(
                f"the file is not valid JSON ({exc.msg} at line {exc.lineno}, column {exc.colno}).",
                path=path,
                row=exc.lineno,
                expected="a JSON list of review objects, or an object with such a list under 'reviews' or 'data'",
            ) from None
        except UnicodeDecodeError as exc:
            raise InputError(
                f"the file is not valid {handle.encoding} ({exc.reason}).",
                path=path,
                expected=f"{handle.encoding} text",
                hint="Pass --encoding with the file's real encoding or re-save it as UTF-8.",
            ) from None
    items = _review_list(document, path, context)
    for number, item in enumerate(items, start=1):
        if not isinstance(item, dict):
            raise InputError(
                f"item {number} of the review list is a JSON {type(item).__name__}, not an object.",
                path=path,
                row=number,
                expected='review objects like {"rating": 5, "text": "..."}',
            )
        yield number, flatten(item)


def _review_list(document: Any, path: Path, context: ReadContext) -> list[Any]:
    if isinstance(document, list):
        return document
    if isinstance(document, dict):
        lists = {k: v for k, v in document.items() if isinstance(v, list)}
        chosen = context.options.get("list_key")
        if chosen is None:
            chosen = next((k for k in LIST_KEYS if k in lists), None)
        if chosen is None and len(lists) == 1:
            chosen = next(iter(lists))
        if chosen in lists:
            if chosen not in LIST_KEYS:
                context.note(f"reviews read from the list under {chosen!r}")
            return lists[chosen]
        found = ", ".join(repr(k) for k in lists) or "none"
        raise InputError(
            f"cannot find the list of reviews in the JSON object (lists found: {found}).",
            path=path,
            expected="a JSON list of review objects, or an object with the list under 'reviews' or 'data'",
            hint="Name the key with --option list_key=KEY.",
        )
    raise InputError(
        f"the file holds a JSON {type(document).__name__}, not a list of reviews.",
        path=path,
        expected="a JSON list of review objects, or an object with the list under 'reviews' or 'data'",
    )
