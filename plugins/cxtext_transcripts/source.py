"""The ``transcripts`` source: interviews as one record per speaker turn."""

from __future__ import annotations

import itertools
import re
from collections.abc import Iterator
from pathlib import Path

from cxtext.errors import InputError
from cxtext.records import Record
from cxtext.sourcing import ReadContext, check_options, normalise_language, sniff_sample

from cxtext_transcripts.formats import (
    CAPTION_SUFFIXES,
    TRANSCRIPT_SUFFIXES,
    caption_pieces,
    read_lines,
    text_pieces,
)
from cxtext_transcripts.turns import LABELLED_LINE, ROLE_WORDS, RoleRule, Turn, merge_pieces

EXPECTED_TURNS = (
    "speaker turns: lines that start with a speaker label and a colon, e.g. 'Interviewer: How was it?' "
    "then 'Participant: Slow.' (or a WebVTT/SRT file with <v Speaker> voice tags or 'Speaker:' cue prefixes)"
)
SNIFF_SIZE = 8192
OPTIONS = ("interviewer", "speaker", "merge", "language")
# Word-processor and other binary documents: a clear error instead of "not UTF-8".
DOCUMENT_SUFFIXES = (".docx", ".doc", ".odt", ".rtf", ".pdf", ".xlsx", ".xls", ".pages")
_SRT_TIMING = re.compile(r"\d+:\d{2}:\d{2}[,.]\d+\s*-->")


def natural_key(path: Path) -> list[object]:
    """``Interview 2`` before ``Interview 10``."""
    return [int(part) if part.isdigit() else part.casefold() for part in re.split(r"(\d+)", path.name)]


def transcript_files(folder: Path) -> list[Path]:
    """The .txt/.vtt/.srt files directly inside ``folder``, in natural name order."""
    return sorted(
        (p for p in folder.iterdir() if p.is_file() and p.suffix.lower() in TRANSCRIPT_SUFFIXES
         and not p.name.startswith(".")),
        key=natural_key,
    )


class TranscriptSource:
    """Interview transcripts (.txt, .vtt, .srt, or a folder of them): one record per speaker turn.

    Options (``--option KEY=VALUE``): ``interviewer=NAME1,NAME2`` (labels that are the
    interviewer; everyone else is a participant), ``speaker=NAME`` (who speaks text that
    has no label: lines before the first label, or a whole file without labels),
    ``merge=no`` (one turn per labelled paragraph or cue instead of merging consecutive
    pieces of the same speaker), ``language=CODE`` (ISO 639-1 for every turn).
    """

    name = "transcripts"
    kind = "transcript"
    description = "Interview transcripts (Speaker: text, WebVTT, SRT; a file or a folder): one record per turn"

    def sniff(self, path: Path) -> float:
        path = Path(path)
        if path.is_dir():
            files = transcript_files(path)
            return min((self._sniff_file(p) for p in files[:5]), default=0.0)
        return self._sniff_file(path) if path.is_file() else 0.0

    def _sniff_file(self, path: Path) -> float:
        suffix = path.suffix.lower()
        sample = sniff_sample(path, SNIFF_SIZE)
        if suffix == ".vtt":
            return 0.95 if sample.startswith("WEBVTT") else 0.3
        if suffix == ".srt":
            return 0.9 if _SRT_TIMING.search(sample) else 0.3
        if suffix != ".txt":
            return 0.0
        lines = sample.splitlines()
        if len(sample) >= SNIFF_SIZE - 4:
            lines = lines[:-1]  # the sample cut the last line short
        lines = [line for line in lines if line.strip()]
        labels = [m.group("label") for line in lines if (m := LABELLED_LINE.match(line))]
        if len(labels) < 2:
            return 0.0
        share = len(labels) / len(lines)
        roles = sum(1 for label in labels if ROLE_WORDS.match(label.strip()))
        if roles >= 2 and share >= 0.2:
            return 0.9
        return 0.6 if share >= 0.5 else 0.2

    def read(self, path: Path, context: ReadContext) -> Iterator[Record]:
        path = Path(path)
        check_options(context, OPTIONS, path)
        mapped = [name for name in context.mapping.__dataclass_fields__
                  if getattr(context.mapping, name) not in (None, [], {})]
        if mapped:
            raise InputError(f"column mapping ({', '.join(mapped)}) does not apply to transcripts.", path=path,
                             expected="no --text/--id/--segment/... options for transcripts",
                             hint="Use --option interviewer=NAME,... / speaker=NAME / merge=no / language=CODE.")
        dataset = context.dataset_for(path)
        if path.is_dir():
            files = transcript_files(path)
            if not files:
                raise InputError("the folder has no transcripts.", path=path,
                                 expected="one or more .txt, .vtt or .srt files directly inside it")
            context.note(f"{len(files)} transcript files in {path.name}")
            for file in files:
                yield from self._read_file(file, context, dataset)
        else:
            yield from self._read_file(path, context, dataset)

    def _read_file(self, path: Path, context: ReadContext, dataset: str) -> Iterator[Record]:
        options = context.options
        rule = RoleRule(options.get("interviewer"))
        merge_flag = str(options.get("merge", "yes")).strip().lower()
        if merge_flag not in ("yes", "true", "1", "no", "false", "0"):
            raise InputError(f"option merge={options['merge']!r} is not yes or no.", path=path,
                             expected="merge=yes (the default) or merge=no")
        merge = merge_flag in ("yes", "true", "1")
        if path.suffix.lower() in DOCUMENT_SUFFIXES:
            raise InputError(f"transcripts cannot read {path.suffix} documents.", path=path,
                             expected="a plain-text (.txt), WebVTT (.vtt) or SubRip (.srt) transcript",
                             hint="Export or save the transcript as plain text (.txt) first.")
        default_speaker = str(options.get("speaker") or "").strip() or None
        language = normalise_language(options["language"]) if options.get("language") else None
        if options.get("language") and language is None:
            raise InputError(f"option language={options['language']!r} is not a language.", path=path,
                             expected="an ISO 639-1 code such as en or fr, or a language name such as French")
        is_caption = path.suffix.lower() in CAPTION_SUFFIXES
        if is_caption:
            pieces = caption_pieces(path, context.encoding, rule)
            first_row = 1
        else:
            lines = read_lines(path, context.encoding)
            pieces, banners = text_pieces(lines, rule)
            if banners:
                context.note(f"{path.name}: {banners} marker line(s) such as '=== ... ===' skipped")
            first_row = next((n for n, line in enumerate(lines, start=1) if line.strip()), 1)
        if default_speaker:  # text before the first label is the named speaker's
            for piece in itertools.takewhile(lambda p: p.label is None, pieces):
                piece.label = default_speaker
        turns = merge_pieces(pieces, merge=merge, joiner=" " if is_caption else "\n")
        if not any(turn.speaker for turn in turns) and not default_speaker:
            raise InputError(
                "no speaker turns found.",
                path=path,
                row=first_row,
                expected=EXPECTED_TURNS,
                hint="If the whole file is one person speaking, name them with --option speaker=NAME.",
            )
        conversation = path.stem
        unit = "cue" if is_caption else "line"
        index = 0
        for turn in turns:
            speaker = turn.speaker or default_speaker
            if speaker is None:
                span = f"{unit} {turn.rows[0]}" if len(turn.rows) == 1 else f"{unit}s {turn.rows[0]}-{turn.rows[-1]}"
                context.issue(path, turn.row, None, f"text before the first speaker label has no speaker; {span} "
                              "skipped (name the speaker with --option speaker=NAME)")
                continue
            if not turn.text.strip():
                continue  # a label with nothing said
            index += 1
            yield self._record(turn, speaker, index, conversation, dataset, context, rule, language, is_caption)

    def _record(self, turn: Turn, speaker: str, index: int, conversation: str, dataset: str,
                context: ReadContext, rule: RoleRule, language: str | None, is_caption: bool) -> Record:
        role = rule.role(speaker)
        if is_caption:
            metadata = {"start": turn.start, "end": turn.end, "cues": turn.pieces, "first_cue": turn.row}
        else:
            metadata = {"line": turn.row, "last_line": turn.rows[-1]}
            if turn.start is not None:
                metadata["start"] = turn.start
        return Record(
            source_kind="transcript",
            text=turn.text.strip(),
            dataset=dataset,
            source_id=f"{conversation}#{index}",
            channel=context.channel or "interview",
            language=language,
            # A participant is a person to count in KPIs: one per speaker per interview.
            customer_id=f"{conversation}/{speaker}" if role == "participant" else None,
            metadata={k: v for k, v in metadata.items() if v is not None},
            conversation_id=conversation,
            speaker=speaker,
            role=role,
            turn_index=index,
            source_row=turn.row,
        )
