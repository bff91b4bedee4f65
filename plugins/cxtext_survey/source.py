"""The survey source: verbatims with NPS / CSAT / CES from CSV, TSV and XLSX exports.

One row is one response. Each non-empty open-text answer becomes its own record;
the answers of one response share a ``conversation_id`` so that KPIs count the
response's scores once. Built on :class:`cxtext.sourcing.TableSource`; what is its
own is the export layout (header rows, question text) and one record per answer.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from itertools import chain, islice
from pathlib import Path
from typing import Any

from cxtext.errors import InputError
from cxtext.records import Record
from cxtext.sourcing import (
    COLUMN_SYNONYMS,
    ReadContext,
    ResolvedColumns,
    Table,
    TableRow,
    TableSource,
    check_row_width,
    filled_table_rows,
    normalise_header,
    rows_as_dicts,
)

from cxtext_survey.columns import resolve_columns
from cxtext_survey.layout import PLAIN, Layout, detect_layout

_SURVEY_HEADER_NAMES = {*COLUMN_SYNONYMS["nps"], *COLUMN_SYNONYMS["csat"], *COLUMN_SYNONYMS["ces"]}
_RESPONSE_ID_NAMES = {"response id", "responseid", "respondent id"}


@dataclass
class SurveyTable(Table):
    """A survey file being read, with its export layout."""

    layout: Layout | None = None


class SurveySource(TableSource):
    """Survey verbatims with NPS/CSAT/CES scores (plain, Qualtrics and SurveyMonkey exports)."""

    name = "survey"
    kind = "survey"
    description = "Survey verbatims with NPS/CSAT/CES from CSV, TSV or XLSX (plain, Qualtrics, SurveyMonkey)"

    def sniff_score(self, rows: list[list[Any]]) -> float:
        if not rows:
            return 0.0
        layout = detect_layout(rows)
        if layout.kind != PLAIN:
            return 0.95
        names = {normalise_header(h) for h in layout.headers}
        if names & _SURVEY_HEADER_NAMES:
            return 0.8
        if names & _RESPONSE_ID_NAMES:
            return 0.6
        return 0.3 if names & set(COLUMN_SYNONYMS["text"]) else 0.2

    def open_table(self, path: Path, context: ReadContext) -> SurveyTable:
        """The layout (from the first three rows) and the data rows after the header rows."""
        table = filled_table_rows(path, context)
        head = list(islice(table, 3))
        if not head:
            raise InputError("the file has no rows.", path=path, expected="a header row and at least one response")
        layout = detect_layout([cells for _, cells in head])
        if layout.kind != PLAIN:
            context.note(f"{layout.kind} export: {layout.header_rows} header rows")
        for number, cells in head[1:layout.header_rows]:
            check_row_width(cells, len(layout.headers), path=path, row=number, pad=True)
        rows = rows_as_dicts(chain(head[layout.header_rows:], table), layout.headers, path=path)
        return SurveyTable(path, context, rows, headers=layout.headers, header_cells=head[0][1], layout=layout)

    def resolve_columns(self, table: SurveyTable, sample: list[dict[str, Any]]) -> ResolvedColumns:
        return resolve_columns(table.layout, sample, table.context, table.path)

    def row_records(self, row: TableRow, table: SurveyTable) -> Iterator[Record]:
        columns = table.columns
        answers = [(column, row.text(column)) for column in columns.text]
        answers = [(column, text) for column, text in answers if text]
        if not answers:
            return
        response_id = row.text(columns.id)
        extra = row.metadata()
        several = len(columns.text) > 1
        for column, text in answers:
            metadata = {**extra, "question": column}
            if column in table.layout.questions:
                metadata["question_text"] = table.layout.questions[column]
            yield self.record(
                row,
                text,
                source_id=f"{response_id}:{column}" if response_id else None,
                # Answers of one response are its turns; keeps two equal answers apart.
                turn_index=columns.text.index(column) if several else None,
                conversation_id=response_id or f"{table.dataset}:{row.number}",
                metadata=metadata,
            )
