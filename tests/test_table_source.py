"""A third-party table source in about 50 lines, on the public skeleton ``cxtext.sourcing.TableSource``.

The source below uses only the public API (``cxtext.sourcing``, ``cxtext.records``,
``cxtext.errors``, ``cxtext.hookspecs``), is registered with the plugin manager the
way an installed plugin is, and is then ingested into a store like any other source.
It is the example in ``docs/plugin-authors.md``.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from cxtext.errors import InputError
from cxtext.hookspecs import hookimpl
from cxtext.records import Record
from cxtext.sourcing import ReadContext, Table, TableRow, TableSource, header_names

# --- the plugin: what a third party writes ---------------------------------------------

PRIORITIES = ("low", "normal", "high", "urgent")


class TicketsSource(TableSource):
    """Support tickets: subject, body, priority, created, and a CSAT score when the export has one."""

    name = "tickets"
    kind = "survey"
    description = "Support tickets (subject, body, priority, created) from CSV, TSV or XLSX"
    # Header names this source's files use, tried before the host's synonyms.
    column_names = {"id": ("ticket",), "title": ("subject",), "text": ("body",), "date": ("created",),
                    "customer": ("requester",)}
    auto_segments = ("priority",)
    auto_scores = ("csat",)

    def sniff_score(self, rows: list[list[Any]]) -> float:
        return 0.95 if {"subject", "body", "priority"} <= header_names(rows) else 0.0

    def row_records(self, row: TableRow, table: Table) -> Iterator[Record]:
        segments = row.fields()["segments"]
        priority = segments.pop("priority", "").lower()
        if priority in PRIORITIES:
            segments["priority"] = priority
        elif priority:  # a bad value in a good row: reported and dropped, the row is kept
            table.context.issue(table.path, row.number, table.columns.segments["priority"],
                                f"priority {priority!r} is not one of {', '.join(PRIORITIES)}; value dropped")
        body = "\n\n".join(t for t in map(row.text, table.columns.text) if t)
        text = body or row.text(table.columns.title)  # a ticket with only a subject is still a ticket
        if text:
            yield self.record(row, text, segments=segments, touchpoint="support")


class TicketsPlugin:
    @hookimpl
    def register_sources(self):
        return [TicketsSource()]


# --- its tests ---------------------------------------------------------------------------

TICKETS = """\
ticket,subject,body,priority,created,requester,csat,team
T-1,Refund missing,I was promised a refund two weeks ago and nothing arrived.,High,25/03/2024,c-17,2,billing
T-2,Login loop,"The app logs me out
every time I open it.",urgent,02/04/2024,c-18,11,
T-3,Thanks!,,Low,03/04/2024,c-19,5,support
T-4,,,normal,04/04/2024,c-20,,
T-5,Where is my parcel,Tracking has said 'in transit' for ten days.,someday,05/04/2024,c-21,abc,logistics
"""


@pytest.fixture
def store(tmp_path):
    from cxtext.store import Store

    with Store(tmp_path / "cx.db") as store:
        yield store


@pytest.fixture(autouse=True)
def tickets_plugin(monkeypatch):
    """The survey plugin from its entry point, and the tickets plugin registered as an installed one would be."""
    from cxtext import plugins
    from cxtext.testing import load_only

    load_only(monkeypatch, "survey")
    plugins.get_plugin_manager().register(TicketsPlugin(), name="tickets")
    yield
    plugins.get_plugin_manager.cache_clear()


def write(tmp_path, text: str, name: str = "tickets.csv"):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def ingest(store, path, **kwargs):
    from cxtext.ingest import ingest_path

    return ingest_path(store, path, **kwargs)


def test_registered_like_an_installed_plugin():
    from cxtext import plugins

    sources = plugins.sources()
    assert sorted(sources) == ["survey", "tickets"]
    assert isinstance(sources["tickets"], TicketsSource)


def test_sniffing_picks_the_tickets_source(tmp_path, store):
    path = write(tmp_path, TICKETS)
    assert TicketsSource().sniff(path) == 0.95
    result = ingest(store, path)  # no --source: sniffing chooses tickets over survey
    assert result.source == "tickets"


def test_records_dates_segments_and_scores(tmp_path, store):
    result = ingest(store, write(tmp_path, TICKETS), source="tickets")
    records = {r.source_id: r for r in store.iter_records()}
    assert sorted(records) == ["T-1", "T-2", "T-3", "T-5"]  # T-4 has neither subject nor body
    refund = records["T-1"]
    assert refund.source_kind == "survey" and refund.dataset == "tickets"
    assert refund.text == "I was promised a refund two weeks ago and nothing arrived."
    assert refund.metadata == {"title": "Refund missing", "team": "billing"}
    assert refund.created_at == "2024-03-25T00:00:00"  # 25/03 proves the file is day-first
    assert refund.segments == {"priority": "high"}
    assert refund.scores == {"csat": 2.0}
    assert refund.customer_id == "c-17" and refund.touchpoint == "support" and refund.source_row == 2
    login = records["T-2"]
    assert login.text == "The app logs me out\nevery time I open it."  # a quoted line break stays in the text
    assert login.created_at == "2024-04-02T00:00:00"  # day-first, not 4 February
    assert login.segments == {"priority": "urgent"} and login.scores == {}  # CSAT 11 is out of range
    assert login.source_row == 3  # the spreadsheet row, though the row before spans two lines
    assert records["T-3"].text == "Thanks!"  # subject only: the subject is the text
    assert records["T-5"].segments == {} and records["T-5"].scores == {}
    issues = [(i.row, i.column, i.message) for i in result.issues]
    assert [(row, column) for row, column, _ in issues] == [(3, "csat"), (6, "csat"), (6, "priority")]
    assert "outside 1-5" in issues[0][2] and "'someday' is not one of low" in issues[2][2]
    assert "1 row without text skipped" in result.notes
    assert "dates in 'created' read day-first" in result.notes
    assert "priority segment: 'priority' (auto-detected)" in result.notes


def test_same_file_twice_adds_nothing(tmp_path, store):
    path = write(tmp_path, TICKETS)
    ingest(store, path, source="tickets")
    again = ingest(store, path, source="tickets")
    assert store.count_records() == 4 and again.records_new == 0 and again.records_unchanged == 4


def test_a_mapping_overrides_detection(tmp_path, store):
    from cxtext.sourcing import ColumnMapping

    context = ReadContext(mapping=ColumnMapping(text=["subject"], segments=["team"], date_format="monthfirst"))
    ingest(store, write(tmp_path, TICKETS.replace("25/03/2024", "03/25/2024")), source="tickets", context=context)
    records = {r.source_id: r for r in store.iter_records()}
    assert records["T-1"].text == "Refund missing"
    assert records["T-1"].segments == {"team": "billing", "priority": "high"}
    assert records["T-1"].created_at == "2024-03-25T00:00:00"
    assert records["T-2"].created_at == "2024-02-04T00:00:00"  # month-first, as mapped
    assert "body" in records["T-1"].metadata  # an unused column goes to metadata


def test_a_bad_row_names_the_file_and_row(tmp_path, store):
    path = write(tmp_path, TICKETS + "T-6,Broken,a row with,one field,too many,01/05/2024,c-22,4,x\n")
    with pytest.raises(InputError) as caught:
        ingest(store, path, source="tickets")
    assert caught.value.path == str(path) and caught.value.row == 7
    assert "9 fields, more than the header's 8" in str(caught.value)
    assert store.count_records() == 0  # one transaction: nothing from the file is kept


def test_bad_input_through_the_cli_leaves_the_store_unchanged(tmp_path):
    from cxtext.testing import IngestRunner

    runner = IngestRunner(tmp_path / "cli.db")
    assert runner(write(tmp_path, TICKETS), "--source", "tickets").exit_code == 0
    before = runner.state()
    bad = write(tmp_path, TICKETS.replace("T-3,Thanks!,,", 'T-3,"Thanks!,,'), "bad.csv")
    result = runner(bad, "--source", "tickets")
    assert result.exit_code == 2 and "Traceback" not in result.output
    assert "bad.csv" in result.output and "line 5" in result.output
    assert runner.state() == before


def test_ambiguous_dates_ask_for_a_format(tmp_path, store):
    text = TICKETS.replace("25/03/2024", "01/03/2024")
    with pytest.raises(InputError) as caught:
        ingest(store, write(tmp_path, text), source="tickets")
    assert caught.value.column == "created" and "--date-format" in str(caught.value)


def test_unknown_option_and_wrong_file_are_input_errors(tmp_path, store):
    path = write(tmp_path, TICKETS)
    with pytest.raises(InputError, match="unknown option"):
        ingest(store, path, source="tickets", context=ReadContext(options={"sheeet": "Tickets"}))
    with pytest.raises(InputError, match="reads delimited text and Excel files only"):
        ingest(store, write(tmp_path, "{}", "tickets.json"), source="tickets")


def test_no_text_column_is_an_input_error(tmp_path, store):
    with pytest.raises(InputError, match="no text column found") as caught:
        ingest(store, write(tmp_path, "ticket,priority\nT-1,high\nT-2,low\n"), source="tickets")
    assert caught.value.row == 1


def test_the_docs_show_this_source():
    """docs/plugin-authors.md shows the source tested here, line for line."""
    import inspect
    from pathlib import Path

    docs = (Path(__file__).parents[1] / "docs" / "plugin-authors.md").read_text(encoding="utf-8")
    section = docs.split("## A table source in about 50 lines", 1)[1].split("\n## ", 1)[0]
    example = section.split("```python\n", 1)[1].split("```", 1)[0]
    assert inspect.getsource(TicketsSource) in example
    assert "from cxtext.sourcing import Table, TableRow, TableSource, header_names" in example


class NotesSource(TableSource):
    """The skeleton with nothing overridden but the names: every default at work."""

    name = "notes"
    kind = "survey"
    description = "Notes"


def test_the_defaults_read_a_workbook(tmp_path):
    from datetime import datetime

    from openpyxl import Workbook

    workbook = Workbook()
    sheet = workbook.active
    sheet.append(["id", "title", "comment", "date", "nps", "region"])
    sheet.append([1.0, "Slow", "The queue took an hour.", datetime(2024, 5, 6, 9, 30), 3, "North"])
    sheet.append([2.0, "Fast", "Done in minutes", "13/05/2024", "9 - Extremely likely"])  # a short row
    sheet.append([3.0, "Only a title"])
    workbook.save(tmp_path / "notes.xlsx")
    context = ReadContext()
    records = list(NotesSource().read(tmp_path / "notes.xlsx", context))
    assert [(r.source_id, r.text) for r in records] == [("1", "The queue took an hour."), ("2", "Done in minutes")]
    slow, fast = records
    assert slow.metadata == {"title": "Slow", "nps": 3, "region": "North"}  # nps is not a score it looks for
    assert slow.created_at == "2024-05-06T09:30:00" and fast.created_at == "2024-05-13T00:00:00"
    assert fast.metadata == {"title": "Fast", "nps": "9 - Extremely likely"}
    assert "2 rows without text skipped" not in context.notes and "1 row without text skipped" in context.notes
    assert NotesSource().sniff(tmp_path / "notes.xlsx") == 0.0  # the default claims no file
