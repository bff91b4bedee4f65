"""Reports rendered from synthetic stores (see cxtext_report.testing), the full one once per session."""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

from cxtext import plugins
from cxtext.config import ProjectConfig
from cxtext_report.testing import TOUCHPOINTS, build_sample_store, render_store


@contextmanager
def report_plugins_only() -> Iterator[None]:
    """Load just the KPI and report plugins (other plugins may be mid-change in a shared tree)."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv(plugins.ALLOW_LIST_ENV, "kpis,report,sentiment,themes,effort")
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
        out = render_store(store, folder / "report.html", config=journey_config(),
                                    title='Lumen <Mobile> "CX" & co')
    return out.read_text(encoding="utf-8")


@pytest.fixture(scope="session")
def full_report(tmp_path_factory) -> str:
    """Scores and every signal, plus an XSS attempt in a review and markup in a theme label."""
    return render(tmp_path_factory, "full", n=240, hostile=True)


CHROMIUM = Path("/usr/bin/chromium")
CHROMEDRIVER = Path("/usr/bin/chromedriver")


@pytest.fixture(scope="module")
def chromium(tmp_path_factory):
    """Headless Chromium at 1440 px, offline: selenium-manager never looks for a driver."""
    if not (CHROMIUM.exists() and CHROMEDRIVER.exists()):
        pytest.skip("headless Chromium is not installed (apt-get install chromium chromium-driver)")
    webdriver = pytest.importorskip("selenium.webdriver", reason="selenium is not installed (pip install -e .[dev])")
    from selenium.webdriver.chrome.service import Service

    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("SE_OFFLINE", "true")
        patch.setenv("SE_AVOID_STATS", "true")
        options = webdriver.ChromeOptions()
        options.binary_location = str(CHROMIUM)
        profile = tmp_path_factory.mktemp("chromium-profile")
        for argument in ("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                         "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-extensions",
                         f"--user-data-dir={profile}", "--window-size=1440,1000"):
            options.add_argument(argument)
        options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
        driver = webdriver.Chrome(service=Service(str(CHROMEDRIVER)), options=options)
    driver.set_page_load_timeout(120)
    try:
        yield driver
    finally:
        driver.quit()


def save_screenshot(browser, path: Path) -> Path:
    """A full-page screenshot at ``path``, copied to ``$CXTEXT_SCREENSHOT_DIR`` when that is set."""
    height = browser.execute_script("return document.documentElement.scrollHeight")
    browser.set_window_size(1440, min(int(height), 16000))
    browser.save_screenshot(str(path))
    browser.set_window_size(1440, 1000)
    folder = os.environ.get("CXTEXT_SCREENSHOT_DIR")
    if folder:
        Path(folder).mkdir(parents=True, exist_ok=True)
        shutil.copy(path, Path(folder) / path.name)
    return path
