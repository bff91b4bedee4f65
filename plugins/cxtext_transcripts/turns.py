"""Speaker turns: telling labels from text, roles from labels, and merging pieces into turns.

Every format is first cut into :class:`Piece` objects (a line of a text transcript, a
cue of a caption file), each with the speaker label it starts with, if any. A piece
without a label continues the turn before it. Consecutive pieces of the same speaker
become one turn (a transcript tool that starts a new paragraph, or a caption tool that
starts a new cue, mid-turn has not changed speaker).
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field

# A timestamp as transcript tools write it: 1:02, 01:02:03, 00:01:02.500.
_TIME = r"\d{1,2}:\d{2}(?::\d{2})?(?:[.,]\d{1,3})?"
# "Interviewer 1: text", "Interviewer1 : text", "[00:01:02] Jane Doe (00:01:02): text".
LABELLED_LINE = re.compile(
    rf"""^\s*(?:[\[(]?(?P<time1>{_TIME})[\])]?\s+)?       # optional leading timestamp
    (?P<label>[^\W\d_][\w.'’&\-]*(?:[ \t]+[\w.'’&\-]+){{0,3}}?)  # 1-4 words, starting with a letter
    \s*(?:[\[(](?P<time2>{_TIME})[\])])?                 # optional trailing timestamp
    \s*:(?:\s+|$)(?P<text>.*)$""",
    re.VERBOSE,
)
# A label alone on its line (Otter.ai style: "Speaker 1  0:03" then the text below).
LABEL_ONLY_LINE = re.compile(
    rf"^\s*(?P<label>[^\W\d_][\w.'’&\-]*(?:[ \t]+[\w.'’&\-]+){{0,3}}?)\s*(?P<time2>{_TIME})?\s*$"
)
# Labels that are speakers wherever they appear (with a number or not), case-insensitive.
ROLE_WORDS = re.compile(
    r"^(?:interviewer|interviewee|moderator|facilitator|participant|respondent|speaker|host|guest|researcher|"
    r"customer|client|agent|caller|user|q|a|i|p|r|unknown speaker)(?:\s*\d+)*$",
    re.IGNORECASE,
)
# Default interviewer labels: Interviewer, Interviewer1, Interviewer 2, Moderator, Q, ...
INTERVIEWER_LABELS = re.compile(
    r"^(?:interviewer|moderator|facilitator|host|researcher|q|i)(?:\s*\d+)*$", re.IGNORECASE
)
# A line that only marks something ("===== Connection got interrupted =====", "-----").
BANNER_LINE = re.compile(r"^\s*(?:[=*#~_-]{3,}.*[=*#~_-]{3,}|[=*#~_-]{3,})\s*$")


def normalise_label(label: str) -> str:
    """``"Interviewer  1 "`` -> ``"interviewer 1"``: for comparing labels, not for storing them."""
    return " ".join(label.split()).casefold()


def seconds(value: str | None) -> float | None:
    """``"01:02:03.5"`` -> 3723.5; None stays None."""
    if not value:
        return None
    parts = value.replace(",", ".").split(":")
    total = 0.0
    for part in parts:
        total = total * 60 + float(part)
    return total


@dataclass
class Piece:
    """A line or cue: its speaker label (None when it has none), text, where it came from."""

    label: str | None
    text: str
    row: int  # line number (text files) or cue number (captions), 1-based
    start: float | None = None
    end: float | None = None


@dataclass
class Turn:
    speaker: str | None
    text: str
    row: int
    start: float | None = None
    end: float | None = None
    pieces: int = 1
    rows: list[int] = field(default_factory=list)


class RoleRule:
    """Which labels are the interviewer's; everyone else is a participant.

    With ``interviewer=NAME1,NAME2`` exactly those labels (case and spacing ignored)
    are interviewers; without it, labels like Interviewer, Interviewer1, Interviewer 2,
    Moderator, Facilitator, Host, Researcher, Q or I are.
    """

    def __init__(self, interviewer_option: str | list[str] | None = None) -> None:
        raw = interviewer_option or ""
        # "Alice,Bob" from the command line, or ["Alice", "Bob"] from a project file.
        names = [str(n) for n in raw if str(n).strip()] if isinstance(raw, (list, tuple)) \
            else [n for n in str(raw).split(",") if n.strip()]
        self.names = {normalise_label(n) for n in names} or None

    def role(self, label: str) -> str:
        if self.names is not None:
            return "interviewer" if normalise_label(label) in self.names else "participant"
        return "interviewer" if INTERVIEWER_LABELS.match(label.strip()) else "participant"

    def known(self, label: str) -> bool:
        return bool(self.names and normalise_label(label) in self.names)


def accepted_labels(candidates: Iterable[str], rule: RoleRule) -> set[str]:
    """The candidate labels that really are speakers, by normalised label.

    A label is accepted when it is a role word (Interviewer, Participant 3, Q, ...), is
    named in the ``interviewer`` option, or starts with a capital letter and opens at
    least two lines of the file (a name such as ``Jane:``). This keeps one-off
    ``Note: ...`` or ``Example: ...`` lines inside a turn as text.
    """
    counts = Counter(normalise_label(c) for c in candidates)
    firsts = {normalise_label(c): c for c in candidates}
    return {
        label
        for label, count in counts.items()
        if ROLE_WORDS.match(label) or rule.known(label) or (count >= 2 and firsts[label][:1].isupper())
    }


def merge_pieces(pieces: Iterable[Piece], *, merge: bool = True, joiner: str = "\n") -> list[Turn]:
    """Turns from pieces: unlabelled pieces continue the turn before; same-speaker pieces merge.

    Pieces before the first label get speaker None (the caller decides what to do with
    them). With ``merge=False`` every labelled piece starts a new turn. ``joiner`` goes
    between the pieces of a turn: a line break for transcript lines, a space for
    caption cues (whose breaks are only where the player wrapped the text).
    """
    turns: list[Turn] = []
    for piece in pieces:
        current = turns[-1] if turns else None
        continues = current is not None and (
            piece.label is None or (merge and current.speaker is not None
                                    and normalise_label(piece.label) == normalise_label(current.speaker))
        )
        if continues:
            if piece.text:
                current.text = f"{current.text}{joiner}{piece.text}" if current.text else piece.text
            current.end = piece.end if piece.end is not None else current.end
            current.pieces += 1
            current.rows.append(piece.row)
        else:
            turns.append(Turn(piece.label, piece.text, piece.row, piece.start, piece.end, rows=[piece.row]))
    return turns
