"""Every bad input from issue 12 through the CLI: exit 2, one paragraph, no traceback, store unchanged.

Each test is one reproducer of the issue's table ("tracebacks instead of errors"), or
one silent-loss case that must now be reported or refused.
"""

from __future__ import annotations

import json
import os
import sqlite3
import zipfile
from pathlib import Path

import pytest
from click.testing import CliRunner

from cxtext import plugins
from cxtext.cli import cli
from cxtext.testing import IngestRunner, load_only

GOOD = "Response ID,NPS,Comment\n1,9,Lovely staff\n2,3,Slow refund\n"
running_as_root = hasattr(os, "geteuid") and os.geteuid() == 0


@pytest.fixture(autouse=True)
def sources_only(monkeypatch):
    monkeypatch.setenv("COLUMNS", "500")  # one line per paragraph in the output
    load_only(monkeypatch, "survey", "reviews", "social", "transcripts", "exporters", "kpis", "report")
    yield
    plugins.get_plugin_manager.cache_clear()


@pytest.fixture
def ingest(tmp_path) -> IngestRunner:
    return IngestRunner(tmp_path / "cx.db")


@pytest.fixture
def stored(ingest, tmp_path):
    """A store holding one import, and its state before the bad input."""
    assert ingest(write(tmp_path, GOOD, "good.csv"), "--source", "survey").exit_code == 0
    return ingest.state()


def write(tmp_path: Path, content: str | bytes, name: str = "bad.csv") -> Path:
    path = tmp_path / name
    path.write_bytes(content.encode("utf-8", "surrogatepass") if isinstance(content, str) else content)
    return path


def cxtext(*args: str):
    return CliRunner().invoke(cli, list(map(str, args)))


def failed(result) -> str:
    """The error paragraph of a run that must fail cleanly."""
    assert result.exit_code == 2, result.output
    assert result.exc_info is None or result.exc_info[0] is SystemExit, result.exc_info
    assert "Traceback" not in result.output
    message = result.stderr.strip()
    assert message and "\n\n" not in message  # one paragraph
    return " ".join(message.split())


# --- the store: --db ----------------------------------------------------------------------


@pytest.mark.parametrize("command", [["ingest", "{csv}"], ["analyze"], ["kpis"], ["export", "--out", "{out}"],
                                     ["report", "--out", "{out}"]])
def test_db_that_is_not_sqlite(tmp_path, command):
    db = write(tmp_path, "just some text, not a database\n" * 50, "notsqlite.db")
    before = db.read_bytes()
    csv = write(tmp_path, GOOD, "ok.csv")
    args = [a.format(csv=csv, out=tmp_path / "out.x") for a in command]
    message = failed(cxtext(*args, "--db", db))
    assert "not an SQLite database" in message and str(db) in message
    assert db.read_bytes() == before


def test_db_in_a_missing_folder(tmp_path):
    message = failed(cxtext("ingest", write(tmp_path, GOOD, "ok.csv"), "--db", tmp_path / "nope" / "cx.db"))
    assert "does not exist" in message
    assert not (tmp_path / "nope").exists()


def test_db_that_is_a_folder(tmp_path):
    (tmp_path / "store").mkdir()
    message = failed(cxtext("ingest", write(tmp_path, GOOD, "ok.csv"), "--db", tmp_path / "store"))
    assert "is a folder" in message and "cx.db" in message


@pytest.mark.skipif(running_as_root, reason="root writes read-only files")
def test_read_only_db(ingest, stored, tmp_path):
    os.chmod(ingest.db, 0o444)
    try:
        message = failed(ingest(write(tmp_path, GOOD.replace("Lovely", "Kind")), "--source", "survey"))
        assert "read-only" in message
    finally:
        os.chmod(ingest.db, 0o644)
    assert ingest.state() == stored


def test_store_from_a_newer_cxtext(ingest, stored, tmp_path):
    conn = sqlite3.connect(ingest.db)
    conn.execute("update meta set value = '99' where key = 'schema_version'")
    conn.commit()
    conn.close()
    message = failed(ingest(write(tmp_path, GOOD), "--source", "survey"))
    assert "newer cxtext" in message and "schema version 99" in message and "Upgrade" in message


def test_lock_held_past_the_timeout_is_explained(ingest, stored, tmp_path, monkeypatch):
    monkeypatch.setenv("CXTEXT_LOCK_TIMEOUT", "1.5")
    holder = sqlite3.connect(ingest.db, isolation_level=None)
    holder.execute("BEGIN IMMEDIATE")
    try:
        result = ingest(write(tmp_path, GOOD.replace("Lovely", "Kind")), "--source", "survey")
        message = failed(result)
    finally:
        holder.execute("ROLLBACK")
        holder.close()
    assert "write lock" in message and "CXTEXT_LOCK_TIMEOUT" in message
    assert ingest.state() == stored


# --- files --------------------------------------------------------------------------------


def truncated_workbook(tmp_path: Path) -> Path:
    from openpyxl import Workbook

    workbook = Workbook()
    sheet = workbook.active
    sheet.append(["Response ID", "NPS", "Comment", "rating", "text", "likes"])
    for i in range(60):
        sheet.append([i, 9, f"comment {i}", 5, f"text {i}", 3])
    whole = tmp_path / "whole.xlsx"
    workbook.save(whole)
    cut = tmp_path / "cut.xlsx"
    with zipfile.ZipFile(whole) as source, zipfile.ZipFile(cut, "w") as target:
        for item in source.infolist():
            data = source.read(item.filename)
            if item.filename.startswith("xl/worksheets/sheet"):
                data = data[: len(data) // 2]  # a valid zip whose sheet XML stops half-way
            target.writestr(item, data)
    return cut


@pytest.mark.parametrize("source", ["survey", "reviews", "social"])
def test_truncated_workbook(ingest, stored, tmp_path, source):
    message = failed(ingest(truncated_workbook(tmp_path), "--source", source))
    assert "damaged" in message and "cut.xlsx" in message
    assert ingest.state() == stored


@pytest.mark.parametrize("delimiter", ["ab", ""])
def test_bad_delimiter_option(ingest, stored, tmp_path, delimiter):
    message = failed(ingest(write(tmp_path, GOOD), "--source", "survey", "--option", f"delimiter={delimiter}"))
    assert "not a single character" in message
    assert ingest.state() == stored


def test_utf16_without_bom(ingest, stored, tmp_path):
    path = write(tmp_path, GOOD.encode("utf-16-le"))
    message = failed(ingest(path, "--source", "survey", "--encoding", "utf-16"))
    assert "byte-order mark" in message and "utf-16-le" in message
    message = failed(ingest(path, "--source", "survey"))  # was "this row has 1 fields"
    assert "UTF-16" in message and "fields" not in message
    assert ingest(path, "--source", "survey", "--encoding", "utf-16-le").exit_code == 0


@pytest.mark.parametrize("source", ["reviews", "social"])
@pytest.mark.parametrize("suffix", [".json", ".jsonl"])
def test_json_nested_too_deep(ingest, stored, tmp_path, source, suffix):
    deep = "[" * 1500 + "]" * 1500
    path = write(tmp_path, ('{"text": ' + deep + "}\n") if suffix == ".jsonl" else deep, "deep" + suffix)
    message = failed(ingest(path, "--source", source))
    assert "nested too deeply" in message
    assert ingest.state() == stored


@pytest.mark.parametrize("source", ["reviews", "social"])
def test_lone_surrogate_is_replaced_and_counted(ingest, tmp_path, source):
    path = write(tmp_path, '[{"id": "1", "rating": 4, "text": "bad \\ud800 char"}]', "posts.json")
    result = ingest(path, "--source", source)
    assert result.exit_code == 0, result.output
    assert any("surrogate" in note and note.startswith("1 ") for note in result.summary["notes"])
    assert [r.text for r in ingest.records()] == ["bad \ufffd char"]


@pytest.mark.parametrize("text", ["5", "[1, 2]", '{"a": 1}'])
def test_social_text_that_is_not_a_string(ingest, tmp_path, text):
    path = write(tmp_path, '[{"id": "1", "text": %s}, {"id": "2", "text": "fine"}]' % text, "posts.json")
    result = ingest(path, "--source", "social")
    assert result.exit_code == 0, result.output
    (issue,) = result.summary["issues"]
    assert "row 1" in issue and "not a string" in issue
    assert [r.text for r in ingest.records()] == ["fine"]


def test_reddit_children_not_a_list(ingest, stored, tmp_path):
    path = write(tmp_path, '{"kind": "Listing", "data": {"children": 5}}', "reddit.json")
    failed(ingest(path, "--source", "social"))
    assert ingest.state() == stored


@pytest.mark.skipif(running_as_root, reason="root reads unreadable files")
def test_unreadable_file_in_a_folder(ingest, stored, tmp_path):
    folder = tmp_path / "interviews"
    folder.mkdir()
    (folder / "a.txt").write_text("Interviewer: Hi\nParticipant: The app is slow.\n")
    locked = folder / "b.txt"
    locked.write_text("Interviewer: Hi\nParticipant: Fine.\n")
    locked.chmod(0)
    try:
        message = failed(ingest(folder, "--source", "transcripts"))
    finally:
        locked.chmod(0o644)
    assert "cannot be read" in message and "b.txt" in message
    assert ingest.state() == stored


def test_unreadable_file_error_names_the_file(tmp_path):
    from cxtext.sourcing import unreadable_error

    error = unreadable_error(tmp_path / "b.txt", PermissionError(13, "Permission denied"))
    assert "b.txt" in str(error) and "Permission denied" in str(error)


def test_batch_size_zero(ingest, stored):
    result = cxtext("analyze", "--db", ingest.db, "--batch-size", "0")
    assert result.exit_code == 2 and "Traceback" not in result.output and "--batch-size" in result.output


# --- outputs ------------------------------------------------------------------------------


@pytest.mark.parametrize("command", [["export", "--format", "csv"], ["export", "--format", "jsonl"], ["report"],
                                     ["kpis", "--format", "csv"]])
def test_output_to_a_folder_or_missing_folder(ingest, stored, tmp_path, command):
    folder = tmp_path / "out"
    folder.mkdir()
    (tmp_path / "afile").write_text("")
    for target, expected in [(folder, "folder"), (tmp_path / "afile" / "x.out", "is a file")]:
        result = cxtext(*command, "--db", ingest.db, "--out", target)
        assert result.exit_code == 2 and "Traceback" not in result.output
        assert expected in " ".join(result.output.split())


def test_output_to_a_read_only_place(ingest, stored, tmp_path, monkeypatch):
    from cxtext import paths as output_paths

    read_only = {tmp_path, tmp_path / "x.csv"}  # as a non-root user would find them
    monkeypatch.setattr(output_paths.os, "access", lambda path, mode: Path(path) not in read_only)
    message = failed(cxtext("export", "--db", ingest.db, "--format", "csv", "--out", tmp_path / "x.csv"))
    assert "read-only" in message


# --- silent loss, now reported or refused -------------------------------------------------


@pytest.mark.parametrize("source", ["survey", "reviews", "social"])
def test_unclosed_quote_names_the_line_it_opened_on(ingest, stored, tmp_path, source):
    content = 'id,nps,text,rating,likes\n1,9,"Lovely staff,5,1\n2,3,Slow refund,1,0\n3,8,Fine,4,2\n'
    message = failed(ingest(write(tmp_path, content), "--source", source))
    assert "line 2" in message and "never closed" in message
    assert ingest.state() == stored


def test_duplicate_ids_are_refused_with_both_rows(ingest, stored, tmp_path):
    content = "Response ID,NPS,Comment\n7,9,Great\n8,5,Meh\n7,3,Terrible\n"
    message = failed(ingest(write(tmp_path, content), "--source", "survey"))
    assert "rows 2 and 4" in message and "--on-duplicate" in message
    assert ingest.state() == stored


@pytest.mark.parametrize("policy, kept", [("keep-first", "Great"), ("keep-last", "Terrible")])
def test_duplicate_ids_kept_on_request(ingest, tmp_path, policy, kept):
    content = "Response ID,NPS,Comment\n7,9,Great\n8,5,Meh\n7,3,Terrible\n"
    result = ingest(write(tmp_path, content), "--source", "survey", "--on-duplicate", policy)
    assert result.exit_code == 0, result.output
    assert result.summary["records_new"] == 2 and result.summary["records_unchanged"] == 0
    assert any("rows 2 and 4" in note for note in result.summary["notes"])
    texts = {r.text for r in ingest.records()}
    assert texts == {kept, "Meh"}


@pytest.mark.parametrize("raw", ["1e1", "9.5", "10.5"])
def test_nps_must_be_a_whole_number(ingest, tmp_path, raw):
    result = ingest(write(tmp_path, f"Response ID,NPS,Comment\n1,{raw},Nice\n2,9,Good\n"), "--source", "survey")
    assert result.exit_code == 0, result.output
    (issue,) = result.summary["issues"]
    assert "row 2" in issue and raw in issue
    scores = {r.text: r.scores for r in ingest.records()}
    assert scores == {"Nice": {}, "Good": {"nps": 9.0}}


def test_extra_sheets_get_a_note_and_sheet_reads_them(ingest, tmp_path):
    from openpyxl import Workbook

    workbook = Workbook()
    workbook.active.title = "Q1"
    workbook.active.append(["Response ID", "NPS", "Comment"])
    workbook.active.append([1, 9, "First sheet"])
    second = workbook.create_sheet("Q2")
    second.append(["Response ID", "NPS", "Comment"])
    second.append([2, 3, "Second sheet"])
    path = tmp_path / "two.xlsx"
    workbook.save(path)
    result = ingest(path, "--source", "survey")
    assert result.exit_code == 0
    assert any("'Q2'" in note and "--sheet" in note for note in result.summary["notes"])
    assert ingest(path, "--source", "survey", "--sheet", "Q2").exit_code == 0
    assert {r.text for r in ingest.records()} == {"First sheet", "Second sheet"}


@pytest.mark.parametrize("source", ["survey", "reviews", "social"])
def test_header_only_file_gets_a_note(ingest, tmp_path, source):
    result = ingest(write(tmp_path, "id,nps,text,rating,likes\n"), "--source", source)
    assert result.exit_code == 0, result.output
    assert result.summary["records_new"] == 0
    assert any("no records" in note for note in result.summary["notes"])


def test_nul_and_control_characters_are_removed_and_counted(ingest, tmp_path):
    result = ingest(write(tmp_path, "Response ID,Comment\n1,Nul\x00here\x01\n2,Bell\x07 too\n"), "--source", "survey")
    assert result.exit_code == 0, result.output
    notes = result.summary["notes"]
    assert "1 NUL character(s) removed" in notes and "2 other control character(s) removed" in notes
    assert {r.text for r in ingest.records()} == {"Nulhere", "Bell too"}


def test_json_list_in_a_review_text_is_an_issue(ingest, tmp_path):
    path = write(tmp_path, '[{"id": "1", "rating": 5, "text": ["list"]}, {"id": "2", "rating": 4, "text": "ok"}]',
                 "reviews.json")
    result = ingest(path, "--source", "reviews")
    assert result.exit_code == 0
    (issue,) = result.summary["issues"]
    assert "row 1" in issue and "JSON list" in issue
    assert [r.text for r in ingest.records()] == ["ok"]


# --- messages that used to mislead --------------------------------------------------------


def test_cp1252_is_named_as_cp1252(ingest, tmp_path):
    path = write(tmp_path, "Response ID,Comment\n1,Tr\xe8s bien, caf\xe9 ferm\xe9\n".replace(", ", " ").encode("cp1252"))
    message = failed(ingest(path, "--source", "survey"))
    assert "cp1252" in message and "cp775" not in message


def test_bad_byte_is_reported_on_its_line(ingest, tmp_path):
    path = write(tmp_path, b"Response ID,Comment\n1,Good\n2,Caf\xe9\n3,Fine\n")
    message = failed(ingest(path, "--source", "survey", "--encoding", "utf-8"))
    assert "line 3" in message and "line 0" not in message


def test_huge_header_is_not_echoed(ingest, tmp_path):
    header = "x" * 200_000
    message = failed(ingest(write(tmp_path, f"{header},other\n1,2\n"), "--source", "survey"))
    assert len(message) < 2_000


def test_unreadable_file_in_a_folder_when_the_os_refuses(ingest, stored, tmp_path, monkeypatch):
    """The same as above for any user (root reads everything): the OS refusal is simulated."""
    import builtins

    folder = tmp_path / "interviews"
    folder.mkdir()
    (folder / "a.txt").write_text("Interviewer: Hi\nParticipant: The app is slow.\n")
    (folder / "b.txt").write_text("Interviewer: Hi\nParticipant: Fine.\n")
    real_open = builtins.open

    def refusing_open(file, *args, **kwargs):
        if str(file).endswith("b.txt"):
            raise PermissionError(13, "Permission denied", str(file))
        return real_open(file, *args, **kwargs)

    with monkeypatch.context() as patch:
        patch.setattr(builtins, "open", refusing_open)
        message = failed(ingest(folder, "--source", "transcripts"))
    assert "cannot be read" in message and "b.txt" in message and "Permission denied" in message
    assert ingest.state() == stored


def test_email_customer_ids_get_a_note(ingest, tmp_path):
    result = ingest(write(tmp_path, "Response ID,email,Comment\n1,jane@example.com,Fine\n"), "--source", "survey")
    assert result.exit_code == 0, result.output
    assert any("are email addresses" in note and "--redact" in note for note in result.summary["notes"])
