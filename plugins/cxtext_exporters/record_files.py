"""Record exporters: JSON Lines (nested, everything), CSV and Parquet (flat, one row per record).

Each streams the store in chunks and writes to a temporary file beside ``out`` that is
renamed into place at the end, so a failed export never leaves half a file behind.
"""

from __future__ import annotations

import csv
import json
import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.parquet as pq

from cxtext.safe_output import escape_spreadsheet_cell
from cxtext.store import Store
from cxtext_exporters.flatten import INTEGER_FIELDS, Layout, flat_row, iter_chunks, record_document, scan_layout

CHUNK_SIZE = 500


@contextmanager
def replacing(out: Path) -> Iterator[Path]:
    """A temporary path that replaces ``out`` when the block finishes without error."""
    out = Path(out)
    out.parent.mkdir(parents=True, exist_ok=True)
    partial = out.with_name(f".{out.name}.partial")
    try:
        yield partial
        os.replace(partial, out)
    finally:
        partial.unlink(missing_ok=True)


class JsonlExporter:
    format = "jsonl"
    extension = ".jsonl"
    description = "JSON Lines: one object per record with all its fields, sentences and signals grouped by kind"

    def export(self, project: Any, out: Path, *, sentences: bool = True, chunk_size: int = CHUNK_SIZE,
               **options: Any) -> int:
        """Write one JSON object per record of ``project.store``; ``sentences=False`` leaves out the sentence list."""
        store: Store = project.store
        written = 0
        with replacing(out) as partial, open(partial, "w", encoding="utf-8") as handle:
            for chunk in iter_chunks(store, chunk_size, sentences=sentences):
                for record in chunk.records:
                    document = record_document(
                        record, chunk.signals[record.id], chunk.sentences.get(record.id) if sentences else None
                    )
                    handle.write(json.dumps(document, ensure_ascii=False, default=str) + "\n")
                    written += 1
        return written


class CsvExporter:
    format = "csv"
    extension = ".csv"
    description = "CSV: one row per record; segments, scores, engagement and record-level signals as columns"

    def export(self, project: Any, out: Path, *, chunk_size: int = CHUNK_SIZE, escape_formulas: bool = True,
               **options: Any) -> int:
        """Write a UTF-8 CSV (with BOM, so spreadsheet programs read non-ASCII text correctly).

        Cells a spreadsheet would run as a formula (``=``, ``+``, ``-``, ``@``, TAB, CR
        first) get a leading ``'`` unless ``escape_formulas=False``: customer text is untrusted.
        """
        store: Store = project.store
        layout = scan_layout(store, chunk_size)
        cell = escape_spreadsheet_cell if escape_formulas else (lambda value: value)
        written = 0
        with replacing(out) as partial, open(partial, "w", encoding="utf-8-sig", newline="") as handle:
            writer = csv.DictWriter(handle, fieldnames=layout.columns)
            writer.writeheader()
            for chunk in iter_chunks(store, chunk_size):
                writer.writerows({k: cell(v) for k, v in flat_row(r, chunk.signals[r.id], layout).items()}
                                 for r in chunk.records)
                written += len(chunk.records)
        return written


class ParquetExporter:
    format = "parquet"
    extension = ".parquet"
    description = "Parquet: the CSV columns with proper types (pyarrow)"

    def export(self, project: Any, out: Path, *, chunk_size: int = CHUNK_SIZE, **options: Any) -> int:
        """Write one row group per chunk of ``project.store``'s records."""
        store: Store = project.store
        layout = scan_layout(store, chunk_size)
        schema = arrow_schema(layout)
        written = 0
        with replacing(out) as partial:
            with pq.ParquetWriter(partial, schema) as writer:
                for chunk in iter_chunks(store, chunk_size):
                    rows = [flat_row(r, chunk.signals[r.id], layout) for r in chunk.records]
                    writer.write_table(pa.Table.from_pylist(rows, schema=schema))
                    written += len(rows)
                if written == 0:
                    writer.write_table(schema.empty_table())
        return written


def arrow_schema(layout: Layout) -> pa.Schema:
    """Column types: counts and positions int64, scores float64, everything else text."""
    types: dict[str, pa.DataType] = {name: pa.string() for name in layout.columns}
    for name in INTEGER_FIELDS:
        types[name] = pa.int64()
    for name in layout.scores:
        types[f"score_{name}"] = pa.float64()
    for name in layout.engagement:
        types[f"engagement_{name}"] = pa.int64()
    for column, _, what in layout.signal_columns():
        if what == "score":
            types[column] = pa.float64()
        elif what == "count":
            types[column] = pa.int64()
    return pa.schema([(name, types[name]) for name in layout.columns])
