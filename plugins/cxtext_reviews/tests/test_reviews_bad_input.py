"""Bad input through `cxtext ingest`: a clear one-paragraph error that names the file, the
row and what was expected, and a store left exactly as it was; or an issue, the row kept."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

GOOD = "Review ID,Rating,Title,Review Text\n1,5,Great,Fits perfectly\n2,2,Meh,Too small in the waist\n"


@pytest.fixture(autouse=True)
def wide_terminal(monkeypatch):
    monkeypatch.setenv("COLUMNS", "500")  # keep each error on one line for the assertions


@pytest.fixture
def stored(ingest, data):
    """A store that already holds one import, and its state."""
    assert ingest(data / "reviews.csv", "--source", "reviews").exit_code == 0
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
    path = write(tmp_path, "Rating,Review Text\n5,Tr\xe8s jolie robe\n4,Caf\xe9 colour and lovely\n".encode("cp1252"))
    message = failed(ingest(path, "--source", "reviews"))
    assert str(path) in message and "row 2" in message and "--encoding" in message
    assert ingest.state() == stored
    result = ingest(path, "--source", "reviews", "--encoding", "cp1252")
    assert result.exit_code == 0 and result.summary["records_new"] == 2
    assert "Très jolie robe" in {r.text for r in ingest.records()}


def test_wrong_encoding_in_jsonl(ingest, stored, tmp_path):
    path = write(tmp_path, '{"rating": 5, "text": "ok"}\n{"rating": 4, "text": "caf\xe9"}\n'.encode("cp1252"), "r.jsonl")
    message = failed(ingest(path, "--source", "reviews"))
    assert str(path) in message and "row 2" in message and "--encoding" in message
    assert ingest.state() == stored


def test_unknown_encoding_name(ingest, stored, tmp_path):
    message = failed(ingest(write(tmp_path, GOOD), "--source", "reviews", "--encoding", "klingon"))
    assert "unknown encoding 'klingon'" in message
    assert ingest.state() == stored


@pytest.mark.parametrize(("name", "content"), [
    ("bom.csv", GOOD),
    ("bom.jsonl", '{"rating": 5, "text": "Fits perfectly"}\n{"rating": 2, "text": "Too small"}\n'),
])
def test_byte_order_mark_is_read(ingest, tmp_path, name, content):
    result = ingest(write(tmp_path, b"\xef\xbb\xbf" + content.encode(), name), "--source", "reviews")
    assert result.exit_code == 0 and result.summary["records_new"] == 2


def test_bare_carriage_returns_are_line_ends(ingest, tmp_path):
    result = ingest(write(tmp_path, GOOD.replace("\n", "\r")), "--source", "reviews")
    assert result.exit_code == 0 and result.summary["records_new"] == 2
    assert {r.text for r in ingest.records()} == {"Fits perfectly", "Too small in the waist"}


def test_row_with_more_fields_than_the_header(ingest, stored, tmp_path):
    path = write(tmp_path, GOOD + "3,4,Nice,Soft, warm, and cheap\n")
    message = failed(ingest(path, "--source", "reviews"))
    assert str(path) in message and "row 4" in message
    assert "6 fields, more than the header's 4" in message and "Expected 4 fields" in message
    assert ingest.state() == stored


def test_row_with_fewer_fields_than_the_header(ingest, stored, tmp_path):
    path = write(tmp_path, GOOD + "3,4\n")
    message = failed(ingest(path, "--source", "reviews"))
    assert str(path) in message and "row 4" in message and "fewer than the header's 4" in message
    assert ingest.state() == stored


def test_missing_text_column(ingest, stored, tmp_path):
    path = write(tmp_path, "Review ID,Rating\n1,5\n2,3\n")
    message = failed(ingest(path, "--source", "reviews"))
    assert str(path) in message and "row 1" in message and "no text column found" in message
    assert "--text COLUMN" in message
    assert ingest.state() == stored


def test_non_numeric_rating_is_an_issue_and_the_row_is_kept(ingest, tmp_path):
    path = write(tmp_path, GOOD + "3,abc,Odd,Strange colour\n")
    result = ingest(path, "--source", "reviews")
    assert result.exit_code == 0 and result.summary["records_new"] == 3
    assert result.summary["issues"] == [
        f"{path}, row 4, column 'Rating': rating value 'abc' is not a number; value dropped, row kept"
    ]


def test_out_of_range_rating_is_reported_in_the_summary(ingest, tmp_path):
    path = write(tmp_path, GOOD + "3,6,Wow,Six stars if I could\n")
    result = ingest(path, "--source", "reviews")
    assert result.exit_code == 0 and result.summary["records_new"] == 3
    assert "row 4, column 'Rating': rating value 6 is outside 1-5" in result.summary["issues"][0]
    assert [r.scores for r in ingest.records() if r.source_id == "3"] == [{}]


@pytest.mark.parametrize("name", ["empty.csv", "empty.jsonl", "empty.json"])
def test_empty_file(ingest, stored, tmp_path, name):
    path = write(tmp_path, "\n", name)
    message = failed(ingest(path, "--source", "reviews"))
    assert str(path) in message and "empty" in message
    assert ingest.state() == stored


def test_unknown_format(ingest, stored, tmp_path):
    path = write(tmp_path, b"%PDF-1.7\n", "reviews.pdf")
    assert "could not tell what kind of source" in failed(ingest(path))
    assert "Expected a .csv, .tsv, .xlsx, .json or .jsonl file" in failed(ingest(path, "--source", "reviews"))
    assert ingest.state() == stored


def test_invalid_json_line_names_the_line(ingest, stored, tmp_path):
    lines = [json.dumps({"rating": 5, "text": f"review {i}"}) for i in range(1, 2500)]
    lines.append('{"rating": 4, "text": "unterminated}')
    path = write(tmp_path, "\n".join(lines) + "\n", "reviews.jsonl")
    message = failed(ingest(path, "--source", "reviews"))
    assert str(path) in message and "row 2500" in message and "line 2500 is not valid JSON" in message
    assert "Expected one JSON object per line" in message
    assert ingest.state() == stored  # 2,499 good lines before it: none kept


def test_json_line_that_is_not_an_object(ingest, stored, tmp_path):
    path = write(tmp_path, '{"rating": 5, "text": "ok"}\n[1, 2]\n', "reviews.jsonl")
    assert "line 2 holds a JSON list, not an object" in failed(ingest(path, "--source", "reviews"))
    assert ingest.state() == stored


def test_reingesting_the_same_file_adds_nothing(ingest, data):
    first = ingest(data / "yelp.jsonl")  # sniffed: no --source
    again = ingest(data / "yelp.jsonl")
    assert (first.summary["source"], first.summary["records_new"]) == ("reviews", 2)
    assert (again.summary["records_new"], again.summary["records_unchanged"]) == (0, 2)


def test_error_deep_in_a_csv_leaves_no_partial_import(ingest, stored, tmp_path):
    rows = "".join(f"{i},{i % 5 + 1},t,review number {i}\n" for i in range(3, 2600))
    path = write(tmp_path, GOOD + rows + '2600,5,"unclosed,quote\n')
    message = failed(ingest(path, "--source", "reviews"))
    assert str(path) in message and "row 2601" in message
    assert ingest.state() == stored
