"""How long the interactive HTML report takes to load in headless Chromium, by store size.

    .venv/bin/python benchmarks/bench_report_browser.py --records 10000

Builds the synthetic Lumen store (cxtext_report.testing) of that many records, renders the
report, opens it three times in headless Chromium at 1440 px and prints the file size, the
render time and each load time (navigation start to the end of the load event, the page's
scripts included). Needs /usr/bin/chromium and /usr/bin/chromedriver.
"""

from __future__ import annotations

import argparse
import os
import tempfile
import time
from pathlib import Path


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--records", type=int, default=10_000)
    parser.add_argument("--loads", type=int, default=3)
    args = parser.parse_args()
    from cxtext import Project, plugins
    os.environ[plugins.ALLOW_LIST_ENV] = "kpis,report,sentiment,themes,effort"  # the analyzers declare the columns
    from cxtext.config import ProjectConfig
    from cxtext_report.html import HtmlReporter
    from cxtext_report.testing import TOUCHPOINTS, build_sample_store
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    folder = Path(tempfile.mkdtemp())
    started = time.perf_counter()
    with build_sample_store(folder / "cx.db", n=args.records) as store:
        built = time.perf_counter()
        with Project(store.path, ProjectConfig(report={"touchpoints": TOUCHPOINTS})) as project:
            out = HtmlReporter().render(project, folder / "report.html")
        records = store.count_records()
    rendered = time.perf_counter()
    print(f"records {records}; store built in {built - started:.1f} s; report rendered in {rendered - built:.1f} s; "
          f"file {out.stat().st_size / 1e6:.1f} MB")
    options = webdriver.ChromeOptions()
    options.binary_location = "/usr/bin/chromium"
    for argument in ("--headless=new", "--no-sandbox", "--disable-gpu", "--window-size=1440,1000",
                     f"--user-data-dir={folder / 'profile'}"):
        options.add_argument(argument)
    os.environ["SE_OFFLINE"] = "true"
    driver = webdriver.Chrome(service=Service("/usr/bin/chromedriver"), options=options)
    try:
        for attempt in range(args.loads):
            driver.get(out.as_uri())
            ready = driver.execute_script("return document.body.dataset.explorerReady === '1'")
            load = driver.execute_script("return performance.getEntriesByType('navigation')[0].loadEventEnd")
            print(f"load {attempt + 1}: {load:.0f} ms (explorer ready: {ready})")
    finally:
        driver.quit()


if __name__ == "__main__":
    main()
