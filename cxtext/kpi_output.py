"""Writing KPI tables (from :mod:`cxtext.kpis`) as a rich terminal table, JSON or CSV."""

from __future__ import annotations

import json
import math
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any, TextIO

import pandas as pd
from rich.console import Console
from rich.markup import escape
from rich.table import Table

from cxtext.paths import check_output_path, output_error
from cxtext.safe_output import escape_spreadsheet_cell, strip_terminal_controls

#: Columns shown in the terminal table, per kind of result (first match wins).
TABLE_VIEWS = [
    ("quotes", ["group", "kind", "label", "share", "share_ci", "records", "net_sentiment", "score_gap", "quote", "low_n"]),
    ("impact", ["group", "theme_label", "mentions", "prevalence", "score_with", "score_without", "difference",
                "impact", "impact_ci", "driver_coef", "driver_p", "detractor_odds_ratio", "low_n"]),
    ("baseline_period", ["label", "group", "period", "value", "ci", "n", "baseline_period", "change", "p_value",
                         "p_adjusted", "significant", "low_n"]),
    ("value", ["label", "group_by", "group", "period", "value", "ci", "n", "unit", "band", "benchmark", "low_n"]),
    ("description", ["metric", "label", "unit", "higher_is_better", "kind", "description"]),
]


def _plain(value: Any) -> Any:
    """JSON-safe value: NaN -> None, numpy scalars -> Python."""
    if value is None:
        return None
    if isinstance(value, float) and math.isnan(value):
        return None
    if hasattr(value, "item") and not isinstance(value, (list, dict, str)):
        try:
            return _plain(value.item())
        except (ValueError, AttributeError):
            return value
    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_plain(v) for v in value]
    return value


def table_records(table: pd.DataFrame) -> list[dict[str, Any]]:
    return [{k: _plain(v) for k, v in row.items()} for row in table.to_dict("records")]


def to_json(table: pd.DataFrame) -> str:
    return json.dumps(table_records(table), ensure_ascii=False, indent=2, default=str)


def to_csv(table: pd.DataFrame, *, escape_formulas: bool = True) -> str:
    """CSV text; cells a spreadsheet would run as formulas are escaped unless ``escape_formulas`` is False."""
    flat = table.copy()
    for column in flat.columns:
        if flat[column].map(lambda v: isinstance(v, (dict, list))).any():
            flat[column] = flat[column].map(lambda v: json.dumps(_plain(v), ensure_ascii=False, default=str))
    if escape_formulas:
        flat = flat.map(escape_spreadsheet_cell)
    return flat.to_csv(index=False)


def _number(value: Any, digits: int = 1) -> str:
    value = _plain(value)
    if value is None:
        return ""
    if isinstance(value, bool):
        return "yes" if value else ""
    if isinstance(value, float):
        return f"{value:.{digits}f}" if abs(value) >= 0.01 or value == 0 else f"{value:.2g}"
    return str(value)


def _cell(row: dict[str, Any], column: str) -> str:
    if column in ("ci", "share_ci", "impact_ci"):
        prefix = {"ci": "ci", "share_ci": "share_ci", "impact_ci": "impact_ci"}[column]
        low, high = row.get(f"{prefix}_low"), row.get(f"{prefix}_high")
        return "" if _plain(low) is None else f"[{_number(low)}, {_number(high)}]"
    if column == "quote":
        quotes = row.get("quotes") or []
        return f"“{quotes[0]['text'][:120]}”" if quotes else ""
    if column == "low_n":
        return "low n" if row.get("low_n") else ""
    if column in ("p_value", "p_adjusted", "driver_p"):
        value = _plain(row.get(column))
        return "" if value is None else f"{value:.3g}"
    return _number(row.get(column))


NO_ROWS = "No KPI rows: the store has no data these metrics apply to (is it ingested and analysed?)."


def render_table(table: pd.DataFrame, console: Console, title: str | None = None, empty: str = NO_ROWS) -> None:
    """A rich table; every value from the data is escaped (user text may hold [markup])."""
    if table.empty:
        console.print(escape(empty))
        return
    columns = next((cols for key, cols in TABLE_VIEWS if key in table.columns), list(table.columns))
    columns = [c for c in columns if c in table.columns or c in ("ci", "share_ci", "impact_ci", "quote")]
    records = table.to_dict("records")
    cells = [[_cell(row, c) for c in columns] for row in records]
    keep = [i for i in range(len(columns)) if any(line[i] for line in cells)]  # drop all-empty columns
    if not console.is_terminal:  # files and pipes: wide enough not to wrap labels into slivers
        console = Console(file=console.file, width=max(console.width, 180), highlight=False)
    shown = _columns_that_fit(columns, cells, keep, console.width)
    view = Table(*[columns[i].replace("_", " ") for i in shown], title=title)
    for line in cells:
        # Escape rich markup, and drop terminal escape sequences a segment value may carry.
        view.add_row(*[escape(strip_terminal_controls(line[i], keep_newlines=False)) for i in shown])
    console.print(view)
    if len(shown) < len(keep):
        hidden = ", ".join(columns[i] for i in keep if i not in shown)
        console.print(escape(f"{len(keep) - len(shown)} more columns do not fit this terminal ({hidden}): "
                             "use --format csv or --format json for every column."))


def _columns_that_fit(columns: list[str], cells: list[list[str]], keep: list[int], width: int) -> list[int]:
    """The leading columns whose natural width (capped at 30 characters) fits ``width``.

    Rich would squeeze a 13-column table into slivers wrapped over hundreds of lines; a
    table cut at the terminal's edge, with the rest named, reads better.
    """
    shown, used = [], 4
    for i in keep:
        natural = max([len(columns[i])] + [len(str(line[i])) for line in cells[:200]])
        need = min(natural, 30) + 3
        if shown and used + need > width:
            break
        shown.append(i)
        used += need
    return shown


@contextmanager
def writing(path: Path) -> Iterator[TextIO]:
    """``open(path, "w")``, with a path that cannot be written as an :class:`InputError`."""
    check_output_path(Path(path))
    try:
        handle = open(path, "w", encoding="utf-8")
    except OSError as exc:
        raise output_error(Path(path), exc) from None
    with handle:
        yield handle


def emit_kpi_table(table: pd.DataFrame, fmt: str, out_path: Path | None, console: Console,
                   empty: str = NO_ROWS, *, escape_formulas: bool = True) -> None:
    """Print or write ``table`` as ``table`` (rich), ``json`` or ``csv``; ``empty`` is said when it has no rows."""
    if fmt == "table":
        if out_path:
            with writing(out_path) as handle:
                render_table(table, Console(file=handle, width=200, highlight=False), empty=empty)
        else:
            render_table(table, console, empty=empty)
        return
    text = to_json(table) if fmt == "json" else to_csv(table, escape_formulas=escape_formulas)
    if out_path:
        with writing(out_path) as handle:
            handle.write(text)
        console.print(f"Wrote {len(table)} rows to {escape(str(out_path))}")
    else:
        print(text, end="" if text.endswith("\n") else "\n")
