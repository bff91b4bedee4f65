"""What the report reads from the analyzers, found through their declared outputs.

The report never looks a signal up by an analyzer's name: the sentence polarity
(sentiment), the multi-label aspects (themes) and the evidence spans (effort) are the
outputs that declare ``polarity``, ``drivers`` / ``pair_column`` and ``evidence``
(:class:`cxtext.signals.SignalOutput`). A store analysed without one of them simply has
no such section.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import pandas as pd

from cxtext.signals import LANGUAGE_OUTPUT, SignalOutput


@dataclass(frozen=True)
class Evidence:
    """A sentence-level evidence output shown as drivers with spans (the effort section)."""

    kind: str
    analysed: str  # the frame column: records the declaring analyzer processed
    polarity_key: str | None  # data key whose excluded value marks the opposite (ease) evidence
    duration_key: str | None


@dataclass(frozen=True)
class ReportSignals:
    analyzers: tuple[str, ...] = ()
    polarity_kind: str | None = None  # sentence-level positive/neutral/negative
    polarity_column: str | None = None  # the record-level label column of the same kind
    aspect_kind: str | None = None  # sentence-level aspects paired with the polarity (themes)
    aspect_column: str | None = None  # record-level list column of aspects
    aspect_analysed: str | None = None
    aspect_names: str | None = None  # frame.attrs key: aspect id -> label
    evidence: Evidence | None = None
    record_kinds: tuple[str, ...] = field(default_factory=tuple)  # every declared record-level kind

    def column(self, frame: pd.DataFrame, name: str | None) -> pd.Series | None:
        return frame[name] if name and name in frame.columns else None

    def analysed(self, frame: pd.DataFrame, column: str | None) -> int:
        return int(frame[column].sum()) if column and column in frame.columns and len(frame) else 0

    def aspect_labels(self, frame: pd.DataFrame) -> dict[str, str]:
        return dict(frame.attrs.get(self.aspect_names, {})) if self.aspect_names else {}


def report_signals(analyzers: dict[str, Any]) -> ReportSignals:
    """Read the analyzers' ``outputs`` into what the report's sections need."""
    declared: list[tuple[str, SignalOutput]] = [
        (name, output) for name, analyzer in analyzers.items() for output in getattr(analyzer, "outputs", None) or []
    ]
    polarity = next(((n, o) for n, o in declared if o.level == "sentence" and o.polarity), None)
    polarity_column = None
    if polarity:
        polarity_column = next((o.label_column for _, o in declared
                                if o.level == "record" and o.kind == polarity[1].kind and o.label_column), None)
    drivers = next(((n, o) for n, o in declared if o.level == "record" and o.drivers and o.list_column), None)
    aspect = next(((n, o) for n, o in declared if o.level == "sentence" and o.pair_column
                   and (drivers is None or o.kind == drivers[1].kind)), None)
    evidence = next(((n, o) for n, o in declared
                     if o.level == "sentence" and o.evidence and o.evidence_rule == "any"), None)
    return ReportSignals(
        analyzers=tuple(analyzers),
        polarity_kind=polarity[1].kind if polarity else None,
        polarity_column=polarity_column,
        aspect_kind=aspect[1].kind if aspect else (drivers[1].kind if drivers else None),
        aspect_column=drivers[1].list_column if drivers else None,
        aspect_analysed=f"analysed:{drivers[0]}" if drivers else None,
        aspect_names=drivers[1].names_key if drivers and drivers[1].label_names else None,
        evidence=Evidence(
            kind=evidence[1].kind, analysed=f"analysed:{evidence[0]}",
            polarity_key=next(iter(evidence[1].exclude), None),
            duration_key="duration_minutes" if "duration_minutes" in evidence[1].data_keys else None,
        ) if evidence else None,
        record_kinds=tuple(dict.fromkeys([LANGUAGE_OUTPUT.kind] + [o.kind for _, o in declared if o.level == "record"])),
    )
