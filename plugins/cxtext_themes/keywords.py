"""Keyword patterns: the words and phrases of a codebook, compiled to regular expressions.

A keyword is matched case-insensitively as whole words:

- ``"bill"`` matches "bill", "Bill", "bills" (a plain last word also matches its plural),
- ``"double charged"`` matches the phrase with any spacing or a hyphen between the words,
- ``"charg*"`` matches "charge", "charged", "charging" (``*`` = any letters),
- ``"re:on hold for \\d+ (min|hour)"`` is a regular expression, used as written.

Curly apostrophes in the text are treated as straight ones.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

WORD_GAP = r"[\s\-]+"


def compile_keyword(pattern: str) -> re.Pattern[str]:
    """The compiled regular expression for one keyword pattern (see the module docstring)."""
    pattern = pattern.strip()
    if not pattern:
        raise ValueError("empty keyword")
    if pattern.startswith("re:"):
        body = pattern[3:]
        if not body.strip():
            raise ValueError("empty regular expression")
        return re.compile(body, re.IGNORECASE)
    words = pattern.replace("’", "'").split()
    parts = []
    for word in words:
        if word.strip("*") == "":
            raise ValueError("a wildcard needs some letters beside it")
        parts.append(r"\w*".join(re.escape(piece) for piece in word.split("*")))
    body = WORD_GAP.join(parts)
    if words[-1][-1].isalpha():
        body += r"(?:s|es)?"
    return re.compile(rf"(?<!\w){body}(?!\w)", re.IGNORECASE)


def normalise(text: str) -> str:
    return text.replace("’", "'").replace("‘", "'")


class KeywordMatcher:
    """Finds which of several keyword lists match a text.

    ``lists[i]`` is the patterns of item ``i`` (a theme); :meth:`matches` returns, for
    each item with a hit, the matched strings.
    """

    def __init__(self, lists: Sequence[Sequence[str]]) -> None:
        self.patterns = [
            re.compile("|".join(f"(?:{compile_keyword(p).pattern})" for p in patterns), re.IGNORECASE)
            if patterns else None
            for patterns in lists
        ]
        # A cheap substring test first: a long alternation of look-behind patterns costs
        # a regex attempt at every position, and most themes match few sentences.
        self.required = [_required_pieces(patterns) for patterns in lists]

    def matches(self, text: str) -> dict[int, list[str]]:
        text = normalise(text)
        lowered = text.lower()
        found: dict[int, list[str]] = {}
        for index, pattern in enumerate(self.patterns):
            if pattern is None:
                continue
            pieces = self.required[index]
            if pieces is not None and not any(piece in lowered for piece in pieces):
                continue
            hits = [m.group(0) for m in pattern.finditer(text) if m.group(0)]
            if hits:
                found[index] = hits
        return found


def _required_pieces(patterns: Sequence[str]) -> list[str] | None:
    """For each keyword, a lower-case literal piece any match must contain; None if one has none.

    The piece is the longest literal run of the keyword's first word ("*charg*" -> "charg").
    Regular-expression keywords have no such piece, so a theme with one is always searched.
    """
    pieces = []
    for pattern in patterns:
        pattern = pattern.strip()
        if pattern.startswith("re:"):
            return None
        first_word = pattern.replace("’", "'").split()[0]
        piece = max(first_word.split("*"), key=len).lower()
        if not piece:
            return None
        pieces.append(piece)
    return pieces
