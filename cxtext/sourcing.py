"""Helpers that source plugins share: column mapping, opening files, parsing values.

Source plugins use these so that every source behaves the same on bad input: the
file, row and expected value are named, nothing is guessed silently.

Table-shaped sources (one row, one record: CSV, TSV, XLSX, or JSON flattened to rows)
can start from :class:`TableSource`, the skeleton the survey and reviews sources share.
It reads the file, resolves the columns over a sample of rows, picks the date order,
and streams the rows; a source overrides the pieces it does differently::

    class TicketsSource(TableSource):
        name = "tickets"
        kind = "survey"
        description = "Support tickets (subject, body, priority, created) from CSV or XLSX"
        column_names = {"title": ("subject",), "text": ("body",), "date": ("created",)}
        auto_segments = ("priority",)

        def sniff_score(self, rows):
            return 0.95 if {"subject", "body", "priority"} <= header_names(rows) else 0.0

The pieces are :func:`cell_text`, :func:`metadata_value`, :func:`mapped_columns`,
:func:`detect_columns`, :func:`table_date_format`, :class:`Table` (one file being read)
and :class:`TableRow` (one data row, which builds the record fields every source fills
the same way). See ``docs/plugin-authors.md``.
"""

from __future__ import annotations

import codecs
import re
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from datetime import date, datetime, timezone
from itertools import chain, islice
from pathlib import Path
from typing import Any, TextIO

from dateutil import parser as date_parser

from cxtext.errors import IngestIssue, InputError
from cxtext.records import SCORE_RANGES, Record


@dataclass
class ColumnMapping:
    """Which column holds what. Empty fields are auto-detected by the source.

    ``scores`` and ``engagement`` map a score/count name to a column
    (``{"nps": "Q6_NPS"}``); ``segments`` lists columns whose values segment customers.
    """

    text: list[str] = field(default_factory=list)
    title: str | None = None
    id: str | None = None
    date: str | None = None
    date_format: str | None = None  # strptime format, or "dayfirst" / "monthfirst"
    customer: str | None = None
    touchpoint: str | None = None
    channel: str | None = None  # a column name, or a fixed value via ReadContext.channel
    language: str | None = None
    segments: list[str] = field(default_factory=list)
    scores: dict[str, str] = field(default_factory=dict)
    engagement: dict[str, str] = field(default_factory=dict)

    @classmethod
    def from_dict(cls, data: dict[str, Any], *, path: str | None = None) -> "ColumnMapping":
        """Build from a config-file table; unknown keys are an error, not ignored."""
        known = set(cls.__dataclass_fields__)
        unknown = sorted(set(data) - known)
        if unknown:
            raise InputError(
                f"unknown mapping key(s) {', '.join(unknown)}.",
                path=path,
                expected=f"one of {', '.join(sorted(known))}",
            )
        values = dict(data)
        if isinstance(values.get("text"), str):
            values["text"] = [values["text"]]
        if isinstance(values.get("segments"), str):
            values["segments"] = [values["segments"]]
        return cls(**values)

    def merged_over(self, base: "ColumnMapping") -> "ColumnMapping":
        """This mapping's explicit values on top of ``base`` (e.g. CLI over config file)."""
        merged = ColumnMapping(**{k: getattr(base, k) for k in self.__dataclass_fields__})
        for key in self.__dataclass_fields__:
            value = getattr(self, key)
            if value not in (None, [], {}):
                setattr(merged, key, value)
        return merged


@dataclass
class ResolvedColumns:
    """Which column of one file holds what, after the mapping and auto-detection are applied.

    Sources resolve a :class:`ColumnMapping` against a file's header into this; every
    column not in :meth:`used` usually goes to the record's metadata.
    """

    text: list[str]
    title: str | None = None
    id: str | None = None
    date: str | None = None
    customer: str | None = None
    touchpoint: str | None = None
    channel: str | None = None
    language: str | None = None
    segments: dict[str, str] = field(default_factory=dict)
    scores: dict[str, str] = field(default_factory=dict)
    engagement: dict[str, str] = field(default_factory=dict)

    def used(self) -> set[str]:
        """Every column that has a role."""
        single = [self.title, self.id, self.date, self.customer, self.touchpoint, self.channel, self.language]
        return {c for c in [*self.text, *single, *self.segments.values(), *self.scores.values(),
                            *self.engagement.values()] if c}


@dataclass
class ReadContext:
    """What a source's ``read()`` gets besides the path.

    ``options`` holds source-specific settings (``--option key=value`` or the config
    file's ``options`` table). Call :meth:`issue` for a bad value in a good row and
    :meth:`note` to tell the user what was auto-detected.
    """

    mapping: ColumnMapping = field(default_factory=ColumnMapping)
    dataset: str | None = None
    channel: str | None = None
    encoding: str | None = None
    options: dict[str, Any] = field(default_factory=dict)
    issues: list[IngestIssue] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    def dataset_for(self, path: Path) -> str:
        """The dataset name records from ``path`` get: the configured one, else the file stem."""
        return self.dataset or path.stem

    def issue(self, path: Path | str, row: int | None, column: str | None, message: str) -> None:
        self.issues.append(IngestIssue(str(path), row, column, message))

    def note(self, message: str) -> None:
        if message not in self.notes:
            self.notes.append(message)

    def parse_score(self, name: str, raw: Any, *, path: Path | str, row: int, column: str) -> float | None:
        """A numeric score, or None (reported as an issue) when blank-but-bad or out of range.

        Blank cells are simply missing. Text such as ``"9 - Extremely likely"`` keeps its
        leading number. Known scores (nps, csat, ces, rating) are range-checked.
        """
        value = parse_number(raw)
        if value is None:
            if raw is not None and str(raw).strip() != "":
                self.issue(path, row, column, f"{name} value {str(raw)[:40]!r} is not a number; value dropped, row kept")
            return None
        if name in WHOLE_NUMBER_SCORES and value != int(value):
            self.issue(path, row, column, f"{name} value {str(raw)[:40]!r} is not a whole number "
                       "(an NPS answer is an integer 0-10); value dropped, row kept")
            return None
        low, high = SCORE_RANGES.get(name, (None, None))
        if low is not None and not (low <= value <= high):
            self.issue(path, row, column, f"{name} value {value:g} is outside {low:g}-{high:g}; value dropped, row kept")
            return None
        return value

    def parse_date(self, raw: Any, *, date_format: str | None, path: Path | str, row: int,
                   column: str) -> str | None:
        """An ISO date/time for a cell, or None (reported as an issue) when it cannot be read."""
        try:
            return parse_datetime(raw, date_format=date_format)
        except (ValueError, OverflowError, TypeError):
            shown = "" if raw is None else str(raw).strip()
            self.issue(path, row, column, f"date {shown[:40]!r} cannot be read; value dropped, row kept")
            return None

    def parse_language(self, raw: Any, *, path: Path | str, row: int, column: str) -> str | None:
        """An ISO 639-1 code for a cell, or None (reported when the cell is not a language code)."""
        shown = "" if raw is None else str(raw).strip()
        code = normalise_language(shown)
        if shown and code is None:
            self.issue(path, row, column, f"language {shown[:40]!r} is not a language code; value dropped, row kept")
        return code

    def parse_scores(self, row: dict[str, Any], columns: dict[str, str], *, path: Path | str, number: int,
                     convert: Callable[[Any], Any] | None = None) -> dict[str, float]:
        """``{score name: value}`` for a row, from ``{score name: column}``; bad values reported and dropped.

        ``convert`` prepares a raw cell first (e.g. "yes" -> 1).
        """
        scores = {}
        for name, column in columns.items():
            raw = row.get(column)
            value = self.parse_score(name, convert(raw) if convert else raw, path=path, row=number, column=column)
            if value is not None:
                scores[name] = value
        return scores

    def parse_counts(self, row: dict[str, Any], columns: dict[str, str], *, path: Path | str, number: int,
                     convert: Callable[[Any], Any] | None = None) -> dict[str, int]:
        """``{count name: count}`` for a row, from ``{count name: column}``, like :meth:`parse_scores`."""
        counts = {}
        for name, column in columns.items():
            raw = row.get(column)
            count = self.parse_count(name, convert(raw) if convert else raw, path=path, row=number, column=column)
            if count is not None:
                counts[name] = count
        return counts

    def parse_count(self, name: str, raw: Any, *, path: Path | str, row: int, column: str) -> int | None:
        """A non-negative engagement count, or None (reported) when not one."""
        value = parse_number(raw)
        if value is None or value < 0 or value != int(value):
            if raw is not None and str(raw).strip() != "":
                self.issue(path, row, column, f"{name} count {str(raw)[:40]!r} is not a non-negative whole number; value dropped")
            return None
        return int(value)


#: Scores whose answers are whole numbers: ``9.5`` is a data error, not a score.
WHOLE_NUMBER_SCORES = frozenset({"nps"})
# A number at the start of a cell, not followed by more of a number ("1e1", "1.2.3").
_LEADING_NUMBER = re.compile(r"^\s*([-+]?\d+(?:[.,]\d+)?)(?![\d.,eE])")


def parse_number(raw: Any) -> float | None:
    """``7``, ``"7"``, ``"7.5"``, ``"7,5"``, ``"9 - Extremely likely"`` -> float; otherwise None.

    Scientific notation (``"1e1"``) is not a survey answer and gives None, not 1.
    """
    if raw is None:
        return None
    if isinstance(raw, bool):
        return float(raw)
    if isinstance(raw, (int, float)):
        return None if raw != raw else float(raw)  # NaN is missing
    match = _LEADING_NUMBER.match(str(raw))
    if not match:
        return None
    return float(match.group(1).replace(",", "."))


def parse_datetime(raw: Any, *, date_format: str | None = None) -> str | None:
    """An ISO 8601 string for a date/time cell, or None when blank.

    ``date_format`` is a strptime format, "dayfirst", or "monthfirst"; without it
    dateutil reads the value (ISO dates and unambiguous forms). Unix timestamps in
    seconds or milliseconds are accepted. Raises ValueError when unreadable.
    """
    if raw is None:
        return None
    if isinstance(raw, datetime):
        return raw.isoformat()
    text = str(raw).strip()
    if not text:
        return None
    if re.fullmatch(r"\d{10}(\d{3})?(\.\d+)?", text):
        seconds = float(text) / (1000 if len(text.split(".")[0]) == 13 else 1)
        return datetime.fromtimestamp(seconds, tz=timezone.utc).isoformat()
    if date_format and date_format not in ("dayfirst", "monthfirst"):
        return datetime.strptime(text, date_format).isoformat()
    return date_parser.parse(text, dayfirst=date_format == "dayfirst").isoformat()


_SLASH_DATE = re.compile(r"^\s*(\d{1,2})[/.-](\d{1,2})[/.-](\d{2,4})")


def detect_day_order(values: Iterable[str]) -> str | None:
    """"dayfirst", "monthfirst" or None for a sample of ``dd/mm/yyyy``-like strings.

    Raises ValueError when the sample proves nothing either way (every part <= 12), so
    that the caller can ask the user instead of guessing.
    """
    saw_slash = False
    for value in values:
        match = _SLASH_DATE.match(str(value or ""))
        if not match:
            continue
        saw_slash = True
        first, second = int(match.group(1)), int(match.group(2))
        if first > 12:
            return "dayfirst"
        if second > 12:
            return "monthfirst"
    if saw_slash:
        raise ValueError("dates like 01/02/2024 could be day-first or month-first")
    return None


def open_text(path: Path, encoding: str | None = None) -> TextIO:
    """Open a text file for reading, handling BOMs and naming the encoding problem if any.

    UTF-8 (with or without BOM) and UTF-16 with BOM are read as is. A file that is not
    valid UTF-8 in its first 1 MB gets a clear error that names the likely encoding
    (from charset-normalizer) and the ``--encoding`` option, rather than mojibake.
    Lines keep their endings (``newline=""``) so the csv module can handle bare CRs.
    """
    path = Path(path)
    if encoding:
        try:
            codecs.lookup(encoding)
        except LookupError:
            raise InputError(
                f"unknown encoding {encoding!r}.", path=path, expected="an encoding name such as utf-8, cp1252 or latin-1"
            ) from None
        if codecs.lookup(encoding).name == "utf-16" and not read_head(path, 2).startswith(
                (codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
            raise InputError(
                "the file has no byte-order mark, so --encoding utf-16 cannot tell its byte order.",
                path=path,
                expected="UTF-16 text that starts with a byte-order mark",
                hint="Pass --encoding utf-16-le (Windows, most common) or --encoding utf-16-be.",
            )
        return open_for_reading(path, encoding)
    head = read_head(path, 1 << 20)
    if not head.strip():
        raise InputError("the file is empty.", path=path, expected="at least a header and one row")
    if head.startswith(codecs.BOM_UTF8):
        return open(path, encoding="utf-8-sig", newline="")
    if head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return open(path, encoding="utf-16", newline="")
    byte_order = _utf16_without_bom(head)
    if byte_order:
        raise InputError(
            f"the file looks like UTF-16 ({byte_order}) without a byte-order mark: every other byte is NUL.",
            path=path,
            expected="UTF-8 text, or UTF-16 with a byte-order mark",
            hint=f"Pass --encoding utf-16-{byte_order[-2:].lower()} or re-save the file as UTF-8.",
        )
    try:
        # A multi-byte character may be cut at the end of the sample.
        head.decode("utf-8") if len(head) < (1 << 20) else head[:-4].decode("utf-8")
    except UnicodeDecodeError as exc:
        line = head[: exc.start].count(b"\n") + 1
        guess = _guess_encoding(head)
        raise InputError(
            f"the file is not UTF-8 (byte 0x{head[exc.start]:02x} on line {line} cannot be decoded).",
            path=path,
            row=line,
            expected="UTF-8 text",
            hint=(f"It looks like {guess}; " if guess else "")
            + "pass --encoding ENCODING (e.g. --encoding cp1252) or re-save the file as UTF-8.",
        ) from None
    return open(path, encoding="utf-8", newline="")


def read_head(path: Path, size: int) -> bytes:
    """The first ``size`` bytes of a file; an :class:`InputError` when it cannot be read."""
    try:
        with open(path, "rb") as handle:
            return handle.read(size)
    except OSError as exc:
        raise unreadable_error(path, exc) from None


def open_for_reading(path: Path, encoding: str) -> TextIO:
    try:
        return open(path, encoding=encoding, newline="")
    except OSError as exc:
        raise unreadable_error(path, exc) from None


def unreadable_error(path: Path, exc: OSError) -> InputError:
    """The error for a file the operating system will not let cxtext read."""
    return InputError(f"the file cannot be read ({exc.strerror or exc}).", path=path,
                      expected="a file you have permission to read",
                      hint="Check its permissions (ls -l), or leave it out of the folder.")


def _utf16_without_bom(head: bytes) -> str | None:
    """"UTF-16LE"/"UTF-16BE" when the sample's NULs sit at every odd/even byte (ASCII as UTF-16)."""
    sample = head[:4096]
    if len(sample) < 4 or sample.count(0) < len(sample) // 4:
        return None
    odd, even = sample[1::2], sample[0::2]
    if odd.count(0) >= 0.9 * len(odd) and even.count(0) < 0.1 * len(even):
        return "UTF-16LE"
    if even.count(0) >= 0.9 * len(even) and odd.count(0) < 0.1 * len(odd):
        return "UTF-16BE"
    return None


# Characters cp1252 gives text in Western languages: Latin-1 letters and typographic punctuation.
_WESTERN = re.compile(r"[\u00a0-\u00ff\u2013\u2014\u2018-\u201e\u2020-\u2026\u20ac\u2122\u0152\u0153\u0160\u0161\u0178\u017d\u017e]")


def _guess_encoding(sample: bytes) -> str | None:
    """The likely encoding of a non-UTF-8 sample.

    A short sample fools statistical detectors (a French cp1252 file "looks like
    cp775"), so cp1252, by far the most common non-UTF-8 encoding of CX exports, is
    named whenever it decodes every non-ASCII byte to a Western letter or punctuation.
    """
    try:
        decoded = sample.decode("cp1252")
    except UnicodeDecodeError:
        decoded = None
    if decoded is not None:
        non_ascii = [c for c in decoded if ord(c) > 127]
        if non_ascii and all(_WESTERN.match(c) for c in non_ascii):
            return "cp1252 (Windows Western European)"
    try:
        from charset_normalizer import from_bytes
    except ImportError:  # pragma: no cover - charset-normalizer is a dependency
        return None
    best = from_bytes(sample).best()
    return best.encoding if best else None


def read_checked(handle: TextIO, path: Path) -> Iterator[str]:
    """Yield lines, turning a decode error deep in a file into an :class:`InputError`."""
    try:
        yield from handle
    except UnicodeDecodeError as exc:
        # The decoder works on blocks, so the line comes from the bytes, not from the lines read.
        line = _line_of_decode_error(path, handle.encoding)
        raise InputError(
            f"the file stops being valid {handle.encoding} on line {line} ({exc.reason}).",
            path=path,
            row=line,
            expected=f"{handle.encoding} text throughout",
            hint="Pass --encoding with the file's real encoding or re-save it as UTF-8.",
        ) from None
    except UnicodeError as exc:  # e.g. "UTF-16 stream does not start with BOM"
        raise InputError(f"the file cannot be read as {handle.encoding} ({exc}).", path=path,
                         expected=f"{handle.encoding} text",
                         hint="Pass --encoding with the file's real encoding or re-save it as UTF-8.") from None
    except OSError as exc:
        raise unreadable_error(path, exc) from None


def _line_of_decode_error(path: Path, encoding: str) -> int:
    """The 1-based line holding the first byte ``encoding`` cannot decode (byte lines, LF-split)."""
    decoder = codecs.getincrementaldecoder(encoding)()
    number = 1
    with open(path, "rb") as handle:
        for number, raw in enumerate(handle, start=1):
            try:
                decoder.decode(raw)
            except UnicodeDecodeError:
                return number
    return number


# Common column names, lower-cased with punctuation removed, in order of preference.
COLUMN_SYNONYMS: dict[str, tuple[str, ...]] = {
    "text": ("text", "review text", "review", "comment", "comments", "verbatim", "feedback",
             "open text", "response text", "body", "content", "message", "tweet", "answer", "reason"),
    "title": ("title", "review title", "summary", "headline", "subject"),
    "id": ("id", "response id", "responseid", "review id", "tweet id", "post id", "respondent id", "record id"),
    "date": ("date", "created at", "created", "timestamp", "time", "tweet created", "review date",
             "response date", "customer response date", "end date", "enddate", "recorded date",
             "recordeddate", "submitted", "submitted at", "date created"),
    "customer": ("customer id", "customer", "user id", "user", "author id", "author", "name",
                 "respondent", "email", "username", "user name"),
    "touchpoint": ("touchpoint", "journey stage", "stage", "survey sub type", "survey type", "channel touchpoint"),
    "language": ("language", "lang", "user language", "userlanguage"),
    "nps": ("nps", "nps score", "likelihood to recommend", "ltr", "recommend score", "q nps"),
    "csat": ("csat", "csat score", "satisfaction", "overall satisfaction"),
    "ces": ("ces", "ces score", "effort", "customer effort", "effort score"),
    "rating": ("rating", "star rating", "stars", "score", "review rating", "overall rating"),
    "likes": ("likes", "like count", "favorite count", "favourites", "favorites", "score"),
    "shares": ("shares", "share count"),
    "retweets": ("retweets", "retweet count"),
    "replies": ("replies", "reply count", "num comments", "comment count"),
    "helpful_votes": ("helpful votes", "helpful", "helpful count", "positive feedback count", "upvotes"),
}


def normalise_header(name: str) -> str:
    """``"Review_Text "`` -> ``"review text"``: lower case, punctuation and underscores as spaces."""
    return re.sub(r"[^0-9a-z]+", " ", str(name).lower()).strip()


def find_column(headers: list[str], role: str, *, exclude: Iterable[str] = ()) -> str | None:
    """The header that best matches a role from :data:`COLUMN_SYNONYMS`, or None."""
    excluded = set(exclude)
    by_normal = {normalise_header(h): h for h in headers if h not in excluded}
    for synonym in COLUMN_SYNONYMS[role]:
        if synonym in by_normal:
            return by_normal[synonym]
    return None


def require_columns(headers: list[str], wanted: Iterable[str | None], *, path: Path) -> None:
    """Raise an :class:`InputError` naming any mapped column the file does not have."""
    missing = [c for c in wanted if c and c not in headers]
    if missing:
        raise InputError(
            f"mapped column(s) {', '.join(repr(c) for c in missing)} not found in the header.",
            path=path,
            row=1,
            expected=f"one of the file's columns: {shown_columns(headers)}",
        )


def shown(value: Any, limit: int = 60) -> str:
    """``repr(value)`` cut to ``limit`` characters, for quoting user data in a message."""
    text = repr(value if isinstance(value, str) else str(value))
    return text if len(text) <= limit else text[: limit - 4] + "...'"


def shown_columns(headers: list[str], count: int = 30) -> str:
    """The first ``count`` column names, each shortened, for a message (a 200 KB header is not echoed)."""
    names = ", ".join(shown(h, 40) for h in headers[:count])
    return names + (f", ... ({len(headers)} columns)" if len(headers) > count else "")


def missing_text_error(headers: list[str], path: Path) -> InputError:
    """The error for a file where no text column could be found."""
    return InputError(
        "no text column found.",
        path=path,
        row=1,
        expected="a column of customer text named like 'text', 'comment', 'verbatim', 'feedback' or 'review'",
        hint=f"The columns are {shown_columns(headers)}; "
        "name the text column with --text COLUMN (repeat for several) or text = [...] in the config file.",
    )


def sniff_sample(path: Path, size: int = 8192) -> str:
    """The first ``size`` characters of a file, decoded leniently, for ``sniff()`` ("" if unreadable)."""
    try:
        with open(path, "rb") as handle:
            head = handle.read(size)
    except OSError:
        return ""  # read() reports it
    if head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):  # as open_text reads them
        return head.decode("utf-16", errors="replace").lstrip("\ufeff")
    return head.decode("utf-8", errors="replace").lstrip("\ufeff")


# --- tables (CSV, TSV, XLSX) shared by the table-shaped sources ----------------------

#: File suffixes :func:`iter_table_rows` reads.
TABLE_SUFFIXES = (".csv", ".tsv", ".tab", ".txt", ".xlsx", ".xlsm")
_DELIMITERS = (",", ";", "\t", "|")


def is_spreadsheet(path: Path) -> bool:
    """True for an Excel workbook (read with openpyxl), False for delimited text."""
    return Path(path).suffix.lower() in (".xlsx", ".xlsm")


def detect_delimiter(first_line: str) -> str:
    """The delimiter a header line uses: the most frequent of , ; tab | outside quotes."""
    counts = dict.fromkeys(_DELIMITERS, 0)
    quoted = False
    for char in first_line:
        if char == '"':
            quoted = not quoted
        elif not quoted and char in counts:
            counts[char] += 1
    best = max(_DELIMITERS, key=lambda d: counts[d])
    return best if counts[best] else ","


def iter_table_rows(
    path: Path, *, encoding: str | None = None, delimiter: str | None = None, sheet: str | None = None,
    note: Callable[[str], None] | None = None,
) -> Iterator[tuple[int, list[Any]]]:
    """Every row of a CSV/TSV/XLSX file as ``(row number, cells)``, header rows included.

    Row numbers are what a spreadsheet shows (the first line is row 1), counting
    physical records, so a quoted cell spanning lines is still one row. Delimited text
    is opened with :func:`open_text` (BOMs, bare CRs, a clear error for a wrong
    encoding); the delimiter is ``delimiter``, tab for ``.tsv``/``.tab``, else detected
    from the header line. A quote that is never closed is an error naming the line it
    opened on (not a cell that swallows the rest of the file). Workbooks are streamed
    with openpyxl in read-only mode from ``sheet`` (default: the first sheet, with a
    ``note`` when there are others); trailing empty cells are trimmed.
    """
    import csv

    path = Path(path)
    if is_spreadsheet(path):
        yield from _iter_sheet_rows(path, sheet, note)
        return
    check_delimiter(delimiter, path)
    # Long verbatims exceed the csv module's default 128 KB field limit.
    csv.field_size_limit(max(csv.field_size_limit(), 1 << 26))
    handle = open_text(path, encoding)
    with handle:
        lines = read_checked(handle, path)
        if delimiter is None and path.suffix.lower() in (".tsv", ".tab"):
            delimiter = "\t"
        first = next(lines, "")
        if delimiter is None:
            delimiter = detect_delimiter(first)
        lines = _chain_one(first, lines)
        if not (first.endswith("\r") and not first.endswith("\r\n")):
            lines = _keep_bare_cr(lines)  # LF or CRLF file: a lone CR is part of a value
        record_lines: list[str] = []  # the physical lines of the row being read, for messages
        # strict: a quote left open (or text after a closing quote) is an error, not a merged row.
        reader = csv.reader(_remembered(lines, record_lines), delimiter=delimiter, strict=True)
        row_start = 1
        try:
            for number, cells in enumerate(reader, start=1):
                yield number, [c.replace(_CR_MARK, "\n") if _CR_MARK in c else c for c in cells]
                record_lines.clear()
                row_start = reader.line_num + 1
        except csv.Error as exc:
            opened = _unclosed_quote_line(record_lines)
            if opened is not None and "end of data" in str(exc):
                line = row_start + opened
                raise InputError(
                    f"a quoted field that starts on line {line} is never closed, so it would swallow "
                    "every row after it.",
                    path=path,
                    row=line,
                    expected="delimited text with balanced double quotes",
                    hint='Close the quote, or double a quote inside a quoted value ("").',
                ) from None
            raise InputError(
                f"the file is not valid CSV on line {reader.line_num} ({exc}).",
                path=path,
                row=reader.line_num,
                expected='delimited text with balanced double quotes (a quote inside a quoted value is written "")',
            ) from None


def check_delimiter(delimiter: Any, path: Path) -> None:
    """An :class:`InputError` unless ``delimiter`` is None or one character (``--option delimiter=``)."""
    if delimiter is None:
        return
    if not isinstance(delimiter, str) or len(delimiter) != 1 or delimiter in ('"', "\r", "\n"):
        raise InputError(
            f"option delimiter={shown(delimiter)} is not a single character.",
            path=path,
            expected="one character such as , ; | or \\t (write a tab as delimiter=\\t in a project file)",
        )


def _remembered(lines: Iterable[str], kept: list[str]) -> Iterator[str]:
    for line in lines:
        kept.append(line)
        yield line


def _unclosed_quote_line(lines: list[str]) -> int | None:
    """0-based index of the line where the quote left open in ``lines`` was opened, if any."""
    open_at = None
    quoted = False
    for index, line in enumerate(lines):
        for char in line:
            if char == '"':
                quoted = not quoted  # a doubled quote toggles twice: still the same state
                if quoted:
                    open_at = index
    return open_at if quoted else None


def _chain_one(first: str, rest: Iterator[str]) -> Iterator[str]:
    if first:
        yield first
    yield from rest


# Stands in for a bare CR inside a value while the csv module reads the row.
_CR_MARK = "\ue000"


def _keep_bare_cr(lines: Iterator[str]) -> Iterator[str]:
    """Join lines split at a lone CR (newline="" splits there) in a file whose lines end in LF.

    The csv module ends a row at any CR, even inside an unquoted value (a tweet typed
    with a bare CR); such a CR is read as a line break within the value instead
    (``\\n`` in the cell).
    """
    pending = ""
    for line in lines:
        if line.endswith("\r"):
            pending += line[:-1] + _CR_MARK
            continue
        yield pending + line
        pending = ""
    if pending:
        yield pending


def _iter_sheet_rows(path: Path, sheet: str | None,
                     note: Callable[[str], None] | None = None) -> Iterator[tuple[int, list[Any]]]:
    import zipfile
    import zlib
    from xml.etree.ElementTree import ParseError

    from openpyxl import load_workbook

    # A workbook is a zip of XML parts: a truncated or edited one fails in any of these.
    broken = (zipfile.BadZipFile, zlib.error, EOFError, KeyError, ValueError, TypeError, ParseError)
    try:
        workbook = load_workbook(path, read_only=True, data_only=True)
    except OSError as exc:
        raise unreadable_error(path, exc) from None
    except broken as exc:
        raise InputError(
            f"the workbook cannot be opened ({exc}).", path=path, expected="an .xlsx workbook saved by Excel or similar"
        ) from None
    number = 0
    try:
        if sheet is not None and sheet not in workbook.sheetnames:
            raise InputError(
                f"no sheet named {shown(sheet)}.", path=path,
                expected=f"one of {', '.join(shown(n) for n in workbook.sheetnames)}",
            )
        if sheet is None and len(workbook.sheetnames) > 1 and note:
            others = ", ".join(shown(n) for n in workbook.sheetnames[1:])
            note(f"read the first sheet, {shown(workbook.sheetnames[0])}; the workbook also has {others} "
                 "(read another with --sheet NAME)")
        worksheet = workbook[sheet] if sheet is not None else workbook.worksheets[0]
        for number, values in enumerate(worksheet.iter_rows(values_only=True), start=1):
            cells = list(values)
            while cells and (cells[-1] is None or cells[-1] == ""):
                cells.pop()
            yield number, cells
    except broken as exc:
        raise InputError(
            f"the workbook is damaged after row {number} ({type(exc).__name__}: {exc}); it may be truncated.",
            path=path,
            row=number + 1,
            expected="a complete .xlsx workbook",
            hint="Open and re-save it in Excel, or export the sheet again.",
        ) from None
    finally:
        workbook.close()


def check_row_width(cells: list[Any], width: int, *, path: Path, row: int, pad: bool = False) -> list[Any]:
    """``cells`` if it has exactly ``width`` fields, else an :class:`InputError` naming the row.

    A row with more fields than the header usually means an unquoted delimiter inside
    a value; fewer usually means a line break or a lost quote. Both are errors, not
    guesses. ``pad`` (for workbooks, whose rows stop at the last filled cell) fills
    short rows with None and only rejects rows that run past the header.
    """
    if len(cells) == width:
        return cells
    if pad and len(cells) < width:
        return cells + [None] * (width - len(cells))
    if pad and all(c is None or str(c).strip() == "" for c in cells[width:]):
        return cells[:width]
    problem = "more" if len(cells) > width else "fewer"
    raise InputError(
        f"this row has {len(cells)} fields, {problem} than the header's {width}.",
        path=path,
        row=row,
        expected=f"{width} fields, like the header",
        hint="Give every filled column a header." if pad
        else "A value containing the delimiter or a line break must be enclosed in double quotes.",
    )


def header_from_options(options: dict[str, Any], *, path: Path) -> tuple[list[str] | None, bool]:
    """Column names given on the command line, and whether the file's first row is a header.

    Generic options for any table-shaped source, for files without a header row:
    ``--option columns=tweet_id,text,label`` names the columns (the first row is then
    data, unless ``header=yes`` says it is a header to replace); ``--option header=no``
    alone says the first row is data (columns are then named ``column_1``, ...).
    Returns ``(names or None, first_row_is_header)``.
    """
    raw = options.get("columns") or ""
    # A project file may give a list (columns = ["id", "text"]); the command line a string.
    raw_names = ",".join(map(str, raw)) if isinstance(raw, (list, tuple)) else str(raw).strip()
    names = [name.strip() for name in raw_names.split(",")] if raw_names else None
    if names is not None and (any(not n for n in names) or len(set(names)) != len(names)):
        raise InputError(
            f"option columns={raw_names!r} has a blank or repeated name.",
            path=path,
            expected="distinct comma-separated column names, e.g. columns=id,text,label",
        )
    if "header" not in options:
        return names, names is None
    flag = str(options["header"]).strip().lower()
    if flag in ("yes", "true", "1"):
        return names, True
    if flag in ("no", "false", "0", "none"):
        return names, False
    raise InputError(f"option header={options['header']!r} is not yes or no.", path=path,
                     expected="header=yes or header=no")


def normalise_name(name: str) -> str:
    """``"Plan Type"`` -> ``"plan_type"``: the key a column's values get in ``segments``."""
    return normalise_header(name).replace(" ", "_")


def segment_columns(specs: Iterable[str], headers: Iterable[str] = ()) -> dict[str, str]:
    """Segment names to columns from ``--segment`` values.

    ``"Plan Type"`` is stored as segment ``plan_type``; ``"division=Division Name"``
    names the segment explicitly (unless the file has a column called exactly that).
    """
    known = set(headers)
    columns: dict[str, str] = {}
    for spec in specs:
        name, sep, column = spec.partition("=")
        if sep and name.strip() and column.strip() and spec not in known:
            columns[normalise_name(name)] = column.strip()
        else:
            columns[normalise_name(spec)] = spec
    return columns


def choose_date_order(values: Iterable[Any], *, path: Path, column: str) -> str | None:
    """:func:`detect_day_order` for a column, asking the user when the sample is ambiguous.

    Returns "dayfirst", "monthfirst" or None (no ``dd/mm/yyyy``-like values: dateutil
    reads them as they are). Raises an :class:`InputError` that asks for
    ``--date-format`` when every value could be read either way.
    """
    try:
        return detect_day_order(str(v) for v in values if v is not None and not isinstance(v, datetime))
    except ValueError:
        raise InputError(
            "the dates could be day-first or month-first (no day or month above 12 in the file).",
            path=path,
            column=column,
            expected="dates whose order can be told apart, or an explicit date format",
            hint="Pass --date-format dayfirst or --date-format monthfirst (or a strptime format such as %d/%m/%Y).",
        ) from None


_LANGUAGE_CODE = re.compile(r"^([a-z]{2})(?:[-_][a-z0-9]+)*$")


def normalise_language(raw: Any) -> str | None:
    """``"EN"``, ``"en-GB"``, ``"pt_BR"``, ``"English"`` -> ISO 639-1 (``"en"``); None when unknown."""
    text = str(raw or "").strip().lower()
    if not text:
        return None
    match = _LANGUAGE_CODE.match(text)
    if match:
        return match.group(1)
    try:
        from lingua import Language

        return Language.from_str(text).iso_code_639_1.name.lower()
    except (ImportError, ValueError, AttributeError):
        return None


def parse_json(text: str | bytes, *, path: Path, row: int | None = None, expected: str) -> Any:
    """``json.loads(text)`` with every way it can fail as an :class:`InputError`.

    ``json.JSONDecodeError`` is re-raised for the caller (its message depends on the
    format); nesting too deep for Python (``[[[[...`` 1,000 levels) is an input error here.
    """
    import json

    try:
        return json.loads(text)
    except RecursionError:
        raise InputError(
            "the JSON is nested too deeply to read (over about 1,000 levels of [ or {).",
            path=path,
            row=row,
            expected=expected,
        ) from None


def check_options(context: ReadContext, known: Iterable[str], path: Path) -> None:
    """An :class:`InputError` for an ``--option`` key the source does not know (a typo is not ignored)."""
    known = tuple(known)
    unknown = sorted(str(key) for key in context.options if key not in known)
    if unknown:
        raise InputError(
            f"unknown option(s) {', '.join(unknown)} for this source.",
            path=path,
            expected=f"one of {', '.join(known)}" if known else "no --option for this source",
        )


# --- a skeleton for table-shaped sources ----------------------------------------------

#: A data row: its number as the user sees it in the file, and ``{column: value}``.
Row = tuple[int, dict[str, Any]]
#: Data rows read ahead to resolve columns and the date order before streaming the rest.
SAMPLE_ROWS = 500


def cell_text(value: Any) -> str:
    """A cell as stripped text: ``None`` -> "", ``7.0`` -> "7", dates as ISO 8601, JSON lists/objects as JSON."""
    if isinstance(value, str):  # most cells: checked first, this runs for every cell of every row
        return value.strip()
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, (datetime, date)):
        return value.isoformat()
    if isinstance(value, (list, dict)):
        import json

        return json.dumps(value, ensure_ascii=False)
    return str(value).strip()


def metadata_value(value: Any) -> Any:
    """A cell as stored in ``metadata``: numbers stay numbers, text is stripped, dates become ISO strings."""
    if isinstance(value, (datetime, date)):
        return value.isoformat()
    return value.strip() if isinstance(value, str) else value


def unique_headers(cells: Iterable[Any]) -> list[str]:
    """Header cells as unique names: blanks named by position (``column_3``), repeats numbered ("Q1 (2)")."""
    names: list[str] = []
    seen: set[str] = set()  # a set: exports with thousands of columns exist
    for index, cell in enumerate(cells, start=1):
        name = ("" if cell is None else str(cell).strip()) or f"column_{index}"
        base, repeat = name, 1
        while name in seen:
            repeat += 1
            name = f"{base} ({repeat})"
        names.append(name)
        seen.add(name)
    return names


def header_names(rows: list[list[Any]]) -> set[str]:
    """The normalised names (:func:`normalise_header`) of the first row, for ``sniff_score``."""
    return {normalise_header(c) for c in (rows[0] if rows else []) if c is not None}


def first_rows(path: Path, count: int = 3) -> list[list[Any]]:
    """The first ``count`` rows of a CSV/TSV/XLSX file, read cheaply for ``sniff()``."""
    import csv
    import io

    path = Path(path)
    if is_spreadsheet(path):
        return [cells for _, cells in islice(iter_table_rows(path), count)]
    sample = sniff_sample(path)
    first_line = sample.splitlines()[0] if sample else ""
    delimiter = "\t" if path.suffix.lower() in (".tsv", ".tab") else detect_delimiter(first_line)
    return list(islice(csv.reader(io.StringIO(sample), delimiter=delimiter), count))


def filled_table_rows(path: Path, context: ReadContext) -> Iterator[tuple[int, list[Any]]]:
    """:func:`iter_table_rows` with the context's encoding and ``sheet``/``delimiter`` options.

    Rows without content are left out: a blank line between rows is not a row to check.
    """
    options = context.options
    for number, cells in iter_table_rows(path, encoding=context.encoding, delimiter=options.get("delimiter"),
                                         sheet=options.get("sheet"), note=context.note):
        if any(cell_text(c) for c in cells):
            yield number, cells


def rows_as_dicts(rows: Iterable[tuple[int, list[Any]]], headers: list[str], *, path: Path) -> Iterator[Row]:
    """``(number, {header: cell})`` per row; a row wider or narrower than the header is an :class:`InputError`."""
    pad = is_spreadsheet(path)  # a workbook row stops at its last filled cell
    for number, cells in rows:
        cells = check_row_width(cells, len(headers), path=path, row=number, pad=pad)
        yield number, dict(zip(headers, cells))


@dataclass
class Table:
    """One file a :class:`TableSource` is reading: its rows and what was learnt about it.

    ``headers`` is None for files whose rows bring their own keys (JSON): the keys of
    the sampled rows are then used. ``columns``, ``date_format`` and ``dataset`` are set
    by :meth:`TableSource.read` before the first row is turned into records. A source
    that needs more per-file state subclasses this.
    """

    path: Path
    context: ReadContext
    rows: Iterator[Row]
    headers: list[str] | None = None
    header_cells: list[Any] = field(default_factory=list)
    columns: ResolvedColumns | None = None
    date_format: str | None = None
    dataset: str = ""


def open_table(path: Path, context: ReadContext, *, expected: str = "a header row and at least one data row") -> Table:
    """A CSV/TSV/XLSX file with one header row as a :class:`Table` (its rows stream)."""
    path = Path(path)
    table = filled_table_rows(path, context)
    first = next(table, None)
    if first is None:
        raise InputError("the file has no rows.", path=path, expected=expected)
    headers = unique_headers(first[1])
    return Table(path, context, rows_as_dicts(table, headers, path=path), headers=headers, header_cells=first[1])


@dataclass
class TableRow:
    """One data row of a :class:`Table`, with the record fields every table source fills the same way."""

    number: int
    values: dict[str, Any]
    table: Table
    #: Prepares a score or count cell before it is read as a number (e.g. "yes" -> 1).
    convert: Callable[[Any], Any] | None = None
    _fields: dict[str, Any] | None = field(default=None, repr=False)

    def text(self, column: str | None) -> str:
        """The cell of ``column`` as text ("" when there is no such column)."""
        return cell_text(self.values.get(column)) if column else ""

    def optional(self, column: str | None) -> str | None:
        """The cell of ``column`` as text, or None when blank or when there is no such column."""
        return self.text(column) or None

    def fields(self) -> dict[str, Any]:
        """``Record`` keyword arguments from the resolved columns (a fresh copy of what is read once per row).

        dataset, channel (the column, else ``context.channel``), language, customer_id,
        created_at, touchpoint, segments, scores, engagement and source_row. Bad values
        are reported with ``context.issue`` (once, however often this is called) and left out.
        """
        if self._fields is None:
            table, context, number, convert = self.table, self.table.context, self.number, self.convert
            columns, path, row = table.columns, table.path, self.values
            scores = context.parse_scores(row, columns.scores, path=path, number=number, convert=convert)
            engagement = context.parse_counts(row, columns.engagement, path=path, number=number, convert=convert)
            self._fields = dict(
                dataset=table.dataset,
                channel=self.optional(columns.channel) if columns.channel else context.channel,
                language=context.parse_language(row.get(columns.language), path=path, row=number,
                                                column=columns.language) if columns.language else None,
                customer_id=self.optional(columns.customer),
                created_at=context.parse_date(row.get(columns.date), date_format=table.date_format, path=path,
                                              row=number, column=columns.date) if columns.date else None,
                touchpoint=self.optional(columns.touchpoint),
                segments={name: self.text(col) for name, col in columns.segments.items() if self.text(col)},
                scores=scores,
                engagement=engagement,
                source_row=number,
            )
        copy = dict(self._fields)
        for key in ("segments", "scores", "engagement"):  # a caller may change these
            copy[key] = dict(copy[key])
        return copy

    def metadata(self) -> dict[str, Any]:
        """Every non-blank cell of a column without a role, under the column's name."""
        used = self.table.columns.used()
        return {col: metadata_value(value) for col, value in self.values.items()
                if col not in used and cell_text(value)}


def mapped_columns(mapping: ColumnMapping, headers: list[str], *, path: Path) -> tuple[ResolvedColumns, set[str]]:
    """The columns the user mapped, checked against the header, and the set of columns they take.

    Auto-detection then fills the roles left empty from the columns not taken.
    """
    segments = segment_columns(mapping.segments, headers)
    single = [mapping.title, mapping.id, mapping.date, mapping.customer, mapping.touchpoint, mapping.channel,
              mapping.language]
    explicit = [*mapping.text, *single, *segments.values(), *mapping.scores.values(), *mapping.engagement.values()]
    require_columns(headers, explicit, path=path)
    columns = ResolvedColumns(
        text=list(mapping.text), title=mapping.title, id=mapping.id, date=mapping.date, customer=mapping.customer,
        touchpoint=mapping.touchpoint, channel=mapping.channel, language=mapping.language, segments=segments,
        scores=dict(mapping.scores), engagement=dict(mapping.engagement),
    )
    return columns, {c for c in explicit if c}


def numeric_share(values: Iterable[Any], convert: Callable[[Any], Any] | None = None) -> float:
    """The share of non-blank values that read as numbers (1.0 when all are blank: that proves nothing)."""
    filled = [v for v in values if v is not None and str(v).strip() != ""]
    if not filled:
        return 1.0
    return sum(parse_number(convert(v) if convert else v) is not None for v in filled) / len(filled)


def looks_like_text(values: list[Any], *, strings_only: bool = False) -> bool:
    """Free text: mostly non-numeric, several words on average, mostly distinct values.

    ``strings_only`` ignores values that are not strings (JSON numbers, lists).
    """
    filled = [str(v).strip() for v in values
              if (isinstance(v, str) if strings_only else v is not None) and str(v).strip()]
    if not filled or len(filled) < min(3, len(values)):
        return False
    numeric = sum(parse_number(v) is not None and len(v.split()) <= 2 for v in filled) / len(filled)
    words = sum(len(v.split()) for v in filled) / len(filled)
    return numeric < 0.2 and words >= 3 and len(set(filled)) / len(filled) >= 0.5


#: Roles :func:`detect_columns` looks for by name, in this order.
DETECTED_ROLES = ("id", "title", "date", "customer", "touchpoint", "language", "channel")


def detect_columns(
    headers: list[str], sample: list[dict[str, Any]], context: ReadContext, path: Path, *,
    names: dict[str, Iterable[str]] | None = None, scores: Iterable[str] = (), engagement: Iterable[str] = (),
    segments: Iterable[str] = (),
) -> ResolvedColumns:
    """The mapping first, then columns found by name, each auto-detected one told with ``context.note``.

    ``names`` gives a role, score, count or segment name the header names a source's
    files use (compared after :func:`normalise_header`), tried before
    :data:`COLUMN_SYNONYMS` and the name itself. A score or count column that holds
    words is noted and not used. The text column is found by name, else it is the one
    column whose sampled values look like free text; several such columns are an
    :class:`InputError` asking for ``--text``.
    """
    names = names or {}
    columns, taken = mapped_columns(context.mapping, headers, path=path)

    def find(role: str) -> str | None:
        by_normal: dict[str, str] = {}
        for header in headers:
            if header not in taken:
                by_normal.setdefault(normalise_header(header), header)
        wanted = (*names.get(role, ()), *COLUMN_SYNONYMS.get(role, ()), role)
        found = next((by_normal[n] for n in map(normalise_header, wanted) if n in by_normal), None)
        if found:
            taken.add(found)
        return found

    for role in DETECTED_ROLES:
        if getattr(columns, role) is None and not (role == "channel" and context.channel):
            found = find(role)
            if found:
                setattr(columns, role, found)
                context.note(f"{role} column: {found!r} (auto-detected)")
    for name in segments:
        found = None if name in columns.segments else find(name)
        if found:
            columns.segments[name] = found
            context.note(f"{name} segment: {found!r} (auto-detected)")
    for what, wanted, into in (("score", scores, columns.scores), ("count", engagement, columns.engagement)):
        for name in wanted:
            found = None if name in into else find(name)
            if not found:
                continue
            if numeric_share(row.get(found) for row in sample) < 0.5:
                context.note(f"column {found!r} is named like the {name} {what} but holds words, not numbers; "
                             "not used")
                continue
            into[name] = found
            context.note(f"{name} {what} column: {found!r} (auto-detected)")
    if not columns.text:
        found = find("text")
        columns.text = [found] if found else [detect_text_column(headers, sample, taken, context, path)]
        if found:
            context.note(f"text column: {found!r} (auto-detected)")
    return columns


def detect_text_column(headers: list[str], sample: list[dict[str, Any]], taken: set[str], context: ReadContext,
                       path: Path, *, strings_only: bool = False, what: str = "column", subject: str = "the text",
                       named_like: str = "'text', 'comment' or 'body'", hint_more: str = "") -> str:
    """The one free column whose sampled values look like free text; an :class:`InputError` otherwise.

    ``strings_only`` ignores non-string values (JSON rows); ``what``, ``subject``, ``named_like``
    and ``hint_more`` word the error for the source ("field", "the review text", the title option).
    """
    by_content = [h for h in headers
                  if h not in taken and looks_like_text([row.get(h) for row in sample], strings_only=strings_only)]
    if len(by_content) == 1:
        context.note(f"text column: {by_content[0]!r} (auto-detected from its content)")
        return by_content[0]
    if len(by_content) > 1:
        raise InputError(
            f"cannot tell which {what} is {subject}: {', '.join(map(repr, by_content[:10]))} all hold free text.",
            path=path,
            row=1,
            expected=f"one {what} named like {named_like}, or an explicit choice",
            hint=f"Name it with --text, e.g. --text {by_content[0]!r}{hint_more}.",
        )
    raise missing_text_error(headers, path)


def table_date_format(context: ReadContext, column: str | None, sample: Iterable[Any], *, path: Path,
                      rest: Callable[[], Iterable[Any]] | None = None) -> str | None:
    """The date format to read ``column`` with: the mapping's, else the order detected in the values.

    ``sample`` is the column's values in the sampled rows. When they are all ambiguous
    (01/02 .. 12/12) and ``rest`` is given (the sample did not hold the whole file),
    ``rest()`` gives every value of the column to look at before asking the user with
    an :class:`InputError`. The order found is told with ``context.note``.
    """
    if context.mapping.date_format or not column:
        return context.mapping.date_format
    try:
        order = choose_date_order(sample, path=path, column=column)
    except InputError:
        if rest is None:
            raise
        order = choose_date_order(rest(), path=path, column=column)
    if order:
        context.note(f"dates in {column!r} read {order.replace('first', '-first')}")
    return order


class TableSource:
    """A skeleton for sources that read one row as one record (CSV, TSV, XLSX; JSON turned into rows).

    :meth:`read` checks the path and ``--option`` keys, opens the file
    (:meth:`open_table`), resolves the columns over the first :attr:`sample_rows` rows
    (:meth:`resolve_columns`), picks the date order (:func:`table_date_format`) and
    streams every row through :meth:`row_records`, noting how many rows had no text.
    The defaults read a one-header table, find columns by name (:func:`detect_columns`
    with :attr:`column_names`, :attr:`auto_scores`, :attr:`auto_counts`,
    :attr:`auto_segments`) and make one record per row whose text columns are not all
    blank (a title column goes to ``metadata["title"]``). Override what differs.
    """

    name: str = ""
    kind: str = ""
    description: str = ""
    #: File suffixes :meth:`read` accepts and :meth:`sniff` looks at (``.txt`` is never sniffed).
    suffixes: tuple[str, ...] = TABLE_SUFFIXES
    #: ``--option`` keys the source understands; any other is an :class:`InputError`.
    options: tuple[str, ...] = ("sheet", "delimiter")
    sample_rows: int = SAMPLE_ROWS
    #: Header names per role (``{"text": ("body",)}``), tried before :data:`COLUMN_SYNONYMS`.
    column_names: dict[str, tuple[str, ...]] = {}
    #: Scores, counts and segments to look for by name when the user did not map them.
    auto_scores: tuple[str, ...] = ()
    auto_counts: tuple[str, ...] = ()
    auto_segments: tuple[str, ...] = ()
    #: Prepares a score or count cell before it is read as a number (e.g. "yes" -> 1).
    number_cell: Callable[[Any], Any] | None = None

    # --- sniffing ----------------------------------------------------------------

    def sniff(self, path: Path) -> float:
        path = Path(path)
        suffix = path.suffix.lower()
        if not path.is_file() or suffix not in self.suffixes or suffix == ".txt":
            return 0.0
        try:
            return self.sniff_score(self.sniff_rows(path))
        except Exception:  # sniffing must never fail; read() reports the real problem
            return 0.0

    def sniff_rows(self, path: Path) -> list[list[Any]]:
        """The first rows :meth:`sniff_score` looks at."""
        return first_rows(path, 3)

    def sniff_score(self, rows: list[list[Any]]) -> float:
        """Confidence in [0, 1] that a file starting with ``rows`` is this source's (see :func:`header_names`)."""
        return 0.0

    # --- reading -----------------------------------------------------------------

    def check_path(self, path: Path) -> None:
        """An :class:`InputError` for a path this source does not read."""
        if path.is_dir() or path.suffix.lower() not in self.suffixes:
            raise InputError(f"the {self.name} source reads delimited text and Excel files only.", path=path,
                             expected="a .csv, .tsv or .xlsx file")

    def open_table(self, path: Path, context: ReadContext) -> Table:
        """The file as a :class:`Table` whose rows stream; called again when the date order needs every row."""
        return open_table(path, context)

    def resolve_columns(self, table: Table, sample: list[dict[str, Any]]) -> ResolvedColumns:
        return detect_columns(table.headers, sample, table.context, table.path, names=self.column_names,
                              scores=self.auto_scores, engagement=self.auto_counts, segments=self.auto_segments)

    def row_records(self, row: TableRow, table: Table) -> Iterable[Record]:
        """The records of one row; none for a row without text (it is counted and told)."""
        text = "\n\n".join(t for t in map(row.text, table.columns.text) if t)
        if text:
            yield self.record(row, text)

    def record(self, row: TableRow, text: str, **fields: Any) -> Record:
        """A record of :attr:`kind` for ``row``: :meth:`TableRow.fields`, the id column as ``source_id``,
        the metadata (with the title, if any), then ``fields`` on top."""
        columns = row.table.columns
        if "metadata" not in fields:
            fields["metadata"] = row.metadata()
            if row.text(columns.title):
                fields["metadata"]["title"] = row.text(columns.title)
        values = {**row.fields(), "source_id": row.optional(columns.id), **fields}
        return Record(source_kind=self.kind, text=text, **values)

    def finish(self, table: Table) -> None:
        """Called after the last row: tell the user what was counted (``table.context.note``)."""

    def read(self, path: Path, context: ReadContext) -> Iterator[Record]:
        path = Path(path)
        self.check_path(path)
        check_options(context, self.options, path)
        table = self.open_table(path, context)
        sample = list(islice(table.rows, self.sample_rows))
        if table.headers is None:
            if not sample:
                return  # no rows, so no keys: the import summary says there were no records
            table.headers = list(dict.fromkeys(key for _, row in sample for key in row))
        table.columns = columns = self.resolve_columns(table, [row for _, row in sample])
        whole = None if len(sample) < self.sample_rows else (
            lambda: (row.get(columns.date) for _, row in self.open_table(path, context).rows))
        table.date_format = table_date_format(context, columns.date, (row.get(columns.date) for _, row in sample),
                                              path=path, rest=whole)
        table.dataset = context.dataset_for(path)
        skipped = 0
        for number, values in chain(sample, table.rows):
            records = list(self.row_records(TableRow(number, values, table, self.number_cell), table))
            skipped += not records
            yield from records
        if skipped:
            context.note(f"{skipped} row{'s' if skipped != 1 else ''} without text skipped")
        self.finish(table)


__all__ = [
    "ColumnMapping",
    "ResolvedColumns",
    "ReadContext",
    "parse_number",
    "parse_datetime",
    "detect_day_order",
    "open_text",
    "read_checked",
    "COLUMN_SYNONYMS",
    "normalise_header",
    "find_column",
    "require_columns",
    "missing_text_error",
    "sniff_sample",
    "header_from_options",
    "TABLE_SUFFIXES",
    "is_spreadsheet",
    "detect_delimiter",
    "iter_table_rows",
    "check_row_width",
    "normalise_name",
    "segment_columns",
    "choose_date_order",
    "normalise_language",
    "check_options",
    "check_delimiter",
    "parse_json",
    "read_head",
    "shown",
    "shown_columns",
    "unreadable_error",
    "WHOLE_NUMBER_SCORES",
    # the table-source skeleton
    "Row",
    "SAMPLE_ROWS",
    "cell_text",
    "metadata_value",
    "unique_headers",
    "header_names",
    "first_rows",
    "filled_table_rows",
    "rows_as_dicts",
    "Table",
    "open_table",
    "TableRow",
    "mapped_columns",
    "numeric_share",
    "looks_like_text",
    "DETECTED_ROLES",
    "detect_columns",
    "detect_text_column",
    "table_date_format",
    "TableSource",
]
