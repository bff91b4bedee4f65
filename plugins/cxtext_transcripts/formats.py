"""Reading each transcript format into :class:`~cxtext_transcripts.turns.Piece` objects.

- plain text (``.txt``): ``Speaker: text`` lines (``Interviewer1 :`` and lower-case
  ``interviewee:`` included), an optional timestamp before the label or after it in
  brackets, or a label alone on its line with the text below (Otter.ai style);
- WebVTT (``.vtt``): ``<v Speaker>`` voice tags or ``Speaker:`` at the start of a cue;
- SubRip (``.srt``): ``Speaker:`` at the start of a cue (voice tags too, if present).

Both caption formats are parsed by webvtt-py; cue times become seconds.
"""

from __future__ import annotations

import io
from pathlib import Path

import webvtt
from webvtt.errors import MalformedCaptionError, MalformedFileError

from cxtext.errors import InputError
from cxtext.sourcing import open_text, read_checked, read_head

from cxtext_transcripts.turns import (
    BANNER_LINE,
    LABEL_ONLY_LINE,
    LABELLED_LINE,
    ROLE_WORDS,
    Piece,
    RoleRule,
    accepted_labels,
    normalise_label,
    seconds,
)

CAPTION_SUFFIXES = (".vtt", ".srt")
TEXT_SUFFIXES = (".txt",)
TRANSCRIPT_SUFFIXES = TEXT_SUFFIXES + CAPTION_SUFFIXES


def read_lines(path: Path, encoding: str | None) -> list[str]:
    """The file's lines without line endings (BOM removed, CR, LF or CRLF endings)."""
    if not read_head(path, 1 << 16).strip():
        raise InputError("the file is empty.", path=path, expected="speaker turns such as 'Interviewer: ...'")
    with open_text(path, encoding) as handle:
        lines = [line.rstrip("\r\n") for line in read_checked(handle, path)]
    if not any(line.strip("\ufeff \t") for line in lines):  # no bytes, or only a BOM and blank lines
        raise InputError("the file is empty.", path=path, expected="speaker turns such as 'Interviewer: ...'")
    return lines


def text_pieces(lines: list[str], rule: RoleRule) -> tuple[list[Piece], int]:
    """Pieces of a plain-text transcript, and how many banner lines were skipped."""
    candidates = []
    for line in lines:
        match = LABELLED_LINE.match(line)
        if match:
            candidates.append(match.group("label"))
    accepted = accepted_labels(candidates, rule)
    pieces: list[Piece] = []
    banners = 0
    for number, line in enumerate(lines, start=1):
        if not line.strip():
            continue
        if BANNER_LINE.match(line):
            banners += 1
            continue
        match = LABELLED_LINE.match(line)
        if match and normalise_label(match.group("label")) in accepted:
            time = match.group("time1") or match.group("time2")
            pieces.append(Piece(match.group("label").strip(), match.group("text").strip(), number, seconds(time)))
            continue
        alone = LABEL_ONLY_LINE.match(line)
        if alone and (normalise_label(alone.group("label")) in accepted or ROLE_WORDS.match(alone.group("label"))):
            pieces.append(Piece(alone.group("label").strip(), "", number, seconds(alone.group("time2"))))
            continue
        pieces.append(Piece(None, line.strip(), number))
    return pieces, banners


def caption_pieces(path: Path, encoding: str | None, rule: RoleRule) -> list[Piece]:
    """Pieces of a WebVTT or SRT file: one per cue, the speaker from a voice tag or a prefix."""
    lines = read_lines(path, encoding)
    fmt = "srt" if path.suffix.lower() == ".srt" else "vtt"
    if fmt == "vtt" and not lines[0].lstrip("\ufeff").startswith("WEBVTT"):
        raise InputError("this is not a WebVTT file.", path=path, row=1,
                         expected="'WEBVTT' on the first line, then cues ('00:00:01.000 --> 00:00:04.000' and text)")
    try:
        captions = webvtt.WebVTT.from_buffer(io.StringIO("\n".join(lines) + "\n"), format=fmt,
                                             **({"strict": True} if fmt == "vtt" else {}))
    except (MalformedFileError, MalformedCaptionError) as exc:
        raise InputError(
            f"the {fmt.upper()} cues cannot be read ({exc}).",
            path=path,
            row=_line_of(lines, exc),
            expected="numbered cues with 'HH:MM:SS,mmm --> HH:MM:SS,mmm' timings" if fmt == "srt"
            else "cues with 'HH:MM:SS.mmm --> HH:MM:SS.mmm' timings followed by text",
        ) from None
    raw = []
    for number, caption in enumerate(captions, start=1):
        text = " ".join(part.strip() for part in caption.text.split("\n") if part.strip())
        start = caption.start_time.in_milliseconds() / 1000
        end = caption.end_time.in_milliseconds() / 1000
        raw.append((number, caption.voice, text, start, end))
    candidates = [m.group("label") for _, voice, text, _, _ in raw if not voice and (m := LABELLED_LINE.match(text))]
    accepted = accepted_labels(candidates, rule)
    pieces = []
    for number, voice, text, start, end in raw:
        label = voice.strip() if voice else None
        match = None if voice else LABELLED_LINE.match(text)
        if match and normalise_label(match.group("label")) in accepted:
            label, text = match.group("label").strip(), match.group("text").strip()
        pieces.append(Piece(label, text, number, start, end))
    return pieces


def _line_of(lines: list[str], exc: Exception) -> int | None:
    """The line a webvtt-py error points at (it quotes the cue's lines), when it can be found."""
    message = str(exc)
    for number, line in enumerate(lines, start=1):
        if line.strip() and f"'{line.strip()}'" in message:
            return number
    return None
