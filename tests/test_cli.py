"""The CLI's contract: user errors are one paragraph with exit status 2 and no traceback."""

from click.testing import CliRunner

from cxtext.cli import cli


def test_missing_file_is_a_clear_error(tmp_path):
    result = CliRunner().invoke(cli, ["ingest", str(tmp_path / "nope.csv"), "--db", str(tmp_path / "cx.db")])
    assert result.exit_code == 2
    assert "nope.csv: no such file or folder" in result.output
    assert "Traceback" not in result.output


def test_unknown_source_lists_the_installed_ones(tmp_path):
    path = tmp_path / "a.csv"
    path.write_text("text\nhello\n")
    result = CliRunner().invoke(cli, ["ingest", str(path), "--db", str(tmp_path / "cx.db"), "--source", "fax"])
    assert result.exit_code == 2
    assert "unknown source 'fax'" in result.output and "survey" in result.output


def test_unrecognised_file_asks_for_source(tmp_path):
    path = tmp_path / "notes.pdf"
    path.write_bytes(b"%PDF-1.4 binary")
    result = CliRunner().invoke(cli, ["ingest", str(path), "--db", str(tmp_path / "cx.db")])
    assert result.exit_code == 2
    assert "could not tell what kind of source" in result.output and "--source" in result.output


def test_user_text_in_errors_is_not_rich_markup(tmp_path):
    path = tmp_path / "[bold]evil[/bold].csv"
    result = CliRunner().invoke(cli, ["ingest", str(path), "--db", str(tmp_path / "cx.db")])
    assert "[bold]evil[/bold].csv" in result.output


def test_every_command_has_help():
    for name, command in cli.commands.items():
        result = CliRunner().invoke(cli, [name, "--help"])
        assert result.exit_code == 0, name
        assert command.help, f"{name} has no help text"
