"""JSON (a list, or an object holding the list) and JSON Lines review exports."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from cxtext.errors import InputError
from cxtext.sourcing import ReadContext
from cxtext_reviews import ReviewsSource
from cxtext_reviews.rows import flatten


def read(path: Path, **options) -> tuple[list, ReadContext]:
    context = ReadContext(options=options)
    return list(ReviewsSource().read(path, context)), context


def test_amazon_style_json_list(data):
    records, context = read(data / "amazon.json")
    first = records[0]
    assert first.text.startswith("I bought this for my husband")
    assert first.metadata["title"] == "Heavenly Highway Hymns"
    assert first.scores == {"rating": 5.0}
    assert first.engagement == {"helpful_votes": 2}  # "helpful": [helpful, total]
    assert first.segments == {"product": "0000013714"}
    assert first.customer_id == "A2SUAM1J3GNN3B"
    assert first.created_at == "2009-09-13T00:00:00+00:00"  # unixReviewTime
    assert first.source_id is None and first.source_row == 1
    assert "date column: 'unixReviewTime' (auto-detected)" in context.notes


def test_yelp_style_jsonl(data):
    records, _ = read(data / "yelp.jsonl")
    assert [r.source_id for r in records] == ["KU_O5udG6zpxOg-VcAEodg", "BiTunyQ73aT9WBnpR9DZGw"]
    assert [r.source_row for r in records] == [1, 3]  # line numbers; the blank line is skipped
    second = records[1]
    assert (second.scores, second.engagement, second.created_at) == ({"rating": 5.0}, {"helpful_votes": 1}, "2012-01-03T15:28:18")
    assert second.segments == {"product": "7ATYjTIgM3jUlt4UM3IypQ"}
    assert second.metadata == {"user.elite": True}


@pytest.mark.parametrize("key", ["reviews", "data", "payload"])
def test_object_holding_the_list(tmp_path, key):
    path = tmp_path / "wrapped.json"
    path.write_text(json.dumps({"count": 1, key: [{"rating": 4, "body": "Good value"}]}))
    records, context = read(path)
    assert [(r.text, r.scores) for r in records] == [("Good value", {"rating": 4.0})]
    assert (f"reviews read from the list under {key!r}" in context.notes) == (key == "payload")


def test_object_with_several_lists_asks_for_the_key(tmp_path):
    path = tmp_path / "wrapped.json"
    path.write_text(json.dumps({"a": [{"text": "x"}], "b": [{"text": "y"}]}))
    with pytest.raises(InputError, match="--option list_key=KEY"):
        read(path)
    records, _ = read(path, list_key="b")
    assert [r.text for r in records] == ["y"]


def test_invalid_json_document_names_the_line(tmp_path):
    path = tmp_path / "broken.json"
    path.write_text('[\n  {"rating": 5, "text": "ok"},\n  {"rating": 4 "text": "missing comma"}\n]\n')
    with pytest.raises(InputError) as error:
        read(path)
    assert error.value.row == 3 and "not valid JSON" in str(error.value)


def test_flatten_nested_objects():
    assert flatten({"a": 1, "user": {"id": 7, "geo": {"country": "UK"}}, "tags": ["x"]}) == {
        "a": 1, "user.id": 7, "user.geo.country": "UK", "tags": ["x"]
    }
