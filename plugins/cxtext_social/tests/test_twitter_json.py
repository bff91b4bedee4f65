"""X/Twitter JSON: API v2 responses (file or JSON Lines) and v1.1 tweet objects."""

from __future__ import annotations

import json

from cxtext.sourcing import ReadContext
from cxtext_social.source import SocialSource

from .conftest import write_jsonl

V2_RESPONSE = {
    "data": [
        {
            "id": "1600000000000000001",
            "text": "@AcmeHelp my parcel is three days late again",
            "author_id": "42",
            "created_at": "2023-03-01T09:15:00.000Z",
            "lang": "en",
            "conversation_id": "1600000000000000001",
            "public_metrics": {"like_count": 3, "retweet_count": 1, "reply_count": 2, "quote_count": 0,
                               "impression_count": 120},
        },
        {
            "id": "1600000000000000002",
            "text": "@AcmeHelp merci, tout est réglé",
            "author_id": "43",
            "created_at": "2023-03-01T10:00:00.000Z",
            "lang": "fr",
            "conversation_id": "1600000000000000001",
            "in_reply_to_user_id": "99",
            "referenced_tweets": [{"type": "replied_to", "id": "1600000000000000001"}],
            "public_metrics": {"like_count": 0, "retweet_count": 0, "reply_count": 0, "quote_count": 1},
        },
    ],
    "includes": {"users": [{"id": "42", "username": "pat_k", "name": "Pat K"},
                           {"id": "43", "username": "lou", "name": "Lou"}]},
    "meta": {"result_count": 2},
}


def test_v2_response_file(tmp_path):
    path = tmp_path / "search.json"
    path.write_text(json.dumps(V2_RESPONSE), encoding="utf-8")
    context = ReadContext()
    first, second = SocialSource().read(path, context)
    assert first.source_kind == "social" and first.channel == "twitter"
    assert first.source_id == "1600000000000000001"
    assert first.customer_id == "42"
    assert first.metadata["username"] == "pat_k" and first.metadata["author_name"] == "Pat K"
    assert first.engagement == {"likes": 3, "retweets": 1, "replies": 2, "quotes": 0, "impressions": 120}
    assert first.created_at == "2023-03-01T09:15:00+00:00"
    assert first.language == "en" and first.conversation_id == "1600000000000000001"
    assert second.language == "fr"
    assert second.metadata["in_reply_to_user_id"] == "99"
    assert second.metadata["referenced_tweets"] == [{"type": "replied_to", "id": "1600000000000000001"}]
    assert context.issues == []


def test_v2_responses_one_per_line(tmp_path):
    page2 = {"data": [{"id": "7", "text": "Checkout keeps failing", "author_id": "42"}],
             "includes": {"users": [{"id": "42", "username": "pat_k"}]}}
    path = write_jsonl(tmp_path / "pages.jsonl", [V2_RESPONSE, page2])
    records = list(SocialSource().read(path, ReadContext()))
    assert [r.source_id for r in records] == ["1600000000000000001", "1600000000000000002", "7"]
    assert records[2].metadata["username"] == "pat_k" and records[2].source_row == 2


def test_single_tweet_response_and_long_post(tmp_path):
    # A lookup or filtered-stream message carries one tweet; long posts keep their text in note_tweet.
    message = {"data": {"id": "9", "text": "truncated…", "note_tweet": {"text": "the whole long post"}},
               "matching_rules": [{"id": "1", "tag": "brand"}]}
    path = write_jsonl(tmp_path / "stream.jsonl", [message])
    (record,) = SocialSource().read(path, ReadContext())
    assert record.text == "the whole long post" and record.source_id == "9"


def test_v1_tweets_jsonl(tmp_path):
    tweets = [
        {"id": 1, "id_str": "1234567890123456789", "full_text": "Waited 40 minutes on hold @AcmeAir",
         "created_at": "Wed Oct 10 20:19:24 +0000 2018", "favorite_count": 5, "retweet_count": 2,
         "lang": "und", "user": {"id_str": "77", "screen_name": "flyer"}, "in_reply_to_status_id_str": "55"},
        {"delete": {"status": {"id": 3}}},  # stream housekeeping, skipped
        {"id_str": "2", "text": "RT @x: great crew", "retweet_count": 0, "favorite_count": 0,
         "retweeted_status": {"id_str": "1"}, "lang": "in"},
    ]
    path = write_jsonl(tmp_path / "stream.json", tweets)  # JSON Lines named .json
    context = ReadContext(channel="x")
    first, second = SocialSource().read(path, context)
    assert first.source_id == "1234567890123456789"  # id_str, not the float-unsafe number
    assert first.engagement == {"likes": 5, "retweets": 2}
    assert first.created_at == "2018-10-10T20:19:24+00:00"
    assert first.language is None  # "und" is no language
    assert first.customer_id == "77" and first.metadata["username"] == "flyer"
    assert first.metadata["in_reply_to_tweet_id"] == "55"
    assert first.channel == "x"  # --channel wins
    assert second.language == "id"  # Twitter's old code for Indonesian
    assert second.metadata["retweet_of"] == "1"
    assert any("1 item(s) skipped" in note or "1 line(s) skipped" in note for note in context.notes)


def test_list_of_tweets(tmp_path):
    path = tmp_path / "tweets.json"
    path.write_text(json.dumps([{"id": "1", "text": "hi"}, {"id": "2", "text": ""}]), encoding="utf-8")
    context = ReadContext()
    records = list(SocialSource().read(path, context))
    assert [r.source_id for r in records] == ["1"]
    assert any("tweet without text" in note for note in context.notes)


def test_sniff(tmp_path):
    source = SocialSource()
    tweets = write_jsonl(tmp_path / "t.jsonl", V2_RESPONSE["data"])
    other = write_jsonl(tmp_path / "o.jsonl", [{"reviewText": "ok", "overall": 4}])
    assert source.sniff(tweets) >= 0.9
    assert source.sniff(other) < 0.3
    assert source.sniff(tmp_path) == 0.0
