"""The HTML report in a real browser: headless Chromium opens it offline, draws every chart,
shows a hostile review as text, and logs no error.

Needs the Debian packages ``chromium`` and ``chromium-driver`` and the ``selenium`` package
(the ``dev`` extra); skipped otherwise. Selenium is pointed at the local driver and browser
so that selenium-manager never downloads anything. Set ``CXTEXT_SCREENSHOT_DIR`` to keep
a full-page screenshot.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

from cxtext import plugins
from cxtext.config import ProjectConfig

CHROMIUM = Path("/usr/bin/chromium")
CHROMEDRIVER = Path("/usr/bin/chromedriver")

pytestmark = pytest.mark.browser


@pytest.fixture
def browser(tmp_path, monkeypatch):
    if not (CHROMIUM.exists() and CHROMEDRIVER.exists()):
        pytest.skip("headless Chromium is not installed (apt-get install chromium chromium-driver)")
    webdriver = pytest.importorskip("selenium.webdriver", reason="selenium is not installed (pip install -e .[dev])")
    from selenium.webdriver.chrome.service import Service

    # Never let selenium-manager look for (or fetch) a driver or browser.
    monkeypatch.setenv("SE_OFFLINE", "true")
    monkeypatch.setenv("SE_AVOID_STATS", "true")
    options = webdriver.ChromeOptions()
    options.binary_location = str(CHROMIUM)
    for argument in ("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                     "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-extensions",
                     f"--user-data-dir={tmp_path / 'chromium-profile'}", "--window-size=1400,1000"):
        options.add_argument(argument)
    options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    driver = webdriver.Chrome(service=Service(str(CHROMEDRIVER)), options=options)
    driver.set_page_load_timeout(60)
    try:
        yield driver
    finally:
        driver.quit()


@pytest.fixture
def hostile_report(tmp_path, monkeypatch) -> Path:
    """A report from a store holding a review with ``<script>alert(1)</script>`` in it."""
    from cxtext_report.testing import TOUCHPOINTS, build_sample_store, render_store

    monkeypatch.setenv(plugins.ALLOW_LIST_ENV, "kpis,report,sentiment,themes,effort")  # other plugins may be mid-change
    plugins.get_plugin_manager.cache_clear()
    try:
        with build_sample_store(tmp_path / "cx.db", n=200, hostile=True) as store:
            return render_store(store, tmp_path / "report.html", title="Lumen Mobile <b>CX</b>",
                                         config=ProjectConfig(report={"touchpoints": TOUCHPOINTS}))
    finally:
        plugins.get_plugin_manager.cache_clear()


@pytest.fixture
def demo_report(tmp_path, monkeypatch) -> Path:
    """The report of the real demo survey, reviews and posts (not analysed: no model runs in a
    test), review LR-0031's ``<script>alert(1)</script>`` among the most-amplified voices."""
    from cxtext_report.testing import render_demo_report

    monkeypatch.setenv(plugins.ALLOW_LIST_ENV, "kpis,report,survey,reviews,social")
    plugins.get_plugin_manager.cache_clear()
    try:
        return render_demo_report(Path(__file__).resolve().parents[1] / "cxtext" / "demo", tmp_path,
                                  sources=("survey", "reviews", "social"))
    finally:
        plugins.get_plugin_manager.cache_clear()


def _open_and_draw(browser, report: Path, minimum: int) -> int:
    """Open the report, wait until every figure is drawn, check no alert and no console error."""
    from selenium.common.exceptions import NoAlertPresentException
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import WebDriverWait

    browser.get(report.resolve().as_uri())
    expected = len(browser.find_elements(By.CSS_SELECTOR, "[data-figure]"))
    assert expected >= minimum

    def drawn(driver) -> int:
        return driver.execute_script(
            "return Array.from(document.querySelectorAll('[data-figure]'))"
            ".filter(el => el.querySelector('.plotly .main-svg')).length"
        )

    WebDriverWait(browser, 30).until(lambda d: drawn(d) == expected)
    assert len(browser.find_elements(By.CSS_SELECTOR, ".plotly .main-svg")) >= expected
    with pytest.raises(NoAlertPresentException):
        browser.switch_to.alert.text
    errors = [entry for entry in browser.get_log("browser") if entry["level"] == "SEVERE"]
    assert errors == []
    return expected


def test_demo_report_shows_the_script_review_as_text(browser, demo_report, tmp_path):
    from selenium.webdriver.common.by import By

    _open_and_draw(browser, demo_report, 5)  # journey, plan, region, overall and touchpoint trends
    assert browser.execute_script("return document.querySelectorAll('.plotly .point, .plotly .scatterlayer path').length") > 5
    body = browser.execute_script("return document.body.innerText")
    assert "<script>alert(1)</script>" in body
    voices = browser.find_element(By.ID, "voices").text
    assert "Input validation?" in voices and "<script>alert(1)</script>" in voices
    # Only the report's own scripts: the inline plotly.js, the loader, and figure JSON.
    assert browser.execute_script(
        "return Array.from(document.scripts).filter(s => !s.type && !s.text.includes('Plotly')).length"
    ) == 0
    _save_screenshot(browser, tmp_path / "demo.png", "demo.png")


def test_report_renders_in_chromium(browser, hostile_report, tmp_path):
    from cxtext_report.testing import HOSTILE_SEGMENT
    from selenium.webdriver.common.by import By

    # Journey, 2 segments, theme matrix, 2 trends, effort, sentiment.
    _open_and_draw(browser, hostile_report, 8)
    # Bars, markers and lines were actually drawn, not just empty axes.
    assert browser.execute_script("return document.querySelectorAll('.plotly .point, .plotly .scatterlayer path').length") > 20

    body = browser.find_element(By.TAG_NAME, "body").text
    assert "<script>alert(1)</script>" in body  # the attack is visible as text...
    assert '"onerror=alert(2)"' in body
    assert "<img src=x onerror=alert(3)>" in body
    assert browser.title == "Lumen Mobile <b>CX</b>"
    assert browser.execute_script("return document.querySelectorAll('img, iframe, b').length") == 0  # ...not as tags
    chart_text = browser.execute_script(
        "return Array.from(document.querySelectorAll('.plotly text')).map(t => t.textContent).join(' | ')"
    )
    # Chart labels show a markup segment value as its characters (not as entities, not dropped;
    # long category labels are clipped to 24 characters).
    assert "Billing" in chart_text and HOSTILE_SEGMENT[:23] in chart_text and "&lt;" not in chart_text
    assert browser.execute_script("return document.querySelectorAll('.plotly svg a, .plotly svg b').length") == 0

    _save_screenshot(browser, tmp_path / "report.png")


def _save_screenshot(browser, path: Path, name: str = "report.png") -> None:
    height = browser.execute_script("return document.documentElement.scrollHeight")
    browser.set_window_size(1400, min(int(height), 16000))
    browser.save_screenshot(str(path))
    assert path.stat().st_size > 50_000
    folder = os.environ.get("CXTEXT_SCREENSHOT_DIR")
    if folder:
        Path(folder).mkdir(parents=True, exist_ok=True)
        shutil.copy(path, Path(folder) / name)
