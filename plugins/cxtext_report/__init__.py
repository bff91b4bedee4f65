"""The HTML report: one self-contained, offline file for a CX lead.

``cxtext report --db cx.db --out report.html`` (or ``cxtext run``/``cxtext demo``) renders
it: headline KPIs with intervals and trend arrows, the journey by touchpoint, segments,
the theme impact matrix with quotes, trends and alerts, effort drivers with evidence,
pain points, sentiment by source and data coverage. The reporter receives the
:class:`cxtext.Project`; numbers come from its one KPI engine (``project.engine``) and
everything is gathered in :func:`cxtext_report.data.gather_report_data`.
"""

from __future__ import annotations

from cxtext.hookspecs import hookimpl


@hookimpl
def register_reporters():
    from cxtext_report.html import HtmlReporter  # plotly, pandas, jinja: only when a report is wanted

    return [HtmlReporter()]
