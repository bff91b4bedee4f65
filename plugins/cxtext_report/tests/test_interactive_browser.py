"""The report's interactive part in headless Chromium: the filter bar, theme drill-down and
verbatim explorer change what the page shows, and hostile text stays text.

The store is the synthetic Lumen Mobile one (see cxtext_report.testing) with an XSS attempt
in a verbatim, in a theme label and in a segment value, built and rendered once per module.
Screenshots go to the test's temporary folder and to ``$CXTEXT_SCREENSHOT_DIR`` when set.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from cxtext_report.testing import HOSTILE_SEGMENT, HOSTILE_TEXT, HOSTILE_THEME, build_sample_store, render_store

from .conftest import journey_config, report_plugins_only, save_screenshot

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def hostile_page(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("interactive")
    with report_plugins_only(), build_sample_store(folder / "cx.db", n=240, hostile=True) as store:
        return render_store(store, folder / "report.html", config=journey_config(), title="Lumen Mobile")


@pytest.fixture
def page(chromium, hostile_page):
    from selenium.webdriver.support.ui import WebDriverWait

    chromium.get(hostile_page.resolve().as_uri())
    WebDriverWait(chromium, 30).until(lambda d: d.execute_script("return document.body.dataset.explorerReady === '1'"))
    return chromium


def _card(browser, name: str) -> str:
    return browser.execute_script(
        "var c = document.querySelector('#live-cards [data-card=\"' + arguments[0] + '\"] .value'); return c && c.textContent;",
        name)


def _explorer_column(browser, index: int) -> list[str]:
    return browser.execute_script(
        "return Array.from(document.querySelectorAll('#explorer-rows tr')).map(r => r.children[arguments[0]].textContent)",
        index)


def _chart_x(browser) -> list[float]:
    return browser.execute_script("return Array.from(document.getElementById('chart-theme-sentiment').data[0].x)")


def _choose(browser, key: str, value: str) -> None:
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import Select

    Select(browser.find_element(By.CSS_SELECTOR, f'select[data-filter="{key}"]')).select_by_value(value)


def _click(browser, selector: str) -> None:
    """Scroll the element to the middle (clear of the sticky contents bar), then click it as a user would."""
    from selenium.webdriver.common.by import By

    element = browser.find_element(By.CSS_SELECTOR, selector)
    browser.execute_script("arguments[0].scrollIntoView({block: 'center', behavior: 'instant'})", element)
    element.click()


def _no_alert_and_no_error(browser) -> None:
    from selenium.common.exceptions import NoAlertPresentException

    with pytest.raises(NoAlertPresentException):
        browser.switch_to.alert.text
    assert [e for e in browser.get_log("browser") if e["level"] == "SEVERE"] == []
    assert browser.execute_script("return document.querySelectorAll('img, iframe, b').length") == 0


def test_touchpoint_filter_and_theme_drill_down_change_cards_chart_and_explorer(page, tmp_path):
    from selenium.webdriver.common.by import By

    records, chart = _card(page, "Records"), _chart_x(page)
    _choose(page, "touchpoint", "Billing")
    assert _card(page, "Records") != records
    assert _chart_x(page) != chart
    touchpoints = _explorer_column(page, 5)
    assert touchpoints and all(cell.startswith("Billing") for cell in touchpoints)
    billing_records = _card(page, "Records")

    _click(page, '.theme-button[data-theme="billing_error"]')
    assert page.find_element(By.ID, "drill-title").text == "Wrong or double bill"
    assert "negative" in page.find_element(By.ID, "drill-split").text
    themes = _explorer_column(page, 1)
    assert themes and all("Wrong or double bill" in cell for cell in themes)
    assert int(_card(page, "Records").replace(",", "")) < int(billing_records.replace(",", ""))
    assert "theme Wrong or double bill" in page.find_element(By.ID, "filter-summary").text
    save_screenshot(page, tmp_path / "interactive-drilldown.png")
    _no_alert_and_no_error(page)


def test_search_finds_the_verbatim_and_paging_moves_on(page):
    from selenium.webdriver.common.by import By

    first = _explorer_column(page, 0)
    _click(page, "#explorer-next")
    assert _explorer_column(page, 0) != first
    search = page.find_element(By.ID, "explorer-search")
    search.send_keys("crashed")
    page.implicitly_wait(0)
    from selenium.webdriver.support.ui import WebDriverWait

    WebDriverWait(page, 5).until(lambda d: any("crashed" in c for c in _explorer_column(d, 0)))
    assert all("crash" in c.lower() or "crash" in t.lower()
               for c, t in zip(_explorer_column(page, 0), _explorer_column(page, 1)))
    assert HOSTILE_TEXT in _explorer_column(page, 0)  # the XSS verbatim, as its characters
    # The effort evidence in it is highlighted, as text.
    assert "broke" in [m.text for m in page.find_elements(By.CSS_SELECTOR, "#explorer-rows mark")]
    _no_alert_and_no_error(page)


def test_markup_in_a_segment_value_and_a_theme_label_stays_text(page):
    from selenium.webdriver.common.by import By

    options = page.execute_script(
        "return Array.from(document.querySelectorAll('select[data-filter=\"segment:region\"] option')).map(o => o.textContent)")
    assert HOSTILE_SEGMENT in options
    _choose(page, "segment:region", HOSTILE_SEGMENT)
    assert all(HOSTILE_SEGMENT in cell for cell in _explorer_column(page, 5))
    _click(page, f'.theme-button[data-theme="{HOSTILE_THEME[0]}"]')
    assert page.find_element(By.ID, "drill-title").text == HOSTILE_THEME[1]
    labels = page.execute_script(
        "return Array.from(document.querySelectorAll('#chart-theme-sentiment text')).map(t => t.textContent).join(' | ')")
    assert "&lt;" not in labels
    _no_alert_and_no_error(page)


@pytest.fixture(scope="module")
def demo_page(tmp_path_factory) -> Path:
    """The report of the real demo survey, reviews and posts (not analysed: no model runs in a test)."""
    from cxtext import plugins
    from cxtext_report.testing import render_demo_report

    folder = tmp_path_factory.mktemp("demo")
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv(plugins.ALLOW_LIST_ENV, "kpis,report,survey,reviews,social")
        plugins.get_plugin_manager.cache_clear()
        try:
            return render_demo_report(Path(__file__).resolve().parents[3] / "cxtext" / "demo", folder,
                                      sources=("survey", "reviews", "social"))
        finally:
            plugins.get_plugin_manager.cache_clear()


def test_demo_report_loads_fast_and_its_filters_work(chromium, demo_page, tmp_path):
    from selenium.webdriver.support.ui import WebDriverWait

    timings = []
    for _ in range(2):  # the better of two loads: the first also warms the browser's own caches
        chromium.get(demo_page.resolve().as_uri())
        WebDriverWait(chromium, 30).until(lambda d: d.execute_script("return document.body.dataset.explorerReady === '1'"))
        timings.append(chromium.execute_script(
            "var t = performance.getEntriesByType('navigation')[0]; return t.loadEventEnd || performance.now();"))
    assert min(timings) < 3000, f"the demo report took {min(timings):.0f} ms to load"
    records = _card(chromium, "Records")
    touchpoints = chromium.execute_script(
        "return Array.from(document.querySelectorAll('select[data-filter=\"touchpoint\"] option')).map(o => o.value).filter(Boolean)")
    assert touchpoints
    _choose(chromium, "touchpoint", touchpoints[0])
    assert _card(chromium, "Records") != records
    assert all(cell.startswith(touchpoints[0]) for cell in _explorer_column(chromium, 5))
    _choose(chromium, "touchpoint", "")
    save_screenshot(chromium, tmp_path / "demo.png")
    _no_alert_and_no_error(chromium)
