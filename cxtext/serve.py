"""Datasette as the store's explorer: ``cxtext serve --db cx.db`` (extra ``cxtext[serve]``).

:func:`prepare_database` adds what browsing needs to a store, idempotently: views that carry
the verbatim, touchpoint, segments, scores and sentiment beside every theme row, and
full-text search on sentences. :func:`datasette_metadata` describes every table, view and
column (with units), names the source and licence, sets useful facets and adds canned
queries (detractor verbatims by touchpoint and theme, effort evidence by driver, theme
trend by month, verbatims of a segment). Nothing here is imported by ``cxtext --help``.
"""

from __future__ import annotations

import re
from typing import Any

import sqlite_utils

from cxtext.store import Store

#: Segment names that can become view columns (anything else is left in ``segments`` JSON).
SAFE_NAME = re.compile(r"^[A-Za-z0-9_][A-Za-z0-9_ .-]{0,60}$")
SCORES = ("nps", "csat", "ces", "rating")


def segment_names(db: sqlite_utils.Database) -> list[str]:
    rows = db.execute(
        "select distinct j.key from records r, json_each(r.segments) j where json_valid(r.segments) order by j.key"
    ).fetchall()
    return [name for (name,) in rows if isinstance(name, str) and SAFE_NAME.match(name)]


def _column(name: str) -> str:
    return "segment_" + re.sub(r"[^A-Za-z0-9_]+", "_", name).strip("_").lower()


def _segment_columns(names: list[str], alias: str = "r") -> str:
    parts = []
    for name in names:
        path = '$."' + name + '"'  # SAFE_NAME has no quote of either kind
        parts.append(f"json_extract({alias}.segments, '{path}') as [{_column(name)}]")
    return "".join(f", {p}" for p in parts)


def _score_columns(alias: str = "r") -> str:
    return "".join(f", json_extract({alias}.scores, '$.{s}') as {s}" for s in SCORES)


def _views(segments: list[str]) -> dict[str, str]:
    record_sentiment = ("(select label from signals where record_id = r.id and kind = 'sentiment'"
                        " and sentence_id is null limit 1)")
    return {
        # One row per sentence x theme: what was said, by whom, where, with what score.
        "theme_verbatims": f"""
            select s.record_id, s.sentence_id, s.label as theme, json_extract(s.data, '$.theme_label') as theme_label,
                s.score as confidence, t.text as sentence, t.rowid as sentence_rowid,
                (select label from signals where sentence_id = s.sentence_id and kind = 'sentiment' limit 1) as sentence_sentiment,
                {record_sentiment} as record_sentiment,
                r.source_kind, r.dataset, r.touchpoint, substr(r.created_at, 1, 7) as month, r.created_at
                {_score_columns()}{_segment_columns(segments)}, r.text as record_text
            from signals s join sentences t on t.id = s.sentence_id join records r on r.id = s.record_id
            where s.kind = 'theme'""",
        # One row per record x theme, with the record's text.
        "record_theme_verbatims": f"""
            select s.record_id, s.label as theme, json_extract(s.data, '$.theme_label') as theme_label,
                s.score as confidence, {record_sentiment} as sentiment,
                r.source_kind, r.dataset, r.touchpoint, substr(r.created_at, 1, 7) as month, r.created_at
                {_score_columns()}{_segment_columns(segments)}, r.text
            from signals s join records r on r.id = s.record_id
            where s.kind = 'theme' and s.sentence_id is null""",
        # Effort evidence with its sentence and the record's context.
        "effort_evidence": f"""
            select s.record_id, s.sentence_id, s.label as driver, json_extract(s.data, '$.polarity') as polarity,
                json_extract(s.data, '$.evidence') as evidence, t.text as sentence, t.rowid as sentence_rowid,
                json_extract(s.data, '$.duration_minutes') as duration_minutes, s.score as confidence,
                r.source_kind, r.touchpoint, substr(r.created_at, 1, 7) as month
                {_score_columns()}{_segment_columns(segments)}
            from signals s join records r on r.id = s.record_id left join sentences t on t.id = s.sentence_id
            where s.kind = 'effort' and s.sentence_id is not null""",
    }


def prepare_database(store: Store) -> list[str]:
    """Create (or refresh) the browsing views and the sentence full-text index; returns the view names.

    The views are dropped and created again each time, so segments added since the last
    run get their columns. FTS on ``sentences`` is kept current by triggers.
    """
    db = sqlite_utils.Database(store.conn)
    views = _views(segment_names(db))
    with store.transaction():
        for name, sql in views.items():
            store.conn.execute(f"drop view if exists [{name}]")
            store.conn.execute(f"create view [{name}] as {sql.strip()}")
    if not db["sentences"].detect_fts():
        db["sentences"].enable_fts(["text"], create_triggers=True)
    return list(views)


COLUMN_DOCS = {
    "record_id": "The record (one survey answer, review, post or transcript turn)",
    "sentence_id": "The sentence: record id and its position",
    "theme": "Theme id from the codebook or discovery",
    "theme_label": "Theme name shown in reports",
    "confidence": "Analyzer confidence, 0 to 1",
    "sentence": "The sentence, as written",
    "sentence_sentiment": "Sentiment of this sentence (negative / neutral / positive)",
    "record_sentiment": "Overall sentiment of the record",
    "sentiment": "Overall sentiment of the record",
    "source_kind": "survey, review, social or transcript",
    "dataset": "The input the record came from",
    "touchpoint": "Journey step the record is about",
    "month": "Month of created_at (YYYY-MM)",
    "created_at": "When the customer wrote it (UTC, ISO 8601)",
    "nps": "Likelihood to recommend, 0-10 (9-10 promoter, 0-6 detractor)",
    "csat": "Satisfaction, 1-5",
    "ces": "Customer effort, 1-7 (7 = easy)",
    "rating": "Star rating, 1-5",
    "record_text": "The whole record, as written",
    "text": "The verbatim, as written",
    "driver": "Effort driver (waiting, transfers, repeat contact...)",
    "polarity": "high = effortful, low = easy",
    "evidence": "The words that show the driver",
    "duration_minutes": "A duration the customer mentions",
}
UNITS = {"duration_minutes": "min"}
TABLE_DOCS = {
    "records": "One row per piece of customer text, with its fields; scores and segments as JSON.",
    "sentences": "Records split into sentences; offsets into the record text. Full-text searchable.",
    "signals": "Everything the analyzers found: one row per signal (kind, label, score, JSON data).",
    "theme_verbatims": "Every sentence x theme, with the sentence, touchpoint, segments, scores and sentiment beside it.",
    "record_theme_verbatims": "Every record x theme, with the record text, touchpoint, segments, scores and sentiment.",
    "effort_evidence": "Every piece of effort evidence, with its sentence, touchpoint, segments and scores.",
    "record_overview": "One row per record with its scores and record-level signals.",
    "imports": "One row per ingested file.",
    "analysis_log": "Which analyzer (and version) processed which record.",
}


def _segment_filter(segments: list[str]) -> str:
    return " or ".join(f"(:segment = '{name}' and [{_column(name)}] = :value)" for name in segments) or "0"


def canned_queries(segments: list[str]) -> dict[str, dict[str, Any]]:
    """The questions a CX lead asks first, as Datasette canned queries (blank parameter = any)."""
    return {
        "detractor_verbatims": {
            "title": "Detractor verbatims by touchpoint and theme",
            "description": "Sentences of customers who scored NPS 0-6. Leave a box blank for all.",
            "sql": "select touchpoint, theme_label, sentence, nps, sentence_sentiment, month, record_id"
                   " from theme_verbatims where nps <= 6"
                   " and (:touchpoint = '' or touchpoint = :touchpoint) and (:theme = '' or theme = :theme or theme_label = :theme)"
                   " order by month desc, record_id limit 500",
        },
        "effort_evidence_by_driver": {
            "title": "Effort evidence by driver",
            "description": "What customers said that shows a driver (waiting, transfers...). Blank = every driver.",
            "sql": "select driver, polarity, evidence, sentence, touchpoint, duration_minutes, month, record_id"
                   " from effort_evidence where (:driver = '' or driver = :driver)"
                   " order by driver, confidence desc limit 500",
        },
        "theme_trend_by_month": {
            "title": "Theme trend by month",
            "description": "Records mentioning each theme per month, and their share of that month's records.",
            "sql": "with months as (select substr(created_at, 1, 7) as month, count(*) as records from records"
                   " where created_at is not null group by 1)"
                   " select t.month, t.theme_label, count(distinct t.record_id) as records_mentioning,"
                   " round(100.0 * count(distinct t.record_id) / m.records, 1) as share_pct"
                   " from record_theme_verbatims t join months m on m.month = t.month"
                   " where (:theme = '' or t.theme = :theme or t.theme_label = :theme)"
                   " group by t.month, t.theme_label order by t.month, records_mentioning desc",
        },
        "segment_verbatims": {
            "title": "Verbatims of a segment",
            "description": "Sentences with their themes from one segment value, e.g. segment = plan, value = Business. "
                           "Segments: " + (", ".join(segments) or "none in this store") + ".",
            "sql": "select theme_label, sentence, sentence_sentiment, touchpoint, nps, rating, month, record_id"
                   f" from theme_verbatims where {_segment_filter(segments)} order by month desc limit 500",
        },
    }


def datasette_metadata(store: Store, *, title: str = "cxtext store", source: str | None = None,
                       license: str | None = None, database: str = "cx") -> dict[str, Any]:
    """Datasette metadata: descriptions, units, facets, canned queries, source and licence."""
    db = sqlite_utils.Database(store.conn)
    segments = segment_names(db)
    names = set(db.table_names()) | set(db.view_names())
    tables: dict[str, Any] = {}
    for name in sorted(names):
        if name.startswith(("records_fts", "sentences_fts")) or name in ("meta", "embeddings"):
            continue
        columns = [c.name for c in db[name].columns]
        entry: dict[str, Any] = {"columns": {c: _column_doc(c, segments) for c in columns if _column_doc(c, segments)}}
        if name in TABLE_DOCS:
            entry["description"] = TABLE_DOCS[name]
        units = {c: u for c, u in UNITS.items() if c in columns}
        if units:
            entry["units"] = units
        facets = [c for c in ("touchpoint", "theme_label", "sentence_sentiment", "sentiment", "source_kind", "driver", "month")
                  if c in columns]
        if facets:
            entry["facets"] = facets[:4]
        if "sentence_rowid" in columns:  # search the view through the sentences' full-text index
            entry.update(fts_table="sentences_fts", fts_pk="sentence_rowid")
        tables[name] = {k: v for k, v in entry.items() if v is not None}
    if "sentences" in tables:
        tables["sentences"]["description"] = TABLE_DOCS["sentences"]
    return {
        "title": title,
        "description": "Customer feedback with what cxtext found in it: themes, sentiment, effort.",
        "source": source or "cxtext",
        "license": license or "See the licences of the data sources ingested (the imports table names them)",
        "databases": {database: {"tables": tables, "queries": canned_queries(segments)}},
    }


def _column_doc(column: str, segments: list[str]) -> str | None:
    if column in COLUMN_DOCS:
        return COLUMN_DOCS[column]
    for name in segments:
        if column == _column(name):
            return f"Segment '{name}'"
    return None
