"""Everything the report shows, gathered in one place: :func:`gather_report_data`.

The figures come from the project's one KPI engine (``project.engine``: KPIs by group,
trends, alerts, theme impact, pain points over one analysis frame) and, for evidence
(quotes, effort spans, coverage), straight from the store's signals, found through the
analyzers' declared outputs (:mod:`cxtext_report.declared`). The result holds raw values,
never markup: the template and the figure builders escape user text where they show it.
"""

from __future__ import annotations

import math
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import datetime, timezone
from statistics import median
from typing import Any

import pandas as pd

from cxtext.metrics import benjamini_hochberg
from cxtext.store import Store
from cxtext_report.declared import ReportSignals, report_signals
from cxtext_report.explorer import DEFAULT_MAX_RECORDS, explorer_data
from cxtext_report.research import is_interview_store, research_view

#: The "all groups" / "all periods" value of the KPI tables' group and period columns.
ALL = "all"
#: Headline KPI cards, in this order, when the data supports them; every other single-figure
#: metric registered (support KPIs, any plugin's own) follows, so a new metric needs no edit here.
CARD_METRICS = [
    "nps", "csat", "ces", "cx_rating", "rating", "net_sentiment", "text_effort", "engagement_score",
    "complaint_share", "high_effort_share",
]
#: Card headings; the metric's full label (scale, definition) is the card's tooltip.
SHORT_LABELS = {
    "nps": "NPS", "csat": "CSAT top-2-box", "ces": "CES (1-7, 7 = easy)", "cx_rating": "CX rating",
    "rating": "Star rating", "net_sentiment": "Net sentiment", "text_effort": "Effort index (text)",
    "engagement_score": "Engagement", "complaint_share": "Complaint share", "high_effort_share": "High-effort share",
}
#: The cards that still mean something when every record is a research-interview turn.
INTERVIEW_CARDS = {"net_sentiment", "text_effort"}
#: Variants of a card's metric, listed in the full KPI table only.
SECONDARY_METRICS = {"csat_mean", "ces_low_effort"}
#: Metrics shown per touchpoint and per segment.
GROUP_METRICS = ["nps", "csat", "ces", "rating", "cx_rating", "net_sentiment", "text_effort", "complaint_share"]
#: Per-item metrics the themes section shows; any other per-item metric (a plugin's own) is
#: listed item by item in the full KPI table instead.
THEME_METRICS = {"theme_prevalence", "theme_sentiment"}
#: The score theme impact is measured against, first one present.
IMPACT_SCORES = ["nps", "csat", "ces", "rating"]
MAX_SEGMENT_GROUPS = 25
#: Analyzers listed first under data coverage, in this order; any other registered one follows.
COVERAGE_ORDER = ("sentiment", "themes", "effort")
QUOTE_CHARS = 300
MAX_QUOTED_THEMES = 12
#: Engagement counts that amplify a verbatim: readers voting a review helpful, people liking,
#: reposting, quoting or answering a post. Views and other reach counts are not amplification.
AMPLIFYING = ("helpful_votes", "likes", "retweets", "shares", "quotes", "replies", "comments")
MAX_VOICES = 8
VOICE_CHARS = 480
#: Largest moves listed beside the alerts, significant or not.
MAX_MOVES = 8
#: The false discovery rate moves are judged at, as in :func:`cxtext.kpis.alerts`.
ALPHA = 0.05


@dataclass
class Card:
    """One headline KPI with its uncertainty and its move since the previous period."""

    metric: str
    label: str
    short_label: str
    description: str
    value: float
    unit: str
    n: int
    ci_low: float | None
    ci_high: float | None
    higher_is_better: bool
    band: str | None = None
    benchmark: float | None = None
    low_n: bool = False
    change: float | None = None
    change_period: str | None = None  # the baseline period of the arrow
    change_to: str | None = None  # the period the arrow describes (the last one)
    change_partial: bool = False  # that last period is not over yet in the data (its last date is before its end)
    significant: bool = False
    change_low_n: bool = False  # either period of the comparison is below [kpis] min_n
    improved: bool | None = None
    p_value: float | None = None
    series: list[tuple[str, float]] = field(default_factory=list)
    note: str | None = None
    benchmarks: dict[str, float] = field(default_factory=dict)  # name -> target, when no industry is chosen


@dataclass
class ReportData:
    title: str
    generated_at: str
    period: str
    min_n: int  # groups below this are flagged "low n" ([kpis] min_n)
    record_count: int
    date_range: tuple[str, str] | None
    cards: list[Card]
    overall: pd.DataFrame  # every KPI overall (all-time), for the full table; per-item ones except themes
    touchpoints: list[str]
    group_kpis: pd.DataFrame  # compute_kpis rows by touchpoint and segment (all-time)
    journey_metrics: list[str]
    segments: list[str]  # segment names shown (the "segment:" prefix dropped)
    impact_score: str | None
    theme_impact: pd.DataFrame
    themes: list[dict[str, Any]]  # per theme: prevalence, net sentiment, impact, quotes
    trends: pd.DataFrame  # headline metrics per period
    touchpoint_trends: pd.DataFrame  # one metric per touchpoint per period
    trend_metric: str | None
    alerts: pd.DataFrame
    moves: list[dict[str, Any]]  # largest moves of the trend metric, vs previous and vs pooled earlier periods
    moves_tested: int  # comparisons in the family the moves' p-values are adjusted over
    small_moves: list[dict[str, Any]]  # the largest moves where a period has fewer than min_n records
    touchpoint_order: str  # "project" ([report] touchpoints) or "data" (first appearance, by date)
    pain_points: pd.DataFrame
    effort_drivers: list[dict[str, Any]]
    sentiment_by_source: list[dict[str, Any]]
    voices: list[dict[str, Any]]  # per source kind, the verbatims customers amplified most
    coverage: dict[str, Any]
    metric_info: dict[str, dict[str, Any]]
    has_signals: dict[str, bool]
    explorer: dict[str, Any] = field(default_factory=dict)  # records and sentences for the page's scripts
    research: dict[str, Any] | None = None  # themes x interviews with quotes in context (transcripts)
    interviews_only: bool = False  # every record is an interview turn: survey KPIs are left out
    skipped_cards: list[str] = field(default_factory=list)  # card labels left out for that reason


def gather_report_data(project: Any, *, title: str | None = None) -> ReportData:
    """Compute every number, table and quote the HTML report shows.

    ``project`` is a :class:`cxtext.Project`: its one ``engine`` builds the analysis frame
    and reads the metric registry once for the whole report.
    """
    config, store, engine = project.config, project.store, project.engine
    settings = dict(config.report or {})
    period = settings.get("period") or (config.kpis or {}).get("period") or "month"
    frame = engine.frame
    signals = report_signals(engine.analyzers)
    available = engine.registry
    metric_info = {
        name: {"label": m.label, "description": m.description, "unit": m.unit,
               "higher_is_better": bool(m.higher_is_better), "kind": m.kind}
        for name, m in available.items()
    }
    applicable = engine.applicable()

    overall = engine.kpis(by=[], metrics=applicable) if applicable else engine.empty("kpis")
    overall = overall[overall["period"] == ALL]

    touchpoints = _touchpoint_order(frame, settings)
    segments = _segments(frame, settings, dict(config.kpis or {}))
    group_metrics = [m for m in GROUP_METRICS if m in applicable]
    by = (["touchpoint"] if touchpoints else []) + [f"segment:{s}" for s in segments]
    group_kpis = engine.empty("kpis")
    if group_metrics and by:
        group_kpis = engine.kpis(by=by, metrics=group_metrics)
        group_kpis = group_kpis[(group_kpis["period"] == ALL) & (group_kpis["group_by"] != ALL)]

    cards = _cards(engine, frame, overall, available, period)
    interviews_only = is_interview_store(frame)
    skipped_cards: list[str] = []
    if interviews_only:  # a share of "complaints" or an NPS means nothing for research interviews
        skipped_cards = [c.short_label for c in cards if c.metric not in INTERVIEW_CARDS]
        cards = [c for c in cards if c.metric in INTERVIEW_CARDS]
    trend_metric = next((m for m in ("nps", "net_sentiment", "csat", "cx_rating") if m in applicable), None)
    trends = pd.concat(
        [engine.trends(m, None, period) for m in ("nps", "net_sentiment") if m in applicable]
        or [engine.empty("trends")], ignore_index=True,
    )
    touchpoint_trends = (
        engine.trends(trend_metric, "touchpoint", period) if trend_metric and touchpoints else engine.empty("trends")
    )
    alert_frame = (
        engine.alerts(metrics=[c.metric for c in cards], by=["touchpoint"] if touchpoints else [], period=period, top=12)
        if cards else engine.empty("alerts")
    )

    moves, moves_tested = _largest_moves(engine, trend_metric, period, bool(touchpoints))
    min_n = engine.min_n
    small_moves = [m for m in moves if _below_min_n(m, min_n)][:MAX_MOVES]
    moves = [m for m in moves if not _below_min_n(m, min_n)][:MAX_MOVES]
    alert_frame = _dedupe_alerts(alert_frame)

    analysed_themes = bool(signals.analysed(frame, signals.aspect_analysed))
    analysed_evidence = bool(signals.evidence and signals.analysed(frame, signals.evidence.analysed))
    impact_score = next((s for s in IMPACT_SCORES if f"score:{s}" in frame.columns and frame[f"score:{s}"].notna().any()),
                        None)
    impact = engine.empty("drivers")
    if impact_score and analysed_themes:
        impact = engine.drivers(impact_score)
        impact = impact[impact["group_by"] == ALL]
    pain = engine.empty("pain_points")
    if touchpoints and len(frame) and (analysed_themes or analysed_evidence):
        pain = engine.pain_points("touchpoint", score=impact_score)

    sentences = _sentence_evidence(store, signals)
    themes = _theme_rows(store, overall, impact, sentences, frame, signals)
    polarity = signals.column(frame, signals.polarity_column)
    return ReportData(
        title=title or settings.get("title") or config.title or "Customer experience report",
        generated_at=datetime.now(timezone.utc).strftime("%Y-%m-%d %H:%M UTC"),
        period=period,
        min_n=min_n,
        record_count=len(frame),
        date_range=_date_range(frame),
        cards=cards,
        overall=overall[overall["item"].isna() | ~overall["metric"].isin(THEME_METRICS)],
        touchpoints=touchpoints,
        group_kpis=group_kpis,
        journey_metrics=[m for m in ("nps", "net_sentiment", "ces", "text_effort") if m in group_metrics],
        segments=segments,
        impact_score=impact_score,
        theme_impact=impact,
        themes=themes,
        trends=trends,
        touchpoint_trends=touchpoint_trends,
        trend_metric=trend_metric,
        alerts=alert_frame,
        moves=moves,
        moves_tested=moves_tested,
        small_moves=small_moves,
        touchpoint_order="project" if settings.get("touchpoints") else "data",
        pain_points=pain,
        effort_drivers=_effort_drivers(store, frame, signals),
        sentiment_by_source=_sentiment_by_source(frame, signals),
        voices=_amplified_voices(store, frame, signals),
        coverage=_coverage(frame, group_kpis, sentences["models"], signals),
        metric_info=metric_info,
        has_signals={
            "sentiment": bool(len(frame) and polarity is not None and polarity.notna().any()),
            "themes": analysed_themes,
            "theme_rows": bool(themes),
            "effort": analysed_evidence,
        },
        research=research_view(store, frame, signals),
        interviews_only=interviews_only,
        skipped_cards=skipped_cards,
        explorer=explorer_data(store, frame, segments, touchpoints=touchpoints, signals=signals,
                               classifiers=_score_classifiers(available),
                               max_records=int(settings.get("explorer_max_records", DEFAULT_MAX_RECORDS))),
    )


def _score_classifiers(metrics: dict[str, Any]) -> dict[str, Any]:
    """score name -> ``classify`` of the net metric over it (NPS: promoter / passive / detractor)."""
    return {m.score_name: m.classify for m in metrics.values()
            if isinstance(getattr(m, "score_name", None), str) and callable(getattr(m, "classify", None))}


def _touchpoint_order(frame: pd.DataFrame, settings: dict[str, Any]) -> list[str]:
    """``[report] touchpoints`` order first (the journey), then any others in the order the
    data first shows them (import order, so a file's own order): a survey export usually
    lists its touchpoints in journey order, the alphabet never does."""
    if "touchpoint" not in frame.columns:
        return []
    present = [str(t) for t in frame["touchpoint"].dropna().unique()]  # unique() keeps first-seen order
    configured = [str(t) for t in settings.get("touchpoints", [])]
    return [t for t in configured if t in present] + [t for t in present if t not in configured]


def _segments(frame: pd.DataFrame, settings: dict[str, Any], kpi_settings: dict[str, Any]) -> list[str]:
    """``[report] segments``, else the segments in ``[kpis] by``, else every segment with a
    manageable number of groups."""
    names = [c.split(":", 1)[1] for c in frame.columns if c.startswith("segment:")]
    if "segments" in settings:
        return [s for s in settings["segments"] if s in names]
    grouped = [str(spec).removeprefix("segment:") for spec in kpi_settings.get("by", []) if "," not in str(spec)]
    chosen = [s for s in grouped if s in names]
    if chosen:
        return chosen
    return sorted(n for n in names if 1 < frame[f"segment:{n}"].nunique() <= MAX_SEGMENT_GROUPS)


def _cards(engine: Any, frame: pd.DataFrame, overall: pd.DataFrame, available: dict[str, Any],
           period: str) -> list[Card]:
    single = overall[overall["item"].isna()]
    by_metric = {row["metric"]: row for row in single.to_dict("records")}
    extra = sorted(m for m in by_metric if m not in CARD_METRICS and m not in SECONDARY_METRICS)
    order = [m for m in CARD_METRICS if m in by_metric] + extra
    cards = []
    for name in order:
        row = by_metric[name]
        metric = available[name]
        trend = engine.trends(name, None, period)
        card = Card(
            metric=name, label=row["label"], short_label=SHORT_LABELS.get(name, row["label"]),
            description=metric.description, value=float(row["value"]),
            unit=row["unit"] or "", n=int(row["n"]), ci_low=_number(row["ci_low"]), ci_high=_number(row["ci_high"]),
            higher_is_better=bool(row["higher_is_better"]), band=row["band"] if isinstance(row["band"], str) else None,
            benchmark=_number(row["benchmark"]), low_n=bool(row["low_n"]),
            series=[(p, float(v)) for p, v in zip(trend["period"], trend["value"]) if _number(v) is not None],
        )
        if len(trend) >= 2:
            last = trend.iloc[-1]
            card.change, card.change_period = _number(last["change"]), last["baseline_period"]
            card.change_to, card.change_partial = str(last["period"]), _period_is_partial(frame, str(last["period"]), period)
            card.significant, card.p_value = bool(last["significant"]), _number(last["p_value"])
            card.change_low_n = bool(last["low_n"])
            card.improved = None if last["improved"] is None else bool(last["improved"])
        if name == "engagement_score":
            card.note = _engagement_note(frame)
        # Only the benchmark of the industry the project names ([kpis] industry) is shown: several
        # industries at once compare the data with markets it is not in.
        cards.append(card)
    return cards


def _period_is_partial(frame: pd.DataFrame, label: str, period: str) -> bool:
    """Whether the data stops before the end of this period (a month still being collected)."""
    if "created_at" not in frame.columns or frame["created_at"].isna().all():
        return False
    last = frame["created_at"].max()
    try:
        end = pd.Period(label.replace("-Q", "Q") if period == "quarter" else label, freq={"week": "W", "month": "M", "quarter": "Q"}.get(period, "M")).end_time
    except (ValueError, TypeError):
        return False
    return last.tz_localize(None).normalize() < end.normalize()


def _engagement_note(frame: pd.DataFrame) -> str | None:
    columns = [c for c in frame.columns if c.startswith("engagement:")]
    if not columns:
        return None
    totals = {c.split(":", 1)[1]: int(frame[c].fillna(0).sum()) for c in columns}
    posts = int(frame[columns].notna().any(axis=1).sum())
    parts = ", ".join(f"{v:,} {k.replace('_', ' ')}" for k, v in sorted(totals.items(), key=lambda kv: -kv[1]) if v)
    return f"{parts} on {posts:,} posts" if parts else None


def _number(value: Any) -> float | None:
    if value is None:
        return None
    try:
        value = float(value)
    except (TypeError, ValueError):
        return None
    return None if math.isnan(value) else value


def _date_range(frame: pd.DataFrame) -> tuple[str, str] | None:
    if "created_at" not in frame.columns or frame["created_at"].isna().all():
        return None
    dates = frame["created_at"].dropna()
    return dates.min().strftime("%d %b %Y"), dates.max().strftime("%d %b %Y")


def _largest_moves(engine: Any, metric: str | None, period: str,
                   by_touchpoint: bool) -> tuple[list[dict[str, Any]], int]:
    """The largest moves of one metric, overall and per touchpoint, whether significant or not.

    Alerts only list moves that survive the multiple-testing adjustment between periods of at
    least ``min_n``, so a step change in a small group (a dozen responses a month) never shows
    there. Here every period is tested twice: against the previous period and against all
    earlier periods pooled (more power against a lasting step). The p-values of every
    comparison made are adjusted together (Benjamini-Hochberg), so ``significant`` means the
    same thing as in the alerts; the rows are the ``MAX_MOVES`` largest changes.
    """
    if metric is None or not len(engine.frame):
        return [], 0
    series = []
    for by in [None, "touchpoint"] if by_touchpoint else [None]:
        previous = engine.trends(metric, by, period)
        pooled = engine.trends(metric, by, period, baseline="pooled")
        series.append(previous.merge(pooled[["group", "period", "baseline_period", "baseline_value", "change",
                                             "p_value", "low_n"]],
                                     on=["group", "period"], suffixes=("", "_pooled")))
    table = pd.concat(series, ignore_index=True)
    table = table[table["p_value"].notna() | table["p_value_pooled"].notna()]
    if not len(table):
        return [], 0
    p_values = table["p_value"].tolist() + table["p_value_pooled"].tolist()
    tested = sum(p is not None and not math.isnan(p) for p in p_values)
    adjusted = benjamini_hochberg([None if p is None or math.isnan(p) else p for p in p_values])
    half = len(table)
    higher_is_better = bool(engine.registry[metric].higher_is_better)
    rows = []
    for position, row in enumerate(table.to_dict("records")):
        comparisons = []
        for kind, suffix, p_adjusted in (("previous", "", adjusted[position]), ("pooled", "_pooled", adjusted[half + position])):
            p = _number(row[f"p_value{suffix}"])
            if p is None:
                continue
            change = float(row[f"change{suffix}"])
            comparisons.append({
                "kind": kind, "baseline_period": row[f"baseline_period{suffix}"],
                "baseline_value": _number(row[f"baseline_value{suffix}"]), "change": change, "p_value": p,
                "p_adjusted": p_adjusted, "significant": p_adjusted is not None and p_adjusted < ALPHA,
                "low_n": bool(row[f"low_n{suffix}"]),
                "worse": change != 0 and (change < 0) == higher_is_better,
            })
        rows.append({"metric": metric, "label": row["label"], "group": row["group"], "period": row["period"],
                     "value": float(row["value"]), "n": int(row["n"]), "unit": row["unit"] or "",
                     "comparisons": comparisons, "size": max(abs(c["change"]) for c in comparisons),
                     "significant": any(c["significant"] for c in comparisons)})
    rows.sort(key=lambda r: (-r["size"], r["group"], r["period"]))
    return rows, tested


def _below_min_n(move: dict[str, Any], min_n: int) -> bool:
    """A move resting on a period (its own or its baseline) with fewer than ``min_n`` records."""
    return move["n"] < min_n or any(c["low_n"] for c in move["comparisons"])


def _dedupe_alerts(alerts: pd.DataFrame) -> pd.DataFrame:
    """One alert per label, group and period: two metrics with one label (the same mean read from
    two score fields) would otherwise be listed twice. The smallest adjusted p-value is kept."""
    if not len(alerts) or "label" not in alerts.columns:
        return alerts
    ordered = alerts.sort_values("p_adjusted", kind="stable") if "p_adjusted" in alerts.columns else alerts
    keys = [c for c in ("label", "group_by", "group", "period") if c in ordered.columns]
    kept = ordered.drop_duplicates(keys)
    return alerts.loc[alerts.index.isin(kept.index)]


def _amplified_voices(store: Store, frame: pd.DataFrame, signals: ReportSignals) -> list[dict[str, Any]]:
    """Per source kind, the ``MAX_VOICES`` verbatims with the most amplification.

    Reviews rank by helpful votes, social posts by likes + reposts + quotes + replies: what
    other customers endorsed or passed on, so what prospects read. Records nobody amplified
    are left out; source kinds without engagement counts get no list.
    """
    columns = [f"engagement:{name}" for name in AMPLIFYING if f"engagement:{name}" in frame.columns]
    if not len(frame) or not columns:
        return []
    counts = frame[columns].fillna(0)
    total = counts.sum(axis=1)
    labels = signals.aspect_labels(frame)
    polarity, aspects = signals.polarity_column, signals.aspect_column
    has_polarity, has_aspects = polarity in frame.columns, aspects in frame.columns
    groups = []
    for kind, part in frame[total > 0].groupby("source_kind"):
        ranked = total[part.index].sort_values(ascending=False, kind="stable").head(MAX_VOICES)
        records = {r.id: r for r in store.get_records(list(ranked.index))}
        used = [c for c in columns if counts.loc[part.index, c].sum() > 0]
        items = []
        for record_id, amplification in ranked.items():
            record, row = records.get(record_id), frame.loc[record_id]
            if record is None:
                continue
            title = record.metadata.get("title")
            items.append({
                "record_id": record_id, "title": title if isinstance(title, str) else None,
                "text": _shorten(record.text.strip(), VOICE_CHARS), "amplification": int(amplification),
                "engagement": [(c.split(":", 1)[1].replace("_", " "), int(counts.at[record_id, c]))
                               for c in used if counts.at[record_id, c] > 0],
                "scores": [(name, value) for name, value in record.scores.items() if _number(value) is not None],
                "sentiment": row[polarity] if has_polarity and isinstance(row[polarity], str) else None,
                "themes": [labels.get(t, t) for t in row[aspects]] if has_aspects else [],
                "date": row["created_at"].strftime("%d %b %Y") if not pd.isna(row["created_at"]) else None,
                "segments": [(name, str(value)) for name, value in sorted(record.segments.items()) if value],
                "touchpoint": record.touchpoint,
                "language": row["language"] if isinstance(row["language"], str) and row["language"] != "en" else None,
            })
        groups.append({"source_kind": kind, "measure": " + ".join(c.split(":", 1)[1].replace("_", " ") for c in used),
                       "amplified": int(len(part)), "items": items})
    return groups


# --- evidence straight from the signals -------------------------------------------------------


def _sentence_evidence(store: Store, signals: ReportSignals) -> dict[str, Any]:
    """Per theme, the quote candidates (sentence-level aspect rows with the sentence's polarity and
    text, see :func:`_candidates`), and the models used.

    The rows are read as tuples in chunks and only each theme's best candidates are kept, so a
    store with millions of theme sentences holds a few dozen per theme, not a dict per row."""
    models: set[tuple[str, str, str]] = set()
    if signals.polarity_kind:
        models.update((a, m or "", v or "") for a, m, v in store.signal_models(signals.polarity_kind))
    candidates: dict[str, dict[str, list[dict[str, Any]]]] = {}
    if signals.aspect_kind:
        models.update((a, m or "", v or "") for a, m, v in store.signal_models(signals.aspect_kind))
        best: dict[tuple[str, str], list[tuple[float, str, int, dict[str, Any]]]] = defaultdict(list)
        order = 0
        for chunk in store.iter_sentence_evidence(signals.aspect_kind, signals.polarity_kind):
            for record_id, sentence_id, theme, confidence, _, sentiment, sentiment_score in chunk:
                order += 1
                if sentiment not in ("negative", "positive"):
                    continue
                row = {"theme": theme, "record_id": record_id, "sentence_id": sentence_id,
                       "confidence": confidence or 0.0, "sentiment": sentiment, "sentiment_score": sentiment_score}
                sign = -1 if sentiment == "negative" else 1
                kept = best[(theme, sentiment)]
                kept.append((-(row["confidence"] or 0) - sign * (row["sentiment_score"] or 0), sentence_id, order, row))
                if len(kept) >= 4 * MAX_CANDIDATES:  # keep the best ones (the sort is stable: row order breaks ties)
                    kept.sort(key=lambda c: (c[0], c[1], c[2]))
                    del kept[MAX_CANDIDATES:]
        for (theme, sentiment), kept in best.items():
            kept.sort(key=lambda c: (c[0], c[1], c[2]))
            candidates.setdefault(theme, {})[sentiment] = [c[3] for c in kept[:MAX_CANDIDATES]]
    for kind in signals.record_kinds:
        if kind in (signals.polarity_kind, signals.aspect_kind):
            continue
        # one row tells the model; the rows of one kind are uniform per run
        models.update((a, m or "", v or "") for a, m, v in store.signal_models(kind, first_only=True))
    return {"candidates": candidates, "models": sorted(models)}


def _theme_rows(store: Store, overall: pd.DataFrame, impact: pd.DataFrame, sentences: dict[str, Any],
                frame: pd.DataFrame, signals: ReportSignals) -> list[dict[str, Any]]:
    """Per theme: prevalence (CI), net sentence sentiment, impact on the score, quotes of both kinds."""
    labels = signals.aspect_labels(frame)
    prevalence = overall[overall["metric"] == "theme_prevalence"].set_index("item")
    net = overall[overall["metric"] == "theme_sentiment"].set_index("item")
    impact_by_theme = impact.set_index("theme") if len(impact) else impact
    candidates = sentences["candidates"]
    rows = []
    for theme in prevalence.index:
        p = prevalence.loc[theme]
        found = theme in impact_by_theme.index
        rows.append({
            "theme": theme, "label": labels.get(theme, theme),
            "prevalence": float(p["value"]), "prevalence_low": _number(p["ci_low"]),
            "prevalence_high": _number(p["ci_high"]), "records": round(float(p["value"]) * int(p["n"]) / 100),
            "net_sentiment": _number(net.loc[theme, "value"]) if theme in net.index else None,
            "net_n": int(net.loc[theme, "n"]) if theme in net.index else 0,
            "impact": _number(impact_by_theme.loc[theme, "impact"]) if found else None,
            "impact_low": _number(impact_by_theme.loc[theme, "impact_ci_low"]) if found else None,
            "impact_high": _number(impact_by_theme.loc[theme, "impact_ci_high"]) if found else None,
            "difference": _number(impact_by_theme.loc[theme, "difference"]) if found else None,
            "low_n": bool(p["low_n"]),
            "negative_quotes": list(candidates.get(theme, {}).get("negative", [])),
            "positive_quotes": list(candidates.get(theme, {}).get("positive", [])),
        })
    rows.sort(key=lambda r: -r["prevalence"])
    _fill_quotes(store, rows[:MAX_QUOTED_THEMES], {"negative_quotes": 2, "positive_quotes": 1})
    for row in rows[MAX_QUOTED_THEMES:]:
        row["negative_quotes"], row["positive_quotes"] = [], []
    return rows


#: Quote candidates kept per theme and sentiment, before distinct quotes are picked from them.
MAX_CANDIDATES = 20


def _candidates(rows: list[dict[str, Any]], sentiment: str) -> list[dict[str, Any]]:
    """Sentences of this sentiment, most confident and most strongly felt first."""
    chosen = [r for r in rows if r["sentiment"] == sentiment]
    sign = -1 if sentiment == "negative" else 1
    chosen.sort(key=lambda r: (-(r["confidence"] or 0) - sign * (r["sentiment_score"] or 0), r["sentence_id"]))
    return chosen[:MAX_CANDIDATES]


def _fill_quotes(store: Store, rows: list[dict[str, Any]], wanted: dict[str, int]) -> None:
    """Replace candidate sentences by up to ``wanted[key]`` distinct quotes (text, record, sentiment)."""
    record_ids = sorted({c["record_id"] for row in rows for key in wanted for c in row[key]})
    texts = {s.id: s.text for found in store.sentences_for(record_ids).values() for s in found}
    for row in rows:
        for key, count in wanted.items():
            quotes, seen = [], set()
            for candidate in row[key]:
                text = texts.get(candidate["sentence_id"], "").strip()
                if not text or text.lower() in seen:
                    continue
                seen.add(text.lower())
                quotes.append({"text": _shorten(text), "record_id": candidate["record_id"],
                               "sentiment": candidate["sentiment"]})
                if len(quotes) == count:
                    break
            row[key] = quotes


def _shorten(text: str, limit: int = QUOTE_CHARS) -> str:
    return text if len(text) <= limit else text[: limit - 1].rsplit(" ", 1)[0] + "…"


def _effort_drivers(store: Store, frame: pd.DataFrame, signals: ReportSignals) -> list[dict[str, Any]]:
    """Effort drivers: records showing each, polarity, median duration and exemplar evidence.

    The spans are the declared ``evidence`` output's (``evidence_rule="any"``); its
    ``exclude`` key tells the polarity (an excluded value is ease, not effort) and a declared
    ``duration_minutes`` data key the waits."""
    evidence = signals.evidence
    if evidence is None:
        return []
    records: dict[str, set[str]] = defaultdict(set)
    polarity: dict[str, Counter] = defaultdict(Counter)
    minutes: dict[str, list[float]] = defaultdict(list)
    spans: dict[str, list[dict[str, Any]]] = defaultdict(list)
    touchpoints: dict[str, Counter] = defaultdict(Counter)
    touchpoint_of = _LazyLookup(frame, "touchpoint")
    for row in store.iter_signals(kind=evidence.kind, level="sentence"):
        driver, data = row["label"], row["data"] or {}
        if not driver:
            continue
        records[driver].add(row["record_id"])
        polarity[driver][(data.get(evidence.polarity_key) if evidence.polarity_key else None) or "high"] += 1
        if evidence.duration_key and data.get(evidence.duration_key) is not None:
            minutes[driver].append(float(data[evidence.duration_key]))
        spans[driver].append({"record_id": row["record_id"], "start": data.get("start"), "end": data.get("end"),
                              "evidence": data.get("evidence"), "confidence": row["score"] or 0.0})
        touchpoint = touchpoint_of.get(row["record_id"])
        if isinstance(touchpoint, str):
            touchpoints[driver][touchpoint] += 1
    analysed = signals.analysed(frame, evidence.analysed)
    drivers = []
    for driver, ids in records.items():
        examples = sorted(spans[driver], key=lambda s: (-s["confidence"], s["record_id"]))
        drivers.append({
            "driver": driver, "label": driver.replace("_", " ").capitalize(), "records": len(ids),
            "share": 100 * len(ids) / analysed if analysed else None,
            "polarity": polarity[driver].most_common(1)[0][0],
            "median_minutes": median(minutes[driver]) if minutes[driver] else None,
            "top_touchpoints": [t for t, _ in touchpoints[driver].most_common(2)],
            "examples": _evidence_in_context(store, examples, 2),
        })
    drivers.sort(key=lambda d: (d["polarity"] == "low", -d["records"], d["driver"]))
    return drivers


class _LazyLookup:
    """``frame[column]`` by record id, as a dict of it would give, made on the first lookup only."""

    def __init__(self, frame: pd.DataFrame, column: str) -> None:
        self.frame, self.column, self.found = frame, column, None

    def get(self, record_id: str) -> Any:
        if self.found is None:
            self.found = self.frame[self.column].to_dict() if self.column in self.frame.columns else {}
        return self.found.get(record_id)


def _evidence_in_context(store: Store, spans: list[dict[str, Any]], count: int) -> list[dict[str, str]]:
    """Up to ``count`` spans (distinct evidence) as before / evidence / after pieces of the record text."""
    picked, seen, records = [], set(), set()
    for span in spans:
        key = (span["evidence"] or "").strip().lower()
        if key in seen or span["record_id"] in records:  # distinct words, from distinct customers
            continue
        seen.add(key)
        records.add(span["record_id"])
        picked.append(span)
        if len(picked) == count:
            break
    texts = {r.id: r.text for r in store.get_records(sorted({s["record_id"] for s in picked}))}
    pieces = []
    for span in picked:
        text, start, end = texts.get(span["record_id"], ""), span["start"], span["end"]
        if not isinstance(start, int) or not isinstance(end, int) or not (0 <= start < end <= len(text)):
            pieces.append({"before": "", "evidence": span["evidence"] or "", "after": ""})
            continue
        before, after = text[max(0, start - 120):start], text[end:end + 120]
        pieces.append({"before": ("…" if start > 120 else "") + before, "evidence": text[start:end],
                       "after": after + ("…" if end + 120 < len(text) else "")})
    return pieces


def _sentiment_by_source(frame: pd.DataFrame, signals: ReportSignals) -> list[dict[str, Any]]:
    column = signals.polarity_column
    if not len(frame) or column not in frame.columns or frame[column].isna().all():
        return []
    rows = []
    for kind, part in frame[frame[column].notna()].groupby("source_kind"):
        counts = part[column].value_counts()
        total = int(counts.sum())
        rows.append({"source_kind": kind, "n": total, **{
            label: 100 * int(counts.get(label, 0)) / total for label in ("negative", "neutral", "positive")
        }})
    return rows


def _coverage(frame: pd.DataFrame, group_kpis: pd.DataFrame, models: list[tuple[str, str, str]],
              signals: ReportSignals) -> dict[str, Any]:
    """What the figures rest on: records per source, languages, analysed and unassigned shares, small groups."""
    if not len(frame):
        return {"sources": [], "languages": [], "non_english": 0, "analysed": {}, "unassigned": None,
                "low_n": [], "models": models}
    sources = [{"source_kind": k, "datasets": sorted(part["dataset"].dropna().unique()), "records": len(part)}
               for k, part in frame.groupby("source_kind")]
    languages = frame["language"].fillna("unknown").value_counts()
    non_english = int(((frame["language"].notna()) & (frame["language"] != "en")).sum())
    order = sorted(signals.analyzers, key=lambda name: (COVERAGE_ORDER.index(name) if name in COVERAGE_ORDER
                                                        else len(COVERAGE_ORDER), name))
    analysed = {name: signals.analysed(frame, f"analysed:{name}") for name in order}
    themed = frame[frame[signals.aspect_analysed]] if signals.aspect_analysed in frame.columns else frame.iloc[0:0]
    unassigned = None
    if len(themed) and signals.aspect_column in themed.columns:
        count = int((themed[signals.aspect_column].map(len) == 0).sum())
        unassigned = {"count": count, "of": len(themed), "share": 100 * count / len(themed)}
    low = group_kpis[group_kpis["low_n"].astype(bool)] if len(group_kpis) else group_kpis
    smallest: dict[tuple[str, str], dict[str, Any]] = {}
    for row in low.to_dict("records"):
        key = (row["group_by"].removeprefix("segment:"), row["group"])
        entry = smallest.setdefault(key, {"dimension": key[0], "group": key[1], "n": int(row["n"]), "metrics": []})
        entry["n"] = min(entry["n"], int(row["n"]))
        entry["metrics"].append(row["metric"])
    low_groups = sorted(smallest.values(), key=lambda g: (g["dimension"], g["n"], g["group"]))
    return {"sources": sources, "languages": [(k, int(v)) for k, v in languages.items()], "non_english": non_english,
            "analysed": analysed, "unassigned": unassigned, "low_n": low_groups, "models": models}
