"""Two writers at once: a long import does not lock others out, and a held lock is waited for."""

from __future__ import annotations

import sqlite3
import threading
import time

import pytest

from cxtext.errors import InputError
from cxtext.records import Record
from cxtext.store import Store


def records(dataset: str, n: int, pause: float = 0.0, started: threading.Event | None = None):
    for i in range(n):
        if i == n // 2 and started:
            started.set()  # half-way through reading the file
            time.sleep(pause)
        yield Record(source_kind="survey", text=f"{dataset} answer {i}", dataset=dataset, source_id=str(i))


def ingest(store: Store, dataset: str, rows):
    return store.ingest(rows, path=f"{dataset}.csv", source="survey", dataset=dataset, file_sha256=dataset,
                        chunk_size=100)


def test_second_writer_during_a_long_import_succeeds_and_readers_see_it_whole(tmp_path):
    path = tmp_path / "cx.db"
    Store(path).close()
    halfway = threading.Event()
    results = {}

    def long_import():
        with Store(path) as store:
            results["long"] = ingest(store, "big", records("big", 2000, pause=1.5, started=halfway))

    worker = threading.Thread(target=long_import)
    worker.start()
    assert halfway.wait(10)
    with Store(path, lock_timeout=5) as other:
        started = time.monotonic()
        small = ingest(other, "small", records("small", 3))
        assert time.monotonic() - started < 1.0  # not blocked behind the long import
        assert small.records_new == 3
        assert other.count_records("dataset = 'big'") == 0  # the half-read import is invisible
    worker.join(10)
    assert results["long"].records_new == 2000
    with Store(path) as store:
        assert store.count_records() == 2003


def test_writer_waits_for_a_held_lock_with_a_visible_retry(tmp_path):
    path = tmp_path / "cx.db"
    Store(path).close()
    holder = sqlite3.connect(path, isolation_level=None, check_same_thread=False)
    holder.execute("BEGIN IMMEDIATE")
    threading.Timer(2.0, lambda: holder.execute("COMMIT")).start()
    waits = []
    with Store(path, lock_timeout=30, on_wait=lambda waited, timeout: waits.append(waited)) as store:
        result = ingest(store, "small", records("small", 3))
    holder.close()
    assert result.records_new == 3
    assert waits and max(waits) >= 1.0


def test_writer_gives_up_after_the_timeout_and_explains(tmp_path):
    path = tmp_path / "cx.db"
    Store(path).close()
    holder = sqlite3.connect(path, isolation_level=None)
    holder.execute("BEGIN IMMEDIATE")
    try:
        with Store(path, lock_timeout=1, on_wait=lambda *_: None) as store:
            with pytest.raises(InputError, match="write lock"):
                ingest(store, "small", records("small", 3))
            assert store.count_records() == 0
    finally:
        holder.execute("ROLLBACK")
        holder.close()
