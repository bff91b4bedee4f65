"""Notebook-first analysis: a pandas DataFrame of verbatims in, a DataFrame of signals out.

BERTopic's ``fit_transform(docs)`` in cxtext terms::

    import pandas as pd
    from cxtext import analyze_frame

    df = pd.read_csv("responses.csv")
    signals = analyze_frame(df, text="comment", scores={"nps": "NPS"}, segments=["plan"])
    signals[["sentiment", "themes", "effort_score"]].head()

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

if TYPE_CHECKING:
    import pandas as pd

    from cxtext.config import ProjectConfig

#: The hidden column that carries each input row's position through the store.
ROW_COLUMN = "cxtext_row"
#: Record-level signal columns returned, when the analyzers produced them.
SIGNAL_COLUMNS = ("language", "sentiment", "sentiment_score", "themes", "theme_labels", "effort_score",
                  "effort_label", "effort_drivers")


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
    import pandas as pd

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
            records = project.records_frame()
    return _aligned(records, df, text)


def _aligned(records: "pd.DataFrame", df: "pd.DataFrame", text: str) -> "pd.DataFrame":
    """The records frame in the input's row order and index, one row per input row."""
    import pandas as pd

    labels = dict(records.attrs.get("theme_labels") or {})
    records = records[records["dataset"] == "dataframe"].copy()
    if "themes" in records.columns:
        records["theme_labels"] = [[labels.get(theme, theme) for theme in themes] for themes in records["themes"]]
    position = records["source_id"].astype(str).str.split(":").str[0].astype(int)
    keep = ["record_id"] + [c for c in records.columns if c.startswith(("score:", "segment:"))]
    keep += [c for c in ("touchpoint", "created_at", "customer_id") if c in records and records[c].notna().any()]
    keep += [c for c in SIGNAL_COLUMNS if c in records.columns]
    keep += [c for c in records.columns if c.startswith("signal:")]  # third-party analyzers' columns
    result = records[keep].set_index(position.to_numpy())
    result = result[~result.index.duplicated(keep="last")].reindex(range(len(df)))
    result.insert(1, "text", df[text].to_numpy())
    result.index = df.index
    return result
