"""The public clothing reviews corpus, ingested exactly as docs/sources-survey-reviews.md says."""

from __future__ import annotations

from collections import Counter

import pytest

from cxtext.sourcing import ReadContext
from cxtext_reviews import ReviewsSource

pytestmark = pytest.mark.shared

CLOTHING = ("womens_ecommerce_clothing_reviews", "Womens Clothing E-Commerce Reviews.csv")
OPTIONS = ["--dataset", "clothing", "--segment", "division=Division Name", "--segment", "department=Department Name",
            "--segment", "class=Class Name"]


def test_clothing_reviews(ingest, shared_corpora):
    path = shared_corpora.joinpath(*CLOTHING)
    result = ingest(path, "--source", "reviews", *OPTIONS)
    assert result.exit_code == 0, result.output
    summary = result.summary
    # 23,486 rows: 22,641 with review text, 1 with only a title (kept, the title as text), 844 with neither.
    assert (summary["rows_read"], summary["records_new"], summary["issues"]) == (22642, 22642, [])
    assert "844 rows without text skipped" in summary["notes"]
    assert "1 row with only a title: the title is the text" in summary["notes"]
    assert "id column: the unnamed first column (an exported row index)" in summary["notes"]

    records = ingest.records()
    first = records[0]
    assert (first.source_id, first.text) == ("0", "Absolutely wonderful - silky and sexy and comfortable")
    assert first.scores == {"rating": 4.0, "recommend": 1.0}
    assert first.engagement == {"helpful_votes": 0}
    assert first.segments == {"division": "Initmates", "department": "Intimate", "class": "Intimates"}
    assert first.metadata == {"Age": "33", "Clothing ID": "767"}
    assert records[2].metadata["title"] == "Some major design flaws"
    assert Counter(r.scores["rating"] for r in records)[5.0] == 12541  # as pandas counts them
    assert sum("division" not in r.segments for r in records) == 13  # 14 rows lack them; one has no text


def test_clothing_reviews_with_body_text_only(shared_corpora):
    """``--option title_fallback=false`` keeps exactly the 22,641 rows with review text."""
    context = ReadContext(options={"title_fallback": "false"})
    records = ReviewsSource().read(shared_corpora.joinpath(*CLOTHING), context)
    assert sum(1 for _ in records) == 22641
    assert "845 rows without text skipped" in context.notes
