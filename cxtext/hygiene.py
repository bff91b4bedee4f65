"""Clean the characters of records before they are stored, and count what was changed.

Files carry characters no customer typed: NUL bytes, other control characters, and
in JSON lone UTF-16 surrogates (``"\\ud800"``) that are not text at all and cannot be
written as UTF-8. They break full-text search, exports and terminals, so they are
removed (controls) or replaced with U+FFFD (surrogates) on every string a record
holds, and the import summary says how many.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field, replace
from typing import Any

from cxtext.records import Record

# C0 controls except tab, line feed and carriage return; DEL; C1 controls.
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")
_SURROGATE = re.compile(r"[\ud800-\udfff]")
_STRING_FIELDS = ("text", "source_id", "channel", "language", "customer_id", "created_at", "touchpoint",
                  "conversation_id", "speaker")
_DICT_FIELDS = ("segments", "metadata")


@dataclass
class CharacterTally:
    """How many characters of each kind were removed or replaced in one file."""

    counts: Counter = field(default_factory=Counter)

    def clean(self, value: str) -> str:
        if _CONTROL.search(value):
            nuls = value.count("\x00")
            self.counts["NUL"] += nuls
            cleaned = _CONTROL.sub("", value)
            self.counts["control"] += len(value) - len(cleaned) - nuls
            value = cleaned
        if _SURROGATE.search(value):
            value, replaced = _SURROGATE.subn("\ufffd", value)
            self.counts["surrogate"] += replaced
        return value

    def clean_any(self, value: Any) -> Any:
        if isinstance(value, str):
            return self.clean(value)
        if isinstance(value, dict):
            return {self.clean_any(k): self.clean_any(v) for k, v in value.items()}
        if isinstance(value, list):
            return [self.clean_any(v) for v in value]
        return value

    def notes(self) -> list[str]:
        """Lines for the import summary, e.g. "3 NUL characters removed"."""
        lines = []
        if self.counts["NUL"]:
            lines.append(f"{self.counts['NUL']} NUL character(s) removed")
        if self.counts["control"]:
            lines.append(f"{self.counts['control']} other control character(s) removed")
        if self.counts["surrogate"]:
            lines.append(f"{self.counts['surrogate']} invalid character(s) (lone UTF-16 surrogates) "
                         "replaced with U+FFFD")
        return lines


def clean_record(record: Record, tally: CharacterTally) -> Record:
    """``record`` with control characters removed and surrogates replaced in every string.

    The record's id is kept: it was derived from what the file said, so the same
    file gives the same id on every import.
    """
    before = sum(tally.counts.values())
    changes: dict[str, Any] = {}
    for name in _STRING_FIELDS:
        value = getattr(record, name)
        if isinstance(value, str):
            changes[name] = tally.clean(value)
    for name in _DICT_FIELDS:
        changes[name] = tally.clean_any(getattr(record, name))
    if sum(tally.counts.values()) == before:
        return record
    return replace(record, **changes, id=record.id)
