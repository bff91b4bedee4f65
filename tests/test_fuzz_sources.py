"""Property tests: any file, any option, any encoding gives records or a clean error, never a crash.

For every source plugin, hypothesis writes random files (broken quoting, odd
delimiters, wrong types, random bytes and encodings, random JSON) and ingests them.
Only two outcomes are allowed: an import, or an :class:`InputError` with the store
exactly as it was. Any other exception is a bug.

CI runs a fixed, derandomised set of ``CXTEXT_FUZZ_EXAMPLES`` (default 200) examples per
source. The nightly mode explores new examples on every run::

    HYPOTHESIS_PROFILE=nightly CXTEXT_FUZZ_EXAMPLES=5000 pytest tests/test_fuzz_sources.py
"""

from __future__ import annotations

import csv
import io
import json
import os
import tempfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, settings
from hypothesis.database import DirectoryBasedExampleDatabase
from hypothesis import strategies as st
from hypothesis import given

from cxtext import plugins
from cxtext.errors import InputError
from cxtext.ingest import ingest_path
from cxtext.sourcing import ReadContext
from cxtext.store import Store
from cxtext.testing import load_only

EXAMPLES = int(os.environ.get("CXTEXT_FUZZ_EXAMPLES", "200"))
settings.register_profile("ci", max_examples=EXAMPLES, derandomize=True, deadline=None, print_blob=True,
                          database=None, suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow,
                                                 HealthCheck.data_too_large])
# Nightly: new random examples each run; failures are kept in .hypothesis/ to replay.
settings.register_profile("nightly", parent=settings.get_profile("ci"), derandomize=False,
                          database=DirectoryBasedExampleDatabase(".hypothesis/examples"))
PROFILE = settings.get_profile(os.environ.get("HYPOTHESIS_PROFILE", "ci"))

COLUMNS = ["id", "Response ID", "NPS", "nps", "csat", "ces", "Comment", "text", "review text", "title", "rating",
           "stars", "date", "created_at", "likes", "retweets", "lang", "customer id", "touchpoint", "tweet_id",
           "", "x" * 50]
CELL = st.one_of(
    st.text(max_size=30),
    st.sampled_from(["9", "10", "1e1", "9.5", "-3", "11", "", "NaN", '"', '""', "2024-01-02", "01/02/2024",
                     "1700000000", "=1+1", "\x00", "\ud800", "yes", "en", "[1,2]", '{"a": 1}']),
)
ENCODINGS = ["utf-8", "utf-8-sig", "utf-16", "utf-16-le", "cp1252", "latin-1"]
OPTION_ENCODINGS = [None, None, None, "utf-8", "cp1252", "utf-16", "utf-16-le", "no-such-encoding"]
DELIMITERS = [None, None, None, ",", ";", "\t", "|", "ab", "", '"']


@pytest.fixture(scope="module")
def store_dir():
    with tempfile.TemporaryDirectory() as folder:
        yield Path(folder)


@pytest.fixture(autouse=True)
def sources_only(monkeypatch):
    load_only(monkeypatch, "survey", "reviews", "social", "transcripts")
    yield
    plugins.get_plugin_manager.cache_clear()


def state(store: Store) -> tuple[int, int]:
    return store.count_records(), store.conn.execute("select count(*) from imports").fetchone()[0]


#: Examples run per test, to check that the bound is really reached.
RUNS: dict[str, int] = {}


def ingest_or_clean_error(store: Store, path: Path, source: str, context: ReadContext) -> None:
    """The property: an import, or an InputError that leaves the store as it was."""
    RUNS[str(store.path)] = RUNS.get(str(store.path), 0) + 1
    before = state(store)
    try:
        result = ingest_path(store, path, source=source, context=context, on_duplicate="keep-last")
    except InputError as exc:
        assert str(exc).strip() and "\n\n" not in str(exc)
        assert state(store) == before
        return
    assert 0 <= result.records_new <= result.rows_read
    assert state(store)[1] == before[1] + 1


def ran_all(store: Store, wanted: int = EXAMPLES) -> None:
    assert RUNS.get(str(store.path), 0) >= wanted


@st.composite
def tables(draw) -> tuple[bytes, str | None, str | None]:
    """A CSV-ish file: random header and rows, written properly or joined raw, in a random encoding."""
    header = draw(st.lists(st.sampled_from(COLUMNS), min_size=1, max_size=6))
    rows = draw(st.lists(st.lists(CELL, min_size=0, max_size=len(header) + 1), max_size=6))
    delimiter = draw(st.sampled_from([",", ";", "\t", "|"]))
    if draw(st.booleans()):
        buffer = io.StringIO()
        writer = csv.writer(buffer, delimiter=delimiter, lineterminator=draw(st.sampled_from(["\n", "\r\n", "\r"])))
        writer.writerow(header)
        writer.writerows(rows)
        text = buffer.getvalue()
    else:  # raw join: unbalanced quotes, embedded delimiters and line breaks
        text = "\n".join(delimiter.join(line) for line in [header, *rows]) + draw(st.sampled_from(["", "\n"]))
    if draw(st.integers(0, 9)) == 0:
        data = draw(st.binary(max_size=200))
    else:
        data = text.encode(draw(st.sampled_from(ENCODINGS)), errors="replace")
    return data, draw(st.sampled_from(OPTION_ENCODINGS)), draw(st.sampled_from(DELIMITERS))


JSON_LEAF = st.one_of(st.none(), st.booleans(), st.integers(-5, 20), st.floats(allow_nan=False), CELL)
JSON_KEYS = st.sampled_from(["id", "id_str", "text", "full_text", "body", "title", "selftext", "rating", "stars",
                             "review", "created_at", "created_utc", "lang", "author_id", "public_metrics",
                             "like_count", "score", "subreddit", "data", "includes", "users", "kind",
                             "children", "reviews", "helpful_votes", "user", "note_tweet"])
JSON_VALUE = st.recursive(JSON_LEAF, lambda inner: st.one_of(st.lists(inner, max_size=4),
                                                             st.dictionaries(JSON_KEYS, inner, max_size=6)),
                          max_leaves=25)


@st.composite
def json_files(draw) -> tuple[bytes, str]:
    """A .json document or .jsonl lines of random values with social/review keys, sometimes cut short."""
    values = draw(st.lists(st.dictionaries(JSON_KEYS, JSON_VALUE, max_size=8) | JSON_VALUE, min_size=1, max_size=4))
    if draw(st.booleans()):
        text, suffix = "\n".join(json.dumps(v) for v in values), ".jsonl"
    else:
        text, suffix = json.dumps(values if len(values) > 1 else values[0]), ".json"
    data = text.encode("utf-8")
    if draw(st.integers(0, 5)) == 0:
        data = data[: draw(st.integers(0, len(data)))]
    return data, suffix


def write(folder: Path, name: str, data: bytes) -> Path:
    path = folder / name
    path.write_bytes(data)
    return path


@pytest.mark.parametrize("source", ["survey", "reviews", "social"])
def test_tables_give_records_or_a_clean_error(store_dir, source):
    with Store(store_dir / f"{source}-tables.db") as store:

        @PROFILE
        @given(table=tables(), suffix=st.sampled_from([".csv", ".tsv", ".txt"]))
        def check(table, suffix):
            data, encoding, delimiter = table
            path = write(store_dir, f"{source}{suffix}", data)
            options = {"delimiter": delimiter} if delimiter is not None else {}
            ingest_or_clean_error(store, path, source, ReadContext(encoding=encoding, options=options))

        check()
        ran_all(store)


@pytest.mark.parametrize("source", ["reviews", "social"])
def test_json_gives_records_or_a_clean_error(store_dir, source):
    with Store(store_dir / f"{source}-json.db") as store:

        @PROFILE
        @given(document=json_files(), encoding=st.sampled_from(OPTION_ENCODINGS))
        def check(document, encoding):
            data, suffix = document
            path = write(store_dir, f"{source}{suffix}", data)
            ingest_or_clean_error(store, path, source, ReadContext(encoding=encoding))

        check()
        ran_all(store)


SPEAKER_LINE = st.one_of(
    st.builds(lambda who, said: f"{who}: {said}", st.sampled_from(["Interviewer", "Participant", "P1", "Q", "A", ""]),
              st.text(max_size=40)),
    st.sampled_from(["WEBVTT", "", "00:00:01.000 --> 00:00:02.000", "1", "00:00:01,000 --> 00:00:02,000",
                     "NOTE x", "<v Alice>hello", "\ufeff", "\x00"]),
    st.text(max_size=40),
)


def test_transcripts_give_records_or_a_clean_error(store_dir):
    with Store(store_dir / "transcripts.db") as store:

        @PROFILE
        @given(lines=st.lists(SPEAKER_LINE, max_size=12), suffix=st.sampled_from([".txt", ".vtt", ".srt"]),
               encoding=st.sampled_from(ENCODINGS), read_as=st.sampled_from(OPTION_ENCODINGS),
               options=st.dictionaries(st.sampled_from(["interviewer", "speaker", "merge", "language", "bogus"]),
                                       st.sampled_from(["Interviewer", "yes", "no", "en", "", "xx"]), max_size=2))
        def check(lines, suffix, encoding, read_as, options):
            data = "\n".join(lines).encode(encoding, errors="replace")
            path = write(store_dir, f"interview{suffix}", data)
            ingest_or_clean_error(store, path, "transcripts", ReadContext(encoding=read_as, options=options))

        check()
        ran_all(store)


@pytest.mark.parametrize("source", ["survey", "reviews", "social"])
def test_workbooks_give_records_or_a_clean_error(store_dir, source):
    """Fewer examples: writing a workbook is slow. Cells of any type, sheets, and cut-off files."""
    from openpyxl import Workbook

    with Store(store_dir / f"{source}-xlsx.db") as store:

        @settings(PROFILE, max_examples=max(20, EXAMPLES // 10))
        @given(header=st.lists(st.sampled_from(COLUMNS), min_size=1, max_size=5),
               rows=st.lists(st.lists(st.one_of(CELL.filter(lambda c: "\x00" not in c and "\ud800" not in c),
                                                st.integers(-5, 20), st.floats(allow_nan=False, allow_infinity=False),
                                                st.none()), max_size=6), max_size=5),
               sheet=st.sampled_from([None, "Sheet", "missing"]), cut=st.booleans())
        def check(header, rows, sheet, cut):
            workbook = Workbook()
            for line in [header, *rows]:
                workbook.active.append([_printable(c) for c in line])
            buffer = io.BytesIO()
            workbook.save(buffer)
            data = buffer.getvalue()
            path = write(store_dir, f"{source}.xlsx", data[: len(data) * 2 // 3] if cut else data)
            options = {"sheet": sheet} if sheet else {}
            ingest_or_clean_error(store, path, source, ReadContext(options=options))

        check()
        ran_all(store, max(20, EXAMPLES // 10))


def _printable(cell):
    """openpyxl refuses control characters in cells (an Excel rule), so they are left out here."""
    if isinstance(cell, str):
        return "".join(c for c in cell if c >= " " or c in "\t\n")
    return cell
