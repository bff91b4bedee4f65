"""KPI exporters: the :func:`cxtext.kpis.compute_kpis` table as CSV or Parquet.

One row per metric x grouping x group x period, with n, the 95 % interval, unit, band,
benchmark and the low-n flag. ``details`` (the counts behind each figure) is JSON text.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pandas as pd

from cxtext.safe_output import escape_spreadsheet_cell
from cxtext.config import ProjectConfig, load_config
from cxtext.store import Store
from cxtext_exporters.record_files import replacing


def kpi_table(store: Store, config: ProjectConfig | str | Path | None = None, *, by: Any = None,
              period: str | None = None, metrics: Any = None) -> pd.DataFrame:
    """The KPI frame ready for a file: JSON ``details``, plain column types."""
    from cxtext.kpis import compute_kpis

    if isinstance(config, (str, Path)):
        config = load_config(config)
    frame = compute_kpis(store, config, by=by, period=period, metrics=metrics).copy()
    if "details" in frame:
        frame["details"] = frame["details"].map(
            lambda value: None if value is None else json.dumps(value, ensure_ascii=False, sort_keys=True, default=str)
        )
    return frame


class KpiCsvExporter:
    format = "kpis-csv"
    extension = ".kpis.csv"
    description = "KPI table as CSV: metric x group x period with n, 95% CI, band, benchmark, low-n flag"

    def export(self, store: Store, out: Path, *, config: Any = None, by: Any = None, period: str | None = None,
               metrics: Any = None, escape_formulas: bool = True, **options: Any) -> int:
        frame = kpi_table(store, config, by=by, period=period, metrics=metrics)
        if escape_formulas:  # group names and quotes come from customer data
            frame = frame.map(escape_spreadsheet_cell)
        with replacing(out) as partial:
            frame.to_csv(partial, index=False, encoding="utf-8-sig")
        return len(frame)


class KpiParquetExporter:
    format = "kpis-parquet"
    extension = ".kpis.parquet"
    description = "KPI table as Parquet (same columns as kpis-csv)"

    def export(self, store: Store, out: Path, *, config: Any = None, by: Any = None, period: str | None = None,
               metrics: Any = None, **options: Any) -> int:
        frame = kpi_table(store, config, by=by, period=period, metrics=metrics)
        with replacing(out) as partial:
            frame.to_parquet(partial, index=False)
        return len(frame)
