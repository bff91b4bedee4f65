"""WebVTT and SRT transcripts: voice tags, speaker prefixes, cue times, merged cues."""

from __future__ import annotations

from cxtext.sourcing import ReadContext
from cxtext_transcripts.source import TranscriptSource

VTT = """WEBVTT

NOTE exported by the meeting tool

1
00:00:01.000 --> 00:00:04.500
<v Interviewer>How was the <b>checkout</b>?</v>

2
00:00:05.000 --> 00:00:09.000
<v.loud Jane Doe>It took forever.
I waited 20 minutes.

3
00:00:09.500 --> 00:00:12.250
<v Jane Doe>Then the payment failed.

00:00:13.000 --> 00:00:14.000
Interviewer: Did you retry?
"""

SRT = """1
00:00:01,000 --> 00:00:02,000
Moderator: Hi <i>there</i>

2
00:00:03,000 --> 00:00:04,000
P1: Hello.

3
00:00:04,500 --> 00:00:06,000
The app is slow.
"""


def read(tmp_path, name, text, **options):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return list(TranscriptSource().read(path, ReadContext(options=options)))


def test_webvtt_voices_and_prefixes(tmp_path):
    turns = read(tmp_path, "call.vtt", VTT)
    assert [(t.speaker, t.role) for t in turns] == [
        ("Interviewer", "interviewer"), ("Jane Doe", "participant"), ("Interviewer", "interviewer")]
    jane = turns[1]
    # Consecutive cues of one speaker are one turn; cue line breaks become spaces.
    assert jane.text == "It took forever. I waited 20 minutes. Then the payment failed."
    assert jane.metadata == {"start": 5.0, "end": 12.25, "cues": 2, "first_cue": 2}
    assert turns[0].text == "How was the checkout?"
    assert turns[2].text == "Did you retry?" and turns[2].metadata["start"] == 13.0


def test_webvtt_cues_unmerged(tmp_path):
    turns = read(tmp_path, "call.vtt", VTT, merge="no")
    assert [t.speaker for t in turns] == ["Interviewer", "Jane Doe", "Jane Doe", "Interviewer"]


def test_srt_prefixes_and_continuation(tmp_path):
    turns = read(tmp_path, "call.srt", SRT)
    assert [(t.speaker, t.role, t.text) for t in turns] == [
        ("Moderator", "interviewer", "Hi there"), ("P1", "participant", "Hello. The app is slow.")]
    assert turns[1].metadata == {"start": 3.0, "end": 6.0, "cues": 2, "first_cue": 2}


def test_sniff_captions(tmp_path):
    source = TranscriptSource()
    vtt, srt = tmp_path / "a.vtt", tmp_path / "a.srt"
    vtt.write_text(VTT, encoding="utf-8")
    srt.write_text(SRT, encoding="utf-8")
    assert source.sniff(vtt) >= 0.9 and source.sniff(srt) >= 0.9
