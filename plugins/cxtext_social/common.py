"""Small pieces every social format shares: dates, languages, ids and per-file tallies."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

from cxtext.sourcing import ColumnMapping, ReadContext, normalise_language, parse_datetime

# Platform language codes that mean "no language" rather than a language.
_NO_LANGUAGE = {"und", "zxx", "qme", "qht", "qam", "qct", "qst", "art"}
# Old ISO 639-1 codes Twitter still sends.
_OLD_CODES = {"in": "id", "iw": "he", "ji": "yi"}

#: How many ids a reader remembers to count repeats; past this it stops counting
#: (memory stays bounded on multi-million-row exports).
MAX_TRACKED_IDS = 1_000_000


def language_code(raw: Any) -> str | None:
    """A platform language tag (``"en"``, ``"pt-BR"``, ``"und"``) as ISO 639-1, or None."""
    text = str(raw or "").strip().lower()
    if not text or text in _NO_LANGUAGE:
        return None
    code = normalise_language(text)
    return _OLD_CODES.get(code, code) if code else None


def clean_id(raw: Any) -> str | None:
    """An id cell as text: ``570306133677760513``, ``"3.0"`` (a float export) -> ``"3"``; blank -> None."""
    if raw is None or isinstance(raw, bool):
        return None
    if isinstance(raw, float):
        return str(int(raw)) if raw == raw and raw.is_integer() else None
    text = str(raw).strip()
    if text.endswith(".0") and text[:-2].isdigit():
        text = text[:-2]
    return text or None


def iso_datetime(context: ReadContext, raw: Any, *, path: Path, row: int | None, column: str,
                 date_format: str | None = None) -> str | None:
    """``parse_datetime`` that reports an unreadable date as an issue (value dropped, row kept)."""
    try:
        return parse_datetime(raw, date_format=date_format)
    except (ValueError, OverflowError, TypeError):
        context.issue(path, row, column, f"date {str(raw)[:40]!r} cannot be read; value dropped, row kept")
        return None


class DateReader:
    """:func:`iso_datetime` for a whole column, fast on the layouts social exports use.

    dateutil takes about a millisecond a value; a column almost always has one layout,
    so the first strptime format that reads a value is tried first on the next ones
    (same result as dateutil for these layouts), falling back to dateutil otherwise.
    """

    FORMATS = (
        "%Y-%m-%d %H:%M:%S %z",  # Kaggle airline tweets: 2015-02-24 11:35:52 -0800
        "%a %b %d %H:%M:%S %z %Y",  # Twitter v1.1: Wed Oct 10 20:19:24 +0000 2018
    )

    def __init__(self, context: ReadContext, path: Path, column: str, date_format: str | None = None) -> None:
        self.context = context
        self.path = path
        self.column = column
        self.date_format = date_format
        self.known: str | None = None

    def __call__(self, raw: Any, row: int | None) -> str | None:
        if self.date_format is None and isinstance(raw, str) and raw.strip():
            text = raw.strip()
            for fmt in ([self.known] if self.known else []) + list(self.FORMATS):
                try:
                    value = datetime.strptime(text, fmt).isoformat()
                except ValueError:
                    continue
                self.known = fmt
                return value
            if "-" in text[:10]:
                try:
                    return datetime.fromisoformat(text.replace("Z", "+00:00")).isoformat()
                except ValueError:
                    pass
        return iso_datetime(self.context, raw, path=self.path, row=row, column=self.column,
                            date_format=self.date_format)


@dataclass
class FileTally:
    """What a reader skipped or saw twice in one file, told to the user as notes at the end."""

    path: Path
    seen_ids: set[str] = field(default_factory=set)
    repeated: int = 0
    first_repeat: str | None = None
    skipped: dict[str, list[int | None]] = field(default_factory=dict)

    def check_repeat(self, source_id: str | None) -> None:
        if not source_id:
            return
        if source_id in self.seen_ids:
            self.repeated += 1
            self.first_repeat = self.first_repeat or source_id
        elif len(self.seen_ids) < MAX_TRACKED_IDS:
            self.seen_ids.add(source_id)

    def skip(self, reason: str, row: int | None) -> None:
        self.skipped.setdefault(reason, []).append(row)

    def report(self, context: ReadContext, unit: str = "row") -> None:
        for reason, rows in self.skipped.items():
            where = [r for r in rows if r is not None][:5]
            at = f" ({unit}s {', '.join(map(str, where))}{', ...' if len(rows) > len(where) else ''})" if where else ""
            context.note(f"{self.path.name}: {len(rows)} {unit}(s) skipped: {reason}{at}")
        if self.repeated:
            context.note(
                f"{self.path.name}: {self.repeated} {unit}(s) repeat an id already seen in the file "
                f"(first: {self.first_repeat}); the store keeps one record per id, the later {unit} wins"
            )


def mapped_fields(mapping: ColumnMapping) -> list[str]:
    """The mapping fields that were set (``--text``, ``--segment``, ...)."""
    return [name for name in mapping.__dataclass_fields__ if getattr(mapping, name) not in (None, [], {})]
