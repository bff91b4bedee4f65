"""cxtext kpis plugin: the first-party KPI definitions (NPS, CSAT, CES, CX rating, engagement, text KPIs, support KPIs).

Each KPI is one class following :class:`cxtext.metrics.Metric`; the host
(:mod:`cxtext.kpis`) groups, trends and tests them. ``docs/kpis.md`` gives every
definition with its source.
"""

from __future__ import annotations

from cxtext.hookspecs import hookimpl


@hookimpl
def register_metrics(config):
    # Imported here, not at the top: the metrics pull in scipy and pandas, which `cxtext --help`
    # (it loads every plugin to list their commands) should not wait for.
    from cxtext_kpis.customers import ChurnRate, EngagementScore, RetentionRate
    from cxtext_kpis.scores import CES, CSAT, NPS, CESLowEffort, CSATMean, CXRating, ReviewRating
    from cxtext_kpis.support import (
        FirstContactResolution,
        FirstResponseTime,
        RepeatContactRate,
        ResolutionTime,
        ResponseRate,
    )
    from cxtext_kpis.text import (
        ComplaintShare,
        HighEffortShare,
        NetSentiment,
        TextEffortIndex,
        ThemePrevalence,
        ThemeSentiment,
    )

    metrics = [
        NPS, CSAT, CSATMean, CES, CESLowEffort, ReviewRating, CXRating,
        NetSentiment, ComplaintShare, TextEffortIndex, HighEffortShare, ThemePrevalence, ThemeSentiment,
        EngagementScore, ChurnRate, RetentionRate,
        ResponseRate, FirstResponseTime, ResolutionTime, FirstContactResolution, RepeatContactRate,
    ]

    return [metric(config) for metric in metrics]
