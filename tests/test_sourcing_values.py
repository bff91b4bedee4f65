"""ReadContext's value parsing: good values kept, bad ones reported with file, row and column."""

from cxtext.sourcing import ReadContext, parse_number


def test_scores_and_counts_from_a_row():
    context = ReadContext()
    row = {"LTR": "11", "CSAT": "4 - Satisfied", "Stars": "", "Likes": "-3", "Shares": "7", "Recommend": "yes"}
    scores = context.parse_scores(row, {"nps": "LTR", "csat": "CSAT", "rating": "Stars"}, path="f.csv", number=9)
    assert scores == {"csat": 4.0}  # NPS 11 dropped, blank rating simply missing
    counts = context.parse_counts(row, {"likes": "Likes", "shares": "Shares"}, path="f.csv", number=9)
    assert counts == {"shares": 7}
    assert [str(i) for i in context.issues] == [
        "f.csv, row 9, column 'LTR': nps value 11 is outside 0-10; value dropped, row kept",
        "f.csv, row 9, column 'Likes': likes count '-3' is not a non-negative whole number; value dropped",
    ]
    converted = context.parse_scores(row, {"recommend": "Recommend"}, path="f.csv", number=9,
                                     convert=lambda v: {"yes": 1, "no": 0}.get(v, v))
    assert converted == {"recommend": 1.0}


def test_parse_number():
    assert parse_number("7,5") == 7.5
    assert parse_number("9 - Extremely likely") == 9.0
    assert parse_number(float("nan")) is None
    assert parse_number("n/a") is None


def test_dates_and_languages_from_cells():
    context = ReadContext()
    assert context.parse_date("2026-09-03", date_format=None, path="f.csv", row=2, column="Date").startswith("2026-09-03")
    assert context.parse_date("03/09/2026", date_format="dayfirst", path="f.csv", row=2, column="Date").startswith(
        "2026-09-03")
    assert context.parse_date("next Tuesday-ish", date_format=None, path="f.csv", row=3, column="Date") is None
    assert context.parse_language("FR", path="f.csv", row=4, column="Lang") == "fr"
    assert context.parse_language("Klingon?", path="f.csv", row=5, column="Lang") is None
    assert [str(i) for i in context.issues] == [
        "f.csv, row 3, column 'Date': date 'next Tuesday-ish' cannot be read; value dropped, row kept",
        "f.csv, row 5, column 'Lang': language 'Klingon?' is not a language code; value dropped, row kept",
    ]
