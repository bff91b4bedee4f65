"""Read-only SQL views for browsing a store in Datasette (from the plugins' ``register_views``
and the host's declared ``record_overview``), and the schema 1 -> 2 migration."""

from __future__ import annotations

import sqlite3

import pytest
import sqlite_utils

from cxtext.records import Record
from cxtext.signals import Sentence, Signal
from cxtext import Project
from cxtext.store import MIGRATIONS, SCHEMA_VERSION, Store

VIEWS = ["record_overview", "record_sentiment", "sentence_sentiment", "sentence_themes", "record_themes",
         "effort_spans", "theme_verbatims", "record_theme_verbatims", "effort_evidence"]


@pytest.fixture
def project(tmp_path):
    with Project(tmp_path / "cx.db") as opened:
        yield opened


@pytest.fixture
def store(project):
    """The project's store, with the views the installed plugins contribute."""
    project.prepare_views()
    return project.store


def test_hook_register_views(project):
    names = [view.name for view in project.views()]
    assert names[0] == "record_overview" and set(VIEWS) <= set(names)
    assert all(view.description for view in project.views())


def _fill(store: Store) -> str:
    record = Record(
        source_kind="survey", text="Billed twice. I waited 40 minutes on hold.", dataset="nps",
        source_id="1", touchpoint="Billing", scores={"nps": 2, "csat": 1}, segments={"plan": "Essential"},
    )
    store.ingest([record], path="nps.csv", source="survey", dataset="nps", file_sha256="x")
    sentences = [
        Sentence(id=f"{record.id}:0", record_id=record.id, index=0, text="Billed twice.", start=0, end=13),
        Sentence(id=f"{record.id}:1", record_id=record.id, index=1, text="I waited 40 minutes on hold.", start=14, end=42),
    ]
    store.save_analysis("sentences", "1", [record.id],
                        [Signal(record.id, "language", "en", 0.99)], sentences=sentences)
    store.save_analysis("sentiment", "1", [record.id], [
        Signal(record.id, "sentiment", "negative", -0.9, data={"probs": {"negative": 0.92, "neutral": 0.06, "positive": 0.02}}),
        Signal(record.id, "sentiment", "negative", -0.8, sentence_id=f"{record.id}:0"),
    ])
    store.save_analysis("themes", "1", [record.id], [
        Signal(record.id, "theme", "billing_error", 0.9, sentence_id=f"{record.id}:0",
               data={"theme_label": "Billing error", "parent": "billing", "codebook": "demo", "method": "keywords"}),
        Signal(record.id, "theme", "billing_error", 0.9, data={"theme_label": "Billing error"}),
        Signal(record.id, "theme", "hold_time", 0.7, data={"theme_label": "Hold time"}),
    ])
    store.save_analysis("effort", "1", [record.id], [
        Signal(record.id, "effort", "waiting", 0.8, sentence_id=f"{record.id}:1",
               data={"start": 14, "end": 42, "evidence": "waited 40 minutes on hold", "polarity": "high",
                     "duration_minutes": 40.0}),
        Signal(record.id, "effort_score", "high_effort", 2.0, data={"drivers": ["waiting"]}),
    ])
    return record.id


def test_new_store_has_every_view(store):
    assert store.schema_version == SCHEMA_VERSION == 2
    assert set(VIEWS) <= set(store.db.view_names())


def test_views_pull_out_the_json_fields(store):
    record_id = _fill(store)
    overview = list(store.db.query("select * from record_overview"))
    assert len(overview) == 1
    row = overview[0]
    assert (row["id"], row["nps"], row["csat"], row["language"]) == (record_id, 2, 1, "en")
    assert (row["sentiment"], row["sentiment_score"]) == ("negative", -0.9)
    assert sorted(row["themes"].split("; ")) == ["billing_error", "hold_time"]
    assert (row["effort_score"], row["effort_label"]) == (2.0, "high_effort")

    sentiment = next(store.db.query("select * from record_sentiment"))
    assert sentiment["p_negative"] == 0.92
    themes = list(store.db.query("select * from sentence_themes"))
    assert [(t["sentence"], t["theme"], t["theme_label"], t["method"]) for t in themes] == [
        ("Billed twice.", "billing_error", "Billing error", "keywords")
    ]
    assert {t["theme"] for t in store.db.query("select * from record_themes")} == {"billing_error", "hold_time"}
    span = next(store.db.query("select * from effort_spans"))
    assert (span["driver"], span["polarity"], span["start"], span["end"], span["duration_minutes"]) == (
        "waiting", "high", 14, 42, 40.0
    )
    assert list(store.db.query("select count(*) as n from sentence_sentiment")) == [{"n": 1}]


def test_schema_1_store_migrates_to_2(tmp_path):
    path = tmp_path / "old.db"
    # A store as cxtext 0.1 (schema 1) wrote it: tables, no views.
    db = sqlite_utils.Database(sqlite3.connect(str(path)))
    MIGRATIONS[0](db)
    db.execute("insert into meta (key, value) values ('schema_version', '1')")
    db.conn.commit()
    assert db.view_names() == []
    db.conn.close()

    with Project(path) as project:
        opened = project.store
        assert opened.schema_version == 2
        project.prepare_views()  # what `cxtext analyze` and `cxtext serve` do
        assert set(VIEWS) <= set(opened.db.view_names())
        _fill(opened)
        assert opened.db.execute("select count(*) from record_overview").fetchone()[0] == 1
    with Store(path) as reopened:  # migrating is idempotent: nothing happens the second time
        assert reopened.schema_version == 2
