"""kill -9 during ingest and analyze loses nothing and duplicates nothing.

The command runs in a child process that is killed with SIGKILL part-way; the store
must then hold the file whole or not at all (ingest) or only whole batches (analyze),
and running the command again must give the same store as an uninterrupted run.
"""

from __future__ import annotations

import csv
import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

pytestmark = pytest.mark.skipif(not hasattr(signal, "SIGKILL"), reason="needs SIGKILL")


def write_survey(path: Path, rows: int) -> Path:
    with open(path, "w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(["Response ID", "NPS", "Comment"])
        for i in range(rows):
            writer.writerow([i, i % 11, f"I waited on hold for {i % 50} minutes and had to call back, ticket {i}"])
    return path


def cxtext(*args: str, plugins: str) -> subprocess.Popen:
    env = {**os.environ, "CXTEXT_LOAD_PLUGINS": plugins}
    return subprocess.Popen([sys.executable, "-m", "cxtext", *map(str, args)], env=env,
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)


def rows(db: Path, sql: str) -> list[tuple]:
    conn = sqlite3.connect(db)
    try:
        return sorted(conn.execute(sql).fetchall(), key=lambda row: [("" if v is None else str(v)) for v in row])
    except sqlite3.OperationalError:  # killed before the schema was written
        return []
    finally:
        conn.close()


def kill_when(process: subprocess.Popen, ready, limit: float = 120) -> bool:
    """SIGKILL ``process`` as soon as ``ready()`` is true; False if it finished first."""
    deadline = time.monotonic() + limit
    while process.poll() is None and time.monotonic() < deadline:
        if ready():
            process.send_signal(signal.SIGKILL)
            process.wait()
            return True
        time.sleep(0.02)
    process.wait()
    return False


def test_kill9_during_ingest_keeps_the_file_whole_or_absent(tmp_path):
    source = write_survey(tmp_path / "survey.csv", 30_000)
    db = tmp_path / "cx.db"
    started = time.monotonic()
    for delay in (0.4, 1.0, 1.8):  # while reading, and (on a fast machine) while merging
        process = cxtext("ingest", source, "--db", db, "--source", "survey", plugins="survey")
        killed = kill_when(process, lambda: time.monotonic() - started > delay)
        count = rows(db, "select count(*) from records")
        imports = rows(db, "select rows_read, records_new from imports")
        assert count in ([], [(0,)], [(30_000,)]), count  # all or nothing
        assert len(imports) <= 1 and (not imports or imports[0] == (30_000, 30_000))
        started = time.monotonic()
        if not killed:
            break
    finished = cxtext("ingest", source, "--db", db, "--source", "survey", plugins="survey")
    assert finished.wait(120) == 0, finished.stderr.read().decode()
    reference = tmp_path / "reference.db"
    assert cxtext("ingest", source, "--db", reference, "--source", "survey", plugins="survey").wait(120) == 0
    sql = "select id, text, scores from records"
    assert rows(db, sql) == rows(reference, sql)
    assert rows(db, "select count(*) from imports where finished_at is not null")[0][0] >= 1


@pytest.mark.slow
def test_kill9_during_analyze_keeps_whole_batches_and_resumes_to_the_same_result(tmp_path, monkeypatch):
    from cxtext import plugins
    from cxtext.analyze import analyze_store
    from cxtext.config import ProjectConfig
    from cxtext.store import Store
    from cxtext.testing import load_only

    source = write_survey(tmp_path / "survey.csv", 120)
    db, reference = tmp_path / "cx.db", tmp_path / "reference.db"
    for path in (db, reference):
        assert cxtext("ingest", source, "--db", path, "--source", "survey", plugins="survey").wait(60) == 0
    analyze = ("analyze", "--analyzer", "effort", "--batch-size", "4")
    process = cxtext(*analyze, "--db", db, plugins="effort")
    killed = kill_when(process, lambda: rows(db, "select count(*) from analysis_log where analyzer = 'effort'")
                       not in ([], [(0,)]))
    if killed:
        done = {r[0] for r in rows(db, "select record_id from analysis_log where analyzer = 'effort'")}
        with_signals = {r[0] for r in rows(db, "select distinct record_id from signals where analyzer = 'effort'")}
        assert with_signals <= done  # no signals from a batch that was not finished
        assert len(done) < 120
    assert cxtext(*analyze, "--db", db, plugins="effort").wait(300) == 0
    load_only(monkeypatch, "effort")  # the uninterrupted run, in this process (one model load fewer)
    try:
        with Store(reference) as store:
            analyze_store(store, ProjectConfig(), names=["effort"], batch_size=4)
    finally:
        plugins.get_plugin_manager.cache_clear()
    sql = "select record_id, sentence_id, kind, label, round(score, 6), data from signals where analyzer = 'effort'"
    assert rows(db, sql) == rows(reference, sql)
    assert rows(db, "select count(*) from analysis_log where analyzer = 'effort'") == [(120,)]
