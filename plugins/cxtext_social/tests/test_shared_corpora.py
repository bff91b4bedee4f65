"""The public social corpora in ../shared/corpora, ingested as docs/sources-social-transcripts.md says."""

from __future__ import annotations

import json
from collections import Counter

import pytest

pytestmark = pytest.mark.shared


def ingest(cli_ingest, db, *args):
    result = cli_ingest(db, "--source", "social", *args, "--json")
    assert result.exit_code == 0, result.output
    (summary,) = json.loads(result.output)
    return summary


def test_airline_tweets(shared_corpora, tmp_path, cli_ingest):
    from cxtext.store import Store

    db = tmp_path / "cx.db"
    path = shared_corpora / "twitter_us_airline_sentiment" / "Tweets.csv"
    # 14,640 rows; 155 repeat a tweet_id already seen (with other labels), so the store holds 14,485 tweets.
    assert cli_ingest(db, "--source", "social", path).exit_code == 2  # repeated ids are refused by default
    summary = ingest(cli_ingest, db, path, "--segment", "airline", "--on-duplicate", "keep-last")
    assert summary["rows_read"] == 14640 and summary["records_new"] == 14485
    assert summary["issues"] == []
    assert any("155 row(s) repeat an id" in note for note in summary["notes"])
    with Store(db) as store:
        records = list(store.iter_records())
    sentiment = Counter(r.metadata["airline_sentiment"] for r in records)
    assert set(sentiment) == {"negative", "neutral", "positive"}
    assert all("negativereason" in r.metadata for r in records)
    assert Counter(r.segments["airline"] for r in records).keys() == {
        "Virgin America", "United", "Southwest", "Delta", "US Airways", "American"}
    assert all("retweets" in r.engagement and r.created_at and r.customer_id for r in records)


def test_customer_support_threads(shared_corpora, tmp_path, cli_ingest):
    from cxtext.store import Store

    db = tmp_path / "cx.db"
    summary = ingest(cli_ingest, db, shared_corpora / "customer_support_on_twitter_sample" / "twcs_head_sample.csv")
    assert summary["rows_read"] == 5000 and summary["records_new"] == 5000 and summary["issues"] == []
    with Store(db) as store:
        records = list(store.iter_records())
    inbound = Counter(r.metadata["inbound"] for r in records)
    assert inbound == {True: 2778, False: 2222}
    brands = {r.segments["brand"] for r in records if r.metadata["inbound"] is False}
    assert len(brands) == 76  # the corpus README: 76 brands
    assert all(r.segments.get("brand") in brands for r in records if r.metadata["inbound"])
    (cr_tweet,) = [r for r in records if r.source_id == "3399"]
    assert cr_tweet.text.startswith("@AskPayPal \n\nI just love")


def test_complaints_without_header(shared_corpora, tmp_path, cli_ingest):
    from cxtext.store import Store

    db = tmp_path / "cx.db"
    path = shared_corpora / "complaints_social_media_acl2019" / "complaints-data.csv"
    summary = ingest(cli_ingest, db, path, "--option", "columns=tweet_id,text,complaint,domain",
                     "--score", "complaint=complaint", "--segment", "domain")
    assert summary["rows_read"] == 3449 and summary["records_new"] == 3449 and summary["issues"] == []
    with Store(db) as store:
        records = list(store.iter_records())
    assert Counter(r.scores["complaint"] for r in records) == {1.0: 1232, 0.0: 2217}
    assert len({r.segments["domain"] for r in records}) > 5
