"""The HTML reporter: one self-contained file that works offline.

plotly.js is embedded once, inline; every figure is JSON drawn by ``Plotly.newPlot``;
the CSS is inline. Jinja2 autoescaping is on, so every piece of user text in the page
is escaped, and figures escape theirs (see :mod:`cxtext_report.figures`). Tables sit
beside the charts, so the report still reads with JavaScript off.
"""

from __future__ import annotations

import math
import os
from pathlib import Path
from typing import Any

import jinja2
import pandas as pd
from markupsafe import Markup
from plotly.offline import get_plotlyjs

from cxtext_report.data import QUOTE_CHARS, Card, ReportData, gather_report_data
from cxtext_report.explorer import safe_json
from cxtext_report.figures import build_figures

PAIN_QUOTE_CAP = 400  # cxtext.kpis.pain_points cuts its quotes at this many characters
TEMPLATES = Path(__file__).parent  # *.j2 beside the code, so package data needs no subfolder


def environment() -> jinja2.Environment:
    """The Jinja2 environment: autoescape on for everything, undefined names are errors."""
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(TEMPLATES), autoescape=True, undefined=jinja2.StrictUndefined,
        trim_blocks=True, lstrip_blocks=True,
    )
    env.filters.update(fmt=format_value, signed=format_change, ci=format_ci, pct=format_percent,
                       num=format_number, dimension=dimension_name)
    env.globals.update(sparkline=sparkline)
    return env


class HtmlReporter:
    name = "html"
    description = "One self-contained HTML file (works offline): KPIs, journey, themes, trends, effort, quotes"

    def render(self, project: Any, out: Path, *, title: str | None = None, **options: Any) -> Path:
        """Gather the data from ``project`` (a :class:`cxtext.Project`), draw the figures and write the page to ``out``."""
        data = gather_report_data(project, title=title)
        page = render_html(data)
        out = Path(out)
        out.parent.mkdir(parents=True, exist_ok=True)
        partial = out.with_name(f".{out.name}.partial")
        partial.write_text(page, encoding="utf-8")
        os.replace(partial, out)
        return out


def render_html(data: ReportData) -> str:
    """The report page for already-gathered data."""
    figures = {name: {"id": number, "json": Markup(spec)}  # spec has no <, > or &: see figure_json
               for number, (name, spec) in enumerate(build_figures(data).items(), start=1)}
    template = environment().get_template("report.html.j2")
    interactive = bool(data.explorer.get("rows"))
    return template.render(
        data=data, figures=figures, plotly_js=Markup(get_plotlyjs()) if figures or interactive else "",
        interactive=interactive, explorer_json=Markup(safe_json(data.explorer)),  # no <, > or &: see safe_json
        explorer_js=Markup((TEMPLATES / "explorer.js.j2").read_text(encoding="utf-8")),
        touchpoint_rows=_group_rows(data, "touchpoint", data.touchpoints),
        segment_rows={s: _group_rows(data, f"segment:{s}") for s in data.segments},
        group_columns=lambda rows: _group_columns(data, rows),
        pain_by_touchpoint=_pain_by_touchpoint(data),
        alerts=data.alerts.to_dict("records"),
        overall_rows=data.overall.to_dict("records"),
    )


# --- table shaping ----------------------------------------------------------------------


def _group_columns(data: ReportData, rows: list[dict[str, Any]]) -> list[tuple[str, str, str]]:
    """(metric, short heading, unit) for a touchpoint or segment table: the metrics its rows have."""
    short = {"nps": "NPS", "csat": "CSAT", "ces": "CES", "rating": "Stars", "cx_rating": "CX rating",
             "net_sentiment": "Net sent.", "text_effort": "Effort idx"}
    present = {metric for row in rows for metric in row["cells"]}
    return [(m, short.get(m, m), data.metric_info.get(m, {}).get("unit", "")) for m in short if m in present]


def _group_rows(data: ReportData, group_by: str, order: list[str] | None = None) -> list[dict[str, Any]]:
    """One row per group: each metric's cell (value, CI, n, low-n flag)."""
    part = data.group_kpis[data.group_kpis["group_by"] == group_by] if len(data.group_kpis) else data.group_kpis
    if not len(part):
        return []
    # "(none)": records without this field, listed last.
    groups = order or sorted(part["group"].unique(), key=lambda g: (g == "(none)", str(g)))
    rows = []
    for group in groups:
        cells = {row["metric"]: row for row in part[part["group"] == group].to_dict("records")}
        if cells:
            rows.append({"group": group, "cells": cells, "n": max(int(c["n"]) for c in cells.values()),
                         "low": all(bool(c["low_n"]) for c in cells.values())})
    return rows


def _pain_by_touchpoint(data: ReportData) -> list[dict[str, Any]]:
    pain = data.pain_points
    if not len(pain):
        return []
    order = {t: i for i, t in enumerate(data.touchpoints)}
    result = []
    for group, part in sorted(pain.groupby("group"), key=lambda item: order.get(item[0], len(order))):
        items, shown = [], set()
        themes_first = pd.concat([part[part["kind"] == "theme"], part[part["kind"] == "effort_driver"]])
        for item in themes_first.to_dict("records"):
            # The same sentence often shows a theme and a driver: quote it once per touchpoint.
            quote = next((q["text"] for q in item["quotes"] or [] if q["text"] not in shown), None)
            quote = None if quote is None else _word_cut(quote)
            shown.add(quote)
            label = item["label"] if item["kind"] == "theme" else str(item["label"]).capitalize()
            items.append({**item, "label": label, "quote": quote})
        result.append({"touchpoint": "No touchpoint" if group == "(none)" else group, "items": items})
    return result


def _word_cut(text: str, limit: int = QUOTE_CHARS) -> str:
    """A quote at most ``limit`` characters long, cut at a word boundary. The KPI engine caps
    quotes at a fixed length, so a quote at that cap is treated as cut and trimmed to its last
    whole word."""
    text = text.strip()
    if len(text) < PAIN_QUOTE_CAP and len(text) <= limit:
        return text
    cut = text[: min(limit, len(text)) - 1]
    return (cut.rsplit(" ", 1)[0] if " " in cut else cut).rstrip(" ,;:-") + "…"


# --- filters ------------------------------------------------------------------------------------


def _missing(value: Any) -> bool:
    return value is None or (isinstance(value, float) and math.isnan(value))


def format_value(value: Any, unit: str | None = "") -> str:
    """A KPI value in its unit: ``+12``, ``66%``, ``4.79``, ``45 min``."""
    if _missing(value):
        return "–"
    value = float(value)
    unit = unit or ""
    if unit == "points":
        return f"{value:+.0f}" if abs(value) >= 10 else f"{value:+.1f}"
    if unit == "%":
        return f"{value:.0f}%" if abs(value) >= 10 else f"{value:.1f}%"
    if unit.startswith(("score", "stars")):
        return f"{value:.2f}"
    if unit == "minutes":
        if value < 120:
            return f"{value:,.0f} min"
        return f"{value / 60:,.0f} h" if value < 2880 else f"{value / 1440:,.0f} days"
    return f"{value:,.1f}"


def format_change(value: Any, unit: str | None = "") -> str:
    """A change between periods, always signed: ``+5.2 pts``, ``-0.31``."""
    if _missing(value):
        return "–"
    value = float(value)
    if unit in ("points", "%"):
        return f"{value:+.1f} {'pts' if unit == 'points' else 'pp'}"
    if (unit or "").startswith(("score", "stars")):
        return f"{value:+.2f}"
    return f"{value:+,.1f}"


def format_ci(row: Any, unit: str | None = "") -> str:
    """``59.8 to 72.1`` (``-37.2 to -23.2``: a dash between negatives would read as a minus)."""
    low = row.get("ci_low") if isinstance(row, dict) else getattr(row, "ci_low", None)
    high = row.get("ci_high") if isinstance(row, dict) else getattr(row, "ci_high", None)
    if _missing(low) or _missing(high):
        return ""
    digits = 2 if (unit or "").startswith(("score", "stars")) else 1
    return f"{float(low):.{digits}f} to {float(high):.{digits}f}"


def format_percent(value: Any, digits: int = 0) -> str:
    return "–" if _missing(value) else f"{float(value):.{digits}f}%"


def format_number(value: Any) -> str:
    return "–" if _missing(value) else f"{int(value):,}"


def dimension_name(group_by: str) -> str:
    return group_by.removeprefix("segment:")


def sparkline(card: Card, width: int = 120, height: int = 30) -> Markup:
    """A tiny inline SVG of the card's series (numbers only, so it is drawn without JS)."""
    values = [v for _, v in card.series]
    if len(values) < 2:
        return Markup("")
    low, high = min(values), max(values)
    span = (high - low) or 1.0
    step = (width - 4) / (len(values) - 1)
    points = " ".join(f"{2 + i * step:.1f},{height - 3 - (v - low) / span * (height - 6):.1f}" for i, v in enumerate(values))
    last_x, last_y = points.split(" ")[-1].split(",")
    return Markup(
        f'<svg class="spark" viewBox="0 0 {width} {height}" width="{width}" height="{height}" aria-hidden="true">'
        f'<polyline points="{points}" fill="none" stroke="currentColor" stroke-width="1.8" stroke-linejoin="round"/>'
        f'<circle cx="{last_x}" cy="{last_y}" r="2.6" fill="currentColor"/></svg>'
    )
