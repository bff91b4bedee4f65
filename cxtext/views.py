"""Read-only SQL views for browsing a store in Datasette, contributed by plugins.

A plugin that writes signals knows best how people want to read them, so views come
from the ``register_views`` hook: each :class:`StoreView` is a ``select`` over the
store's tables with its description, column docs, units, facets and the Datasette
canned queries built on it. :class:`ViewContext` gives plugins the SQL they share (the
store's score and segment columns, the declared sentence polarity) so that no plugin
has to know another one's signal kinds.

The host adds one view of its own, ``record_overview``: one row per record with its
scores and every analyzer's declared record-level label, score and list columns.
:meth:`cxtext.Project.prepare_views` creates them all (``cxtext serve`` and every
``cxtext analyze`` run call it); nothing in cxtext reads them.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from cxtext.signals import LANGUAGE_OUTPUT, SignalOutput

#: Segment names that can become view columns (anything else is left in the ``segments`` JSON).
SAFE_NAME = re.compile(r"^[A-Za-z0-9_][A-Za-z0-9_ .-]{0,60}$")
#: Scores pulled out of the ``scores`` JSON into their own columns.
SCORES = ("nps", "csat", "ces", "rating")
_IDENTIFIER = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")


@dataclass
class StoreView:
    """One browsing view.

    ``sql`` is a ``select`` statement; ``columns`` documents its columns (merged over the
    host's docs of shared columns such as ``touchpoint`` and ``nps``); ``units`` gives
    column units for Datasette; ``facets`` the columns to facet on by default. A view with
    a ``sentence_rowid`` column is searchable through the sentences' full-text index.
    ``queries`` are Datasette canned queries (``{"title", "description", "sql"}``).
    """

    name: str
    sql: str
    description: str = ""
    columns: dict[str, str] = field(default_factory=dict)
    units: dict[str, str] = field(default_factory=dict)
    facets: list[str] = field(default_factory=list)
    queries: dict[str, dict[str, Any]] = field(default_factory=dict)

    def __post_init__(self) -> None:
        if not _IDENTIFIER.match(self.name):
            raise ValueError(f"view name {self.name!r} must be a plain SQL identifier")


@dataclass
class ViewContext:
    """What views are built from: the store's segment names and the analyzers' declarations."""

    segments: list[str]
    outputs: list[SignalOutput]

    @property
    def polarity(self) -> SignalOutput | None:
        """The declared sentence-level polarity output (positive / neutral / negative), if any."""
        return next((o for o in self.outputs if o.polarity and o.level == "sentence"), None)

    @property
    def record_polarity(self) -> SignalOutput | None:
        """The record-level output of the polarity output's kind, if any."""
        polarity = self.polarity
        return next((o for o in self.outputs if polarity and o.kind == polarity.kind and o.level == "record"), None)

    def sentence_polarity_sql(self, sentence_id: str) -> str:
        """A scalar subquery: the polarity label of sentence ``sentence_id`` (a SQL expression)."""
        if self.polarity is None:
            return "null"
        return (f"(select label from signals where sentence_id = {sentence_id} "
                f"and kind = {quote(self.polarity.kind)} limit 1)")

    def record_polarity_sql(self, record_id: str) -> str:
        """A scalar subquery: the record-level polarity label of record ``record_id``."""
        if self.record_polarity is None:
            return "null"
        return record_signal_sql(self.record_polarity.kind, record_id, "label")

    def score_columns(self, alias: str = "r") -> str:
        """``, nps, csat, ces, rating`` pulled from ``{alias}.scores``."""
        return "".join(f", json_extract({alias}.scores, '$.{s}') as {s}" for s in SCORES)

    def segment_columns(self, alias: str = "r") -> str:
        """``, segment_plan, ...``: one column per segment of the store."""
        parts = []
        for name in self.segments:
            path = '$."' + name + '"'  # SAFE_NAME admits no quote of either kind
            parts.append(f", json_extract({alias}.segments, '{path}') as [{segment_column(name)}]")
        return "".join(parts)

    def segment_filter(self) -> str:
        """A canned-query condition: ``:segment`` names a segment and ``:value`` its value."""
        return " or ".join(f"(:segment = '{name}' and [{segment_column(name)}] = :value)"
                           for name in self.segments) or "0"


def quote(value: str) -> str:
    """A SQL string literal."""
    return "'" + value.replace("'", "''") + "'"


def segment_column(name: str) -> str:
    return "segment_" + re.sub(r"[^A-Za-z0-9_]+", "_", name).strip("_").lower()


def record_signal_sql(kind: str, record_id: str, field_name: str) -> str:
    """A scalar subquery: ``label`` or ``score`` of the record-level signal ``kind`` of a record."""
    return (f"(select {field_name} from signals where record_id = {record_id} and kind = {quote(kind)} "
            f"and sentence_id is null limit 1)")


def record_overview(outputs: Iterable[SignalOutput]) -> StoreView:
    """One row per record: fields, scores, and every declared record-level column."""
    columns: list[str] = []
    docs: dict[str, str] = {}
    seen: set[str] = set()
    for output in [LANGUAGE_OUTPUT, *outputs]:
        if output.level != "record":
            continue
        for column, sql in _overview_columns(output):
            if column in seen or not _IDENTIFIER.match(column):
                continue
            seen.add(column)
            columns.append(f"{sql} as [{column}]")
            docs[column] = output.description
    signals = "".join(f",\n            {c}" for c in columns)
    sql = f"""
        select r.id, r.source_kind, r.dataset, r.created_at, r.touchpoint, r.channel, r.segments
            {ViewContext([], []).score_columns()}{signals},
            r.text
        from records r"""
    return StoreView("record_overview", sql, "One row per record with its scores and record-level signals.", docs)


def _overview_columns(output: SignalOutput) -> list[tuple[str, str]]:
    found = []
    if output.label_column:
        found.append((output.label_column, record_signal_sql(output.kind, "r.id", "label")))
    if output.score_column:
        found.append((output.score_column, record_signal_sql(output.kind, "r.id", "score")))
    if output.list_column:
        found.append((output.list_column,
                      f"(select group_concat(label, '; ') from signals where record_id = r.id "
                      f"and kind = {quote(output.kind)} and sentence_id is null)"))
    return found
