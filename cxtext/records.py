"""The normalised record: one piece of customer text with everything known about it.

Every source (the first-party survey, review, social and transcript kinds, or any other
kind a plugin names, such as ticket or chat) yields :class:`Record` objects. Sources
fill what their file has and leave the rest empty; the store keeps
one row per record, keyed by a stable id so that re-ingesting a file adds nothing.
"""

from __future__ import annotations

import hashlib
import json
import re
from dataclasses import dataclass, field
from typing import Any

#: The source kinds the first-party sources write and the report knows by name. The set is
#: open: any other identifier (``"ticket"``, ``"chat"``) is a legitimate kind for a new source,
#: and is grouped, counted and reported like these.
SOURCE_KINDS = ("survey", "review", "social", "transcript")
#: What any source kind must look like: a short lower-case identifier.
SOURCE_KIND_PATTERN = re.compile(r"[a-z][a-z0-9_]{0,39}")


def is_source_kind(kind: object) -> bool:
    """Whether ``kind`` can be a ``Record.source_kind``: a known kind or any lower-case identifier."""
    return isinstance(kind, str) and (kind in SOURCE_KINDS or SOURCE_KIND_PATTERN.fullmatch(kind) is not None)

#: Score names with a fixed meaning and valid range. Sources may add any other named
#: score (e.g. ``"recommend"``); these ones are range-checked on ingest.
SCORE_RANGES: dict[str, tuple[float, float]] = {
    "nps": (0, 10),  # likelihood to recommend, 0-10
    "csat": (1, 5),  # satisfaction, 1 = very dissatisfied .. 5 = very satisfied
    "ces": (1, 7),  # CES 2.0 agreement "easy to handle my issue": 1 = hard .. 7 = very easy
    "rating": (1, 5),  # star rating
}

#: Engagement counts cxtext knows by name; any other non-negative count may be added.
ENGAGEMENT_NAMES = ("likes", "shares", "comments", "replies", "retweets", "helpful_votes")

#: Transcript roles. Only ``participant`` turns are analysed by default.
ROLES = ("interviewer", "participant")


@dataclass
class Record:
    """One customer verbatim, review, post or transcript turn.

    ``source_id`` is the id the source file gives the item (tweet id, response id,
    review id); when it has none, the source leaves it ``None`` and the id is derived
    from the content. ``dataset`` namespaces ids (default: the file's stem) so two
    files that both number their rows 1..n do not collide.
    """

    source_kind: str
    text: str
    dataset: str
    source_id: str | None = None
    channel: str | None = None
    language: str | None = None
    customer_id: str | None = None
    created_at: str | None = None  # ISO 8601, UTC offset kept when the file has one
    touchpoint: str | None = None
    segments: dict[str, str] = field(default_factory=dict)
    scores: dict[str, float] = field(default_factory=dict)
    engagement: dict[str, int] = field(default_factory=dict)
    metadata: dict[str, Any] = field(default_factory=dict)
    # Conversations: interview transcripts and support threads.
    conversation_id: str | None = None
    speaker: str | None = None
    role: str | None = None
    turn_index: int | None = None
    # Where in the source file this came from (1-based data row or line), for messages.
    source_row: int | None = None
    id: str = ""

    def __post_init__(self) -> None:
        if not is_source_kind(self.source_kind):
            raise ValueError(f"source_kind must be a lower-case identifier such as {', '.join(SOURCE_KINDS)} "
                             f"or ticket, not {self.source_kind!r}")
        if self.role is not None and self.role not in ROLES:
            raise ValueError(f"role must be one of {ROLES}, not {self.role!r}")
        if not self.id:
            self.id = stable_id(self)

    def to_row(self) -> dict[str, Any]:
        """The record as a flat row for the ``records`` table (dicts as JSON text)."""
        # Not dataclasses.asdict: its deep copy took half the time of a large ingest.
        row = {name: getattr(self, name) for name in self.__dataclass_fields__}
        for key in ("segments", "scores", "engagement", "metadata"):
            row[key] = json.dumps(row[key], ensure_ascii=False, sort_keys=True, default=str)
        return row

    @classmethod
    def from_row(cls, row: dict[str, Any]) -> "Record":
        """Inverse of :meth:`to_row`."""
        data = {k: row[k] for k in cls.__dataclass_fields__ if k in row}
        for key in ("segments", "scores", "engagement", "metadata"):
            value = data.get(key)
            data[key] = json.loads(value) if isinstance(value, str) and value else (value or {})
        return cls(**data)


def stable_id(record: Record) -> str:
    """A short id that is the same every time the same input is ingested.

    Uses the source's own id when there is one, else the content that identifies the
    item (text, time, author, conversation position, source row).
    """
    if record.source_id:
        key = [record.source_kind, record.dataset, str(record.source_id)]
    else:
        key = [
            record.source_kind,
            record.dataset,
            record.text,
            record.created_at or "",
            record.customer_id or "",
            record.conversation_id or "",
            str(record.turn_index if record.turn_index is not None else ""),
            str(record.source_row if record.source_row is not None else ""),
        ]
    digest = hashlib.sha1("\x1f".join(key).encode("utf-8", "surrogatepass")).hexdigest()
    return f"{record.source_kind[0]}{digest[:15]}"
