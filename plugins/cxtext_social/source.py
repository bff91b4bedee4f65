"""The ``social`` source: posts with engagement counts from X/Twitter, Reddit and CSV exports."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

from cxtext.errors import InputError
from cxtext.records import Record
from cxtext.sourcing import TABLE_SUFFIXES, ReadContext, check_options, normalise_header, sniff_sample

from cxtext_social.common import mapped_fields
from cxtext_social.posts import JSON_LINES_SUFFIXES, read_json_posts
from cxtext_social.table import REDDIT_HINTS, SUPPORT_THREAD_COLUMNS, TWITTER_HINTS, read_table_posts

JSON_SUFFIXES = (".json", *JSON_LINES_SUFFIXES)
# Keys that only social exports have (as they appear in the first few KB of a JSON file).
OPTIONS = ("columns", "header", "delimiter", "sheet", "profile")
_JSON_MARKERS = re.compile(
    r'"(public_metrics|author_id|retweet_count|favorite_count|full_text|conversation_id|id_str|'
    r'subreddit|created_utc|selftext|link_id|parent_id|screen_name)"'
)


class SocialSource:
    """Social posts: X/Twitter API v2 JSON/JSONL, v1.1 tweet JSONL, Reddit dumps, CSV/XLSX post exports.

    Options (``--option KEY=VALUE``): ``columns=a,b,c`` / ``header=no`` for a CSV
    without a header row, ``delimiter=;``, ``sheet=NAME`` (XLSX), ``profile=none`` to
    read a Customer Support on Twitter export as a plain table.
    """

    name = "social"
    kind = "social"
    description = "Social posts with engagement: X/Twitter (API v2, v1.1), Reddit dumps, CSV/XLSX exports"

    def sniff(self, path: Path) -> float:
        path = Path(path)
        if not path.is_file():
            return 0.0
        suffix = path.suffix.lower()
        if suffix in JSON_SUFFIXES:
            markers = set(_JSON_MARKERS.findall(sniff_sample(path)))
            return 0.9 if len(markers) >= 2 else 0.6 if markers else 0.1
        if suffix in TABLE_SUFFIXES and suffix not in (".xlsx", ".xlsm", ".txt"):
            first_line = sniff_sample(path, 4096).splitlines()[:1]
            header = {normalise_header(cell) for cell in re.split(r"[,;\t|]", first_line[0])} if first_line else set()
            if SUPPORT_THREAD_COLUMNS <= header:
                return 0.95
            if header & (TWITTER_HINTS | REDDIT_HINTS):
                return 0.8
            if header & {"likes", "retweets", "shares", "like count", "share count", "reply count"}:
                return 0.5
        return 0.0

    def read(self, path: Path, context: ReadContext) -> Iterator[Record]:
        path = Path(path)
        if path.is_dir():
            raise InputError("the social source reads one file at a time, not a folder.", path=path,
                             expected="a .json, .jsonl, .csv, .tsv or .xlsx file")
        check_options(context, OPTIONS, path)
        suffix = path.suffix.lower()
        if suffix in JSON_SUFFIXES:
            if mapped_fields(context.mapping):
                raise InputError(
                    f"column mapping ({', '.join(mapped_fields(context.mapping))}) applies to CSV/XLSX posts only.",
                    path=path,
                    expected="JSON posts without --text/--id/--segment/... options (their fields are read by name)",
                    hint="--channel and --dataset do work for JSON.",
                )
            if not path.read_bytes().strip():
                raise InputError("the file is empty.", path=path, expected="JSON posts (a response, a list, or JSON Lines)")
            yield from read_json_posts(path, context)
        elif suffix in TABLE_SUFFIXES:
            yield from read_table_posts(path, context)
        else:
            raise InputError(
                f"the social source does not read {suffix or 'extension-less'} files.",
                path=path,
                expected="a .json/.jsonl (X/Twitter, Reddit) or .csv/.tsv/.xlsx (post export) file",
            )
