"""Posts from CSV/TSV/XLSX exports: columns auto-detected or mapped.

Auto-detection uses :data:`cxtext.sourcing.COLUMN_SYNONYMS` (``text``/``tweet``/``body``;
``tweet_id``/``id``; ``created_at``/``tweet_created``/``date``; ``author_id``/``user``/``name``)
plus the engagement counts below. Every column not used for something else is kept in
``metadata`` under its own name (blank cells as None), so labels that come with a data
set (``airline_sentiment``, ``negativereason``) travel with the records.

One export has a profile of its own: the Kaggle *Customer Support on Twitter* layout
(``tweet_id, author_id, inbound, created_at, text, response_tweet_id,
in_response_to_tweet_id``), see :class:`SupportThreads`.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from cxtext.errors import InputError
from cxtext.records import Record
from cxtext.sourcing import (
    ResolvedColumns,
    ReadContext,
    check_row_width,
    choose_date_order,
    find_column,
    header_from_options,
    is_spreadsheet,
    iter_table_rows,
    missing_text_error,
    normalise_header,
    require_columns,
    segment_columns,
)

from cxtext_social.common import MAX_TRACKED_IDS, DateReader, FileTally, clean_id, language_code

# Engagement counts looked for in a header, by cxtext name (normalised header names).
ENGAGEMENT_COLUMNS = {
    "likes": ("likes", "like count", "favorite count", "favourites", "favorites", "favourite count", "score"),
    "retweets": ("retweets", "retweet count", "reposts", "repost count"),
    "replies": ("replies", "reply count", "num comments", "comment count", "comments count"),
    "shares": ("shares", "share count"),
    "quotes": ("quotes", "quote count", "quote tweets"),
}
# Header names that say "these are tweets" (channel twitter) or Reddit items.
TWITTER_HINTS = {"tweet id", "tweet", "tweet created", "retweet count", "favorite count", "in response to tweet id",
                 "retweeted", "quote count", "screen name"}
REDDIT_HINTS = {"subreddit", "num comments", "selftext", "link id", "parent id"}
# Date columns social exports use beyond the shared synonyms.
DATE_COLUMNS = ("created utc", "post date", "posted at", "published", "published at", "date time", "datetime")
SUPPORT_THREAD_COLUMNS = {"tweet id", "author id", "inbound", "response tweet id", "in response to tweet id"}
# Columns an export writes as a row counter (pandas' index); never worth keeping.
INDEX_COLUMNS = {"", "unnamed 0", "index"}
DATE_SAMPLE_ROWS = 500


def _unique(names: list[Any]) -> list[str]:
    seen: dict[str, int] = {}
    result = []
    for raw in names:
        name = "" if raw is None else str(raw).strip()
        count = seen.get(name, 0)
        seen[name] = count + 1
        result.append(f"{name}_{count + 1}" if count and name else name)
    return result


@dataclass
class Columns(ResolvedColumns):
    """Which column holds what in one file, after mapping and auto-detection (plus the date format)."""

    date_format: str | None = None

    def describe(self) -> str:
        parts = [f"text {', '.join(map(repr, self.text))}"]
        for label, column in (("id", self.id), ("date", self.date), ("customer", self.customer),
                              ("language", self.language)):
            if column:
                parts.append(f"{label} {column!r}")
        parts += [f"segment {name} {column!r}" for name, column in self.segments.items()]
        parts += [f"engagement {name} {column!r}" for name, column in self.engagement.items()]
        parts += [f"score {name} {column!r}" for name, column in self.scores.items()]
        return "; ".join(parts)


def _first_header(headers: list[str], synonyms: tuple[str, ...]) -> str | None:
    by_normal = {normalise_header(h): h for h in headers}
    return next((by_normal[s] for s in synonyms if s in by_normal), None)


def detect_columns(headers: list[str], context: ReadContext, path: Path) -> Columns:
    """The explicit mapping on top of what the header suggests; errors for mapped columns that are missing."""
    mapping = context.mapping
    segments = segment_columns(mapping.segments, headers)
    channel_column = mapping.channel if mapping.channel in headers else None
    require_columns(headers, [*mapping.text, mapping.title, mapping.id, mapping.date, mapping.customer,
                              mapping.touchpoint, mapping.language, *segments.values(), *mapping.scores.values(),
                              *mapping.engagement.values()], path=path)
    text = list(mapping.text) or [c for c in [find_column(headers, "text")] if c]
    if not text:
        raise missing_text_error(headers, path)
    columns = Columns(
        text=text,
        title=mapping.title,
        id=mapping.id or find_column(headers, "id", exclude=text),
        date=mapping.date or find_column(headers, "date", exclude=text) or _first_header(headers, DATE_COLUMNS),
        date_format=mapping.date_format,
        touchpoint=mapping.touchpoint or find_column(headers, "touchpoint", exclude=text),
        channel=channel_column,
        language=mapping.language or find_column(headers, "language", exclude=text),
        segments=segments,
        scores=dict(mapping.scores),
        engagement=dict(mapping.engagement),
    )
    columns.customer = mapping.customer or find_column(headers, "customer", exclude=columns.used())
    by_normal = {normalise_header(h): h for h in headers}
    if "subreddit" in by_normal and "subreddit" not in columns.segments:
        columns.segments["subreddit"] = by_normal["subreddit"]
    for name, synonyms in ENGAGEMENT_COLUMNS.items():
        if name in columns.engagement:
            continue
        taken = columns.used()
        found = next((by_normal[s] for s in synonyms if s in by_normal and by_normal[s] not in taken), None)
        if found:
            columns.engagement[name] = found
    return columns


class SupportThreads:
    """The Kaggle *Customer Support on Twitter* (twcs) layout: brands and customers in one file.

    ``inbound`` is True for a customer's tweet and False for a brand's reply; brands
    are named accounts (``AppleSupport``), customers anonymised numbers (``@115712``).
    Streaming the file, each tweet gets what can be known from itself and the brands
    seen so far:

    - ``segments["brand"]``: the author of a brand tweet; for a customer tweet, the
      first brand it mentions (a handle already seen as a brand author, else the first
      non-numeric @mention), else the brand of a linked tweet seen earlier (one it
      replies to or that replies to it);
    - ``customer_id``: the customer of the exchange (the author of a customer tweet,
      the first numeric @mention of a brand tweet, else the customer of a linked
      tweet seen earlier); ``speaker`` is the author;
    - ``conversation_id``: ``"brand/customer"``, one key per brand-customer exchange
      (exact reply trees need the whole file, so the tweet ids that link them stay in
      ``metadata``: ``response_tweet_id`` as a list, ``in_response_to_tweet_id``);
    - ``metadata["inbound"]`` as a bool, ``metadata["author_id"]`` as written.
    """

    MENTION = re.compile(r"@(\w+)")

    def __init__(self, headers: list[str]) -> None:
        by_normal = {normalise_header(h): h for h in headers}
        self.author = by_normal["author id"]
        self.inbound = by_normal["inbound"]
        self.responses = by_normal["response tweet id"]
        self.in_response_to = by_normal["in response to tweet id"]
        self.brands: dict[str, str] = {}
        # tweet id -> (brand, customer) of the exchange it belongs to, learnt from the
        # reply links of tweets already read (bounded, like FileTally's id set).
        self.links: dict[str, tuple[str | None, str | None]] = {}

    @classmethod
    def matches(cls, headers: list[str]) -> bool:
        return SUPPORT_THREAD_COLUMNS <= {normalise_header(h) for h in headers}

    def columns(self) -> set[str]:
        return {self.author, self.inbound, self.responses, self.in_response_to}

    def apply(self, record: Record, row: dict[str, Any], context: ReadContext, path: Path, number: int) -> None:
        author = str(row.get(self.author) or "").strip()
        flag = str(row.get(self.inbound) or "").strip().lower()
        inbound = {"true": True, "false": False, "1": True, "0": False}.get(flag)
        if inbound is None and flag:
            context.issue(path, number, self.inbound, f"inbound value {flag[:20]!r} is not True or False; value dropped")
        mentions = self.MENTION.findall(record.text)
        brand = customer = None
        if inbound is False:
            brand = self.brands.setdefault(author.lower(), author) if author else None
            customer = next((m for m in mentions if m.isdigit()), None)
        elif inbound is True:
            customer = author or None
            named = [m for m in mentions if not m.isdigit()]
            brand = next((self.brands[m.lower()] for m in named if m.lower() in self.brands), None)
            brand = brand or (named[0] if named else None)
        responses = [r for r in (clean_id(part) for part in str(row.get(self.responses) or "").split(",")) if r]
        replied_to = clean_id(row.get(self.in_response_to))
        linked = [i for i in (record.source_id, replied_to, *responses) if i]
        for tweet_id in linked:
            known_brand, known_customer = self.links.get(tweet_id, (None, None))
            brand = brand or known_brand
            customer = customer or known_customer
        if brand or customer:
            for tweet_id in linked:
                if len(self.links) < MAX_TRACKED_IDS * 2 or tweet_id in self.links:
                    old_brand, old_customer = self.links.get(tweet_id, (None, None))
                    self.links[tweet_id] = (old_brand or brand, old_customer or customer)
        if brand:
            record.segments["brand"] = brand
        record.customer_id = customer
        record.speaker = author or None
        record.conversation_id = f"{brand}/{customer}" if brand and customer else None
        record.metadata.update(
            inbound=inbound,
            author_id=author or None,
            response_tweet_id=responses,
            in_response_to_tweet_id=replied_to,
        )


def read_table_posts(path: Path, context: ReadContext) -> Iterator[Record]:
    """Records from a CSV/TSV/XLSX export of posts, one per row with text."""
    options = context.options
    rows = iter_table_rows(path, encoding=context.encoding, delimiter=options.get("delimiter"),
                           sheet=options.get("sheet"), note=context.note)
    names, has_header = header_from_options(options, path=path)
    first = next(rows, None)
    if first is None:
        raise InputError("the file is empty.", path=path, expected="a header row and at least one post")
    if has_header:
        headers = _unique(first[1])
        if names:
            check_row_width(first[1], len(names), path=path, row=first[0], pad=is_spreadsheet(path))
            headers = names
    else:
        headers = names or [f"column_{i}" for i in range(1, len(first[1]) + 1)]
        rows = itertools.chain([first], rows)
    columns = detect_columns(headers, context, path)
    profile = None
    if str(options.get("profile", "auto")).lower() == "auto" and not context.mapping.customer \
            and SupportThreads.matches(headers):
        profile = SupportThreads(headers)
        columns.customer = None  # the profile works out who the customer is
        context.note(f"{path.name}: Customer Support on Twitter layout: brand segment, customer and "
                     "brand/customer conversation keys derived from inbound, author_id, @mentions and reply links")
    normal = {normalise_header(h) for h in headers}
    channel = context.channel or ("twitter" if normal & TWITTER_HINTS else "reddit" if normal & REDDIT_HINTS else None)
    context.note(f"{path.name}: columns: {columns.describe()}" + (f"; channel {channel}" if channel else ""))
    keep = [h for h in headers if h not in columns.used() and normalise_header(h) not in INDEX_COLUMNS
            and not (profile and h in profile.columns())]

    width = len(headers)
    pad = is_spreadsheet(path)

    def dict_rows() -> Iterator[tuple[int, dict[str, Any]]]:
        for number, cells in rows:
            if not cells or all(c is None or str(c).strip() == "" for c in cells):
                continue
            cells = check_row_width(cells, width, path=path, row=number, pad=pad)
            yield number, dict(zip(headers, cells))

    stream = dict_rows()
    if columns.date and not columns.date_format:
        sample = list(itertools.islice(stream, DATE_SAMPLE_ROWS))
        columns.date_format = choose_date_order((r.get(columns.date) for _, r in sample), path=path,
                                                column=columns.date)
        stream = itertools.chain(sample, stream)

    tally = FileTally(path)
    dataset = context.dataset_for(path)
    read_date = DateReader(context, path, columns.date, columns.date_format) if columns.date else None
    for number, row in stream:
        record = _record(row, number, columns, keep, channel, dataset, context, path, tally, read_date)
        if record is None:
            continue
        if profile:
            profile.apply(record, row, context, path, number)
        yield record
    tally.report(context)


def _cell(row: dict[str, Any], column: str | None) -> str:
    value = row.get(column) if column else None
    return "" if value is None else str(value).strip()


def _record(row: dict[str, Any], number: int, columns: Columns, keep: list[str], channel: str | None,
            dataset: str, context: ReadContext, path: Path, tally: FileTally,
            read_date: DateReader | None) -> Record | None:
    parts = [_cell(row, columns.title)] + [_cell(row, c) for c in columns.text]
    text = "\n\n".join(p for p in parts if p)
    if not text:
        tally.skip("no text", number)
        return None
    source_id = clean_id(row.get(columns.id)) if columns.id else None
    tally.check_repeat(source_id)
    scores = context.parse_scores(row, columns.scores, path=path, number=number)
    engagement = context.parse_counts(row, columns.engagement, path=path, number=number)
    segments = {name: _cell(row, column) for name, column in columns.segments.items() if _cell(row, column)}
    metadata = {}
    for column in keep:
        value = row.get(column)
        metadata[column] = None if value is None or str(value).strip() == "" else value
    return Record(
        source_kind="social",
        text=text,
        dataset=dataset,
        source_id=source_id,
        channel=_cell(row, columns.channel) or channel,
        language=language_code(row.get(columns.language)) if columns.language else None,
        customer_id=_cell(row, columns.customer) or None,
        created_at=read_date(row.get(columns.date), number) if read_date else None,
        touchpoint=_cell(row, columns.touchpoint) or None,
        segments=segments,
        scores=scores,
        engagement=engagement,
        metadata=metadata,
        source_row=number,
    )
