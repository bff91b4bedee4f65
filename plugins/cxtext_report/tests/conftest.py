"""Reports rendered from synthetic stores (see cxtext_report.testing), the full one once per session."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

import pytest

from cxtext import plugins
from cxtext.config import ProjectConfig
from cxtext_report.html import HtmlReporter
from cxtext_report.testing import TOUCHPOINTS, build_sample_store


@contextmanager
def report_plugins_only() -> Iterator[None]:
    """Load just the KPI and report plugins (other plugins may be mid-change in a shared tree)."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv(plugins.ALLOW_LIST_ENV, "kpis,report")
        plugins.get_plugin_manager.cache_clear()
        try:
            yield
        finally:
            plugins.get_plugin_manager.cache_clear()


@pytest.fixture
def only_report_plugins() -> Iterator[None]:
    with report_plugins_only():
        yield


def journey_config() -> ProjectConfig:
    # min_n 5: the small synthetic store still has month-on-month moves large enough to alert on.
    return ProjectConfig(report={"touchpoints": TOUCHPOINTS}, kpis={"min_n": 5})


def render(tmp_path_factory, name: str, **store_options) -> str:
    folder = tmp_path_factory.mktemp(name)
    with report_plugins_only(), build_sample_store(folder / "cx.db", **store_options) as store:
        out = HtmlReporter().render(store, folder / "report.html", config=journey_config(),
                                    title='Lumen <Mobile> "CX" & co')
    return out.read_text(encoding="utf-8")


@pytest.fixture(scope="session")
def full_report(tmp_path_factory) -> str:
    """Scores and every signal, plus an XSS attempt in a review and markup in a theme label."""
    return render(tmp_path_factory, "full", n=240, hostile=True)
