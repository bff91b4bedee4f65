"""Reports of the shared NPS verbatims and research interviews in headless Chromium, with screenshots.

Ingested, not analysed (no model runs in a test): the NPS report checks the journey follows
the data's order (not the alphabet) and the filters work; the interview report checks that
no survey KPI card is shown for interview turns. Skipped without ../shared/corpora or Chromium.
"""

from __future__ import annotations

import pytest

from cxtext import plugins
from cxtext.ingest import ingest_path
from cxtext.sourcing import ReadContext
from cxtext.store import Store
from cxtext_report.testing import render_store

from .conftest import save_screenshot

pytestmark = [pytest.mark.shared, pytest.mark.browser]


@pytest.fixture
def shared_plugins(monkeypatch):
    monkeypatch.setenv(plugins.ALLOW_LIST_ENV, "kpis,report,survey,transcripts")
    plugins.get_plugin_manager.cache_clear()
    yield
    plugins.get_plugin_manager.cache_clear()


def _open(browser, page):
    from selenium.webdriver.support.ui import WebDriverWait

    browser.get(page.resolve().as_uri())
    # A 2,943-turn report is 10 MB: on a busy machine its scripts can take a while.
    WebDriverWait(browser, 90).until(lambda d: d.execute_script(
        "return document.readyState === 'complete' && document.body.dataset.explorerReady === '1'"))
    assert [e for e in browser.get_log("browser") if e["level"] == "SEVERE"] == []


def test_nps_report_keeps_the_data_journey_order(shared_corpora, shared_plugins, chromium, tmp_path):
    with Store(tmp_path / "cx.db") as store:
        ingest_path(store, shared_corpora / "nps_verbatims_textsummary" / "nps_verbatim.csv", source="survey",
                    context=ReadContext(dataset="nps"))
        page = render_store(store, tmp_path / "nps.html", title="NPS verbatims")
    _open(chromium, page)
    journey = chromium.execute_script("return document.getElementById('journey').innerText")
    assert "order the data first shows it" in journey
    rows = chromium.execute_script(
        "return Array.from(document.querySelectorAll('#journey table.kpis tbody tr td:first-child')).map(td => td.textContent)")
    assert rows.index("Order") < rows.index("Equipment Received")  # journey order, not alphabetical
    save_screenshot(chromium, tmp_path / "nps.png")


def test_interview_report_shows_no_survey_kpis(shared_corpora, shared_plugins, chromium, tmp_path):
    with Store(tmp_path / "cx.db") as store:
        ingest_path(store, shared_corpora / "interview_transcripts_mlsss" / "transcripts", source="transcripts")
        page = render_store(store, tmp_path / "interviews.html", title="Research interviews")
    _open(chromium, page)
    cards = chromium.execute_script(
        "return Array.from(document.querySelectorAll('#kpis .card .name')).map(n => n.textContent)")
    assert not {"Complaint share", "NPS", "CSAT top-2-box"} & set(cards)
    explorer = chromium.execute_script("return document.getElementById('explorer-count').textContent")
    assert "sentences match" in explorer
    save_screenshot(chromium, tmp_path / "interviews.png")
