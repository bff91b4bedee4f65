"""The store: one plain SQLite file (through sqlite-utils) that every stage reads and writes.

Data flows one way through it: ``records`` (from sources) -> ``sentences`` ->
``signals`` (from analyzers, with model name and version on every row) -> KPIs and
reports. Writes that belong together happen in one transaction, so an import lands
whole or not at all and an interrupted analysis keeps every finished batch.
"""

from __future__ import annotations

import hashlib
import json
import os
import sqlite3
import sys
import time
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

import numpy as np
import sqlite_utils

from cxtext.errors import IngestIssue, InputError
from cxtext.records import Record
from cxtext.signals import Sentence, Signal

SCHEMA_VERSION = 2
#: Seconds a write waits for another process's write lock before giving up, unless
#: ``Store(lock_timeout=...)`` or the ``CXTEXT_LOCK_TIMEOUT`` environment variable say otherwise.
DEFAULT_LOCK_TIMEOUT = 300.0
LOCK_TIMEOUT_ENV = "CXTEXT_LOCK_TIMEOUT"
#: How long one attempt to take the write lock blocks inside SQLite before cxtext reports it is waiting.
_LOCK_SLICE_MS = 1000
RECORD_COLUMNS = list(Record.__dataclass_fields__)
JSON_COLUMNS = ("segments", "scores", "engagement", "metadata")


@dataclass
class ImportResult:
    """What one ingest of one file did."""

    path: str
    source: str
    dataset: str
    rows_read: int = 0
    records_new: int = 0
    records_unchanged: int = 0
    issues: list[IngestIssue] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    import_id: int | None = None


def _now() -> str:
    return datetime.now(timezone.utc).isoformat(timespec="seconds")


def text_hash(text: str) -> str:
    """Key for caching anything computed from a piece of text alone (embeddings)."""
    return hashlib.sha1(text.encode("utf-8")).hexdigest()


# Each migration takes the store from version i to i + 1. Never edit a released one.
def _migration_1(db: sqlite_utils.Database) -> None:
    db["meta"].create({"key": str, "value": str}, pk="key", if_not_exists=True)
    db["imports"].create(
        {
            "id": int, "path": str, "file_sha256": str, "source": str, "dataset": str,
            "started_at": str, "finished_at": str, "rows_read": int, "records_new": int,
            "records_unchanged": int, "issues": str,
        },
        pk="id",
        if_not_exists=True,
    )
    columns: dict[str, Any] = {name: str for name in RECORD_COLUMNS}
    columns.update(turn_index=int, source_row=int, import_id=int)
    db["records"].create(columns, pk="id", if_not_exists=True)
    db["records"].create_index(["source_kind"], if_not_exists=True)
    db["records"].create_index(["dataset"], if_not_exists=True)
    db["records"].create_index(["conversation_id"], if_not_exists=True)
    db["records"].enable_fts(["text"], create_triggers=True, replace=True)
    db["sentences"].create(
        {"id": str, "record_id": str, "idx": int, "text": str, "start": int, "end": int, "text_hash": str},
        pk="id",
        if_not_exists=True,
    )
    db["sentences"].create_index(["record_id"], if_not_exists=True)
    db["signals"].create(
        {
            "id": int, "record_id": str, "sentence_id": str, "analyzer": str, "kind": str,
            "label": str, "score": float, "data": str, "model": str, "model_version": str,
            "created_at": str,
        },
        pk="id",
        if_not_exists=True,
    )
    db["signals"].create_index(["record_id"], if_not_exists=True)
    db["signals"].create_index(["kind", "label"], if_not_exists=True)
    db["signals"].create_index(["analyzer"], if_not_exists=True)
    db["analysis_log"].create(
        {"record_id": str, "analyzer": str, "version": str, "analyzed_at": str},
        pk=("record_id", "analyzer"),
        if_not_exists=True,
    )
    db["embeddings"].create(
        {"text_hash": str, "model": str, "dim": int, "vector": bytes},
        pk=("text_hash", "model"),
        if_not_exists=True,
    )


def _migration_2(db: sqlite_utils.Database) -> None:
    """Schema 2 added read-only browsing views. They now come from the plugins that write the
    signals (``register_views``; ``Project.prepare_views`` creates them), so a new store gets
    them on its first analysis; views a 0.1 store already has are replaced then."""


MIGRATIONS = [_migration_1, _migration_2]


class Store:
    """A cxtext store in one SQLite file.

    >>> store = Store("cx.db")          # created and migrated if new
    >>> store.count_records()
    0
    """

    def __init__(self, path: str | Path, *, lock_timeout: float | None = None,
                 on_wait: Callable[[float, float], None] | None = None) -> None:
        self.path = Path(path)
        self.lock_timeout = default_lock_timeout() if lock_timeout is None else float(lock_timeout)
        # Called with (seconds waited, timeout) while another process holds the write lock.
        self.on_wait = on_wait or _report_waiting(self.path)
        check_store_path(self.path)
        try:
            # Autocommit mode: transactions are explicit (see transaction()) so that an
            # import of any size is one BEGIN ... COMMIT, never committed half-way.
            conn = sqlite3.connect(str(self.path), isolation_level=None, check_same_thread=False)
        except sqlite3.Error as exc:
            raise store_error(self.path, exc) from None
        self.db = sqlite_utils.Database(conn)
        self.conn = conn
        try:
            self._with_lock_retry(lambda: conn.execute("PRAGMA journal_mode=WAL"))
            conn.execute("PRAGMA synchronous=NORMAL")
            # 64 MB of page cache: merging a large import into the records and full-text
            # indexes thrashes the 2 MB default (1M rows: merge 51 s -> 26 s).
            conn.execute("PRAGMA cache_size=-65536")
            conn.execute(f"PRAGMA busy_timeout={_LOCK_SLICE_MS}")
            self.migrate()
        except sqlite3.Error as exc:
            conn.close()
            raise store_error(self.path, exc) from None
        except InputError:
            conn.close()
            raise

    def close(self) -> None:
        self.conn.close()

    def __enter__(self) -> "Store":
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # --- schema -------------------------------------------------------------------

    @property
    def schema_version(self) -> int:
        if not self.db["meta"].exists():
            return 0
        row = self.conn.execute("select value from meta where key = 'schema_version'").fetchone()
        return int(row[0]) if row else 0

    def migrate(self) -> None:
        """Bring the schema up to :data:`SCHEMA_VERSION`, one migration at a time."""
        version = self.schema_version
        if version > SCHEMA_VERSION:
            raise InputError(
                f"the store was written by a newer cxtext (schema version {version}; this cxtext reads "
                f"up to {SCHEMA_VERSION}).",
                path=self.path,
                expected=f"a store of schema version {SCHEMA_VERSION} or older",
                hint="Upgrade cxtext (pip install -U cxtext) to open it, or pass --db with a new file.",
            )
        for number in range(version, SCHEMA_VERSION):
            with self.transaction():
                MIGRATIONS[number](self.db)
                self.conn.execute(
                    "insert or replace into meta (key, value) values ('schema_version', ?)", [str(number + 1)]
                )

    @contextmanager
    def transaction(self) -> Iterator[sqlite3.Connection]:
        """BEGIN IMMEDIATE ... COMMIT, rolled back on any exception (Ctrl-C included)."""
        if self.conn.in_transaction:  # nested: join the outer transaction
            yield self.conn
            return
        try:
            self._with_lock_retry(lambda: self.conn.execute("BEGIN IMMEDIATE"))
        except sqlite3.Error as exc:
            raise store_error(self.path, exc) from None
        try:
            yield self.conn
            self.conn.execute("COMMIT")
        except sqlite3.OperationalError as exc:
            self._rollback()
            if "readonly" in str(exc) or "read-only" in str(exc):  # a read-only file or folder
                raise store_error(self.path, exc) from None
            raise
        except BaseException:
            self._rollback()
            raise

    def _rollback(self) -> None:
        if self.conn.in_transaction:
            self.conn.execute("ROLLBACK")

    def _with_lock_retry(self, statement: Callable[[], Any]) -> Any:
        """Run ``statement``, retrying while another process holds the write lock.

        SQLite blocks each attempt for about a second (busy_timeout); between attempts
        ``on_wait`` tells the user, so a long import elsewhere shows as waiting, not as
        a hang. After ``lock_timeout`` seconds the lock error is explained.
        """
        started = time.monotonic()
        while True:
            try:
                return statement()
            except sqlite3.OperationalError as exc:
                if not _is_lock_error(exc):
                    raise
                waited = time.monotonic() - started
                if waited >= self.lock_timeout:
                    raise InputError(
                        f"another process has been writing to the store for over {self.lock_timeout:g} s "
                        "and still holds its write lock.",
                        path=self.path,
                        hint=f"Wait for the other cxtext command (an import or analysis) to finish and run this "
                        f"again, or wait longer with {LOCK_TIMEOUT_ENV}=SECONDS.",
                    ) from None
                self.on_wait(waited, self.lock_timeout)
                time.sleep(min(0.2, max(0.0, self.lock_timeout - waited)))

    def project_salt(self) -> str:
        """The store's secret salt for hashing customer ids (created on first use, kept in ``meta``)."""
        row = self.conn.execute("select value from meta where key = 'pii_salt'").fetchone()
        if row:
            return row[0]
        import secrets

        with self.transaction() as conn:
            conn.execute("insert or ignore into meta (key, value) values ('pii_salt', ?)", [secrets.token_hex(16)])
            return conn.execute("select value from meta where key = 'pii_salt'").fetchone()[0]

    # --- records ------------------------------------------------------------------

    def ingest(
        self,
        records: Iterable[Record],
        *,
        path: str | Path,
        source: str,
        dataset: str,
        file_sha256: str,
        issues: list[IngestIssue] | None = None,
        notes: list[str] | None = None,
        chunk_size: int = 1000,
    ) -> ImportResult:
        """Upsert records from one file as one atomic change; returns counts.

        ``records`` is consumed lazily in chunks into a temporary staging table that
        belongs to this connection alone, so reading a large file holds no lock on the
        store and other writers are not shut out. Only the final merge into
        ``records`` takes the write lock, in one transaction: readers see the whole
        file or none of it. If reading raises (bad input, Ctrl-C, kill -9), nothing
        from this file is kept. Records whose stable id is already stored are updated
        in place, never duplicated; a repeated id within the file keeps the later record.
        ``issues`` is the list the source appends to while reading; it is read at the end.
        """
        result = ImportResult(path=str(path), source=source, dataset=dataset)
        columns = ", ".join(f"[{c}]" for c in RECORD_COLUMNS)
        placeholders = ", ".join("?" for _ in RECORD_COLUMNS)
        self.conn.execute("drop table if exists temp.staged_records")
        self.conn.execute(f"create temp table staged_records ({columns}, primary key ([id]))")
        try:
            stage = f"insert or replace into temp.staged_records ({columns}) values ({placeholders})"
            chunk: list[list[Any]] = []
            for record in records:
                row = record.to_row()
                chunk.append([row[c] for c in RECORD_COLUMNS])
                result.rows_read += 1
                if len(chunk) >= chunk_size:
                    self._stage(stage, chunk)
            self._stage(stage, chunk)
            result.issues = list(issues or [])
            result.notes = list(notes or [])
            self._merge_staged(result, path=path, file_sha256=file_sha256)
        finally:
            if not self.conn.in_transaction:
                self.conn.execute("drop table if exists temp.staged_records")
        return result

    def _stage(self, sql: str, chunk: list[list[Any]]) -> None:
        """Write a chunk to the staging table (temp storage only: no lock on the store)."""
        if chunk and self.conn.in_transaction:  # called inside a caller's transaction: join it
            self.conn.executemany(sql, chunk)
            chunk.clear()
        elif chunk:
            self.conn.execute("BEGIN")
            try:
                self.conn.executemany(sql, chunk)
            except BaseException:
                self.conn.execute("ROLLBACK")
                raise
            self.conn.execute("COMMIT")
            chunk.clear()

    def _merge_staged(self, result: ImportResult, *, path: str | Path, file_sha256: str) -> None:
        """Move the staged records into ``records`` and log the import, in one transaction."""
        columns = ", ".join(f"[{c}]" for c in RECORD_COLUMNS)
        updates = ", ".join(f"[{c}] = excluded.[{c}]" for c in RECORD_COLUMNS if c != "id")
        # Rows that did not change are left alone: no rewrite, no full-text index churn.
        changed = " or ".join(f"records.[{c}] is not excluded.[{c}]" for c in RECORD_COLUMNS if c != "id")
        with self.transaction() as conn:
            before = conn.execute("select count(*) from records").fetchone()[0]
            cursor = conn.execute(
                "insert into imports (path, file_sha256, source, dataset, started_at) values (?, ?, ?, ?, ?)",
                [str(path), file_sha256, result.source, result.dataset, _now()],
            )
            import_id = cursor.lastrowid
            # "where true" lets SQLite tell the upsert clause from a join (its documented quirk).
            conn.execute(
                f"insert into records ({columns}, [import_id]) select {columns}, ? from temp.staged_records"
                f" where true order by rowid on conflict(id) do update set {updates} where {changed}",
                [import_id],
            )
            staged = conn.execute("select count(*) from temp.staged_records").fetchone()[0]
            after = conn.execute("select count(*) from records").fetchone()[0]
            result.records_new = after - before
            result.records_unchanged = staged - result.records_new
            result.import_id = import_id
            conn.execute(
                "update imports set finished_at = ?, rows_read = ?, records_new = ?, records_unchanged = ?,"
                " issues = ? where id = ?",
                [
                    _now(), result.rows_read, result.records_new, result.records_unchanged,
                    json.dumps([str(i) for i in result.issues]), import_id,
                ],
            )

    def count_records(self, where: str | None = None, params: Iterable[Any] = ()) -> int:
        sql = "select count(*) from records" + (f" where {where}" if where else "")
        return self.conn.execute(sql, list(params)).fetchone()[0]

    def iter_records(
        self, where: str | None = None, params: Iterable[Any] = (), *, order_by: str = "rowid"
    ) -> Iterator[Record]:
        """Stream records (optionally filtered by a SQL ``where`` clause on ``records``)."""
        sql = f"select {', '.join(f'[{c}]' for c in RECORD_COLUMNS)} from records"
        sql += (f" where {where}" if where else "") + f" order by {order_by}"
        cursor = self.conn.execute(sql, list(params))
        names = [d[0] for d in cursor.description]
        for values in cursor:
            yield Record.from_row(dict(zip(names, values)))

    def get_records(self, record_ids: list[str]) -> list[Record]:
        """The records with these ids, in the order given (missing ids are skipped)."""
        found: dict[str, Record] = {}
        for start in range(0, len(record_ids), 500):
            chunk = record_ids[start : start + 500]
            marks = ", ".join("?" for _ in chunk)
            for record in self.iter_records(f"id in ({marks})", chunk):
                found[record.id] = record
        return [found[i] for i in record_ids if i in found]

    def get_record(self, record_id: str) -> Record | None:
        return next(self.iter_records("id = ?", [record_id]), None)

    def search(self, query: str, limit: int = 20) -> list[Record]:
        """Full-text search on record text (SQLite FTS5 syntax)."""
        ids = [row["id"] for row in self.db["records"].search(query, limit=limit, columns=["id"])]
        return [r for r in (self.get_record(i) for i in ids) if r]

    # --- analysis -----------------------------------------------------------------

    def pending_record_ids(self, analyzer: str, version: str, where: str | None = None,
                           params: Iterable[Any] = ()) -> list[str]:
        """Ids of records not yet analysed by this analyzer version (oldest first)."""
        sql = (
            "select r.id from records r left join analysis_log a"
            " on a.record_id = r.id and a.analyzer = ? and a.version = ?"
            " where a.record_id is null" + (f" and ({where})" if where else "") + " order by r.rowid"
        )
        return [row[0] for row in self.conn.execute(sql, [analyzer, version, *params])]

    def reset_analysis(self, analyzer: str) -> int:
        """Mark every record as not yet analysed by ``analyzer`` (its signals are replaced on the next run)."""
        with self.transaction() as conn:
            return conn.execute("delete from analysis_log where analyzer = ?", [analyzer]).rowcount

    def save_analysis(
        self,
        analyzer: str,
        version: str,
        record_ids: list[str],
        signals: list[Signal],
        *,
        sentences: list[Sentence] | None = None,
    ) -> None:
        """Replace this analyzer's output for these records and mark them done, atomically."""
        now = _now()
        with self.transaction() as conn:
            for start in range(0, len(record_ids), 500):
                chunk = record_ids[start : start + 500]
                marks = ", ".join("?" for _ in chunk)
                conn.execute(f"delete from signals where analyzer = ? and record_id in ({marks})", [analyzer, *chunk])
                if sentences is not None:
                    conn.execute(f"delete from sentences where record_id in ({marks})", chunk)
            if sentences:
                conn.executemany(
                    "insert into sentences (id, record_id, idx, text, start, [end], text_hash) values (?, ?, ?, ?, ?, ?, ?)",
                    [[s.id, s.record_id, s.index, s.text, s.start, s.end, text_hash(s.text)] for s in sentences],
                )
            conn.executemany(
                "insert into signals (record_id, sentence_id, analyzer, kind, label, score, data, model,"
                " model_version, created_at) values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                [
                    [
                        s.record_id, s.sentence_id, analyzer, s.kind, s.label,
                        None if s.score is None else float(s.score),
                        json.dumps(s.data, ensure_ascii=False, default=_json_default) if s.data else None,
                        s.model, s.model_version, now,
                    ]
                    for s in signals
                ],
            )
            conn.executemany(
                "insert or replace into analysis_log (record_id, analyzer, version, analyzed_at) values (?, ?, ?, ?)",
                [[rid, analyzer, version, now] for rid in record_ids],
            )

    def sentences_for(self, record_ids: list[str]) -> dict[str, list[Sentence]]:
        """Stored sentences grouped by record, in order."""
        found: dict[str, list[Sentence]] = {rid: [] for rid in record_ids}
        for start in range(0, len(record_ids), 500):
            chunk = record_ids[start : start + 500]
            marks = ", ".join("?" for _ in chunk)
            rows = self.conn.execute(
                f"select id, record_id, idx, text, start, [end] from sentences where record_id in ({marks})"
                " order by record_id, idx",
                chunk,
            )
            for sid, rid, idx, text, begin, end in rows:
                found[rid].append(Sentence(id=sid, record_id=rid, index=idx, text=text, start=begin, end=end))
        return found

    def iter_sentences(
        self, where: str | None = None, params: Iterable[Any] = (), *, language: str | None = None
    ) -> Iterator[Sentence]:
        """Stream stored sentences in record order (theme discovery reads the whole corpus).

        ``where`` filters on the records table (alias ``r``, as in
        :func:`cxtext.analyze.selection`); ``language`` keeps records whose "language"
        signal is that code or that have none (too short to tell).
        """
        clauses = [f"({where})"] if where else []
        values = list(params)
        if language:
            clauses.append(
                "not exists (select 1 from signals g where g.record_id = r.id and g.kind = 'language'"
                " and g.sentence_id is null and g.label is not null and g.label != ?)"
            )
            values.append(language)
        sql = (
            "select s.id, s.record_id, s.idx, s.text, s.start, s.[end] from sentences s join records r"
            " on r.id = s.record_id" + (" where " + " and ".join(clauses) if clauses else "")
            + " order by r.rowid, s.idx"
        )
        for sid, rid, idx, text, begin, end in self.conn.execute(sql, values):
            yield Sentence(id=sid, record_id=rid, index=idx, text=text, start=begin, end=end)

    def record_signals(self, record_ids: list[str], kind: str | None = None) -> dict[str, list[dict[str, Any]]]:
        """Signal rows (as dicts, ``data`` decoded) grouped by record."""
        found: dict[str, list[dict[str, Any]]] = {rid: [] for rid in record_ids}
        for start in range(0, len(record_ids), 500):
            chunk = record_ids[start : start + 500]
            marks = ", ".join("?" for _ in chunk)
            # "+kind": look rows up by record id; the kind index would scan every row of the kind per chunk.
            sql = f"select * from signals where record_id in ({marks})" + (" and +kind = ?" if kind else "")
            cursor = self.conn.execute(sql + " order by id", chunk + ([kind] if kind else []))
            names = [d[0] for d in cursor.description]
            for values in cursor:
                row = dict(zip(names, values))
                row["data"] = json.loads(row["data"]) if row["data"] else {}
                found[row["record_id"]].append(row)
        return found

    def iter_signals(
        self, kind: str | None = None, analyzer: str | None = None, *, level: str | None = None
    ) -> Iterator[dict[str, Any]]:
        """Stream all signal rows, optionally of one kind or analyzer (``data`` decoded).

        ``level="record"`` keeps record-level rows (no sentence), ``"sentence"`` the others.
        """
        clauses, params = [], []
        if level == "record":
            clauses.append("sentence_id is null")
        elif level == "sentence":
            clauses.append("sentence_id is not null")
        if kind:
            clauses.append("kind = ?")
            params.append(kind)
        if analyzer:
            clauses.append("analyzer = ?")
            params.append(analyzer)
        sql = "select * from signals" + (" where " + " and ".join(clauses) if clauses else "") + " order by id"
        cursor = self.conn.execute(sql, params)
        names = [d[0] for d in cursor.description]
        for values in cursor:
            row = dict(zip(names, values))
            row["data"] = json.loads(row["data"]) if row["data"] else {}
            yield row

    # --- bulk reads for the analysis frame (tuples in chunks, no object per row) --------

    def iter_record_columns(self, columns: Iterable[str], *,
                            chunk_size: int = 50_000) -> Iterator[list[tuple[Any, ...]]]:
        """Records in rowid order, ``chunk_size`` rows at a time, as tuples of these ``columns`` of
        ``records`` (JSON columns as their text): what the analysis frame reads, without a
        :class:`Record` per row."""
        known = set(RECORD_COLUMNS) | {"rowid", "source_row", "import_id"}
        columns = list(columns)
        unknown = [c for c in columns if c not in known]
        if unknown or not columns:
            raise ValueError(f"not columns of records: {unknown or columns!r}")
        select = ", ".join("rowid" if c == "rowid" else f"[{c}]" for c in columns)
        cursor = self.conn.execute(f"select {select} from records order by rowid")
        while True:
            rows = cursor.fetchmany(chunk_size)
            if not rows:
                return
            yield rows

    def iter_signal_columns(self, kind: str, columns: Iterable[str], *, level: str | None = None,
                            chunk_size: int = 100_000) -> Iterator[list[tuple[Any, ...]]]:
        """Signal rows of one ``kind`` in id order (as :meth:`iter_signals`), ``chunk_size`` at a time,
        as tuples of ``columns`` (``data`` as its JSON text, not decoded)."""
        known = {"id", "record_id", "sentence_id", "analyzer", "kind", "label", "score", "data", "model",
                 "model_version", "created_at"}
        columns = list(columns)
        unknown = [c for c in columns if c not in known]
        if unknown or not columns:
            raise ValueError(f"not columns of signals: {unknown or columns!r}")
        clauses = ["kind = ?"]
        if level == "record":
            clauses.append("sentence_id is null")
        elif level == "sentence":
            clauses.append("sentence_id is not null")
        sql = f"select {', '.join(f'[{c}]' for c in columns)} from signals where {' and '.join(clauses)} order by id"
        cursor = self.conn.execute(sql, [kind])
        while True:
            rows = cursor.fetchmany(chunk_size)
            if not rows:
                return
            yield rows

    def first_labels(self, kind: str, *, level: str | None = None) -> list[tuple[str, int, str | None]]:
        """Per distinct non-empty label of ``kind`` (at ``level``): ``(label, id, data JSON text)`` of its
        first row (lowest id), in id order."""
        clauses = ["kind = ?", "label is not null", "label != ''"]
        if level == "record":
            clauses.append("sentence_id is null")
        elif level == "sentence":
            clauses.append("sentence_id is not null")
        # A bare column beside min() takes its value from the row with the minimum (SQLite documents it).
        sql = f"select label, min(id), data from signals where {' and '.join(clauses)} group by label"
        return sorted(self.conn.execute(sql, [kind]).fetchall(), key=lambda row: row[1])

    def iter_sentence_pairs(self, kind: str, polarity_kind: str, *,
                            chunk_size: int = 100_000) -> Iterator[list[tuple[str, str, str]]]:
        """Sentence-level ``kind`` rows with a label, in id order, as ``(record_id, label, polarity label)``
        where the polarity label is that of the same sentence's latest ``polarity_kind`` row (rows
        whose sentence has none, or whose latest one has no label, are left out)."""
        sql = (
            "select t.record_id, t.label, p.label from signals t join"
            " (select sentence_id, label, max(id) from signals where kind = ? and sentence_id is not null"
            "  group by sentence_id) p on p.sentence_id = t.sentence_id"
            " where t.kind = ? and t.sentence_id is not null and t.label is not null and t.label != ''"
            " and p.label is not null order by t.id"
        )
        cursor = self.conn.execute(sql, [polarity_kind, kind])
        while True:
            rows = cursor.fetchmany(chunk_size)
            if not rows:
                return
            yield rows

    def iter_sentence_evidence(self, kind: str, polarity_kind: str | None, *,
                               chunk_size: int = 100_000) -> Iterator[list[tuple[Any, ...]]]:
        """Sentence-level ``kind`` rows with a label, in id order, as ``(record_id, sentence_id, label,
        score, data JSON text, polarity label, polarity score)``: the polarity of the same sentence's
        latest ``polarity_kind`` row (None and None when it has none, or without ``polarity_kind``)."""
        where = "t.kind = ? and t.sentence_id is not null and t.label is not null and t.label != ''"
        if polarity_kind is None:
            sql = f"select t.record_id, t.sentence_id, t.label, t.score, t.data, null, null from signals t where {where}"
            params: list[Any] = [kind]
        else:
            sql = (
                "select t.record_id, t.sentence_id, t.label, t.score, t.data, p.label, p.score from signals t left join"
                " (select sentence_id, label, score, max(id) from signals where kind = ? and sentence_id is not null"
                "  group by sentence_id) p on p.sentence_id = t.sentence_id where " + where
            )
            params = [polarity_kind, kind]
        cursor = self.conn.execute(sql + " order by t.id", params)
        while True:
            rows = cursor.fetchmany(chunk_size)
            if not rows:
                return
            yield rows

    def signal_models(self, kind: str, *, first_only: bool = False) -> list[tuple[str, str | None, str | None]]:
        """The distinct ``(analyzer, model, model_version)`` of the rows of ``kind`` (of its first row only
        with ``first_only``)."""
        if first_only:
            sql = "select analyzer, model, model_version from signals where kind = ? order by id limit 1"
        else:
            sql = "select distinct analyzer, model, model_version from signals where kind = ?"
        return [tuple(row) for row in self.conn.execute(sql, [kind])]

    def analyzed_record_ids(self, analyzer: str) -> set[str]:
        """Ids of the records this analyzer has processed (any version), from ``analysis_log``."""
        rows = self.conn.execute("select record_id from analysis_log where analyzer = ?", [analyzer])
        return {row[0] for row in rows}

    # --- embedding cache --------------------------------------------------------------

    def cached_embeddings(self, hashes: list[str], model: str) -> dict[str, np.ndarray]:
        found: dict[str, np.ndarray] = {}
        for start in range(0, len(hashes), 500):
            chunk = hashes[start : start + 500]
            marks = ", ".join("?" for _ in chunk)
            rows = self.conn.execute(
                f"select text_hash, vector from embeddings where model = ? and text_hash in ({marks})",
                [model, *chunk],
            )
            for key, blob in rows:
                found[key] = np.frombuffer(blob, dtype=np.float32)
        return found

    def save_embeddings(self, model: str, vectors: dict[str, np.ndarray]) -> None:
        with self.transaction() as conn:
            conn.executemany(
                "insert or replace into embeddings (text_hash, model, dim, vector) values (?, ?, ?, ?)",
                [[key, model, int(v.shape[0]), np.asarray(v, dtype=np.float32).tobytes()] for key, v in vectors.items()],
            )


def default_lock_timeout() -> float:
    """The lock timeout from ``CXTEXT_LOCK_TIMEOUT`` (seconds), else :data:`DEFAULT_LOCK_TIMEOUT`."""
    raw = os.environ.get(LOCK_TIMEOUT_ENV, "").strip()
    if not raw:
        return DEFAULT_LOCK_TIMEOUT
    try:
        value = float(raw)
    except ValueError:
        value = -1.0
    if not value >= 0:
        raise InputError(f"{LOCK_TIMEOUT_ENV}={raw!r} is not a number of seconds.",
                         expected="a non-negative number, e.g. 600")
    return value


def _report_waiting(path: Path) -> Callable[[float, float], None]:
    """An ``on_wait`` that prints one line to stderr about every 5 seconds of waiting."""
    last = [-5.0]

    def report(waited: float, timeout: float) -> None:
        if waited - last[0] >= 5:
            last[0] = waited
            print(f"Waiting for another process to finish writing to {path} "
                  f"({waited:.0f} s of {timeout:g} s)...", file=sys.stderr, flush=True)

    return report


def _is_lock_error(exc: sqlite3.Error) -> bool:
    text = str(exc).lower()
    return "locked" in text or "busy" in text


def check_store_path(path: Path) -> None:
    """An :class:`InputError` for a ``--db`` path that cannot be a store, before SQLite tries."""
    if path.is_dir():
        raise InputError("this is a folder, not a store file.", path=path,
                         expected="the path of a cxtext store (an SQLite file), e.g. cx.db",
                         hint=f"Pass --db {path / 'cx.db'} to keep a store in that folder.")
    if not path.exists() and not path.parent.is_dir():
        raise InputError(f"the folder {str(path.parent)!r} does not exist, so the store cannot be created.",
                         path=path, hint="Create the folder first, or pass --db with a path in an existing folder.")
    if path.exists():
        try:
            with open(path, "rb") as handle:
                head = handle.read(16)
        except OSError as exc:
            raise InputError(f"the store file cannot be read ({exc.strerror}).", path=path,
                             hint="Check the file's permissions.") from None
        if head and not head.startswith(b"SQLite format 3\0"):
            raise InputError("this file is not a cxtext store: it is not an SQLite database.", path=path,
                             expected="a store written by cxtext (or a new file name, to create one)",
                             hint="Check the --db path; it may name an input file by mistake.")


def store_error(path: Path, exc: sqlite3.Error) -> InputError:
    """What went wrong opening or writing the store, as an :class:`InputError` with what to do."""
    text = str(exc).lower()
    if "not a database" in text or "malformed" in text or "encrypted" in text:
        return InputError(f"the store file is damaged or not an SQLite database ({exc}).", path=path,
                          hint="Restore it from a copy, or pass --db with a new file name to start a new store.")
    if "readonly" in text or "read-only" in text:
        return InputError("the store cannot be written: the file or its folder is read-only.", path=path,
                          hint="Make it writable (chmod u+w), or copy it to a writable folder and pass that --db.")
    if _is_lock_error(exc):
        return InputError("another process holds the store's write lock.", path=path,
                          hint="Wait for the other cxtext command to finish and run this again.")
    return InputError(f"the store cannot be opened ({exc}).", path=path,
                      hint="Check that the path is a file you can read and write, in a folder you can write.")


def _json_default(value: Any) -> Any:
    if isinstance(value, np.generic):
        return value.item()
    if isinstance(value, np.ndarray):
        return value.tolist()
    return str(value)
