"""The table helpers in cxtext.sourcing that table-shaped sources share."""

from __future__ import annotations

import pytest

from cxtext.errors import InputError
from cxtext.sourcing import (
    ReadContext,
    check_options,
    check_row_width,
    choose_date_order,
    detect_delimiter,
    iter_table_rows,
    normalise_language,
    segment_columns,
    sniff_sample,
)


def test_iter_table_rows_counts_records_not_lines(tmp_path):
    path = tmp_path / "t.csv"
    path.write_bytes(b'\xef\xbb\xbfid,text\r1,"two\nlines"\r2,plain\r')
    assert list(iter_table_rows(path)) == [(1, ["id", "text"]), (2, ["1", "two\nlines"]), (3, ["2", "plain"])]


def test_iter_table_rows_reads_workbooks(tmp_path):
    from openpyxl import Workbook

    workbook = Workbook()
    workbook.active.append(["a", "b", None])
    workbook.active.append([1, None, None])
    path = tmp_path / "t.xlsx"
    workbook.save(path)
    assert list(iter_table_rows(path)) == [(1, ["a", "b"]), (2, [1])]


def test_detect_delimiter_ignores_quoted_ones():
    assert detect_delimiter('"a,b";c;d') == ";"
    assert detect_delimiter("a\tb,c\td") == "\t"
    assert detect_delimiter("single") == ","


def test_check_row_width_pads_workbook_rows_only():
    assert check_row_width([1], 3, path="t.xlsx", row=2, pad=True) == [1, None, None]
    assert check_row_width([1, 2, None], 2, path="t.xlsx", row=2, pad=True) == [1, 2]
    with pytest.raises(InputError, match="t.csv, row 5: this row has 1 fields, fewer than the header's 3"):
        check_row_width(["x"], 3, path="t.csv", row=5)


def test_segment_columns_names():
    assert segment_columns(["Plan Type", "division=Division Name", "a=b"], headers=["a=b"]) == {
        "plan_type": "Plan Type", "division": "Division Name", "a_b": "a=b"
    }


def test_choose_date_order_asks_when_ambiguous():
    assert choose_date_order(["01/02/2024", "13/02/2024"], path="t.csv", column="Date") == "dayfirst"
    assert choose_date_order(["2024-02-01"], path="t.csv", column="Date") is None
    with pytest.raises(InputError, match="column 'Date'.*--date-format dayfirst"):
        choose_date_order(["01/02/2024", "03/04/2024"], path="t.csv", column="Date")


@pytest.mark.parametrize(("raw", "code"), [("EN", "en"), ("en-GB", "en"), ("pt_BR", "pt"), ("French", "fr"),
                                           ("", None), ("Klingon", None)])
def test_normalise_language(raw, code):
    assert normalise_language(raw) == code


def test_check_options_names_the_unknown_key():
    check_options(ReadContext(options={"sheet": "A"}), ("sheet",), "t.xlsx")
    with pytest.raises(InputError, match="unknown option.*shet.*Expected one of sheet"):
        check_options(ReadContext(options={"shet": "A"}), ("sheet",), "t.xlsx")


def test_sniff_sample_reads_utf16(tmp_path):
    path = tmp_path / "t.csv"
    path.write_text("Comment,NPS\n", encoding="utf-16")
    assert sniff_sample(path).startswith("Comment,NPS")
