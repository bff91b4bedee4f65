"""Reddit comment and post dumps (Pushshift JSON Lines, API listings)."""

from __future__ import annotations

import json

from cxtext.sourcing import ReadContext
from cxtext_social.source import SocialSource

from .conftest import write_jsonl

COMMENTS = [
    {"id": "k1a", "body": "Support closed my ticket without fixing anything.", "author": "throwaway1",
     "created_utc": 1672531200, "score": 14, "subreddit": "AcmeBank", "link_id": "t3_abc",
     "parent_id": "t3_abc", "permalink": "/r/AcmeBank/comments/abc/x/k1a/"},
    {"id": "k1b", "body": "Same here, had to call three times.", "author": "[deleted]",
     "created_utc": "1672534800", "score": -3, "subreddit": "AcmeBank", "link_id": "t3_abc", "parent_id": "t1_k1a"},
    {"id": "k1c", "body": "[removed]", "author": "x", "created_utc": 1672538400, "score": 1, "subreddit": "AcmeBank"},
]


def test_scores_written_as_text(tmp_path):
    path = write_jsonl(tmp_path / "rc.jsonl", [{"id": "a", "body": "ok", "score": "7"},
                                               {"id": "b", "body": "meh", "score": "n/a"}])
    context = ReadContext()
    first, second = SocialSource().read(path, context)
    assert first.engagement == {"likes": 7} and second.engagement == {}
    (issue,) = context.issues
    assert issue.row == 2 and issue.column == "score" and "'n/a' is not a number" in issue.message


def test_comments(tmp_path):
    path = write_jsonl(tmp_path / "RC_2023-01.jsonl", COMMENTS)
    context = ReadContext()
    first, second = SocialSource().read(path, context)
    assert first.channel == "reddit" and first.source_id == "k1a"
    assert first.customer_id == "throwaway1"
    assert first.segments == {"subreddit": "AcmeBank"}
    assert first.engagement == {"likes": 14}
    assert first.conversation_id == "t3_abc"
    assert first.metadata["parent_id"] == "t3_abc" and first.metadata["kind"] == "comment"
    assert first.created_at == "2023-01-01T00:00:00+00:00"
    # A negative score is not a like count; it is kept as the raw Reddit score, no issue.
    assert second.engagement == {} and second.metadata["reddit_score"] == -3
    assert second.customer_id is None  # [deleted] author
    assert second.metadata["parent_id"] == "t1_k1a"
    assert context.issues == []
    assert any("deleted or removed" in note for note in context.notes)


def test_posts_and_listing(tmp_path):
    listing = {"kind": "Listing", "data": {"children": [
        {"kind": "t3", "data": {"id": "p9", "title": "App logs me out", "selftext": "Every single day.",
                                "subreddit": "acme", "author": "u1", "created_utc": 1672531200.0,
                                "score": 40, "num_comments": 12}},
        {"kind": "t1", "data": {"id": "c1", "body": "Try reinstalling", "subreddit": "acme", "score": 2,
                                "link_id": "t3_p9", "parent_id": "t3_p9"}},
    ]}}
    path = tmp_path / "listing.json"
    path.write_text(json.dumps(listing), encoding="utf-8")
    post, comment = SocialSource().read(path, ReadContext())
    assert post.text == "App logs me out\n\nEvery single day."
    assert post.engagement == {"likes": 40, "comments": 12}
    assert post.conversation_id == "t3_p9" == comment.conversation_id
    assert post.metadata["kind"] == "post" and comment.metadata["kind"] == "comment"
