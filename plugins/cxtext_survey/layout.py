"""Survey export layouts: where the header ends and what each column is called.

Survey tools do not write one-header CSVs. Qualtrics writes three header rows
(column ids, question text, ``{"ImportId":"QID1"}`` JSON); SurveyMonkey writes two
(the question, then the answer label under it: "Response", "Open-Ended Response",
or one option per column of a multiple-choice question). This module recognises
them from their first rows and gives every column one unique name.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from typing import Any

from cxtext.sourcing import unique_headers

PLAIN = "plain"
QUALTRICS = "qualtrics"
SURVEYMONKEY = "surveymonkey"

# SurveyMonkey's answer labels for a question answered in a single column.
_SINGLE_ANSWER_LABELS = {"response", "open-ended response"}
# The answer label of a free-text question. ("Other (please specify)" boxes are not
# verbatims about the experience; they stay in metadata unless mapped with --text.)
OPEN_ENDED_LABELS = {"open-ended response"}
# Qualtrics import id of a text-entry question (QID2_TEXT); QID3_4_TEXT is the "Other" box of a choice.
_QUALTRICS_TEXT_ENTRY = re.compile(r"^QID\d+_TEXT$")


@dataclass
class Layout:
    """How a survey file is laid out.

    ``headers`` are the column names records and mappings use; ``questions`` the
    question text per column where the export has it (Qualtrics row 2, SurveyMonkey
    row 1); ``open_ended`` the columns the export itself marks as free text;
    ``header_rows`` how many rows precede the data.
    """

    kind: str
    headers: list[str]
    header_rows: int
    questions: dict[str, str] = field(default_factory=dict)
    open_ended: list[str] = field(default_factory=list)


def _cell(value: Any) -> str:
    return "" if value is None else str(value).strip()


def is_qualtrics_import_row(cells: list[Any]) -> bool:
    """Row 3 of a Qualtrics export: cells like ``{"ImportId":"QID1"}``."""
    hits = 0
    for cell in cells:
        text = _cell(cell)
        if not text:
            continue
        if not text.startswith("{"):
            return False
        try:
            value = json.loads(text)
        except (ValueError, RecursionError):  # not JSON, or nested too deep to be an import id
            return False
        if isinstance(value, dict) and "ImportId" in value:
            hits += 1
    return hits > 0


def is_surveymonkey_label_row(header: list[Any], labels: list[Any]) -> bool:
    """Row 2 of a SurveyMonkey export: answer labels under the questions of row 1."""
    label_texts = [_cell(c).lower() for c in labels]
    if not any(label in _SINGLE_ANSWER_LABELS for label in label_texts):
        return False
    if any(re.fullmatch(r"[-+]?\d+([.,]\d+)?", label) for label in label_texts):
        return False  # a data row (scores, ids), not a row of answer labels
    # Multiple-choice questions leave row 1 empty over their later options, and the
    # respondent metadata columns leave row 2 empty.
    header_texts = [_cell(c) for c in header]
    return "" in header_texts or "" in label_texts or "respondent id" in {h.lower() for h in header_texts}


def detect_layout(first_rows: list[list[Any]]) -> Layout:
    """The layout of a survey file from its first (up to three) rows."""
    header = [_cell(c) for c in first_rows[0]] if first_rows else []
    if len(first_rows) >= 3 and is_qualtrics_import_row(first_rows[2]):
        return _qualtrics(header, first_rows[1], first_rows[2])
    if len(first_rows) >= 2 and is_surveymonkey_label_row(first_rows[0], first_rows[1]):
        return _surveymonkey(first_rows[0], first_rows[1])
    return Layout(PLAIN, unique_names(header), header_rows=1)


def _qualtrics(header: list[str], question_row: list[Any], import_row: list[Any]) -> Layout:
    headers = unique_names(header)
    questions = {}
    open_ended = []
    for index, name in enumerate(headers):
        text = _cell(question_row[index]) if index < len(question_row) else ""
        if text and text != name:
            questions[name] = text
        if _QUALTRICS_TEXT_ENTRY.match(_import_id(import_row[index] if index < len(import_row) else None)):
            open_ended.append(name)
    return Layout(QUALTRICS, headers, header_rows=3, questions=questions, open_ended=open_ended)


def _import_id(cell: Any) -> str:
    try:
        value = json.loads(_cell(cell) or "{}")
    except (ValueError, RecursionError):
        return ""
    return str(value.get("ImportId", "")) if isinstance(value, dict) else ""


def _surveymonkey(question_row: list[Any], label_row: list[Any]) -> Layout:
    width = max(len(question_row), len(label_row))
    questions_in_order = []
    current = ""
    for index in range(width):
        question = _cell(question_row[index]) if index < len(question_row) else ""
        current = question or current
        label = _cell(label_row[index]) if index < len(label_row) else ""
        questions_in_order.append((current, label))
    columns_per_question: dict[str, int] = {}
    for question, _ in questions_in_order:
        columns_per_question[question] = columns_per_question.get(question, 0) + 1
    names = []
    for question, label in questions_in_order:
        alone = columns_per_question[question] == 1
        if not label or (alone and label.lower() in _SINGLE_ANSWER_LABELS):
            names.append(question)
        else:
            names.append(f"{question} - {label}" if question else label)
    headers = unique_names(names)
    questions = {name: q for name, (q, _) in zip(headers, questions_in_order) if q and q != name}
    open_ended = [
        name for name, (_, label) in zip(headers, questions_in_order) if label.lower() in OPEN_ENDED_LABELS
    ]
    return Layout(SURVEYMONKEY, headers, header_rows=2, questions=questions, open_ended=open_ended)


def unique_names(names: list[str]) -> list[str]:
    """Column names with blanks named by position and repeats numbered ("Q1", "Q1 (2)")."""
    return unique_headers(names)
