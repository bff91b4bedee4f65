"""Datasette as the store's explorer: ``cxtext serve --db cx.db`` (extra ``cxtext[serve]``).

:func:`prepare_database` adds what browsing needs to a store, idempotently: views that carry
the verbatim, touchpoint, segments, scores and sentiment beside every theme row, and
full-text search on sentences. :func:`datasette_metadata` describes every table, view and
column (with units), names the source and licence, sets useful facets and adds canned
queries (detractor verbatims by touchpoint and theme, effort evidence by driver, theme
trend by month, verbatims of a segment). Nothing here is imported by ``cxtext --help``.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import sqlite_utils

from cxtext.views import StoreView, segment_column

if TYPE_CHECKING:
    from cxtext.project import Project


def prepare_database(project: "Project") -> list[str]:
    """Create (or refresh) the browsing views and the sentence full-text index; returns the view names.

    The views come from the plugins (``register_views``) and the host's ``record_overview``;
    they are dropped and created again each time, so segments added since the last run get
    their columns. FTS on ``sentences`` is kept current by triggers.
    """
    names = project.prepare_views()
    db = sqlite_utils.Database(project.store.conn)
    if not db["sentences"].detect_fts():
        db["sentences"].enable_fts(["text"], create_triggers=True)
    return names


#: Docs of the columns views share (record fields, scores); plugins document their own.
COLUMN_DOCS = {
    "record_id": "The record (one survey answer, review, post or transcript turn)",
    "sentence_id": "The sentence: record id and its position",
    "confidence": "Analyzer confidence, 0 to 1",
    "sentence": "The sentence, as written",
    "source_kind": "survey, review, social, transcript, or a plugin's own kind",
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
    "language": "Language of the record (ISO 639-1)",
}
TABLE_DOCS = {
    "records": "One row per piece of customer text, with its fields; scores and segments as JSON.",
    "sentences": "Records split into sentences; offsets into the record text. Full-text searchable.",
    "signals": "Everything the analyzers found: one row per signal (kind, label, score, JSON data).",
    "imports": "One row per ingested file.",
    "analysis_log": "Which analyzer (and version) processed which record.",
}
#: Columns worth faceting on when a view does not say.
DEFAULT_FACETS = ("touchpoint", "source_kind", "month")


def datasette_metadata(project: "Project", *, title: str = "cxtext store", source: str | None = None,
                       license: str | None = None, database: str = "cx") -> dict[str, Any]:
    """Datasette metadata: descriptions, units, facets, canned queries, source and licence."""
    db = sqlite_utils.Database(project.store.conn)
    segments = project.segment_names()
    views: dict[str, StoreView] = {view.name: view for view in project.views()}
    names = set(db.table_names()) | set(db.view_names())
    tables: dict[str, Any] = {}
    queries: dict[str, Any] = {}
    for name in sorted(names):
        if name.startswith(("records_fts", "sentences_fts")) or name in ("meta", "embeddings"):
            continue
        view = views.get(name)
        columns = [c.name for c in db[name].columns]
        docs = {**COLUMN_DOCS, **(view.columns if view else {})}
        entry: dict[str, Any] = {"columns": {c: d for c in columns if (d := _column_doc(c, docs, segments))}}
        description = view.description if view else TABLE_DOCS.get(name)
        if description:
            entry["description"] = description
        units = {c: u for c, u in (view.units if view else {}).items() if c in columns}
        if units:
            entry["units"] = units
        facets = [c for c in (view.facets if view and view.facets else DEFAULT_FACETS) if c in columns]
        if facets:
            entry["facets"] = facets[:4]
        if "sentence_rowid" in columns:  # search the view through the sentences' full-text index
            entry.update(fts_table="sentences_fts", fts_pk="sentence_rowid")
        tables[name] = entry
        if view and name in db.view_names():
            queries.update(view.queries)
    return {
        "title": title,
        "description": "Customer feedback with what cxtext found in it: " + _found(project) + ".",
        "source": source or "cxtext",
        "license": license or "See the licences of the data sources ingested (the imports table names them)",
        "databases": {database: {"tables": tables, "queries": queries}},
    }


def _found(project: "Project") -> str:
    names = [name for name in project.analyzers()]
    return ", ".join(names) or "signals from the installed analyzers"


def _column_doc(column: str, docs: dict[str, str], segments: list[str]) -> str | None:
    if column in docs:
        return docs[column]
    for name in segments:
        if column == segment_column(name):
            return f"Segment '{name}'"
    return None
