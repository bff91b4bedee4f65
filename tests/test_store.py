"""The store: schema, atomic imports, idempotent upserts, full-text search, migrations."""

import sqlite3

import pytest

from cxtext.errors import InputError
from cxtext.records import Record
from cxtext.store import SCHEMA_VERSION, Store


def records(n, start=0, kind="survey"):
    return [Record(kind, f"The engineer was lovely, number {i}", "demo", source_id=str(i),
                   scores={"nps": i % 11}, segments={"plan": "Essential"}) for i in range(start, start + n)]


def ingest(store, items):
    return store.ingest(iter(items), path="x.csv", source="survey", dataset="demo", file_sha256="0")


def test_ingest_then_reingest_adds_nothing(store):
    first = ingest(store, records(10))
    assert (first.rows_read, first.records_new) == (10, 10)
    again = ingest(store, records(10))
    assert (again.records_new, again.records_unchanged) == (0, 10)
    assert store.count_records() == 10


def test_records_round_trip(store):
    ingest(store, records(3))
    record = store.get_record(records(1)[0].id)
    assert record == records(1)[0]
    assert [r.id for r in store.get_records([records(3)[2].id, records(3)[0].id])] == [records(3)[2].id, records(3)[0].id]


def test_failed_import_leaves_store_unchanged(store):
    ingest(store, records(5))

    def broken():
        yield from records(3000, start=100)  # more than one chunk already written
        raise ValueError("row 3101 is bad")

    with pytest.raises(ValueError):
        store.ingest(broken(), path="y.csv", source="survey", dataset="demo", file_sha256="1")
    assert store.count_records() == 5
    assert store.conn.execute("select count(*) from imports").fetchone()[0] == 1


def test_full_text_search(store):
    ingest(store, records(3) + [Record("review", "The router arrived broken", "demo", source_id="r1")])
    assert [r.source_id for r in store.search("router")] == ["r1"]


def test_wal_mode_and_schema_version(tmp_path):
    with Store(tmp_path / "cx.db") as store:
        assert store.conn.execute("pragma journal_mode").fetchone()[0] == "wal"
        assert store.schema_version == SCHEMA_VERSION


def test_newer_schema_is_refused(tmp_path):
    path = tmp_path / "cx.db"
    Store(path).close()
    conn = sqlite3.connect(path)
    conn.execute("update meta set value = '999' where key = 'schema_version'")
    conn.commit()
    conn.close()
    with pytest.raises(InputError, match="newer cxtext"):
        Store(path)


def test_embedding_cache_round_trip(store):
    import numpy as np

    vector = np.arange(4, dtype=np.float32)
    store.save_embeddings("m", {"abc": vector})
    assert np.array_equal(store.cached_embeddings(["abc", "zzz"], "m")["abc"], vector)
    assert store.cached_embeddings(["abc"], "other-model") == {}


def test_stable_ids_without_source_id():
    a = Record("survey", "same text", "demo", source_row=4)
    b = Record("survey", "same text", "demo", source_row=4)
    c = Record("survey", "same text", "demo", source_row=5)
    assert a.id == b.id != c.id
