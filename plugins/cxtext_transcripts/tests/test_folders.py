"""A folder of transcripts is one import: files in natural order, one conversation each."""

from __future__ import annotations

from cxtext.sourcing import ReadContext
from cxtext_transcripts.source import TranscriptSource


def test_folder_in_natural_order(tmp_path):
    folder = tmp_path / "interviews"
    folder.mkdir()
    (folder / "Interview 10.txt").write_text("Interviewer: Q10?\nInterviewee: A10.\n", encoding="utf-8")
    (folder / "Interview 2.txt").write_text("Interviewer: Q2?\nInterviewee: A2.\n", encoding="utf-8")
    (folder / "call.vtt").write_text("WEBVTT\n\n00:00:01.000 --> 00:00:02.000\n<v Host>Hi?\n\n"
                                     "00:00:03.000 --> 00:00:04.000\n<v Guest>Hello.\n", encoding="utf-8")
    (folder / "notes.csv").write_text("not,a,transcript\n", encoding="utf-8")
    source = TranscriptSource()
    assert source.sniff(folder) >= 0.9
    context = ReadContext()
    turns = list(source.read(folder, context))
    assert [t.conversation_id for t in turns] == ["call", "call", "Interview 2", "Interview 2",
                                                  "Interview 10", "Interview 10"]
    assert {t.dataset for t in turns} == {"interviews"}
    assert [t.role for t in turns[:2]] == ["interviewer", "participant"]
    assert len({t.id for t in turns}) == 6


def test_sniff_ignores_other_text(tmp_path):
    plain = tmp_path / "readme.txt"
    plain.write_text("This is a note.\nIt has no speakers: none at all.\n", encoding="utf-8")
    csv = tmp_path / "data.csv"
    csv.write_text("a,b\n1,2\n", encoding="utf-8")
    source = TranscriptSource()
    assert source.sniff(plain) == 0.0 and source.sniff(csv) == 0.0
    assert source.sniff(tmp_path) == 0.0
