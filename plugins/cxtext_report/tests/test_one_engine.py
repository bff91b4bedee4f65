"""A whole report runs on the project's one KPI engine: one frame, one pass over the metrics."""

from __future__ import annotations

from cxtext import Project, plugins
from cxtext.kpis import engine as kpi_engine
from cxtext_report.html import HtmlReporter
from cxtext_report.testing import build_sample_store

from .conftest import journey_config


def test_a_demo_sized_report_builds_the_frame_once_and_reads_the_registry_once(tmp_path, monkeypatch,
                                                                               only_report_plugins):
    calls = {"metrics": 0, "frame": 0}
    metrics, build_frame = plugins.metrics, kpi_engine.build_frame

    def counting_metrics(*args, **kwargs):
        calls["metrics"] += 1
        return metrics(*args, **kwargs)

    def counting_frame(*args, **kwargs):
        calls["frame"] += 1
        return build_frame(*args, **kwargs)

    monkeypatch.setattr(plugins, "metrics", counting_metrics)
    monkeypatch.setattr(kpi_engine, "build_frame", counting_frame)
    with build_sample_store(tmp_path / "cx.db", n=400, hostile=True) as store, \
            Project(store.path, journey_config()) as project:
        out = HtmlReporter().render(project, tmp_path / "report.html", title="Lumen Mobile")
    page = out.read_text(encoding="utf-8")
    assert 'id="trends"' in page and "NPS" in page  # a full report, with trends and alerts
    assert calls == {"metrics": 1, "frame": 1}
