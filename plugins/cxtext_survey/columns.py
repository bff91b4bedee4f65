"""Which survey column holds what: the user's mapping first, then careful auto-detection.

Auto-detection uses column names (``COLUMN_SYNONYMS``), the question text and
open-ended markers of Qualtrics/SurveyMonkey exports, and, for the text column
only, the content of the first rows. Every auto-detected column is reported with
``context.note``; when two columns fit equally well, the user is asked to choose.
"""

from __future__ import annotations

import re
from dataclasses import replace
from pathlib import Path
from typing import Any

from cxtext.errors import InputError
from cxtext.sourcing import (
    COLUMN_SYNONYMS,
    ColumnMapping,
    ReadContext,
    ResolvedColumns,
    find_column,
    looks_like_text,
    mapped_columns,
    missing_text_error,
    normalise_header,
    numeric_share,
)

from cxtext_survey.layout import Layout

SURVEY_SCORES = ("nps", "csat", "ces")

# Question wording that identifies a score column in exports named Q1, Q2, ...
_SCORE_QUESTIONS = {
    "nps": re.compile(r"how likely .{0,120}recommend", re.I),
    "csat": re.compile(r"\bhow satisfied\b|\boverall satisfaction\b", re.I),
    "ces": re.compile(r"\beas(y|ier)\b.{0,60}\b(handle|resolve|solve|get)\b|\bcustomer effort\b", re.I),
}
# Qualtrics adds a derived NPS_GROUP column (1-3) beside the 0-10 answer.
_DERIVED_SCORE = re.compile(r"\bgroup\b", re.I)
_TEXT_NAMES = set(COLUMN_SYNONYMS["text"])
_CHANNEL_NAMES = ("channel", "distribution channel", "distributionchannel", "survey channel", "collector")


def resolve_columns(
    layout: Layout, sample: list[dict[str, Any]], context: ReadContext, path: Path
) -> ResolvedColumns:
    """Combine the mapping with auto-detection over the header and a sample of rows."""
    mapping: ColumnMapping = context.mapping
    headers = layout.headers
    # A survey answer has no title: --title is not a survey mapping.
    columns, taken = mapped_columns(replace(mapping, title=None), headers, path=path)

    def auto(role: str, explicit: str | None, names: tuple[str, ...] | None = None) -> str | None:
        if explicit:
            return explicit
        free = [h for h in headers if h not in taken]
        if names is None:
            found = find_column(free, role)
        else:
            normal = {normalise_header(h): h for h in free}
            found = next((normal[n] for n in names if n in normal), None)
        if found:
            taken.add(found)
            context.note(f"{role} column: {found!r} (auto-detected)")
        return found

    columns.id = auto("id", mapping.id)
    columns.date = auto("date", mapping.date)
    columns.customer = auto("customer", mapping.customer)
    columns.touchpoint = auto("touchpoint", mapping.touchpoint)
    columns.language = auto("language", mapping.language)
    columns.channel = mapping.channel or (None if context.channel else auto("channel", None, _CHANNEL_NAMES))
    for name in SURVEY_SCORES:
        if name not in columns.scores:
            found = _detect_score(name, layout, sample, taken, context)
            if found:
                columns.scores[name] = found
                taken.add(found)
    if not columns.text:
        columns.text = _detect_text(layout, sample, taken, context, path)
    return columns


def _detect_score(name: str, layout: Layout, sample: list[dict[str, Any]], taken: set[str],
                  context: ReadContext) -> str | None:
    free = [h for h in layout.headers if h not in taken and not _DERIVED_SCORE.search(normalise_header(h))]
    by_name = find_column(free, name)
    candidates = [by_name] if by_name else [
        h for h in free if _SCORE_QUESTIONS[name].search(layout.questions.get(h, h))
    ]
    if len(candidates) > 1:
        context.note(
            f"several columns could be the {name} score ({', '.join(map(repr, candidates[:5]))}); "
            f"none used - map one with --score {name}=COLUMN"
        )
        return None
    if not candidates:
        return None
    column = candidates[0]
    if numeric_share(row.get(column) for row in sample) < 0.5:
        context.note(
            f"column {column!r} is named like the {name} score but holds words, not numbers; "
            f"not used - map the numeric column with --score {name}=COLUMN"
        )
        return None
    how = "auto-detected" if by_name else "auto-detected from the question text"
    context.note(f"{name} score column: {column!r} ({how})")
    return column


def _detect_text(layout: Layout, sample: list[dict[str, Any]], taken: set[str], context: ReadContext,
                 path: Path) -> list[str]:
    free = [h for h in layout.headers if h not in taken]
    marked = [h for h in layout.open_ended if h in free]
    if marked:
        context.note(
            f"text column(s): {', '.join(map(repr, marked))} (marked open-ended by the {layout.kind} export)"
        )
        return marked
    by_name = [h for h in free if normalise_header(h) in _TEXT_NAMES]
    if len(by_name) == 1:
        context.note(f"text column: {by_name[0]!r} (auto-detected)")
        return by_name
    if len(by_name) > 1:
        raise _ambiguous_text(by_name, path, "are all named like open text")
    by_content = [h for h in free if looks_like_text([row.get(h) for row in sample])]
    if len(by_content) == 1:
        context.note(f"text column: {by_content[0]!r} (auto-detected from its content)")
        return by_content
    if len(by_content) > 1:
        raise _ambiguous_text(by_content, path, "all hold free text")
    raise missing_text_error(layout.headers, path)


def _ambiguous_text(candidates: list[str], path: Path, why: str) -> InputError:
    example = " ".join(f"--text {_quote(c)}" for c in candidates[:3])
    return InputError(
        f"cannot tell which column is the customer text: {', '.join(map(repr, candidates[:10]))} {why}.",
        path=path,
        row=1,
        expected="one column named like 'text', 'comment' or 'verbatim', or an explicit choice",
        hint=f"Name the open-text column(s) to analyse with --text (repeat for several), e.g. {example}.",
    )


def _quote(name: str) -> str:
    return f'"{name}"' if re.search(r"[^\w.-]", name) else name
