"""`cxtext serve`: Datasette over a store, with views, sentence search, metadata and canned queries.

The queries run through Datasette's own in-process client on the synthetic Lumen store
(cxtext_report.testing); the browser test starts the real `cxtext serve` and opens three
pages in headless Chromium. Both skip when the `serve` extra is not installed.
"""

from __future__ import annotations

import asyncio
import json
import os
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest
from click.testing import CliRunner

from cxtext import plugins
from cxtext.cli import cli

CHROMIUM = Path("/usr/bin/chromium")
CHROMEDRIVER = Path("/usr/bin/chromedriver")


@pytest.fixture(scope="module")
def served_store(tmp_path_factory) -> tuple[Path, Path]:
    """The sample store prepared by `cxtext serve --prepare-only`: (database, metadata)."""
    from cxtext_report.testing import build_sample_store

    folder = tmp_path_factory.mktemp("serve")
    with pytest.MonkeyPatch.context() as patch:
        # The views and canned queries come from the plugins that write the signals.
        patch.setenv(plugins.ALLOW_LIST_ENV, "kpis,report,sentiment,themes,effort")
        plugins.get_plugin_manager.cache_clear()
        with build_sample_store(folder / "cx.db", n=240):
            pass
        result = CliRunner().invoke(cli, ["serve", "--db", str(folder / "cx.db"), "--prepare-only"])
        plugins.get_plugin_manager.cache_clear()
    assert result.exit_code == 0, result.output
    return folder / "cx.db", folder / "cx.metadata.json"


def _get(served_store, path: str) -> dict:
    datasette = pytest.importorskip("datasette.app", reason="the serve extra is not installed (pip install -e .[serve])")
    db, metadata = served_store
    app = datasette.Datasette([str(db)], metadata=json.loads(metadata.read_text(encoding="utf-8")))
    response = asyncio.run(app.client.get(path))
    assert response.status_code == 200, response.text[:300]
    return response.json()


def test_metadata_describes_tables_columns_units_and_licence(served_store):
    metadata = json.loads(served_store[1].read_text(encoding="utf-8"))
    assert metadata["license"] and metadata["source"]
    tables = metadata["databases"]["cx"]["tables"]
    assert "sentence x theme" in tables["theme_verbatims"]["description"]
    assert tables["theme_verbatims"]["columns"]["nps"].startswith("Likelihood to recommend")
    assert tables["theme_verbatims"]["columns"]["segment_plan"] == "Segment 'plan'"
    assert tables["effort_evidence"]["units"] == {"duration_minutes": "min"}
    assert set(metadata["databases"]["cx"]["queries"]) == {
        "detractor_verbatims", "effort_evidence_by_driver", "theme_trend_by_month", "segment_verbatims"}


@pytest.mark.parametrize("query, params", [
    ("detractor_verbatims", "touchpoint=Billing&theme="),
    ("detractor_verbatims", "touchpoint=&theme=billing_error"),
    ("effort_evidence_by_driver", "driver=waiting"),
    ("theme_trend_by_month", "theme=app_crash"),
    ("segment_verbatims", "segment=plan&value=Business"),
])
def test_canned_queries_return_rows(served_store, query, params):
    rows = _get(served_store, f"/cx/{query}.json?{params}&_shape=objects")["rows"]
    assert rows
    if query == "detractor_verbatims":
        assert all(row["nps"] <= 6 for row in rows)
    if query == "effort_evidence_by_driver":
        assert {row["driver"] for row in rows} == {"waiting"}
    if query == "theme_trend_by_month":
        assert all(0 < row["share_pct"] <= 100 for row in rows)


def test_theme_rows_carry_text_touchpoint_segments_scores_and_sentiment(served_store):
    data = _get(served_store, "/cx/theme_verbatims.json?_facet=touchpoint&_shape=objects&_size=5")
    row = data["rows"][0]
    for column in ("sentence", "record_text", "touchpoint", "segment_plan", "segment_region", "nps", "sentence_sentiment"):
        assert column in row
    facet = {value["value"]: value["count"] for value in data["facet_results"]["touchpoint"]["results"]}
    assert {"Billing", "Support", "App"} <= set(facet)
    billing = _get(served_store, "/cx/theme_verbatims.json?touchpoint=Billing&_shape=objects&_size=max")["rows"]
    assert len(billing) == facet["Billing"] and all(r["touchpoint"] == "Billing" for r in billing)
    record_rows = _get(served_store, "/cx/record_theme_verbatims.json?_shape=objects&_size=1")["rows"]
    assert record_rows[0]["text"]


def test_sentences_and_theme_rows_are_full_text_searchable(served_store):
    found = _get(served_store, "/cx/sentences.json?_search=engineer&_shape=objects&_size=max")["rows"]
    assert found and all("engineer" in row["text"].lower() for row in found)
    themed = _get(served_store, "/cx/theme_verbatims.json?_search=engineer&_shape=objects&_size=max")["rows"]
    assert themed and all("engineer" in row["sentence"].lower() for row in themed)


def test_prepare_is_idempotent(served_store):
    db, _ = served_store
    for _ in range(2):
        result = CliRunner().invoke(cli, ["serve", "--db", str(db), "--prepare-only"])
        assert result.exit_code == 0, result.output


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.mark.browser
def test_cxtext_serve_in_chromium_facet_and_search(served_store, tmp_path, monkeypatch):
    pytest.importorskip("datasette", reason="the serve extra is not installed (pip install -e .[serve])")
    if not (CHROMIUM.exists() and CHROMEDRIVER.exists()):
        pytest.skip("headless Chromium is not installed (apt-get install chromium chromium-driver)")
    webdriver = pytest.importorskip("selenium.webdriver")
    from selenium.webdriver.chrome.service import Service
    from selenium.webdriver.common.by import By

    db, _ = served_store
    port = _free_port()
    command = Path(sys.executable).with_name("cxtext")  # the installed console script
    # The views and canned queries come from the plugins that write the signals.
    environment = {**os.environ, plugins.ALLOW_LIST_ENV: "kpis,report,sentiment,themes,effort"}
    server = subprocess.Popen([str(command), "serve", "--db", str(db), "--port", str(port)], env=environment,
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    base = f"http://127.0.0.1:{port}"
    monkeypatch.setenv("SE_OFFLINE", "true")
    options = webdriver.ChromeOptions()
    options.binary_location = str(CHROMIUM)
    for argument in ("--headless=new", "--no-sandbox", "--disable-gpu", "--window-size=1440,1000",
                     f"--user-data-dir={tmp_path / 'profile'}"):
        options.add_argument(argument)
    driver = None
    try:
        for _ in range(100):  # Datasette starts in a second or two
            try:
                urllib.request.urlopen(base + "/-/versions.json", timeout=1)
                break
            except OSError:
                time.sleep(0.2)
        driver = webdriver.Chrome(service=Service(str(CHROMEDRIVER)), options=options)
        driver.get(base + "/cx")
        assert "theme_verbatims" in driver.page_source and "Detractor verbatims" in driver.page_source
        driver.get(base + "/cx/theme_verbatims?_facet=touchpoint")
        facet = driver.find_element(By.CSS_SELECTOR, '.facet-info[data-column="touchpoint"]')
        assert "Billing" in facet.text
        facet.find_element(By.PARTIAL_LINK_TEXT, "Billing").click()
        assert "touchpoint = Billing" in driver.find_element(By.CSS_SELECTOR, ".filters, form.filters").text or \
            "touchpoint=Billing" in driver.current_url
        cells = [c.text for c in driver.find_elements(By.CSS_SELECTOR, "td.col-touchpoint")]
        assert cells and set(cells) == {"Billing"}
        driver.get(base + "/cx/sentences?_search=engineer")
        from selenium.webdriver.support.ui import WebDriverWait

        WebDriverWait(driver, 10).until(lambda d: d.find_elements(By.CSS_SELECTOR, "td.col-text"))
        assert "rows where search matches" in driver.find_element(By.TAG_NAME, "body").text
        texts = [c.text for c in driver.find_elements(By.CSS_SELECTOR, "td.col-text")]
        assert texts and all("engineer" in t.lower() for t in texts)
    finally:
        if driver is not None:
            driver.quit()
        server.terminate()
        server.wait(timeout=10)
