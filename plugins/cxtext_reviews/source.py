"""The reviews source: product reviews with star ratings from CSV, JSON and JSONL exports.

A review's text is its body. The title is kept in ``metadata["title"]``; it becomes
the text only when the body is empty, or is prepended ("Title. Body") with
``--option title_in_text=true``. Rows with neither are skipped and counted.
"""

from __future__ import annotations

import csv
import io
import json
import re
from collections.abc import Iterator
from datetime import date, datetime
from itertools import chain, islice
from pathlib import Path
from typing import Any

from cxtext.errors import InputError
from cxtext.records import Record
from cxtext.sourcing import (
    ResolvedColumns,
    ReadContext,
    check_options,
    choose_date_order,
    detect_delimiter,
    is_spreadsheet,
    iter_table_rows,
    sniff_sample,
)

from cxtext_reviews.columns import as_number, field_key, names_for, resolve_columns
from cxtext_reviews.rows import JSON_SUFFIXES, JSONL_SUFFIXES, SUFFIXES, Row, open_rows

#: Rows read ahead to detect fields and the date order before streaming the rest.
SAMPLE_ROWS = 500
#: ``--option`` keys this source understands.
KNOWN_OPTIONS = ("title_in_text", "title_fallback", "list_key", "sheet", "delimiter")
_TRUE = {"true", "1", "yes", "on"}
_FALSE = {"false", "0", "no", "off"}


def cell_text(value: Any) -> str:
    """A value as stripped text: ``None`` -> "", ``5.0`` -> "5", dates as ISO 8601."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, (datetime, date)):
        return value.isoformat()
    if isinstance(value, (list, dict)):
        return json.dumps(value, ensure_ascii=False)
    return str(value).strip()


def metadata_value(value: Any) -> Any:
    if isinstance(value, (datetime, date)):
        return value.isoformat()
    return value.strip() if isinstance(value, str) else value


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


class ReviewsSource:
    """Product reviews with star ratings, helpful votes and products (CSV, XLSX, JSON, JSONL)."""

    name = "reviews"
    kind = "review"
    description = "Product reviews with star ratings from CSV, TSV, XLSX, JSON or JSONL exports"

    # --- sniffing ------------------------------------------------------------------

    def sniff(self, path: Path) -> float:
        path = Path(path)
        suffix = path.suffix.lower()
        if not path.is_file() or suffix not in SUFFIXES or suffix == ".txt":
            return 0.0
        try:
            keys = self._sniff_keys(path)
        except Exception:  # sniffing must never fail; read() reports the real problem
            return 0.0
        has = {role: any(k in names_for(role) for k in keys) for role in ("rating", "text", "title", "helpful_votes")}
        reviewish = any("review" in k for k in keys)
        if has["rating"] and (has["text"] or has["title"] or has["helpful_votes"]):
            return 0.85
        if reviewish:
            return 0.7
        return 0.4 if has["rating"] else 0.1

    @staticmethod
    def _sniff_keys(path: Path) -> set[str]:
        suffix = path.suffix.lower()
        if is_spreadsheet(path):
            return {field_key(c) for c in next(iter_table_rows(path))[1] if c is not None}
        sample = sniff_sample(path)
        if suffix in JSON_SUFFIXES or suffix in JSONL_SUFFIXES:
            return {field_key(k) for k in re.findall(r'"([^"\\]{1,60})"\s*:', sample)}
        first_line = sample.splitlines()[0] if sample else ""
        delimiter = "\t" if suffix in (".tsv", ".tab") else detect_delimiter(first_line)
        header = next(csv.reader(io.StringIO(first_line), delimiter=delimiter), [])
        return {field_key(h) for h in header}

    # --- reading -------------------------------------------------------------------

    def read(self, path: Path, context: ReadContext) -> Iterator[Record]:
        path = Path(path)
        if path.is_dir():
            raise InputError("the reviews source reads one file, not a folder.", path=path,
                             expected="a .csv, .tsv, .xlsx, .json or .jsonl file")
        check_options(context, KNOWN_OPTIONS, path)
        title_in_text = option_flag(context, "title_in_text", False, path)
        title_fallback = option_flag(context, "title_fallback", True, path)
        source = open_rows(path, context)
        rows = source.rows
        sample = list(islice(rows, SAMPLE_ROWS))
        if not sample:
            return  # a header and no reviews: the import summary says there were no records
        headers = list(dict.fromkeys(key for _, row in sample for key in row))
        columns = resolve_columns(headers, [row for _, row in sample], context, path, source.unnamed_first)
        date_format = self._date_format(path, context, columns, sample)
        dataset = context.dataset_for(path)
        skipped = from_title = 0
        for number, row in chain(sample, rows):
            body = "\n\n".join(t for t in (self._text(row, c, number, path, context) for c in columns.text) if t)
            title = self._text(row, columns.title, number, path, context) if columns.title else ""
            if body:
                text = join_title(title, body) if title_in_text and title else body
            elif title and title_fallback:
                text = title
                from_title += 1
            else:
                skipped += 1
                continue
            yield self._record(number, row, text, title, columns, date_format, dataset, path, context)
        if skipped:
            context.note(f"{skipped} row{'s' if skipped != 1 else ''} without text skipped")
        if from_title:
            context.note(f"{from_title} row{'s' if from_title != 1 else ''} with only a title: the title is the text")

    @staticmethod
    def _text(row: dict[str, Any], column: str, number: int, path: Path, context: ReadContext) -> str:
        """A text cell; a JSON list or object there is an issue (not text to analyse), and is left out."""
        value = row.get(column)
        if isinstance(value, (list, dict)):
            context.issue(path, number, column, f"{column} holds a JSON {'list' if isinstance(value, list) else 'object'}, "
                          "not text; value left out of the review text")
            return ""
        return cell_text(value)

    def _date_format(self, path: Path, context: ReadContext, columns: ResolvedColumns, sample: list[Row]) -> str | None:
        if context.mapping.date_format or not columns.date:
            return context.mapping.date_format
        try:
            order = choose_date_order((row.get(columns.date) for _, row in sample), path=path, column=columns.date)
        except InputError:
            if len(sample) < SAMPLE_ROWS:
                raise
            # The first rows were all ambiguous: look at the whole column before asking.
            rows = open_rows(path, context).rows
            order = choose_date_order((row.get(columns.date) for _, row in rows), path=path, column=columns.date)
        if order:
            context.note(f"dates in {columns.date!r} read {order.replace('first', '-first')}")
        return order

    def _record(self, number: int, row: dict[str, Any], text: str, title: str, columns: ResolvedColumns,
                date_format: str | None, dataset: str, path: Path, context: ReadContext) -> Record:
        scores = context.parse_scores(row, columns.scores, path=path, number=number, convert=as_number)
        engagement = context.parse_counts(row, columns.engagement, path=path, number=number, convert=as_number)
        used = columns.used()
        metadata = {key: metadata_value(value) for key, value in row.items()
                    if key not in used and cell_text(value)}
        if title:
            metadata["title"] = title
        return Record(
            source_kind="review",
            text=text,
            dataset=dataset,
            source_id=(cell_text(row.get(columns.id)) or None) if columns.id else None,
            channel=(cell_text(row.get(columns.channel)) or None) if columns.channel else context.channel,
            language=context.parse_language(row.get(columns.language), path=path, row=number,
                                            column=columns.language) if columns.language else None,
            customer_id=(cell_text(row.get(columns.customer)) or None) if columns.customer else None,
            created_at=context.parse_date(row.get(columns.date), date_format=date_format, path=path, row=number,
                                          column=columns.date) if columns.date else None,
            touchpoint=(cell_text(row.get(columns.touchpoint)) or None) if columns.touchpoint else None,
            segments={name: cell_text(row.get(col)) for name, col in columns.segments.items()
                      if cell_text(row.get(col))},
            scores=scores,
            engagement=engagement,
            metadata=metadata,
            source_row=number,
        )


__all__ = ["ReviewsSource"]
