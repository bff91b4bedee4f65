"""Trying a subset first (--limit, --sample --seed) and plain progress lines when output is not a terminal."""

from __future__ import annotations

import time
from dataclasses import dataclass

import pytest
from click.testing import CliRunner

from cxtext import plugins
from cxtext.analyze import analyze_store
from cxtext.cli import cli
from cxtext.errors import InputError
from cxtext.progress import PlainProgress, format_duration, interval_from_env
from cxtext.records import Record
from cxtext.signals import Signal
from cxtext.store import Store


@dataclass
class CountingAnalyzer:
    """A tiny analyzer (no model): one signal per sentence."""

    name: str = "counter"
    version: str = "counter-1"
    model: str = "counting-model"
    needs_embeddings: bool = False

    def load(self):
        pass

    def process(self, docs):
        return [Signal(record_id=d.record_id, sentence_id=s.id, kind="count", score=len(s.text))
                for d in docs for s in d.sentences]


def fill(store, n=20):
    items = [Record("survey", f"The wait was awful, number {i}.", "demo", source_id=str(i)) for i in range(n)]
    store.ingest(iter(items), path="x", source="survey", dataset="demo", file_sha256="0")


def analysed(store, analyzer="counter") -> list[str]:
    """Source ids of the records this analyzer has done, in store order."""
    return [row[0] for row in store.conn.execute(
        "select r.source_id from records r join analysis_log a on a.record_id = r.id"
        " where a.analyzer = ? order by r.rowid", [analyzer])]


def test_limit_takes_the_first_pending_records_and_the_next_run_goes_on(store):
    fill(store)
    summary = analyze_store(store, available={"counter": CountingAnalyzer()}, limit=5)
    assert summary == {"sentences": 5, "counter": 5}
    assert analysed(store) == [str(i) for i in range(5)]
    assert analysed(store, "sentences") == [str(i) for i in range(5)]  # only the subset was split
    analyze_store(store, available={"counter": CountingAnalyzer()}, limit=5)
    assert analysed(store) == [str(i) for i in range(10)]


def test_limit_counts_records_pending_for_any_stage(store):
    fill(store, 6)
    analyze_store(store, available={"counter": CountingAnalyzer()}, limit=2)
    # A second analyzer has done nothing: the first two records are pending for it.
    summary = analyze_store(store, available={"counter": CountingAnalyzer(), "other": CountingAnalyzer(name="other")},
                            limit=3)
    assert summary == {"sentences": 1, "counter": 1, "other": 3}
    assert analysed(store, "other") == ["0", "1", "2"]
    assert analysed(store) == ["0", "1", "2"]


def test_sample_is_seeded_and_drawn_from_pending_records(tmp_path):
    def draw(name, seed):
        with Store(tmp_path / f"{name}.db") as store:
            fill(store)
            analyze_store(store, available={"counter": CountingAnalyzer()}, sample=6, seed=seed)
            return analysed(store)

    first, again, other = draw("a", 7), draw("b", 7), draw("c", 8)
    assert len(first) == 6 and first == again
    assert first != other
    assert first != [str(i) for i in range(6)]  # not simply the first six
    assert sorted(first, key=int) == first  # processed in store order


def test_sample_larger_than_pending_takes_them_all(store):
    fill(store, 4)
    assert analyze_store(store, available={"counter": CountingAnalyzer()}, sample=50)["counter"] == 4


@pytest.mark.parametrize("options", [{"limit": 0}, {"sample": -1}, {"limit": 2, "sample": 2}])
def test_bad_subset_options_are_clear_errors(store, options):
    fill(store, 2)
    with pytest.raises(InputError):
        analyze_store(store, available={"counter": CountingAnalyzer()}, **options)


@dataclass
class SlowAnalyzer(CountingAnalyzer):
    delay: float = 0.02

    def process(self, docs):
        time.sleep(self.delay)
        return super().process(docs)


@pytest.fixture
def cli_store(tmp_path, monkeypatch):
    path = tmp_path / "cx.db"
    with Store(path) as store:
        fill(store)
    monkeypatch.setattr(plugins, "analyzers", lambda config=None, pm=None: {"counter": SlowAnalyzer()})
    return path


def test_cli_limit_and_sample(cli_store):
    runner = CliRunner()
    result = runner.invoke(cli, ["analyze", "--db", str(cli_store), "--limit", "3"])
    assert result.exit_code == 0, result.output
    assert "counter: 3 records analysed" in result.output
    result = runner.invoke(cli, ["analyze", "--db", str(cli_store), "--sample", "4", "--seed", "1"])
    assert result.exit_code == 0, result.output
    assert "counter: 4 records analysed" in result.output
    with Store(cli_store) as store:
        assert len(analysed(store)) == 7


@pytest.mark.parametrize("args", [["--limit", "2", "--sample", "2"], ["--seed", "3"], ["--limit", "0"]])
def test_cli_rejects_bad_subset_options(cli_store, args):
    result = CliRunner().invoke(cli, ["analyze", "--db", str(cli_store), *args])
    assert result.exit_code == 2
    assert "Traceback" not in result.output


def test_cli_prints_progress_lines_when_not_a_terminal(cli_store, monkeypatch):
    monkeypatch.setenv("CXTEXT_PROGRESS_SECONDS", "0.03")
    result = CliRunner().invoke(cli, ["analyze", "--db", str(cli_store), "--batch-size", "2"])
    assert result.exit_code == 0, result.output
    lines = [line for line in result.stderr.splitlines() if line.startswith("Analysing: counter:")]
    assert len(lines) >= 2, result.stderr  # 10 batches of 20 ms: several intervals
    assert "records/s, ETA" in lines[0]
    assert lines[-1].startswith("Analysing: counter: 20/20 records (100%)") and "done in" in lines[-1]
    assert "counter: 20 records analysed" in result.stdout  # the summary stays on stdout


def test_cli_is_quiet_when_progress_is_off(cli_store, monkeypatch):
    monkeypatch.setenv("CXTEXT_PROGRESS_SECONDS", "off")
    result = CliRunner().invoke(cli, ["analyze", "--db", str(cli_store), "--batch-size", "2"])
    assert result.exit_code == 0, result.output
    assert result.stderr == ""


def test_plain_progress_waits_an_interval_between_lines():
    now = [0.0]
    lines = []
    progress = PlainProgress(write=lines.append, interval=5, clock=lambda: now[0])
    task = progress.add_task("Analysing: x", total=100)
    for _ in range(9):  # 9 records, one per second
        now[0] += 1
        progress.advance(task)
    assert lines == ["Analysing: x: 5/100 records (5%), 1.0 records/s, ETA 1m 35s"]
    untotalled = progress.add_task("Ingesting a.csv")
    now[0] += 2
    progress.advance(untotalled, 30)
    assert lines[-1] == "Ingesting a.csv: 30 records, 15.0 records/s"


def test_progress_interval_and_durations(monkeypatch):
    monkeypatch.setenv("CXTEXT_PROGRESS_SECONDS", "2.5")
    assert interval_from_env() == 2.5
    for off in ("off", "0"):
        monkeypatch.setenv("CXTEXT_PROGRESS_SECONDS", off)
        assert interval_from_env() is None
    monkeypatch.delenv("CXTEXT_PROGRESS_SECONDS")
    assert interval_from_env() == 5.0
    assert [format_duration(s) for s in (42, 372, 7500)] == ["42s", "6m 12s", "2h 05m"]


def test_progress_bar_is_rich_on_a_terminal_and_plain_elsewhere(monkeypatch):
    from rich.console import Console
    from rich.progress import Progress

    from cxtext import console as cli_module  # the CLI uses cxtext.console's bar

    monkeypatch.setenv("CXTEXT_PROGRESS_SECONDS", "5")
    monkeypatch.setattr(cli_module, "console", Console(stderr=True, force_terminal=True))
    assert isinstance(cli_module.progress_bar(), Progress)
    monkeypatch.setattr(cli_module, "console", Console(stderr=True, force_terminal=False))
    assert isinstance(cli_module.progress_bar(), PlainProgress)
    monkeypatch.setenv("CXTEXT_PROGRESS_SECONDS", "off")
    assert cli_module.progress_bar().disable  # a rich bar that draws nothing
