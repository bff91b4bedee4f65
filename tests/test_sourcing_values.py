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
