"""Notebook-first analysis: a pandas DataFrame of verbatims in, a DataFrame of signals out.

BERTopic's ``fit_transform(docs)`` in cxtext terms::

    import pandas as pd
    from cxtext import analyze_frame

    df = pd.read_csv("responses.csv")
    signals = analyze_frame(df, text="comment", scores={"nps": "NPS"}, segments=["plan"])
    signals.head()   # sentiment, themes, effort... as the analyzers declare them

The frame goes through the same source plugin, checks and analyzers as ``cxtext ingest``
and ``cxtext analyze``, in a temporary store that is deleted afterwards (pass ``db`` to
keep it, and to reuse its cached embeddings on the next call).
"""

from __future__ import annotations

import tempfile
from collections.abc import Iterable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from cxtext.errors import InputError
from cxtext.signals import LANGUAGE_OUTPUT, SignalOutput

if TYPE_CHECKING:
    import pandas as pd

    from cxtext.config import ProjectConfig

#: The hidden column that carries each input row's position through the store.
ROW_COLUMN = "cxtext_row"


def analyze_frame(
    df: "pd.DataFrame",
    text: str,
    *,
    scores: dict[str, str] | None = None,
    segments: Iterable[str] = (),
    touchpoint: str | None = None,
    date: str | None = None,
    customer: str | None = None,
    source: str = "survey",
    config: "ProjectConfig | str | Path | None" = None,
    analyzers: Iterable[str] | None = None,
    db: str | Path | None = None,
    progress: Any = None,
) -> "pd.DataFrame":
    """Analyse the ``text`` column of ``df``; returns one row per input row, same index.

    ``scores`` maps score names to columns (``{"nps": "NPS", "csat": "CSAT"}``),
    ``segments`` lists segment columns. The result has ``record_id``, the text, the scores
    (``score:nps``), segments (``segment:plan``) and the record-level signals of every
    analyzer (``sentiment``, ``sentiment_score``, ``themes``, ``effort_score``, ...); rows
    whose text is empty have no record and get missing values. Bad values raise
    :class:`~cxtext.errors.InputError` naming the row, as ``cxtext ingest`` would.
    """

    from cxtext.project import Project

    if text not in df.columns:
        raise InputError(f"no column {text!r} in the DataFrame.",
                         expected=f"one of {', '.join(map(str, df.columns))}")
    for column in [*(scores or {}).values(), *segments, touchpoint, date, customer]:
        if column is not None and column not in df.columns:
            raise InputError(f"no column {column!r} in the DataFrame.",
                             expected=f"one of {', '.join(map(str, df.columns))}")
    table = df.reset_index(drop=True).copy()
    table[ROW_COLUMN] = range(len(table))
    with tempfile.TemporaryDirectory(prefix="cxtext-") as tmp:
        store_path = Path(db) if db is not None else Path(tmp) / "cxtext.db"
        with Project(store_path, config) as project:
            project.ingest(table, source=source, dataset="dataframe", text=[text], id=ROW_COLUMN,
                           scores=dict(scores or {}), segments=list(segments), touchpoint=touchpoint, date=date,
                           customer=customer, on_duplicate="keep-last")
            project.analyze(analyzers, progress=progress)
            outputs = [LANGUAGE_OUTPUT] + [output for analyzer in project.analyzers().values()
                                           for output in getattr(analyzer, "outputs", ())]
            records = project.records_frame()
    return _aligned(records, df, text, outputs)


def _aligned(records: "pd.DataFrame", df: "pd.DataFrame", text: str, outputs: list[SignalOutput]) -> "pd.DataFrame":
    """The records frame in the input's row order and index, one row per input row, with the
    columns the analyzers declare (and, for labelled lists such as theme ids, their names)."""
    signal_columns: list[str] = []
    named = {}
    for output in outputs:
        if output.level != "record":
            continue
        signal_columns += [c for c in output.columns if c in records.columns and c not in signal_columns]
        if output.list_column and output.label_names and output.list_column in records.columns:
            named[f"{output.kind}_labels"] = (output.list_column, dict(records.attrs.get(output.names_key) or {}))
    records = records[records["dataset"] == "dataframe"].copy()
    for column, (source, names) in named.items():
        records[column] = [[names.get(label, label) for label in labels] for labels in records[source]]
        signal_columns.insert(signal_columns.index(source) + 1, column)
    position = records["source_id"].astype(str).str.split(":").str[0].astype(int)
    keep = ["record_id"] + [c for c in records.columns if c.startswith(("score:", "segment:"))]
    keep += [c for c in ("touchpoint", "created_at", "customer_id") if c in records and records[c].notna().any()]
    keep += signal_columns
    result = records[keep].set_index(position.to_numpy())
    result = result[~result.index.duplicated(keep="last")].reindex(range(len(df)))
    result.insert(1, "text", df[text].to_numpy())
    result.index = df.index
    return result
