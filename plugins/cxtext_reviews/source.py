"""The reviews source: product reviews with star ratings from CSV, JSON and JSONL exports.

A review's text is its body. The title is kept in ``metadata["title"]``; it becomes
the text only when the body is empty, or is prepended ("Title. Body") with
``--option title_in_text=true``. Rows with neither are skipped and counted.
Built on :class:`cxtext.sourcing.TableSource`; what is its own is reading JSON as
rows, review field names, and the title rules.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from cxtext.errors import InputError
from cxtext.records import Record
from cxtext.sourcing import (
    ReadContext,
    ResolvedColumns,
    Table,
    TableRow,
    TableSource,
    cell_text,
    first_rows,
    sniff_sample,
)

from cxtext_reviews.columns import as_number, field_key, names_for, resolve_columns
from cxtext_reviews.rows import JSON_SUFFIXES, JSONL_SUFFIXES, SUFFIXES, open_rows

#: ``--option`` keys this source understands.
KNOWN_OPTIONS = ("title_in_text", "title_fallback", "list_key", "sheet", "delimiter")
_TRUE = {"true", "1", "yes", "on"}
_FALSE = {"false", "0", "no", "off"}


def option_flag(context: ReadContext, key: str, default: bool, path: Path) -> bool:
    """A true/false ``--option``; anything else is an input error, not a silent default."""
    value = context.options.get(key)
    if value is None:
        return default
    if isinstance(value, bool):
        return value
    text = str(value).strip().lower()
    if text in _TRUE:
        return True
    if text in _FALSE:
        return False
    raise InputError(f"option {key}={value!r} is not true or false.", path=path,
                     expected=f"--option {key}=true or --option {key}=false")


def join_title(title: str, body: str) -> str:
    """``"Great fit", "Love it"`` -> ``"Great fit. Love it"`` (no doubled punctuation)."""
    return f"{title} {body}" if re.search(r"[.!?…:]$", title) else f"{title}. {body}"


@dataclass
class ReviewTable(Table):
    """A review file being read: its title options and how many reviews had only a title."""

    unnamed_first: str | None = None
    title_in_text: bool = False
    title_fallback: bool = True
    from_title: int = 0


class ReviewsSource(TableSource):
    """Product reviews with star ratings, helpful votes and products (CSV, XLSX, JSON, JSONL)."""

    name = "reviews"
    kind = "review"
    description = "Product reviews with star ratings from CSV, TSV, XLSX, JSON or JSONL exports"
    suffixes = SUFFIXES
    options = KNOWN_OPTIONS
    number_cell = staticmethod(as_number)

    # --- sniffing ------------------------------------------------------------------

    def sniff_rows(self, path: Path) -> list[list[Any]]:
        """The header row; for JSON, the keys in the first few KB as one row."""
        if path.suffix.lower() in (*JSON_SUFFIXES, *JSONL_SUFFIXES):
            return [re.findall(r'"([^"\\]{1,60})"\s*:', sniff_sample(path))]
        return first_rows(path, 1)

    def sniff_score(self, rows: list[list[Any]]) -> float:
        keys = {field_key(c) for c in (rows[0] if rows else []) if c is not None}
        has = {role: any(k in names_for(role) for k in keys) for role in ("rating", "text", "title", "helpful_votes")}
        if has["rating"] and (has["text"] or has["title"] or has["helpful_votes"]):
            return 0.85
        if any("review" in k for k in keys):
            return 0.7
        return 0.4 if has["rating"] else 0.1

    # --- reading -------------------------------------------------------------------

    def check_path(self, path: Path) -> None:
        # The suffix is checked by open_rows, after the options.
        if path.is_dir():
            raise InputError("the reviews source reads one file, not a folder.", path=path,
                             expected="a .csv, .tsv, .xlsx, .json or .jsonl file")

    def open_table(self, path: Path, context: ReadContext) -> ReviewTable:
        title_in_text = option_flag(context, "title_in_text", False, path)
        title_fallback = option_flag(context, "title_fallback", True, path)
        source = open_rows(path, context)
        # headers=None: JSON items bring their own keys, so the sampled rows' keys are the header.
        return ReviewTable(path, context, source.rows, unnamed_first=source.unnamed_first,
                           title_in_text=title_in_text, title_fallback=title_fallback)

    def resolve_columns(self, table: ReviewTable, sample: list[dict[str, Any]]) -> ResolvedColumns:
        return resolve_columns(table.headers, sample, table.context, table.path, table.unnamed_first)

    def row_records(self, row: TableRow, table: ReviewTable) -> Iterator[Record]:
        columns = table.columns
        body = "\n\n".join(t for t in (self._text(row, c) for c in columns.text) if t)
        title = self._text(row, columns.title) if columns.title else ""
        if body:
            text = join_title(title, body) if table.title_in_text and title else body
        elif title and table.title_fallback:
            text = title
            table.from_title += 1
        else:
            return
        metadata = row.metadata()
        if title:
            metadata["title"] = title
        yield self.record(row, text, metadata=metadata)

    def finish(self, table: ReviewTable) -> None:
        if table.from_title:
            table.context.note(f"{table.from_title} row{'s' if table.from_title != 1 else ''} with only a title: "
                               "the title is the text")

    @staticmethod
    def _text(row: TableRow, column: str) -> str:
        """A text cell; a JSON list or object there is an issue (not text to analyse), and is left out."""
        value = row.values.get(column)
        if isinstance(value, (list, dict)):
            row.table.context.issue(row.table.path, row.number, column,
                                    f"{column} holds a JSON {'list' if isinstance(value, list) else 'object'}, "
                                    "not text; value left out of the review text")
            return ""
        return cell_text(value)


__all__ = ["ReviewsSource"]
