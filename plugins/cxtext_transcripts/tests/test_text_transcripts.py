"""Plain-text transcripts: speaker labels, continuation lines, roles, merging."""

from __future__ import annotations

from cxtext.sourcing import ReadContext
from cxtext_transcripts.source import TranscriptSource

INTERVIEW = """\
Interviewer1 : Thanks for joining. How did the move to the new plan go?

interviewee: Honestly it was painful.
I called three times before anyone helped.
Note: the second call dropped after 40 minutes.

interviewee: And the app kept logging me out.
Interviewer 2: Did the chat help?
Interviewee: No, it sent me back to the phone line.
"""


def read(tmp_path, text, name="interview 7.txt", **options):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    context = ReadContext(options=options)
    return list(TranscriptSource().read(path, context)), context


def test_turns_roles_and_continuations(tmp_path):
    turns, context = read(tmp_path, INTERVIEW)
    assert [(t.speaker, t.role) for t in turns] == [
        ("Interviewer1", "interviewer"),
        ("interviewee", "participant"),
        ("Interviewer 2", "interviewer"),
        ("Interviewee", "participant"),
    ]
    first, answer, _, last = turns
    assert first.text == "Thanks for joining. How did the move to the new plan go?"
    # Continuation lines (and a one-off "Note:" line) stay in the turn; the next
    # paragraph by the same speaker is the same turn.
    assert answer.text == (
        "Honestly it was painful.\nI called three times before anyone helped.\n"
        "Note: the second call dropped after 40 minutes.\nAnd the app kept logging me out."
    )
    assert answer.metadata == {"line": 3, "last_line": 7}
    assert [t.turn_index for t in turns] == [1, 2, 3, 4]
    assert {t.conversation_id for t in turns} == {"interview 7"}
    assert answer.source_id == "interview 7#2" and answer.source_row == 3
    assert answer.customer_id == "interview 7/interviewee" and first.customer_id is None
    assert all(t.source_kind == "transcript" and t.language is None and t.channel == "interview" for t in turns)
    assert context.issues == []


def test_merge_no_keeps_each_labelled_paragraph(tmp_path):
    turns, _ = read(tmp_path, INTERVIEW, merge="no")
    assert [t.speaker for t in turns] == ["Interviewer1", "interviewee", "interviewee", "Interviewer 2", "Interviewee"]


def test_interviewer_option_names_the_interviewers(tmp_path):
    text = "Alice: What frustrated you?\nBob: Waiting.\nAlice: For how long?\nBob: Days.\n"
    turns, _ = read(tmp_path, text, interviewer="alice")
    assert [(t.speaker, t.role) for t in turns] == [
        ("Alice", "interviewer"), ("Bob", "participant"), ("Alice", "interviewer"), ("Bob", "participant")]
    # Without the option, names are speakers (each opens two lines) and all participants.
    turns, _ = read(tmp_path, text)
    assert {t.role for t in turns} == {"participant"} and len(turns) == 4


def test_q_and_a_timestamps_and_moderator(tmp_path):
    text = ("[00:00:05] Q: Why did you cancel?\n[00:00:09] A: The price went up twice.\n"
            "Moderator (00:01:02): Anything else?\nA: No.\n")
    turns, _ = read(tmp_path, text)
    assert [(t.speaker, t.role) for t in turns] == [
        ("Q", "interviewer"), ("A", "participant"), ("Moderator", "interviewer"), ("A", "participant")]
    assert turns[1].metadata["start"] == 9.0 and turns[2].metadata["start"] == 62.0


def test_label_on_its_own_line(tmp_path):
    # Otter.ai-style export: the speaker (and time) alone, the words below.
    text = "Speaker 1  0:03\nHow was onboarding?\n\nSpeaker 2  0:07\nSmooth, the video helped.\nReally.\n"
    turns, _ = read(tmp_path, text)
    assert [(t.speaker, t.text) for t in turns] == [
        ("Speaker 1", "How was onboarding?"), ("Speaker 2", "Smooth, the video helped.\nReally.")]
    assert turns[1].metadata["start"] == 7.0


def test_text_before_the_first_label(tmp_path):
    text = "All right.\nInterviewer: Shall we start?\nInterviewee: Sure.\n"
    turns, context = read(tmp_path, text)
    assert [t.speaker for t in turns] == ["Interviewer", "Interviewee"]
    (issue,) = context.issues
    assert issue.row == 1 and "before the first speaker label" in issue.message
    turns, context = read(tmp_path, text, speaker="Interviewer")
    assert turns[0].text == "All right.\nShall we start?" and context.issues == []


def test_banner_lines_are_skipped(tmp_path):
    text = "Interviewer: Go on.\n\n======= Connection got interrupted ========\n\nInterviewee: Where was I?\n"
    turns, context = read(tmp_path, text)
    assert [t.text for t in turns] == ["Go on.", "Where was I?"]
    assert any("marker line" in note for note in context.notes)


def test_language_option(tmp_path):
    turns, _ = read(tmp_path, "Interviewer: Bonjour.\nParticipant: Salut.\n", language="French")
    assert {t.language for t in turns} == {"fr"}
