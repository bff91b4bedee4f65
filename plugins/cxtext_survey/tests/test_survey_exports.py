"""Qualtrics (3 header rows) and SurveyMonkey (2 header rows) exports."""

from __future__ import annotations

from cxtext.sourcing import ReadContext
from cxtext_survey import SurveySource
from cxtext_survey.layout import QUALTRICS, SURVEYMONKEY, detect_layout


def test_qualtrics_export(data):
    context = ReadContext()
    records = list(SurveySource().read(data / "qualtrics.csv", context))
    assert [r.source_id for r in records] == ["R_1a2B3c4D5e6F7g8:Q2", "R_2b3C4d5E6f7G8h9:Q2"]
    first, second = records
    assert first.source_row == 4  # rows 2-3 are the question text and import ids
    assert first.text == "Fast install, and the engineer explained everything."
    assert first.metadata["question_text"] == "What is the main reason for your score?"
    assert (first.scores, second.scores) == ({"nps": 9.0}, {"nps": 2.0})  # Q1, not Q1_NPS_GROUP
    assert (first.channel, first.language, first.created_at) == ("email", "en", "2024-03-01T09:15:02")
    # The "Other - Text" box of a choice question is kept, not analysed as a verbatim.
    assert second.metadata["Q3_4_TEXT"] == "Business line"
    assert "qualtrics export: 3 header rows" in context.notes
    assert "nps score column: 'Q1' (auto-detected from the question text)" in context.notes


def test_surveymonkey_export(data):
    context = ReadContext()
    records = list(SurveySource().read(data / "surveymonkey.csv", context))
    assert [(r.conversation_id, r.metadata["question"]) for r in records] == [
        ("114211111111", "What is the main reason for your score?"),
        ("114211111111", "What could we do better?"),
        ("114211111112", "What is the main reason for your score?"),
        ("114211111112", "What could we do better?"),
    ]
    assert records[2].scores == {"nps": 3.0}
    assert records[2].created_at == "2024-03-15T13:30:00"  # month-first, as SurveyMonkey writes
    assert records[2].metadata["Which products do you use? - Other (please specify)"] == "Mobile SIM"
    assert "1 row without text skipped" in context.notes


def test_layout_names_multiple_choice_columns():
    layout = detect_layout([
        ["Respondent ID", "Which products?", "", "Why?"],
        ["", "Broadband", "TV", "Open-Ended Response"],
    ])
    assert layout.kind == SURVEYMONKEY and layout.header_rows == 2
    assert layout.headers == ["Respondent ID", "Which products? - Broadband", "Which products? - TV", "Why?"]
    assert layout.open_ended == ["Why?"]


def test_layout_of_a_plain_file_is_its_header():
    layout = detect_layout([["id", "Comment", "Comment"], ["1", "a", "b"], ["2", "c", "d"]])
    assert layout.header_rows == 1 and layout.headers == ["id", "Comment", "Comment (2)"]
    assert detect_layout([["Q1"], ["Q1 text"], ['{"ImportId":"QID1"}']]).kind == QUALTRICS


def test_data_row_with_a_response_value_is_not_a_surveymonkey_label_row():
    layout = detect_layout([["Type", "Score", "Comment", "Notes"], ["Response", "9", "Great", ""]])
    assert layout.kind == "plain" and layout.header_rows == 1
