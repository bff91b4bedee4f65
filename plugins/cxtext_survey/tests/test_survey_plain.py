"""Plain one-header survey files: auto-detected and mapped columns, one record per answer."""

from __future__ import annotations

from pathlib import Path

import pytest

from cxtext.errors import InputError
from cxtext.sourcing import ColumnMapping, ReadContext
from cxtext_survey import SurveySource


def read(path: Path, **mapping) -> tuple[list, ReadContext]:
    options = mapping.pop("options", {})
    context = ReadContext(mapping=ColumnMapping(**mapping), options=options)
    return list(SurveySource().read(path, context)), context


def write(tmp_path: Path, text: str, name: str = "survey.csv") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def test_auto_detects_columns_and_says_so(data):
    records, context = read(data / "plain.csv", segments=["Plan Type"], scores={"nps": "NPS"})
    first = records[0]
    assert first.text == "The setup guide was clear and quick."
    assert first.source_kind == "survey"
    assert first.source_id == "r1:Comment" and first.conversation_id == "r1"
    assert first.scores == {"nps": 9.0, "csat": 5.0}
    assert first.touchpoint == "Onboarding"
    assert first.created_at == "2024-02-14T00:00:00"
    assert first.segments == {"plan_type": "Premium"}
    assert first.metadata == {"Region": "North", "question": "Comment"}
    assert "text column: 'Comment' (auto-detected)" in context.notes
    assert "touchpoint column: 'Journey Stage' (auto-detected)" in context.notes


def test_bad_scores_are_issues_and_rows_are_kept(data):
    records, context = read(data / "plain.csv", scores={"nps": "NPS"})
    by_id = {r.conversation_id: r for r in records}
    assert "nps" not in by_id["r3"].scores and by_id["r3"].scores["csat"] == 4.0
    assert "nps" not in by_id["r4"].scores
    messages = [str(i) for i in context.issues]
    assert any("row 4" in m and "nps value 11 is outside 0-10" in m for m in messages)
    assert any("row 5" in m and "'abc' is not a number" in m for m in messages)
    assert "1 row without text skipped" in context.notes


def test_score_column_of_words_is_not_auto_mapped(tmp_path):
    path = write(tmp_path, "NPS,Comment\nPromoter,Great service all round\nDetractor,Slow and rude staff\n")
    records, context = read(path)
    assert records[0].scores == {} and records[0].metadata["NPS"] == "Promoter"
    assert any("--score nps=COLUMN" in note for note in context.notes)


def test_several_text_columns_give_one_record_per_answer(tmp_path):
    path = write(tmp_path, "id,LTR,Liked,Improve\n7,9,Quick delivery,\n8,4,N/A,N/A\n")
    records, _ = read(path, text=["Liked", "Improve"], scores={"nps": "LTR"})
    assert [(r.source_id, r.text) for r in records] == [
        ("7:Liked", "Quick delivery"), ("8:Liked", "N/A"), ("8:Improve", "N/A")
    ]
    assert {r.conversation_id for r in records[1:]} == {"8"}
    assert len({r.id for r in records}) == 3
    assert [r.metadata["question"] for r in records] == ["Liked", "Liked", "Improve"]
    assert all(r.scores == {"nps": (9.0 if r.conversation_id == "7" else 4.0)} for r in records)


def test_without_an_id_column_rows_identify_responses(tmp_path):
    path = write(tmp_path, "Comment,CES\nEasy to sort out online,6\nHad to call back twice,2\n", "ces.csv")
    records, _ = read(path)
    assert [r.source_id for r in records] == [None, None]
    assert [r.source_row for r in records] == [2, 3]
    assert [r.conversation_id for r in records] == ["ces:2", "ces:3"]
    assert records[1].scores == {"ces": 2.0}


@pytest.mark.parametrize(
    ("dates", "expected"),
    [(["03/04/2024", "25/04/2024"], "2024-04-03T00:00:00"), (["03/04/2024", "04/25/2024"], "2024-03-04T00:00:00")],
)
def test_day_order_is_detected_from_the_rows(tmp_path, dates, expected):
    body = "".join(f"{d},comment number {i}\n" for i, d in enumerate(dates))
    records, _ = read(write(tmp_path, "Date,Comment\n" + body))
    assert records[0].created_at == expected


def test_ambiguous_dates_ask_for_a_date_format(tmp_path):
    path = write(tmp_path, "Date,Comment\n03/04/2024,first comment\n05/06/2024,second comment\n")
    with pytest.raises(InputError, match="--date-format"):
        read(path)
    records, _ = read(path, date_format="dayfirst")
    assert records[0].created_at == "2024-04-03T00:00:00"


def test_unreadable_date_is_an_issue(tmp_path):
    path = write(tmp_path, "Date,Comment\n2024-04-03,first comment\nsoon,second comment\n")
    records, context = read(path)
    assert records[1].created_at is None
    assert "row 3" in str(context.issues[0]) and "'soon'" in str(context.issues[0])


def test_two_columns_named_like_text_is_a_question_not_a_guess(tmp_path):
    path = write(tmp_path, "Comment,Feedback\nfine,ok\n")
    with pytest.raises(InputError) as error:
        read(path)
    message = str(error.value)
    assert "'Comment', 'Feedback'" in message and "--text Comment --text Feedback" in message


def test_text_column_found_from_content(tmp_path):
    path = write(tmp_path, "Q1,Q2,Q3\n9,The app crashed when I paid,Yes\n3,Nobody answered the phone for days,No\n"
                            "8,Mostly fine but slow to load,Yes\n")
    records, context = read(path)
    assert [r.metadata["question"] for r in records] == ["Q2"] * 3
    assert "text column: 'Q2' (auto-detected from its content)" in context.notes


def test_language_and_channel(tmp_path):
    path = write(tmp_path, "Comment,Language,Channel\nMuy bien,es-MX,app\nGreat,English,\n")
    records, _ = read(path)
    assert [(r.language, r.channel) for r in records] == [("es", "app"), ("en", None)]


def test_tsv_and_semicolon_files(tmp_path):
    tsv = write(tmp_path, "Comment\tNPS\nGood, fast, cheap\t10\n", "s.tsv")
    semicolon = write(tmp_path, "Comment;NPS\nGood, fast, cheap;10\n", "s2.csv")
    for path in (tsv, semicolon):
        records, _ = read(path)
        assert [(r.text, r.scores) for r in records] == [("Good, fast, cheap", {"nps": 10.0})]


def test_xlsx_workbook(tmp_path):
    from datetime import datetime

    from openpyxl import Workbook

    workbook = Workbook()
    sheet = workbook.active
    sheet.append(["Response ID", "Submitted", "CSAT", "Comment"])
    sheet.append([101, datetime(2024, 5, 2, 14, 30), 4, "Quick answer on chat"])
    sheet.append([102, datetime(2024, 5, 3, 9, 0), 6, "Still waiting for a refund"])
    sheet.append([103, None, None, None])
    path = tmp_path / "survey.xlsx"
    workbook.save(path)
    records, context = read(path)
    assert [(r.source_id, r.created_at, r.scores) for r in records] == [
        ("101:Comment", "2024-05-02T14:30:00", {"csat": 4.0}),
        ("102:Comment", "2024-05-03T09:00:00", {}),
    ]
    assert "csat value 6 is outside 1-5" in str(context.issues[0])


def test_sniff(data, tmp_path):
    source = SurveySource()
    assert source.sniff(data / "qualtrics.csv") >= 0.9
    assert source.sniff(data / "surveymonkey.csv") >= 0.9
    assert source.sniff(data / "plain.csv") == 0.8
    assert source.sniff(write(tmp_path, "%PDF-1.4", "report.pdf")) == 0.0


def test_unknown_option_is_an_error_not_ignored(data):
    with pytest.raises(InputError, match="unknown option.* sheeet.*sheet, delimiter"):
        read(data / "plain.csv", options={"sheeet": "Responses"})


def test_sheet_option_picks_the_worksheet(tmp_path):
    from openpyxl import Workbook

    workbook = Workbook()
    workbook.active.append(["notes"])
    responses = workbook.create_sheet("Responses")
    responses.append(["Comment", "NPS"])
    responses.append(["Took ages to get through", 2])
    path = tmp_path / "book.xlsx"
    workbook.save(path)
    records, _ = read(path, options={"sheet": "Responses"})
    assert [(r.text, r.scores) for r in records] == [("Took ages to get through", {"nps": 2.0})]
    with pytest.raises(InputError, match="no sheet named 'Answers'"):
        read(path, options={"sheet": "Answers"})


def test_xlsx_cells_past_the_header_are_an_error(tmp_path):
    from openpyxl import Workbook

    workbook = Workbook()
    workbook.active.append(["Comment", "NPS"])
    workbook.active.append(["Fine", 8, "stray note"])
    path = tmp_path / "survey.xlsx"
    workbook.save(path)
    with pytest.raises(InputError, match="row 2: this row has 3 fields.*Give every filled column a header"):
        read(path)
