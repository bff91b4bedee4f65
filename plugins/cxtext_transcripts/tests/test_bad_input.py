"""Bad transcripts through ``cxtext ingest``: one clear paragraph, exit status 2, the store untouched."""

from __future__ import annotations

import json

import pytest

from cxtext.testing import store_state

from .conftest import one_paragraph

GOOD = "Interviewer: How was setup?\nParticipant: Quick, ten minutes.\n"


@pytest.fixture
def db(tmp_path, cli_ingest):
    """A store that already holds one good import, so 'unchanged' means something."""
    path = tmp_path / "cx.db"
    good = tmp_path / "good.txt"
    good.write_text(GOOD, encoding="utf-8")
    result = cli_ingest(path, "--source", "transcripts", good)
    assert result.exit_code == 0, result.output
    return path


def fails_cleanly(cli_ingest, db, path, *args):
    before = store_state(db)
    result = cli_ingest(db, "--source", "transcripts", path, *args)
    assert result.exit_code == 2, result.output
    assert "Traceback" not in result.output
    assert store_state(db) == before
    return one_paragraph(result.output)


def test_no_speaker_turns(tmp_path, cli_ingest, db):
    path = tmp_path / "minutes.txt"
    path.write_text("\nWe met the customer on Monday.\nThey want faster refunds.\n", encoding="utf-8")
    message = fails_cleanly(cli_ingest, db, path)
    assert f"{path}, row 2: no speaker turns found." in message
    assert "Expected speaker turns: lines that start with a speaker label and a colon" in message
    assert "--option speaker=NAME" in message


def test_one_speaker_file_with_the_speaker_option(tmp_path, cli_ingest, db):
    path = tmp_path / "monologue.txt"
    path.write_text("We met on Monday.\nThey want faster refunds.\n", encoding="utf-8")
    result = cli_ingest(db, "--source", "transcripts", path, "--option", "speaker=Customer", "--json")
    assert result.exit_code == 0, result.output
    assert json.loads(result.output)[0]["records_new"] == 1


@pytest.mark.parametrize("name", ["empty.txt", "empty.vtt", "empty.srt"])
def test_empty_file(tmp_path, cli_ingest, db, name):
    path = tmp_path / name
    path.write_text("  \n\n", encoding="utf-8")
    message = fails_cleanly(cli_ingest, db, path)
    assert f"{path}: the file is empty. Expected speaker turns" in message


def test_wrong_encoding_then_encoding_option(tmp_path, cli_ingest, db):
    path = tmp_path / "cp1252.txt"
    path.write_bytes("Interviewer: Ça va?\nParticipant: Très bien – merci.\n".encode("cp1252"))
    message = fails_cleanly(cli_ingest, db, path)
    assert f"{path}, row 1: the file is not UTF-8" in message and "--encoding" in message
    result = cli_ingest(db, "--source", "transcripts", path, "--encoding", "cp1252", "--json")
    assert result.exit_code == 0, result.output
    assert json.loads(result.output)[0]["records_new"] == 2


def test_not_webvtt(tmp_path, cli_ingest, db):
    path = tmp_path / "call.vtt"
    path.write_text("00:00:01.000 --> 00:00:02.000\nHost: hi\n", encoding="utf-8")
    message = fails_cleanly(cli_ingest, db, path)
    assert f"{path}, row 1: this is not a WebVTT file." in message and "'WEBVTT' on the first line" in message


def test_malformed_cue(tmp_path, cli_ingest, db):
    path = tmp_path / "call.vtt"
    path.write_text("WEBVTT\n\n00:00:01.000 --> 00:00:02.000\nHost: hi\n\n00:00:03.000 --> 00:0x:04.000\nGuest: hello\n",
                    encoding="utf-8")
    message = fails_cleanly(cli_ingest, db, path)
    assert f"{path}, row 6: the VTT cues cannot be read" in message and "Expected cues with" in message


def test_folder_without_transcripts(tmp_path, cli_ingest, db):
    folder = tmp_path / "empty_folder"
    folder.mkdir()
    (folder / "data.csv").write_text("a,b\n", encoding="utf-8")
    message = fails_cleanly(cli_ingest, db, folder)
    assert f"{folder}: the folder has no transcripts." in message


def test_one_bad_file_fails_the_whole_folder(tmp_path, cli_ingest, db):
    folder = tmp_path / "batch"
    folder.mkdir()
    (folder / "a.txt").write_text(GOOD, encoding="utf-8")
    (folder / "b.txt").write_text("just some notes\n", encoding="utf-8")
    message = fails_cleanly(cli_ingest, db, folder)
    assert f"{folder / 'b.txt'}, row 1: no speaker turns found." in message


def test_bom_and_bare_cr_work(tmp_path, cli_ingest, db):
    path = tmp_path / "mac.txt"
    path.write_bytes("\ufeffInterviewer: Hello?\rParticipant: Hi.\rIt was fine.\r".encode("utf-8"))
    result = cli_ingest(db, "--source", "transcripts", path, "--json")
    assert result.exit_code == 0, result.output
    (summary,) = json.loads(result.output)
    assert summary["records_new"] == 2 and summary["issues"] == []


def test_reingest_adds_nothing(tmp_path, cli_ingest, db):
    result = cli_ingest(db, "--source", "transcripts", tmp_path / "good.txt", "--json")
    (summary,) = json.loads(result.output)
    assert summary["records_new"] == 0 and summary["records_unchanged"] == 2


def test_unknown_option_and_column_mapping(tmp_path, cli_ingest, db):
    path = tmp_path / "good.txt"
    message = fails_cleanly(cli_ingest, db, path, "--option", "interviewers=Ann")
    assert f"{path}: unknown option(s) interviewers for this source. Expected one of interviewer" in message
    message = fails_cleanly(cli_ingest, db, path, "--text", "body")
    assert f"{path}: column mapping (text) does not apply to transcripts." in message


def test_srt_without_cues(tmp_path, cli_ingest, db):
    path = tmp_path / "call.srt"
    path.write_text("Moderator: hello\nP1: hi\n", encoding="utf-8")
    message = fails_cleanly(cli_ingest, db, path)
    assert f"{path}: the SRT cues cannot be read" in message and "Expected numbered cues" in message


def test_word_document(tmp_path, cli_ingest, db):
    path = tmp_path / "interview.docx"
    path.write_bytes(b"PK\x03\x04 not really a docx")
    message = fails_cleanly(cli_ingest, db, path)
    assert f"{path}: transcripts cannot read .docx documents." in message and "as plain text (.txt)" in message
