"""The survey source: verbatims with NPS / CSAT / CES from CSV, TSV and XLSX exports.

One row is one response. Each non-empty open-text answer becomes its own record;
the answers of one response share a ``conversation_id`` so that KPIs count the
response's scores once.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from datetime import date, datetime
from itertools import chain, islice
from pathlib import Path
from typing import Any

from cxtext.errors import InputError
from cxtext.records import Record
from cxtext.sourcing import (
    ResolvedColumns,
    COLUMN_SYNONYMS,
    TABLE_SUFFIXES,
    ReadContext,
    check_options,
    check_row_width,
    choose_date_order,
    detect_delimiter,
    is_spreadsheet,
    iter_table_rows,
    normalise_header,
    sniff_sample,
)

from cxtext_survey.columns import resolve_columns
from cxtext_survey.layout import PLAIN, Layout, detect_layout

#: Data rows read ahead to detect columns and the date order before streaming the rest.
SAMPLE_ROWS = 500
#: ``--option`` keys this source understands.
KNOWN_OPTIONS = ("sheet", "delimiter")
_SURVEY_HEADER_NAMES = {*COLUMN_SYNONYMS["nps"], *COLUMN_SYNONYMS["csat"], *COLUMN_SYNONYMS["ces"]}
_RESPONSE_ID_NAMES = {"response id", "responseid", "respondent id"}

Row = tuple[int, dict[str, Any]]


def cell_text(value: Any) -> str:
    """A cell as stripped text: ``None`` -> "", ``7.0`` -> "7", dates as ISO 8601."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, (datetime, date)):
        return value.isoformat()
    return str(value).strip()


def metadata_value(value: Any) -> Any:
    """A cell as stored in ``metadata``: numbers stay numbers, dates become ISO strings."""
    if isinstance(value, (datetime, date)):
        return value.isoformat()
    return value.strip() if isinstance(value, str) else value


class SurveySource:
    """Survey verbatims with NPS/CSAT/CES scores (plain, Qualtrics and SurveyMonkey exports)."""

    name = "survey"
    kind = "survey"
    description = "Survey verbatims with NPS/CSAT/CES from CSV, TSV or XLSX (plain, Qualtrics, SurveyMonkey)"

    # --- sniffing ------------------------------------------------------------------

    def sniff(self, path: Path) -> float:
        path = Path(path)
        if not path.is_file() or path.suffix.lower() not in TABLE_SUFFIXES or path.suffix.lower() == ".txt":
            return 0.0
        try:
            first_rows = self._first_rows(path)
        except Exception:  # sniffing must never fail; read() reports the real problem
            return 0.0
        if not first_rows:
            return 0.0
        layout = detect_layout(first_rows)
        if layout.kind != PLAIN:
            return 0.95
        names = {normalise_header(h) for h in layout.headers}
        if names & _SURVEY_HEADER_NAMES:
            return 0.8
        if names & _RESPONSE_ID_NAMES:
            return 0.6
        return 0.3 if names & set(COLUMN_SYNONYMS["text"]) else 0.2

    @staticmethod
    def _first_rows(path: Path) -> list[list[Any]]:
        if is_spreadsheet(path):
            return [cells for _, cells in islice(iter_table_rows(path), 3)]
        sample = sniff_sample(path)
        first_line = sample.splitlines()[0] if sample else ""
        delimiter = "\t" if path.suffix.lower() in (".tsv", ".tab") else detect_delimiter(first_line)
        return list(islice(csv.reader(io.StringIO(sample), delimiter=delimiter), 3))

    # --- reading -------------------------------------------------------------------

    def read(self, path: Path, context: ReadContext) -> Iterator[Record]:
        path = Path(path)
        if path.is_dir() or path.suffix.lower() not in TABLE_SUFFIXES:
            raise InputError(
                "the survey source reads delimited text and Excel files only.",
                path=path,
                expected="a .csv, .tsv or .xlsx file",
            )
        check_options(context, KNOWN_OPTIONS, path)
        layout, rows = self._open(path, context)
        sample = list(islice(rows, SAMPLE_ROWS))
        columns = resolve_columns(layout, [row for _, row in sample], context, path)
        date_format = self._date_format(path, context, layout, columns, sample)
        dataset = context.dataset_for(path)
        skipped = 0
        for number, row in chain(sample, rows):
            records = list(self._records(number, row, layout, columns, date_format, dataset, path, context))
            skipped += not records
            yield from records
        if skipped:
            context.note(f"{skipped} row{'s' if skipped != 1 else ''} without text skipped")

    def _open(self, path: Path, context: ReadContext) -> tuple[Layout, Iterator[Row]]:
        """The layout and an iterator of ``(row number, {column: value})`` data rows."""
        table = self._table_rows(path, context)
        head = list(islice(table, 3))
        if not head:
            raise InputError("the file has no rows.", path=path, expected="a header row and at least one response")
        layout = detect_layout([cells for _, cells in head])
        if layout.kind != PLAIN:
            context.note(f"{layout.kind} export: {layout.header_rows} header rows")
        width = len(layout.headers)
        pad = is_spreadsheet(path)
        for number, cells in head[1:layout.header_rows]:
            check_row_width(cells, width, path=path, row=number, pad=True)

        def data_rows() -> Iterator[Row]:
            for number, cells in chain(head[layout.header_rows:], table):
                cells = check_row_width(cells, width, path=path, row=number, pad=pad)
                yield number, dict(zip(layout.headers, cells))

        return layout, data_rows()

    @staticmethod
    def _table_rows(path: Path, context: ReadContext) -> Iterator[tuple[int, list[Any]]]:
        """Rows with any content (blank lines between responses are not rows to check)."""
        options = context.options
        for number, cells in iter_table_rows(
            path, encoding=context.encoding, delimiter=options.get("delimiter"), sheet=options.get("sheet"),
            note=context.note,
        ):
            if any(cell_text(c) for c in cells):
                yield number, cells

    def _date_format(self, path: Path, context: ReadContext, layout: Layout, columns: ResolvedColumns,
                     sample: list[Row]) -> str | None:
        if context.mapping.date_format or not columns.date:
            return context.mapping.date_format
        values = (row.get(columns.date) for _, row in sample)
        try:
            order = choose_date_order(values, path=path, column=columns.date)
        except InputError:
            if len(sample) < SAMPLE_ROWS:
                raise
            # The first rows were all ambiguous (e.g. 01/02 .. 12/12): look at the whole column.
            _, rows = self._open(path, context)
            order = choose_date_order((row.get(columns.date) for _, row in rows), path=path, column=columns.date)
        if order:
            context.note(f"dates in {columns.date!r} read {order.replace('first', '-first')}")
        return order

    def _records(self, number: int, row: dict[str, Any], layout: Layout, columns: ResolvedColumns,
                 date_format: str | None, dataset: str, path: Path, context: ReadContext) -> Iterator[Record]:
        answers = [(column, cell_text(row.get(column))) for column in columns.text]
        answers = [(column, text) for column, text in answers if text]
        if not answers:
            return
        response_id = cell_text(row.get(columns.id)) if columns.id else ""
        scores = context.parse_scores(row, columns.scores, path=path, number=number)
        engagement = context.parse_counts(row, columns.engagement, path=path, number=number)
        shared = dict(
            source_kind="survey",
            dataset=dataset,
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
            conversation_id=response_id or f"{dataset}:{number}",
            source_row=number,
        )
        used = columns.used()
        extra = {col: metadata_value(value) for col, value in row.items()
                 if col not in used and cell_text(value)}
        several = len(columns.text) > 1
        for column, text in answers:
            metadata = {**extra, "question": column}
            if column in layout.questions:
                metadata["question_text"] = layout.questions[column]
            yield Record(
                text=text,
                source_id=f"{response_id}:{column}" if response_id else None,
                # Answers of one response are its turns; keeps two equal answers apart.
                turn_index=columns.text.index(column) if several else None,
                metadata=metadata,
                **shared,
            )
