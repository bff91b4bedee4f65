"""The HTML report: its sections, offline self-containment, and stores with less data."""

from __future__ import annotations

import re
from html.parser import HTMLParser

import pytest
from click.testing import CliRunner

from cxtext import plugins
from cxtext.store import Store
from cxtext_report.html import format_change, format_value
from cxtext_report.testing import TOUCHPOINTS, build_sample_store, gather_store, render_store

from .conftest import journey_config, render

SECTIONS = ["kpis", "journey", "segments", "themes", "trends", "effort", "pain", "sentiment", "coverage"]


class Links(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.urls: list[str] = []

    def handle_starttag(self, tag, attrs):
        self.urls += [value for name, value in attrs if name in ("src", "href") and value]


def test_reporter_is_registered(only_report_plugins):
    assert plugins.reporters()["html"].description


def test_report_has_every_section(full_report):
    for section in SECTIONS:
        assert f'<section id="{section}">' in full_report, section
    kpi_section = full_report.split('<section id="kpis">')[1].split("</section>")[0]
    # No industry named: no benchmark at all, rather than every industry's side by side.
    assert '<div class="foot">benchmark' not in kpi_section
    assert "2026-11 (partial) vs 2026-10" in kpi_section  # the arrow names both periods, and the partial one
    for card in ("NPS", "CSAT top-2-box", "CES (1-7, 7 = easy)", "CX rating", "Net sentiment", "Effort index (text)",
                 "Engagement"):
        assert f'<div class="name">{card}</div>' in full_report.replace("&#34;", '"'), card


def test_report_is_self_contained(full_report):
    links = Links()
    links.feed(full_report)
    assert all(url.startswith("#") for url in links.urls), [u for u in links.urls if not u.startswith("#")][:5]
    assert "<link" not in full_report
    assert full_report.count("Plotly.newPlot(") == 1  # one loop draws every figure
    assert len(re.findall(r"\* plotly\.js v\d", full_report)) == 1  # the library is embedded once


def test_journey_follows_the_configured_touchpoint_order(full_report):
    journey = full_report.split('<section id="journey">')[1].split("</section>")[0]
    table = journey.split("<tbody>")[1]
    positions = [table.index(f"<td>{t}</td>") for t in TOUCHPOINTS]
    assert positions == sorted(positions)


def test_story_shows_up_in_alerts_and_pain_points(full_report):
    alerts = full_report.split("Alerts: significant moves")[1].split("</section>")[0]
    assert "Billing" in alerts and "2026-09" in alerts
    pain = full_report.split('<section id="pain">')[1].split("</section>")[0]
    assert "Wrong or double bill" in pain and "Missed appointment" in pain


def test_effort_evidence_is_highlighted(full_report):
    effort = full_report.split('<section id="effort">')[1].split("</section>")[0]
    assert "<mark>waited 45 minutes on hold</mark>" in effort or "<mark>waited 30 minutes</mark>" in effort
    assert "median 45 min" in effort or "median 30 min" in effort


def test_text_only_sources_still_get_sentiment_theme_and_effort(tmp_path_factory):
    page = render(tmp_path_factory, "text_only", n=150, scores=False)
    assert '<div class="name">NPS</div>' not in page
    assert '<div class="name">Net sentiment</div>' in page
    themes = page.split('<section id="themes">')[1].split("</section>")[0]
    assert "net sentiment of the theme" in themes  # the matrix falls back from score impact to sentiment
    assert "What customers say, by theme" in themes and "<blockquote" in themes
    assert "<mark>" in page.split('<section id="effort">')[1]
    assert "No sentiment signals yet" not in page


def test_store_without_signals_still_renders(tmp_path_factory):
    page = render(tmp_path_factory, "no_signals", n=120, analysed=False)
    assert '<div class="name">NPS</div>' in page
    assert "No theme signals yet" in page
    assert "No effort signals yet" in page
    assert "No sentiment signals yet" in page


def test_empty_store_renders(tmp_path, only_report_plugins):
    with Store(tmp_path / "empty.db") as store:
        out = render_store(store, tmp_path / "r.html")
    page = out.read_text()
    assert "0 records" in page and "No KPI applies yet" in page
    assert "Plotly.newPlot" not in page  # no figure, so no 4 MB of plotly.js either


def test_gather_report_data_keeps_raw_values(tmp_path, only_report_plugins):
    with build_sample_store(tmp_path / "cx.db", n=150, hostile=True) as store:
        data = gather_store(store, journey_config(), title="<T>")
    assert data.title == "<T>"  # escaping is the template's job, not the data's
    assert data.touchpoints == TOUCHPOINTS
    assert {c.metric for c in data.cards} >= {"nps", "csat", "ces", "net_sentiment", "text_effort"}
    nps = next(c for c in data.cards if c.metric == "nps")
    assert nps.ci_low < nps.value < nps.ci_high and len(nps.series) == 6
    cx_rating = next(c for c in data.cards if c.metric == "cx_rating")
    assert cx_rating.band in ("excellent", "good", "critical") and cx_rating.benchmark is None  # no [kpis] industry chosen
    assert data.coverage["non_english"] == 3
    assert 0 < data.coverage["unassigned"]["share"] < 100
    assert any(d["driver"] == "waiting" and d["median_minutes"] for d in data.effort_drivers)


def test_cli_report(tmp_path, only_report_plugins):
    from cxtext.cli import cli

    build_sample_store(tmp_path / "cx.db", n=60).close()
    out = tmp_path / "out" / "report.html"
    result = CliRunner().invoke(cli, ["report", "--db", str(tmp_path / "cx.db"), "--out", str(out), "--title", "Q3"])
    assert result.exit_code == 0, result.output
    assert out.exists() and "<h1>Q3</h1>" in out.read_text()
    bad = CliRunner().invoke(cli, ["report", "--db", str(tmp_path / "cx.db"), "--format", "pdf"])
    assert bad.exit_code == 2 and "choose from html" in bad.output


@pytest.mark.parametrize(("value", "unit", "expected"), [
    (6.14, "points", "+6.1"), (-13.2, "points", "-13"), (66.2, "%", "66%"), (4.787, "score 1-7", "4.79"),
    (45, "minutes", "45 min"), (None, "%", "–"), (float("nan"), "points", "–"),
])
def test_format_value(value, unit, expected):
    assert format_value(value, unit) == expected


def test_format_change():
    assert format_change(-5.25, "points") == "-5.2 pts"
    assert format_change(2.0, "%") == "+2.0 pp"
    assert format_change(0.013, "score 1-5") == "+0.01"
