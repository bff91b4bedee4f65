"""How long a large import holds the store's write lock (the merge), against its whole run.

Writes a survey CSV of N rows to a temporary folder, ingests it, and times the whole
import and the final merge transaction (the only part that holds the write lock;
reading and staging hold none). Meanwhile a second writer saves a tiny analysis
every 0.5 s and records how long each write waited.

    python benchmarks/bench_import_lock.py 200000
"""

from __future__ import annotations

import csv
import sys
import tempfile
import threading
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from cxtext import store as store_module  # noqa: E402
from cxtext.ingest import ingest_path  # noqa: E402
from cxtext.store import Store  # noqa: E402


def main(rows: int) -> None:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "survey.csv"
        with open(path, "w", newline="", encoding="utf-8") as handle:
            writer = csv.writer(handle)
            writer.writerow(["Response ID", "NPS", "Comment"])
            for i in range(rows):
                writer.writerow([i, i % 11, f"I waited {i % 60} minutes on hold and the refund took weeks ({i})"])
        db = Path(folder) / "cx.db"
        Store(db).close()
        merge = {}
        original = store_module.Store._merge_staged

        def timed_merge(self, *args, **kwargs):
            started = time.monotonic()
            original(self, *args, **kwargs)
            merge["seconds"] = time.monotonic() - started

        store_module.Store._merge_staged = timed_merge
        waits: list[float] = []
        done = threading.Event()

        def second_writer():
            with Store(db, on_wait=lambda *_: None) as other:
                while not done.is_set():
                    started = time.monotonic()
                    other.save_analysis("probe", "1", [], [])
                    waits.append(time.monotonic() - started)
                    time.sleep(0.5)

        probe = threading.Thread(target=second_writer)
        probe.start()
        started = time.monotonic()
        with Store(db) as store:
            result = ingest_path(store, path, source="survey")
        total = time.monotonic() - started
        done.set()
        probe.join()
        print(f"{rows} rows: import {total:.1f} s, write lock held {merge['seconds']:.1f} s (the merge); "
              f"second writer: {len(waits)} writes, longest wait {max(waits):.2f} s; records_new={result.records_new}")


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 200_000)
