"""Review tables (CSV, TSV, XLSX): body, title, rating, helpful votes, product."""

from __future__ import annotations

from pathlib import Path

import pytest

from cxtext.errors import InputError
from cxtext.sourcing import ColumnMapping, ReadContext
from cxtext_reviews import ReviewsSource
from cxtext_reviews.columns import field_key


def read(path: Path, options: dict | None = None, **mapping) -> tuple[list, ReadContext]:
    context = ReadContext(mapping=ColumnMapping(**mapping), options=options or {})
    return list(ReviewsSource().read(path, context)), context


def write(tmp_path: Path, text: str, name: str = "reviews.csv") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def test_review_csv_is_read_with_auto_detected_columns(data):
    records, context = read(data / "reviews.csv")
    first = records[0]
    assert (first.source_kind, first.source_id, first.text) == ("review", "A1", "Light, grippy and comfortable from day one.")
    assert first.metadata == {"title": "Best shoes yet", "Verified": "yes"}
    assert first.scores == {"rating": 5.0}
    assert first.engagement == {"helpful_votes": 12}
    assert first.segments == {"product": "Trail Runner 2"}
    assert (first.customer_id, first.created_at) == ("u100", "2024-05-01T00:00:00")
    assert "text column: 'Review Text' (auto-detected)" in context.notes
    assert "product segment: 'Product Name' (auto-detected)" in context.notes


def test_title_is_the_text_only_when_the_body_is_empty(data):
    records, context = read(data / "reviews.csv")
    assert [r.source_id for r in records] == ["A1", "A2", "A3", "A5"]
    assert records[2].text == "Comfy!" and records[2].metadata["title"] == "Comfy!"
    assert "1 row without text skipped" in context.notes
    assert "1 row with only a title: the title is the text" in context.notes


def test_title_in_text_option(data):
    records, _ = read(data / "reviews.csv", {"title_in_text": "true"})
    assert records[0].text == "Best shoes yet. Light, grippy and comfortable from day one."
    assert records[2].text == "Comfy!"  # no body: the title alone, not "Comfy!. "
    records, context = read(data / "reviews.csv", {"title_fallback": "false"})
    assert [r.source_id for r in records] == ["A1", "A2", "A5"]
    assert "2 rows without text skipped" in context.notes


def test_bad_option_value_is_an_error(data):
    with pytest.raises(InputError, match="title_in_text=true"):
        read(data / "reviews.csv", {"title_in_text": "maybe"})


def test_bad_rating_and_count_are_issues_and_rows_are_kept(data):
    records, context = read(data / "reviews.csv")
    last = records[-1]
    assert last.source_id == "A5" and last.scores == {} and last.engagement == {}
    messages = [str(i) for i in context.issues]
    assert any("row 6, column 'Rating': rating value 7 is outside 1-5" in m for m in messages)
    assert any("row 6, column 'Helpful Votes'" in m and "not a non-negative whole number" in m for m in messages)


def test_mapped_segments_and_scores(tmp_path):
    path = write(tmp_path, ",Stars,Body,Would Recommend,Division Name\n0,4,Nice fabric and fit,yes,General\n"
                           "1,1,Ripped in the wash,no,Petite\n")
    records, context = read(path, segments=["division=Division Name"], scores={"recommend": "Would Recommend"})
    assert [(r.source_id, r.scores, r.segments) for r in records] == [
        ("0", {"rating": 4.0, "recommend": 1.0}, {"division": "General"}),
        ("1", {"rating": 1.0, "recommend": 0.0}, {"division": "Petite"}),
    ]
    assert "id column: the unnamed first column (an exported row index)" in context.notes


def test_xlsx_reviews(tmp_path):
    from openpyxl import Workbook

    workbook = Workbook()
    workbook.active.append(["Rating", "Review", "Helpful"])
    workbook.active.append([5, "Exactly as pictured", 3])
    workbook.active.append([2.0, "Arrived broken", None])
    path = tmp_path / "reviews.xlsx"
    workbook.save(path)
    records, _ = read(path)
    assert [(r.text, r.scores, r.engagement, r.source_row) for r in records] == [
        ("Exactly as pictured", {"rating": 5.0}, {"helpful_votes": 3}, 2),
        ("Arrived broken", {"rating": 2.0}, {}, 3),
    ]


def test_two_free_text_fields_without_names_is_a_question(tmp_path):
    path = write(tmp_path, "Stars,Pros,Cons\n4,Warm and light to wear,Zip sticks a bit sometimes\n"
                           "2,Nice colour in the photos,Fell apart after one wash\n")
    with pytest.raises(InputError, match="'Pros', 'Cons' all hold free text"):
        read(path)
    records, _ = read(path, text=["Pros", "Cons"])
    assert records[0].text == "Warm and light to wear\n\nZip sticks a bit sometimes"


def test_field_names_are_matched_across_styles():
    assert [field_key(n) for n in ("reviewText", "Review_Text ", "thumbsUpCount", "reviewerID")] == [
        "review text", "review text", "thumbs up count", "reviewer id"
    ]


def test_sniff(data, tmp_path):
    source = ReviewsSource()
    assert source.sniff(data / "reviews.csv") == 0.85
    assert source.sniff(data / "amazon.json") == 0.85
    assert source.sniff(data / "yelp.jsonl") == 0.85
    assert source.sniff(write(tmp_path, "Comment,NPS\nfine,9\n")) == 0.1
    assert source.sniff(write(tmp_path, "%PDF-1.4", "r.pdf")) == 0.0


def test_unknown_option_is_an_error_not_ignored(data):
    with pytest.raises(InputError, match="unknown option.* titel_in_text.*title_in_text"):
        read(data / "reviews.csv", {"titel_in_text": "true"})
