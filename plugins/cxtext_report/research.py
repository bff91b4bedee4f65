"""The research view of interview transcripts: themes x interviews, with quotes in context.

Researchers doing theme analysis read a theme across interviews and participants, and a
quote only makes sense beside the question that prompted it. :func:`research_view` builds
that from transcript records: per theme, how many participant turns in each interview
carry it, how many participants raised it, and quotes, each with the interviewer's
preceding question (the nearest earlier interviewer turn of the same conversation).
"""

from __future__ import annotations

from collections import defaultdict
from typing import Any

import pandas as pd

from cxtext.store import Store
from cxtext_report.declared import ReportSignals

INTERVIEWER_ROLES = {"interviewer", "moderator", "researcher", "host", "agent"}
MAX_INTERVIEWS = 24  # matrix columns; more interviews are summed in the totals only
QUOTES_PER_THEME = 4
QUOTE_CHARS = 400


def is_interview_store(frame: pd.DataFrame) -> bool:
    """Every record is a transcript turn: survey KPIs (complaint share, NPS...) do not apply."""
    return bool(len(frame)) and bool((frame["source_kind"] == "transcript").all())


def research_view(store: Store, frame: pd.DataFrame, signals: ReportSignals) -> dict[str, Any] | None:
    """Themes x interviews with quotes in context, for transcript turns (the declared aspect output)."""
    if not len(frame) or "source_kind" not in frame.columns:
        return None
    turns = frame[frame["source_kind"] == "transcript"]
    if not len(turns):
        return None
    labels = signals.aspect_labels(frame)
    roles = turns["role"].fillna("").str.lower() if "role" in turns.columns else pd.Series("", index=turns.index)
    participant_ids = set(turns.index[~roles.isin(INTERVIEWER_ROLES)])
    interview_of = {rid: _interview(turns.at[rid, "conversation_id"], turns.at[rid, "dataset"]) for rid in turns.index}
    speaker_of = {rid: _speaker(turns.at[rid, "speaker"]) for rid in turns.index}
    by_theme: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for signal in store.iter_signals(kind=signals.aspect_kind, level="sentence") if signals.aspect_kind else []:
        if signal["record_id"] in participant_ids and signal["label"]:
            by_theme[signal["label"]].append(signal)
    if not by_theme:
        return {"interviews": sorted(set(interview_of.values())), "participants": len(set(speaker_of.values())),
                "turns": len(turns), "themes": [], "more_interviews": 0}
    interviews = sorted({interview_of[rid] for rid in participant_ids})
    texts = {s.id: s.text for found in store.sentences_for(sorted(participant_ids)).values() for s in found}
    questions = _preceding_questions(store, turns, roles)
    themes = []
    for theme, signals in by_theme.items():
        turn_ids = sorted({s["record_id"] for s in signals})
        counts: dict[str, int] = defaultdict(int)
        for rid in turn_ids:
            counts[interview_of[rid]] += 1
        quotes, seen = [], set()
        for signal in sorted(signals, key=lambda s: (-(s["score"] or 0), s["sentence_id"])):
            text = (texts.get(signal["sentence_id"]) or "").strip()
            rid = signal["record_id"]
            if not text or text.lower() in seen or interview_of[rid] in {q["interview"] for q in quotes}:
                continue  # one quote per interview, so the quotes show the spread
            seen.add(text.lower())
            quotes.append({"text": _cut(text), "interview": interview_of[rid], "speaker": speaker_of[rid],
                           "question": questions.get(rid)})
            if len(quotes) == QUOTES_PER_THEME:
                break
        themes.append({
            "theme": theme, "label": str(labels.get(theme, theme)), "turns": len(turn_ids),
            "interviews": len(counts), "participants": len({(interview_of[r], speaker_of[r]) for r in turn_ids}),
            "counts": dict(counts), "quotes": quotes,
        })
    themes.sort(key=lambda t: (-t["interviews"], -t["turns"], t["label"]))
    return {"interviews": interviews[:MAX_INTERVIEWS], "more_interviews": max(0, len(interviews) - MAX_INTERVIEWS),
            "participants": len({(interview_of[r], speaker_of[r]) for r in participant_ids}),
            "turns": len(turns), "themes": themes}


def _preceding_questions(store: Store, turns: pd.DataFrame, roles: pd.Series) -> dict[str, str]:
    """For each participant turn, the nearest earlier interviewer turn of its conversation."""
    interviewer = turns[roles.isin(INTERVIEWER_ROLES)]
    if not len(interviewer) or "turn_index" not in turns.columns:
        return {}
    texts = {r.id: r.text for r in store.get_records(list(interviewer.index))}
    found: dict[str, str] = {}
    ordered = turns.assign(_role=roles).sort_values(["conversation_id", "turn_index"], kind="stable")
    for _, conversation in ordered.groupby("conversation_id", sort=False):
        last_question = None
        for rid, row in conversation.iterrows():
            if row["_role"] in INTERVIEWER_ROLES:
                last_question = _cut(texts.get(rid, "").strip())
            elif last_question:
                found[rid] = last_question
    return found


def _interview(conversation_id: Any, dataset: Any) -> str:
    return str(conversation_id) if isinstance(conversation_id, str) and conversation_id else str(dataset)


def _speaker(value: Any) -> str:
    return str(value) if isinstance(value, str) and value else "(unnamed)"


def _cut(text: str, limit: int = QUOTE_CHARS) -> str:
    if len(text) <= limit:
        return text
    cut = text[: limit - 1]
    return (cut.rsplit(" ", 1)[0] if " " in cut else cut) + "…"
