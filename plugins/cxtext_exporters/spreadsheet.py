"""XLSX export: one workbook with the records (with their signals) and the KPI table.

``cxtext export --db cx.db --format xlsx --out cx.xlsx``. Sheet ``records`` has the CSV
columns with real types: numbers stay numbers, ``created_at`` is a date-time cell, flags
are booleans. Sheet ``kpis`` is the ``kpis-csv`` table. Text that a spreadsheet would run
as a formula gets a leading ``'`` (:func:`cxtext.safe_output.escape_spreadsheet_cell`),
unless ``escape_formulas=False``: customer text is untrusted. openpyxl's write-only mode
streams the rows, so memory stays flat for a large store.
"""

from __future__ import annotations

import math
from datetime import datetime
from pathlib import Path
from typing import Any

import pandas as pd
import pyarrow as pa
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Font

from cxtext.safe_output import escape_spreadsheet_cell
from cxtext.store import Store
from cxtext_exporters.flatten import iter_chunks, flat_row, scan_layout
from cxtext_exporters.kpi_tables import kpi_table
from cxtext_exporters.record_files import CHUNK_SIZE, arrow_schema, replacing

#: Excel's limit on one cell's text; longer text is cut there (and the cut is marked).
MAX_CELL_CHARS = 32_767
DATE_FORMAT = "yyyy-mm-dd hh:mm:ss"


class XlsxExporter:
    format = "xlsx"
    extension = ".xlsx"
    description = "Excel workbook: sheet 'records' (records with signals, typed) and sheet 'kpis' (the KPI table)"

    def export(self, project: Any, out: Path, *, by: Any = None, period: str | None = None,
               metrics: Any = None, chunk_size: int = CHUNK_SIZE, escape_formulas: bool = True,
               **options: Any) -> int:
        """Write the workbook of ``project`` (a :class:`cxtext.Project`); returns the number of record rows."""
        escape = escape_spreadsheet_cell if escape_formulas else (lambda value: value)
        workbook = Workbook(write_only=True)
        written = _records_sheet(workbook, project.store, chunk_size, escape)
        _kpi_sheet(workbook, kpi_table(project, by=by, period=period, metrics=metrics), escape)
        with replacing(out) as partial:
            workbook.save(partial)
        return written


def _records_sheet(workbook: Workbook, store: Store, chunk_size: int, escape) -> int:
    layout = scan_layout(store, chunk_size)
    types = {field.name: field.type for field in arrow_schema(layout)}
    sheet = workbook.create_sheet("records")
    sheet.freeze_panes = "A2"
    sheet.append(_header(sheet, layout.columns))
    written = 0
    for chunk in iter_chunks(store, chunk_size):
        for record in chunk.records:
            row = flat_row(record, chunk.signals[record.id], layout)
            sheet.append([_typed(row[name], types[name], name, escape) for name in layout.columns])
            written += 1
    return written


def _kpi_sheet(workbook: Workbook, frame, escape) -> None:
    sheet = workbook.create_sheet("kpis")
    sheet.freeze_panes = "A2"
    columns = list(frame.columns)
    sheet.append(_header(sheet, columns))
    for values in frame.itertuples(index=False, name=None):
        sheet.append([_plain(value, escape) for value in values])


def _header(sheet, columns: list[str]) -> list[WriteOnlyCell]:
    cells = []
    for name in columns:
        cell = WriteOnlyCell(sheet, value=name)
        cell.font = Font(bold=True)
        cells.append(cell)
    return cells


def _typed(value: Any, kind: pa.DataType, name: str, escape) -> Any:
    """The cell value for a records column of arrow type ``kind`` (as in the Parquet export)."""
    if value is None:
        return None
    if pa.types.is_integer(kind):
        return int(value)
    if pa.types.is_floating(kind):
        number = float(value)
        return None if math.isnan(number) else number
    if name == "created_at" and isinstance(value, str):
        try:  # a date-time cell, so the sheet can sort and filter by it (Excel has no time zones)
            return datetime.fromisoformat(value.replace("Z", "+00:00")).replace(tzinfo=None)
        except ValueError:
            pass
    return _plain(value, escape)


def _plain(value: Any, escape) -> Any:
    """Numbers, booleans and date-times as they are; NaN as an empty cell; the rest as text."""
    if value is None or isinstance(value, (bool, int, datetime)):
        return value
    if value is pd.NA or value is pd.NaT:
        return None
    if isinstance(value, float):
        return None if math.isnan(value) else value
    if hasattr(value, "item"):  # numpy scalars
        return _plain(value.item(), escape)
    text = ILLEGAL_CHARACTERS_RE.sub("", str(value))  # control characters a workbook cannot hold
    if len(text) > MAX_CELL_CHARS:
        text = text[: MAX_CELL_CHARS - 1] + "…"
    return escape(text)
