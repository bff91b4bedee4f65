"""Plotly figures for the report, and how they are embedded safely.

Plotly renders a small set of HTML tags inside chart text (``<b>``, ``<a href>``...),
in tick labels, legends and hover labels alike. User text (touchpoints, segment values,
theme labels, quotes) is therefore passed through :func:`html.escape` before it goes into
a figure: plotly shows the entities as the literal characters, and no markup from the
data is ever interpreted. Figures are embedded as JSON in ``<script type="application/json">``
with ``<``, ``>`` and ``&`` written as ``\\u`` escapes, so no string can end the script.
"""

from __future__ import annotations

import html
import json
from typing import Any

import plotly.graph_objects as go

from cxtext_report.data import ReportData

FONT = "-apple-system, 'Segoe UI', Roboto, 'Helvetica Neue', Arial, sans-serif"
INK, MUTED, GRID = "#1f2933", "#6b7785", "#e6e9ee"
BLUE, TEAL, RED, GREEN, AMBER, GREY = "#2563eb", "#0d9488", "#dc2626", "#16a34a", "#d97706", "#9aa5b1"
SERIES = [BLUE, TEAL, AMBER, "#7c3aed", "#db2777", "#0891b2", "#65a30d", "#ea580c"]
LABELLED_THEMES = 8
# No toolbar: on the report's small charts it covered the plot; hover still reads every value.
PLOT_CONFIG = {"displaylogo": False, "responsive": True, "displayModeBar": False}


def esc(value: Any) -> str:
    """User text made inert for plotly's pseudo-HTML (shown exactly as written)."""
    return html.escape("" if value is None else str(value), quote=False)  # plotly decodes &lt; &gt; &amp; only


def figure_json(figure: go.Figure) -> str:
    """The figure (with its config) as JSON that is safe inside a ``<script>`` element."""
    spec = json.loads(figure.to_json())  # plotly's encoder: numpy values, NaN as null
    spec["config"] = PLOT_CONFIG
    text = json.dumps(spec, separators=(",", ":"), allow_nan=False)
    for raw, escaped in (("<", "\\u003c"), (">", "\\u003e"), ("&", "\\u0026"), ("\u2028", "\\u2028"), ("\u2029", "\\u2029")):
        text = text.replace(raw, escaped)
    return text


def _layout(figure: go.Figure, *, height: int = 340, **extra: Any) -> go.Figure:
    figure.update_layout(
        template="plotly_white", height=height, font={"family": FONT, "size": 12, "color": INK},
        margin={"l": 10, "r": 10, "t": 30, "b": 10}, hoverlabel={"font": {"family": FONT}},
        legend={"orientation": "h", "yanchor": "bottom", "y": 1.02, "xanchor": "left", "x": 0},
        modebar={"orientation": "v"},  # beside the plot, never over the legend
        **extra,
    )
    figure.update_xaxes(gridcolor=GRID, zerolinecolor="#c7ced6", automargin=True)
    figure.update_yaxes(gridcolor=GRID, zerolinecolor="#c7ced6", automargin=True)
    return figure


def _error(values: list[float | None], lows: list[float | None], highs: list[float | None]) -> dict[str, Any]:
    plus = [None if v is None or h is None else max(0.0, h - v) for v, h in zip(values, highs)]
    minus = [None if v is None or lo is None else max(0.0, v - lo) for v, lo in zip(values, lows)]
    return {"type": "data", "symmetric": False, "array": plus, "arrayminus": minus, "thickness": 1.2,
            "width": 4, "color": "#4b5563"}


def _kpi(frame, group_by: str, metric: str) -> dict[str, dict[str, Any]]:
    part = frame[(frame["group_by"] == group_by) & (frame["metric"] == metric)]
    return {str(row["group"]): row for row in part.to_dict("records")}


def journey_figure(data: ReportData) -> go.Figure | None:
    """Touchpoints in journey order: NPS and net sentiment (both -100..100) with 95% CIs."""
    metrics = [m for m in ("nps", "net_sentiment") if m in data.journey_metrics]
    if not metrics or not data.touchpoints:
        return None
    figure = go.Figure()
    names = ticks(data.touchpoints)
    for metric, colour in zip(metrics, (BLUE, TEAL)):
        rows = _kpi(data.group_kpis, "touchpoint", metric)
        values = [_get(rows, t, "value") for t in data.touchpoints]
        ns = [_get(rows, t, "n") for t in data.touchpoints]
        figure.add_bar(
            x=names, y=values, name=esc(_short(data, metric)), marker_color=colour,
            error_y=_error(values, [_get(rows, t, "ci_low") for t in data.touchpoints],
                           [_get(rows, t, "ci_high") for t in data.touchpoints]),
            customdata=[[n if n is not None else "no data"] for n in ns],
            hovertemplate="%{x}<br>%{y:.1f} (n=%{customdata[0]})<extra>" + esc(_short(data, metric)) + "</extra>",
        )
    figure.update_yaxes(title_text="points (-100..100)", range=[-105, 105])
    return _layout(figure, barmode="group")


def segment_figure(data: ReportData, segment: str) -> go.Figure | None:
    """The journey's headline metric for each group of one segment, with CIs; small groups faded."""
    metric = next((m for m in ("nps", "net_sentiment") if m in data.journey_metrics), None)
    if metric is None:
        return None
    rows = _kpi(data.group_kpis, f"segment:{segment}", metric)
    if not rows:
        return None
    groups = sorted(rows, key=lambda g: rows[g]["value"])
    values = [rows[g]["value"] for g in groups]
    figure = go.Figure(go.Bar(
        y=ticks(groups), x=values, orientation="h",
        marker_color=[GREY if rows[g]["low_n"] else (RED if rows[g]["value"] < 0 else BLUE) for g in groups],
        error_x=_error(values, [rows[g]["ci_low"] for g in groups], [rows[g]["ci_high"] for g in groups]),
        customdata=[[rows[g]["n"], " (low n)" if rows[g]["low_n"] else "", esc(g)] for g in groups],
        hovertemplate="%{customdata[2]}: %{x:.1f}<br>n=%{customdata[0]}%{customdata[1]}<extra></extra>",
    ))
    figure.update_xaxes(title_text=esc(_short(data, metric)), range=[-105, 105])
    return _layout(figure, height=max(180, 60 + 32 * len(groups)), showlegend=False)


def impact_figure(data: ReportData) -> go.Figure | None:
    """Theme matrix: how common (x) against how much it matters (y), bubble size = records."""
    themes = [t for t in data.themes if t["records"] > 0]
    if not themes:
        return None
    use_impact = data.impact_score is not None and any(t["impact"] is not None for t in themes)
    if use_impact:
        themes = [t for t in themes if t["difference"] is not None]
        y = [t["difference"] for t in themes]
        y_title = f"{data.impact_score.upper()} with theme minus without (points)" if data.impact_score == "nps" \
            else f"mean {data.impact_score} with theme minus without"
    else:
        themes = [t for t in themes if t["net_sentiment"] is not None]
        y = [t["net_sentiment"] for t in themes]
        y_title = "net sentiment of the theme's sentences (points)"
    if not themes:
        return None
    colour = [RED if v < 0 else GREEN for v in y]
    size = [t["records"] for t in themes]
    # Name the biggest bubbles only (the table and hover name the rest), alternating above and
    # below so that neighbours' labels do not print over each other.
    named = {t["theme"] for t in sorted(themes, key=lambda t: -t["records"])[:LABELLED_THEMES]}
    text = [esc(_clip(t["label"], 22)) if t["theme"] in named else "" for t in themes]
    order = sorted(range(len(themes)), key=lambda i: themes[i]["prevalence"])
    position = [""] * len(themes)
    for rank, index in enumerate(order):
        position[index] = "top center" if rank % 2 == 0 else "bottom center"
    figure = go.Figure(go.Scatter(
        x=[t["prevalence"] for t in themes], y=y, mode="markers+text", cliponaxis=False,
        text=text, textposition=position,
        textfont={"size": 11, "color": INK},
        marker={"size": size, "sizemode": "area", "sizeref": 2.0 * max(size) / (38 ** 2), "sizemin": 6,
                "color": colour, "opacity": 0.75, "line": {"width": 1, "color": "white"}},
        customdata=[[esc(t["label"]), t["records"], _fmt_optional(t["impact"])] for t in themes],
        hovertemplate="<b>%{customdata[0]}</b><br>prevalence %{x:.1f}%<br>" + esc(y_title)
                      + ": %{y:.1f}<br>records %{customdata[1]}"
                      + ("<br>score gain if its problems went away: %{customdata[2]}" if use_impact else "")
                      + "<extra></extra>",
    ))
    figure.add_hline(y=0, line_color="#9aa5b1", line_width=1)
    # Room beyond the outermost bubbles, so that their labels are not cut at the plot's edge.
    widest, low, high = max(t["prevalence"] for t in themes), min(y), max(y)
    pad = (high - low) * 0.15 or 1.0
    figure.update_xaxes(title_text="prevalence (% of records mentioning the theme)", range=[0, widest * 1.18 + 0.5])
    figure.update_yaxes(title_text=esc(y_title), range=[low - pad, high + pad])
    return _layout(figure, height=460, showlegend=False)


def trend_figure(data: ReportData) -> go.Figure | None:
    """Headline metrics per period with CIs; significant moves from the previous period ringed."""
    if not len(data.trends):
        return None
    figure = go.Figure()
    for (metric, part), colour in zip(data.trends.groupby("metric", sort=False), (BLUE, TEAL)):
        part = part.sort_values("period")
        values = part["value"].tolist()
        figure.add_scatter(
            x=part["period"].tolist(), y=values, mode="lines+markers", name=esc(_short(data, metric)),
            line={"color": colour, "width": 2.5}, marker={"size": 7},
            error_y=_error(values, part["ci_low"].tolist(), part["ci_high"].tolist()) | {"color": colour},
            customdata=part[["n"]].to_numpy().tolist(),
            hovertemplate="%{x}: %{y:.1f} (n=%{customdata[0]})<extra>" + esc(_short(data, metric)) + "</extra>",
        )
        moved = part[part["significant"].astype(bool)]
        if len(moved):
            figure.add_scatter(
                x=moved["period"].tolist(), y=moved["value"].tolist(), mode="markers", showlegend=False,
                marker={"size": 17, "symbol": "circle-open", "color": RED, "line": {"width": 2.5}},
                customdata=[[f"{c:+.1f}", f"{p:.3g}"] for c, p in zip(moved["change"], moved["p_value"])],
                hovertemplate="significant change %{customdata[0]} (p=%{customdata[1]})<extra></extra>",
            )
    figure.update_yaxes(title_text="points (-100..100)")
    figure.update_xaxes(type="category")
    return _layout(figure)


def touchpoint_trend_figure(data: ReportData) -> go.Figure | None:
    """One line per touchpoint (journey order) for the trend metric."""
    trends = data.touchpoint_trends
    if not len(trends):
        return None
    figure = go.Figure()
    periods = sorted(trends["period"].unique())
    for index, touchpoint in enumerate(data.touchpoints):
        part = trends[trends["group"] == touchpoint].sort_values("period")
        if not len(part):
            continue
        colour = SERIES[index % len(SERIES)]
        figure.add_scatter(
            x=part["period"].tolist(), y=part["value"].tolist(), mode="lines+markers", name=esc(_clip(touchpoint, 24)),
            line={"color": colour, "width": 2}, marker={"size": 6},
            customdata=part[["n"]].to_numpy().tolist(),
            hovertemplate="%{x}: %{y:.1f} (n=%{customdata[0]})<extra>" + esc(touchpoint) + "</extra>",
        )
        moved = part[part["significant"].astype(bool)]
        if len(moved):
            figure.add_scatter(
                x=moved["period"].tolist(), y=moved["value"].tolist(), mode="markers", showlegend=False,
                marker={"size": 15, "symbol": "circle-open", "color": RED, "line": {"width": 2}},
                hoverinfo="skip",
            )
    figure.update_xaxes(type="category", categoryorder="array", categoryarray=periods)
    figure.update_yaxes(title_text=esc(_short(data, data.trend_metric)))
    return _layout(figure)


def effort_figure(data: ReportData) -> go.Figure | None:
    """Records showing each effort driver; high-effort drivers red, low-effort (ease) green."""
    drivers = data.effort_drivers
    if not drivers:
        return None
    ordered = sorted(drivers, key=lambda d: d["records"])
    figure = go.Figure(go.Bar(
        y=ticks([d["label"] for d in ordered]), x=[d["records"] for d in ordered], orientation="h",
        marker_color=[GREEN if d["polarity"] == "low" else RED for d in ordered],
        text=[str(d["records"]) for d in ordered], textposition="outside",
        customdata=[[f"{d['share']:.1f}%" if d["share"] is not None else "", d["polarity"]] for d in ordered],
        hovertemplate="%{y}: %{x} records (%{customdata[0]} of analysed)<br>%{customdata[1]} effort<extra></extra>",
    ))
    figure.update_xaxes(title_text="records with the driver")
    return _layout(figure, height=max(200, 50 + 30 * len(ordered)), showlegend=False)


def sentiment_figure(data: ReportData) -> go.Figure | None:
    """Share of negative / neutral / positive records per source kind (100% stacked)."""
    rows = data.sentiment_by_source
    if not rows:
        return None
    figure = go.Figure()
    for label, colour in (("negative", RED), ("neutral", GREY), ("positive", GREEN)):
        figure.add_bar(
            y=ticks([r["source_kind"] for r in rows]), x=[r[label] for r in rows], name=label, orientation="h",
            marker_color=colour, customdata=[[r["n"]] for r in rows],
            hovertemplate="%{y}: %{x:.1f}% " + label + " (n=%{customdata[0]})<extra></extra>",
        )
    figure.update_xaxes(title_text="% of records", range=[0, 100])
    return _layout(figure, barmode="stack", height=max(180, 90 + 36 * len(rows)))


def _get(rows: dict[str, dict[str, Any]], key: str, field: str) -> Any:
    row = rows.get(key)
    return None if row is None else row[field]


def _short(data: ReportData, metric: str | None) -> str:
    short = {"nps": "NPS", "net_sentiment": "Net sentiment", "csat": "CSAT", "cx_rating": "CX rating"}
    if metric in short:
        return short[metric]
    return data.metric_info.get(metric, {}).get("label", metric or "")


def _clip(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def ticks(values: list[Any], limit: int = 24) -> list[str]:
    """Category labels: clipped so one long value cannot squash the plot, escaped, and kept
    distinct (plotly would merge two categories that clip to the same text)."""
    labels, seen = [], set()
    for value in values:
        label = _clip(str(value), limit)
        while label in seen:
            label += "\u200b"  # zero-width space: looks the same, is another category
        seen.add(label)
        labels.append(esc(label))
    return labels


def _fmt_optional(value: float | None) -> str:
    return "n/a" if value is None else f"{value:+.1f}"


def build_figures(data: ReportData) -> dict[str, str]:
    """Every figure the data supports, as safe JSON keyed by the template slot it fills."""
    figures = {
        "journey": journey_figure(data),
        "impact": impact_figure(data),
        "trend": trend_figure(data),
        "touchpoint_trend": touchpoint_trend_figure(data),
        "effort": effort_figure(data),
        "sentiment": sentiment_figure(data),
    }
    for segment in data.segments:
        figures[f"segment:{segment}"] = segment_figure(data, segment)
    return {name: figure_json(figure) for name, figure in figures.items() if figure is not None}
