"""Bad input through ``cxtext ingest``: one clear paragraph, exit status 2, the store untouched."""

from __future__ import annotations

import json

import pytest

from cxtext.testing import store_state

from .conftest import one_paragraph, write_jsonl

GOOD_CSV = "tweet_id,text,likes\n1,The app is great,4\n2,Refund took a month,0\n"


@pytest.fixture
def db(tmp_path, cli_ingest):
    """A store that already holds one good import, so 'unchanged' means something."""
    path = tmp_path / "cx.db"
    good = tmp_path / "good.csv"
    good.write_text(GOOD_CSV, encoding="utf-8")
    result = cli_ingest(path, "--source", "social", good)
    assert result.exit_code == 0, result.output
    return path


def fails_cleanly(cli_ingest, db, path, *args):
    """Run a failing ingest; return its message after checking exit status and store state."""
    before = store_state(db)
    result = cli_ingest(db, "--source", "social", path, *args)
    assert result.exit_code == 2, result.output
    assert "Traceback" not in result.output
    assert store_state(db) == before
    return one_paragraph(result.output)


def test_invalid_json_line(tmp_path, cli_ingest, db):
    path = tmp_path / "tweets.jsonl"
    path.write_text('{"id": "1", "text": "ok"}\n\n{"id": "2", "text": "fine"}\n{"id": "3", "text": "cut\n',
                    encoding="utf-8")
    message = fails_cleanly(cli_ingest, db, path)
    assert f"{path}, row 4: line 4 is not valid JSON" in message
    assert "Expected one complete JSON object per line" in message


def test_json_of_the_wrong_shape(tmp_path, cli_ingest, db):
    path = tmp_path / "orders.json"
    path.write_text(json.dumps({"orders": [{"sku": "A1", "qty": 2}]}), encoding="utf-8")
    message = fails_cleanly(cli_ingest, db, path)
    assert str(path) in message and "not a social media export" in message and "keys orders" in message
    assert "Expected an X/Twitter API v2 response" in message


def test_jsonl_of_the_wrong_shape_names_the_line(tmp_path, cli_ingest, db):
    path = write_jsonl(tmp_path / "rows.jsonl", [[1, 2], [3, 4]])
    message = fails_cleanly(cli_ingest, db, path)
    assert f"{path}, row 1:" in message and "not a social media export" in message


def test_csv_without_a_text_column(tmp_path, cli_ingest, db):
    path = tmp_path / "metrics.csv"
    path.write_text("tweet_id,likes,retweets\n1,3,4\n", encoding="utf-8")
    message = fails_cleanly(cli_ingest, db, path)
    assert f"{path}, row 1: no text column found" in message
    assert "'tweet_id', 'likes', 'retweets'" in message and "--text COLUMN" in message


def test_mapped_column_missing(tmp_path, cli_ingest, db):
    path = tmp_path / "posts.csv"
    path.write_text("text,likes\nhello,1\n", encoding="utf-8")
    message = fails_cleanly(cli_ingest, db, path, "--engagement", "shares=Shares")
    assert f"{path}, row 1: mapped column(s) 'Shares' not found" in message


@pytest.mark.parametrize("name", ["empty.csv", "empty.json", "empty.jsonl"])
def test_empty_file(tmp_path, cli_ingest, db, name):
    path = tmp_path / name
    path.write_text("\n  \n", encoding="utf-8")
    message = fails_cleanly(cli_ingest, db, path)
    assert f"{path}: the file is empty" in message and "Expected" in message


def test_wrong_encoding_then_encoding_option(tmp_path, cli_ingest, db):
    path = tmp_path / "cp1252.csv"
    path.write_bytes("text,likes\nCafé was closed – again,2\n".encode("cp1252"))
    message = fails_cleanly(cli_ingest, db, path)
    assert f"{path}, row 2: the file is not UTF-8" in message and "--encoding" in message
    result = cli_ingest(db, "--source", "social", path, "--encoding", "cp1252")
    assert result.exit_code == 0, result.output
    assert "1 new" in one_paragraph(result.output)


def test_unclosed_quote_is_an_error(tmp_path, cli_ingest, db):
    path = tmp_path / "quote.csv"
    path.write_text('text,likes\n"never closed,1\nnext,2\n', encoding="utf-8")
    message = fails_cleanly(cli_ingest, db, path)
    assert str(path) in message and "row 2" in message


def test_bom_and_bare_cr_work(tmp_path, cli_ingest, db):
    path = tmp_path / "bom_cr.csv"
    path.write_bytes("\ufefftext,likes\rsmooth checkout,1\rlost parcel,0\r".encode("utf-8"))
    result = cli_ingest(db, "--source", "social", path, "--json")
    assert result.exit_code == 0, result.output
    (summary,) = json.loads(result.output)
    assert summary["records_new"] == 2 and summary["issues"] == []


def test_non_numeric_engagement_is_an_issue_and_the_row_is_kept(tmp_path, cli_ingest, db):
    from cxtext.store import Store

    path = tmp_path / "counts.csv"
    path.write_text("id,text,likes,retweets\n7,slow delivery,lots,2\n", encoding="utf-8")
    result = cli_ingest(db, "--source", "social", path, "--json")
    assert result.exit_code == 0, result.output
    (summary,) = json.loads(result.output)
    assert summary["records_new"] == 1
    assert summary["issues"] == [f"{path}, row 2, column 'likes': likes count 'lots' is not a non-negative "
                                 "whole number; value dropped"]
    with Store(db) as store:
        (record,) = store.iter_records("dataset = ?", ["counts"])
    assert record.engagement == {"retweets": 2}


def test_reingest_adds_nothing(tmp_path, cli_ingest, db):
    path = tmp_path / "good.csv"  # the file the store was filled from
    result = cli_ingest(db, "--source", "social", path, "--json")
    (summary,) = json.loads(result.output)
    assert summary["records_new"] == 0 and summary["records_unchanged"] == 2


def test_unknown_option(tmp_path, cli_ingest, db):
    path = tmp_path / "good.csv"
    message = fails_cleanly(cli_ingest, db, path, "--option", "colums=a,b")
    assert f"{path}: unknown option(s) colums for this source. Expected one of columns, header" in message


def test_column_mapping_on_json(tmp_path, cli_ingest, db):
    path = write_jsonl(tmp_path / "tweets.jsonl", [{"id": "1", "text": "hi"}])
    message = fails_cleanly(cli_ingest, db, path, "--segment", "lang")
    assert f"{path}: column mapping (segments) applies to CSV/XLSX posts only." in message
