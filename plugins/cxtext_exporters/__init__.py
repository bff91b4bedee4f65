"""Exporters: records with every stored signal as JSON Lines, CSV or Parquet, and KPI tables.

``cxtext export --db cx.db --format jsonl|csv|parquet|kpis-csv|kpis-parquet|xlsx`` calls these.
Record exports stream the store in chunks, so memory stays flat for any store size, and
they are generic over signal kinds: a new analyzer's output appears without changes here.
"""

from __future__ import annotations

from cxtext.hookspecs import hookimpl


@hookimpl
def register_exporters():
    # Imported here: pyarrow, pandas and openpyxl load only when an export is wanted.
    from cxtext_exporters.kpi_tables import KpiCsvExporter, KpiParquetExporter
    from cxtext_exporters.record_files import CsvExporter, JsonlExporter, ParquetExporter
    from cxtext_exporters.spreadsheet import XlsxExporter

    return [JsonlExporter(), CsvExporter(), ParquetExporter(), KpiCsvExporter(), KpiParquetExporter(), XlsxExporter()]
