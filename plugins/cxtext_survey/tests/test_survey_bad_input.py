"""Bad input through `cxtext ingest`: a clear one-paragraph error that names the file, the
row and what was expected, and a store left exactly as it was; or an issue, the row kept."""

from __future__ import annotations

from pathlib import Path

import pytest

GOOD = "Response ID,NPS,Comment\n1,9,Lovely staff\n2,3,Slow refund\n"


@pytest.fixture(autouse=True)
def wide_terminal(monkeypatch):
    monkeypatch.setenv("COLUMNS", "500")  # keep each error on one line for the assertions


@pytest.fixture
def stored(ingest, data):
    """A store that already holds one import, and its state."""
    assert ingest(data / "plain.csv", "--source", "survey").exit_code == 0
    return ingest.state()


def write(tmp_path: Path, content: str | bytes, name: str = "bad.csv") -> Path:
    path = tmp_path / name
    path.write_bytes(content.encode("utf-8") if isinstance(content, str) else content)
    return path


def failed(result) -> str:
    assert result.exit_code == 2, result.output
    assert "Traceback" not in result.output
    return " ".join(result.stderr.split())


def test_wrong_encoding_names_the_line_and_the_option(ingest, stored, tmp_path):
    path = write(tmp_path, "Response ID,Comment\n1,Tr\xe8s bien\n2,Caf\xe9 ferm\xe9\n".encode("cp1252"))
    message = failed(ingest(path, "--source", "survey"))
    assert str(path) in message and "row 2" in message and "0xe8" in message
    assert "--encoding" in message
    assert ingest.state() == stored
    result = ingest(path, "--source", "survey", "--encoding", "cp1252")
    assert result.exit_code == 0 and result.summary["records_new"] == 2
    assert {r.text for r in ingest.records()} >= {"Très bien", "Café fermé"}


def test_byte_order_mark_is_read(ingest, tmp_path):
    path = write(tmp_path, b"\xef\xbb\xbf" + GOOD.encode())
    result = ingest(path, "--source", "survey")
    assert result.exit_code == 0 and result.summary["records_new"] == 2
    assert result.summary["notes"][0] == "id column: 'Response ID' (auto-detected)"


def test_bare_carriage_returns_are_line_ends(ingest, tmp_path):
    path = write(tmp_path, GOOD.replace("\n", "\r"))
    result = ingest(path, "--source", "survey")
    assert result.exit_code == 0 and result.summary["records_new"] == 2


def test_row_with_more_fields_than_the_header(ingest, stored, tmp_path):
    path = write(tmp_path, GOOD + "3,7,Fine, I suppose\n")
    message = failed(ingest(path, "--source", "survey"))
    assert str(path) in message and "row 4" in message
    assert "4 fields, more than the header's 3" in message and "Expected 3 fields" in message
    assert ingest.state() == stored


def test_row_with_fewer_fields_than_the_header(ingest, stored, tmp_path):
    path = write(tmp_path, GOOD + "3,7\n")
    message = failed(ingest(path, "--source", "survey"))
    assert str(path) in message and "row 4" in message and "Expected 3 fields" in message
    assert ingest.state() == stored


def test_missing_text_column(ingest, stored, tmp_path):
    path = write(tmp_path, "Response ID,NPS\n1,9\n2,3\n")
    message = failed(ingest(path, "--source", "survey"))
    assert str(path) in message and "row 1" in message and "no text column found" in message
    assert "--text COLUMN" in message and "'Response ID', 'NPS'" in message
    assert ingest.state() == stored


def test_mapped_column_that_is_not_there(ingest, stored, tmp_path):
    path = write(tmp_path, GOOD)
    message = failed(ingest(path, "--source", "survey", "--score", "csat=Satisfaction"))
    assert "'Satisfaction' not found" in message and "row 1" in message
    assert ingest.state() == stored


def test_non_numeric_score_is_an_issue_and_the_row_is_kept(ingest, tmp_path):
    path = write(tmp_path, GOOD + "3,abc,Fine overall\n")
    result = ingest(path, "--source", "survey")
    assert result.exit_code == 0 and result.summary["records_new"] == 3
    assert result.summary["issues"] == [
        f"{path}, row 4, column 'NPS': nps value 'abc' is not a number; value dropped, row kept"
    ]


def test_out_of_range_nps_is_reported_in_the_summary(ingest, tmp_path):
    path = write(tmp_path, GOOD + "3,11,Best ever\n")
    result = ingest(path, "--source", "survey")
    assert result.exit_code == 0 and result.summary["records_new"] == 3
    assert "row 4, column 'NPS': nps value 11 is outside 0-10" in result.summary["issues"][0]
    kept = [r for r in ingest.records() if r.text == "Best ever"]
    assert kept and kept[0].scores == {}


def test_issues_are_printed_in_the_plain_summary(tmp_path):
    from click.testing import CliRunner

    from cxtext.cli import cli

    path = write(tmp_path, GOOD + "3,11,Best ever\n")
    result = CliRunner().invoke(cli, ["ingest", str(path), "--db", str(tmp_path / "x.db"), "--source", "survey"])
    output = " ".join(result.stdout.split())
    assert result.exit_code == 0
    assert "3 records read, 3 new" in output and "nps value 11 is outside 0-10" in output
    assert "note: text column: 'Comment' (auto-detected)" in output


def test_empty_file(ingest, stored, tmp_path):
    path = write(tmp_path, "")
    message = failed(ingest(path, "--source", "survey"))
    assert str(path) in message and "empty" in message and "Expected at least a header" in message
    assert ingest.state() == stored


def test_header_only_file_adds_nothing(ingest, tmp_path):
    result = ingest(write(tmp_path, "Response ID,Comment\n"), "--source", "survey")
    assert result.exit_code == 0 and result.summary["records_new"] == 0


def test_unknown_format(ingest, stored, tmp_path):
    path = write(tmp_path, b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n", "survey.pdf")
    message = failed(ingest(path))
    assert str(path) in message and "could not tell what kind of source" in message
    message = failed(ingest(path, "--source", "survey"))
    assert "Expected a .csv, .tsv or .xlsx file" in message
    assert ingest.state() == stored


def test_reingesting_the_same_file_adds_nothing(ingest, data):
    first = ingest(data / "surveymonkey.csv")  # sniffed: no --source
    again = ingest(data / "surveymonkey.csv")
    assert (first.summary["source"], first.summary["records_new"]) == ("survey", 4)
    assert (again.summary["records_new"], again.summary["records_unchanged"]) == (0, 4)


def test_error_deep_in_a_file_leaves_no_partial_import(ingest, stored, tmp_path):
    rows = "".join(f"{i},{i % 11},comment number {i}\n" for i in range(1, 2501))
    path = write(tmp_path, "Response ID,NPS,Comment\n" + rows + "2501,8,one,field,too many\n")
    message = failed(ingest(path, "--source", "survey"))
    assert "row 2502" in message
    assert ingest.state() == stored


def test_utf16_export_is_read_and_sniffed(ingest, tmp_path):
    path = write(tmp_path, GOOD.encode("utf-16"))  # Excel's "Unicode text" saves UTF-16 with a BOM
    result = ingest(path)
    assert result.exit_code == 0 and (result.summary["source"], result.summary["records_new"]) == ("survey", 2)
