"""Posts from JSON and JSON Lines: X/Twitter API v2 responses, v1.1 tweets, Reddit dumps.

Shapes read, one response or object per file or per line:

- X/Twitter API v2: ``{"data": [tweet, ...], "includes": {"users": [...]}}`` (``data``
  may be a single tweet, as in a lookup or filtered-stream message);
- tweet objects on their own (v2, or v1.1 with ``full_text``/``favorite_count``/``user``);
- Reddit comments (``body``) and posts (``title``/``selftext``), as in Pushshift dumps,
  also wrapped as ``{"kind": "t1", "data": {...}}`` or a ``Listing``.

The first object of a file decides whether it is a social export at all (a wrong
shape is an error); later objects that are not posts are skipped and counted.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from cxtext.errors import InputError
from cxtext.records import Record
from cxtext.sourcing import ReadContext, open_text, parse_json, parse_number, read_checked

from cxtext_social.common import DateReader, FileTally, clean_id, iso_datetime, language_code

JSON_LINES_SUFFIXES = (".jsonl", ".ndjson", ".jsonlines")

EXPECTED_SHAPE = (
    'an X/Twitter API v2 response {"data": [...], "includes": {"users": [...]}}, tweet objects '
    "(with text or full_text and id), or Reddit comments/posts (objects with body, or title and selftext)"
)

# v2 ``public_metrics`` and v1.1 top-level counts -> cxtext engagement names.
V2_METRICS = {
    "like_count": "likes",
    "retweet_count": "retweets",
    "reply_count": "replies",
    "quote_count": "quotes",
    "bookmark_count": "bookmarks",
    "impression_count": "impressions",
}
V1_METRICS = {
    "favorite_count": "likes",
    "retweet_count": "retweets",
    "reply_count": "replies",
    "quote_count": "quotes",
}
REDDIT_GONE = {"[deleted]", "[removed]"}


def is_tweet(obj: dict[str, Any]) -> bool:
    return ("text" in obj or "full_text" in obj or "extended_tweet" in obj) and ("id" in obj or "id_str" in obj)


def is_reddit(obj: dict[str, Any]) -> bool:
    return "body" in obj or "selftext" in obj or ("subreddit" in obj and "title" in obj)


class PostReader:
    """Turns decoded JSON values from one file into records, counting what it skips."""

    def __init__(self, path: Path, context: ReadContext, dataset: str) -> None:
        self.path = path
        self.context = context
        self.dataset = dataset
        self.tally = FileTally(path)
        self.recognised = False  # has any object of this file been a known shape?
        self.tweet_dates = DateReader(context, path, "created_at")

    # --- shapes -----------------------------------------------------------------------

    def records(self, value: Any, row: int | None) -> Iterator[Record]:
        """Records from one JSON value (a response, a post, or a list of them)."""
        if isinstance(value, list):
            for item in value:
                yield from self.records(item, row)
            return
        if not isinstance(value, dict):
            self._unknown(value, row)
            return
        kind = value.get("kind")
        if kind == "Listing" and isinstance(value.get("data"), dict):
            children = value["data"].get("children") or []
            if not isinstance(children, list):
                self._unknown(children, row)
                return
            for child in children:
                yield from self.records(child, row)
            return
        if kind in ("t1", "t3") and isinstance(value.get("data"), dict):
            yield from self.records(value["data"], row)
            return
        if "data" in value and not is_tweet(value) and not is_reddit(value):
            yield from self._response(value, row)
            return
        if is_reddit(value):
            self.recognised = True
            record = self.reddit_record(value, row)
        elif is_tweet(value):
            self.recognised = True
            record = self.tweet_record(value, row, users={})
        else:
            self._unknown(value, row)
            return
        if record is not None:
            yield record

    def _response(self, response: dict[str, Any], row: int | None) -> Iterator[Record]:
        data = response.get("data")
        tweets = [data] if isinstance(data, dict) else data
        if not isinstance(tweets, list):
            self._unknown(response, row)
            return
        self.recognised = True
        includes = response.get("includes") if isinstance(response.get("includes"), dict) else {}
        listed = includes.get("users") if isinstance(includes.get("users"), list) else []
        users = {str(user.get("id")): user for user in listed if isinstance(user, dict)}
        if response.get("errors"):
            self.tally.skip("API error entries in the response (e.g. deleted or protected tweets)", row)
        for tweet in tweets:
            if not isinstance(tweet, dict) or not is_tweet(tweet):
                self._unknown(tweet, row)
                continue
            record = self.tweet_record(tweet, row, users=users)
            if record is not None:
                yield record

    def _unknown(self, value: Any, row: int | None) -> None:
        if not self.recognised:
            keys = f"keys {', '.join(list(value)[:8])}" if isinstance(value, dict) else type(value).__name__
            raise InputError(
                f"the JSON is not a social media export (the first item has {keys}).",
                path=self.path,
                row=row,
                expected=EXPECTED_SHAPE,
                hint="Use --source reviews or --source survey for other JSON exports.",
            )
        self.tally.skip("not a tweet or Reddit post (e.g. a delete notice)", row)

    # --- one post ---------------------------------------------------------------------

    def tweet_record(self, tweet: dict[str, Any], row: int | None, *, users: dict[str, Any]) -> Record | None:
        """A v2 or v1.1 tweet object as a record (None when it has no text)."""
        source_id = clean_id(tweet.get("id_str") or tweet.get("id"))
        text = self._text_field(tweet, row, source_id)
        if not text:
            if text is not None:
                self.tally.skip("tweet without text", row)
            return None
        user = tweet.get("user") if isinstance(tweet.get("user"), dict) else {}
        author_id = clean_id(tweet.get("author_id") or user.get("id_str") or user.get("id"))
        author = users.get(str(author_id), {}) if author_id else {}
        metadata: dict[str, Any] = {
            "username": author.get("username") or user.get("screen_name"),
            "author_name": author.get("name") or user.get("name"),
            "in_reply_to_user_id": clean_id(tweet.get("in_reply_to_user_id") or tweet.get("in_reply_to_user_id_str")),
            "in_reply_to_tweet_id": clean_id(tweet.get("in_reply_to_status_id_str") or tweet.get("in_reply_to_status_id")),
        }
        if isinstance(tweet.get("referenced_tweets"), list):
            metadata["referenced_tweets"] = tweet["referenced_tweets"]
        if isinstance(tweet.get("retweeted_status"), dict):
            metadata["retweet_of"] = clean_id(tweet["retweeted_status"].get("id_str") or tweet["retweeted_status"].get("id"))
        if isinstance(tweet.get("public_metrics"), dict):
            engagement = self._counts(tweet["public_metrics"], V2_METRICS, row)
        else:
            engagement = self._counts(tweet, V1_METRICS, row)
        self.tally.check_repeat(source_id)
        return Record(
            source_kind="social",
            text=text,
            dataset=self.dataset,
            source_id=source_id,
            channel=self.context.channel or "twitter",
            language=language_code(tweet.get("lang")),
            customer_id=author_id,
            created_at=self.tweet_dates(tweet.get("created_at"), row),
            engagement=engagement,
            metadata={k: v for k, v in metadata.items() if v is not None},
            conversation_id=clean_id(tweet.get("conversation_id")),
            source_row=row,
        )

    def _text_field(self, tweet: dict[str, Any], row: int | None, source_id: str | None) -> str | None:
        """A tweet's text, stripped; None (reported as an issue) when the field is not a string."""
        fields = [(tweet.get("note_tweet"), "text", "note_tweet.text"),  # v2 long posts
                  (tweet.get("extended_tweet"), "full_text", "extended_tweet.full_text"),  # v1.1 streaming
                  (tweet, "full_text", "full_text"), (tweet, "text", "text")]
        for holder, key, name in fields:
            value = holder.get(key) if isinstance(holder, dict) else None
            if value is None or value == "":
                continue
            if not isinstance(value, str):
                self.context.issue(self.path, row, name, f"post {source_id or ''} has a JSON "
                                   f"{type(value).__name__} as its text, not a string; post skipped")
                return None
            return value.strip()
        return ""

    def _text_part(self, post: dict[str, Any], key: str, row: int | None) -> str | None:
        """One Reddit text field, stripped; None (reported) when it is not a string."""
        value = post.get(key)
        if value is None:
            return ""
        if not isinstance(value, str):
            self.context.issue(self.path, row, key, f"{key} is a JSON {type(value).__name__}, not a string; "
                               "post skipped")
            return None
        return value.strip()

    def reddit_record(self, post: dict[str, Any], row: int | None) -> Record | None:
        """A Reddit comment (``body``) or post (``title`` + ``selftext``) as a record."""
        is_comment = "body" in post
        parts = [self._text_part(post, key, row) for key in (("body",) if is_comment else ("title", "selftext"))]
        if any(part is None for part in parts):
            return None
        text = "\n\n".join(part for part in parts if part and part not in REDDIT_GONE)
        if not text:
            self.tally.skip("Reddit item without text (deleted or removed)", row)
            return None
        source_id = clean_id(post.get("id")) or clean_id(post.get("name"))
        author = str(post.get("author") or "").strip()
        engagement: dict[str, int] = {}
        score = post.get("score")
        number = parse_number(score)
        # Reddit scores are upvotes minus downvotes and may be negative: only a
        # non-negative score is a like count; the raw score is kept in metadata.
        if number is not None and number >= 0:
            likes = self.context.parse_count("likes", score, path=self.path, row=row or 0, column="score")
            if likes is not None:
                engagement["likes"] = likes
        elif number is None and score not in (None, ""):
            self.context.issue(self.path, row, "score", f"score {str(score)[:40]!r} is not a number; value dropped")
        if not is_comment and post.get("num_comments") is not None:
            count = self.context.parse_count("comments", post["num_comments"], path=self.path, row=row or 0,
                                             column="num_comments")
            if count is not None:
                engagement["comments"] = count
        subreddit = str(post.get("subreddit") or "").strip()
        fullname = f"t3_{source_id}" if not is_comment and source_id else None
        metadata = {
            "kind": "comment" if is_comment else "post",
            "username": author or None,
            "reddit_score": score,
            "parent_id": post.get("parent_id"),
            "link_id": post.get("link_id"),
            "permalink": post.get("permalink"),
        }
        self.tally.check_repeat(source_id)
        return Record(
            source_kind="social",
            text=text,
            dataset=self.dataset,
            source_id=source_id,
            channel=self.context.channel or "reddit",
            language=language_code(post.get("lang")),
            customer_id=None if not author or author in REDDIT_GONE else author,
            created_at=iso_datetime(self.context, post.get("created_utc") or post.get("created"), path=self.path,
                                    row=row, column="created_utc"),
            segments={"subreddit": subreddit} if subreddit else {},
            engagement=engagement,
            metadata={k: v for k, v in metadata.items() if v is not None},
            conversation_id=post.get("link_id") or fullname,
            source_row=row,
        )

    def _counts(self, values: dict[str, Any], names: dict[str, str], row: int | None) -> dict[str, int]:
        counts = {}
        for key, name in names.items():
            if values.get(key) is None:
                continue
            count = self.context.parse_count(name, values[key], path=self.path, row=row or 0, column=key)
            if count is not None:
                counts[name] = count
        return counts


# --- files ------------------------------------------------------------------------------


def read_json_posts(path: Path, context: ReadContext) -> Iterator[Record]:
    """Posts from a ``.json`` document, or from JSON Lines (by suffix, or a .json file with one object per line)."""
    reader = PostReader(path, context, context.dataset_for(path))
    if path.suffix.lower() in JSON_LINES_SUFFIXES:
        yield from _json_lines(path, reader)
    else:
        yield from _json_document(path, reader)
    reader.tally.report(context, unit="line" if path.suffix.lower() in JSON_LINES_SUFFIXES else "item")


def _json_lines(path: Path, reader: PostReader) -> Iterator[Record]:
    with open_text(path, reader.context.encoding) as handle:
        for number, line in enumerate(read_checked(handle, path), start=1):
            if not line.strip():
                continue
            try:
                value = parse_json(line, path=path, row=number, expected="one JSON object per line")
            except json.JSONDecodeError as exc:
                raise InputError(
                    f"line {number} is not valid JSON ({exc.msg} at column {exc.colno}).",
                    path=path,
                    row=number,
                    expected="one complete JSON object per line (JSON Lines)",
                ) from None
            yield from reader.records(value, number)
    if not reader.recognised:
        raise InputError("the file holds no posts.", path=path, expected=EXPECTED_SHAPE)


def _json_document(path: Path, reader: PostReader) -> Iterator[Record]:
    with open_text(path, reader.context.encoding) as handle:
        text = "".join(read_checked(handle, path))
    try:
        value = parse_json(text, path=path, expected=EXPECTED_SHAPE)
    except json.JSONDecodeError as exc:
        if exc.msg == "Extra data":  # several documents: a JSON Lines file named .json
            yield from _json_lines(path, reader)
            return
        raise InputError(
            f"the file is not valid JSON ({exc.msg} at line {exc.lineno}, column {exc.colno}).",
            path=path,
            row=exc.lineno,
            expected="a JSON document (or JSON Lines: one object per line)",
        ) from None
    items = value if isinstance(value, list) else [value]
    if not items:
        raise InputError("the JSON list is empty.", path=path, expected=EXPECTED_SHAPE)
    for number, item in enumerate(items, start=1):
        # "row" in messages is the item's position in a top-level list.
        yield from reader.records(item, number if isinstance(value, list) else None)
    if not reader.recognised:
        raise InputError("the file holds no posts.", path=path, expected=EXPECTED_SHAPE)
