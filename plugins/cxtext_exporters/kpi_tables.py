"""KPI exporters: the project's KPI table (``project.engine.kpis``) as CSV or Parquet.

One row per metric x grouping x group x period, with n, the 95 % interval, unit, band,
benchmark and the low-n flag. ``details`` (the counts behind each figure) is JSON text.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pandas as pd

from cxtext.safe_output import escape_spreadsheet_cell
from cxtext_exporters.record_files import replacing


def kpi_table(project: Any, *, by: Any = None, period: str | None = None, metrics: Any = None) -> pd.DataFrame:
    """The KPI frame of ``project`` (a :class:`cxtext.Project`) ready for a file: JSON ``details``, plain column types."""
    frame = project.engine.kpis(by, period, metrics).copy()
    if "details" in frame:
        frame["details"] = frame["details"].map(
            lambda value: None if value is None else json.dumps(value, ensure_ascii=False, sort_keys=True, default=str)
        )
    return frame


class KpiCsvExporter:
    format = "kpis-csv"
    extension = ".kpis.csv"
    description = "KPI table as CSV: metric x group x period with n, 95% CI, band, benchmark, low-n flag"

    def export(self, project: Any, out: Path, *, by: Any = None, period: str | None = None,
               metrics: Any = None, escape_formulas: bool = True, **options: Any) -> int:
        frame = kpi_table(project, by=by, period=period, metrics=metrics)
        if escape_formulas:  # group names and quotes come from customer data
            frame = frame.map(escape_spreadsheet_cell)
        with replacing(out) as partial:
            frame.to_csv(partial, index=False, encoding="utf-8-sig")
        return len(frame)


class KpiParquetExporter:
    format = "kpis-parquet"
    extension = ".kpis.parquet"
    description = "KPI table as Parquet (same columns as kpis-csv)"

    def export(self, project: Any, out: Path, *, by: Any = None, period: str | None = None,
               metrics: Any = None, **options: Any) -> int:
        frame = kpi_table(project, by=by, period=period, metrics=metrics)
        with replacing(out) as partial:
            frame.to_parquet(partial, index=False)
        return len(frame)
