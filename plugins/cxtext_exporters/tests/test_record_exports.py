"""JSON Lines, CSV and Parquet exports of records with their signals."""

from __future__ import annotations

import json

import pandas as pd
import pyarrow.parquet as pq
import pytest
from click.testing import CliRunner

from cxtext import plugins
from cxtext_exporters.record_files import CsvExporter, JsonlExporter, ParquetExporter


@pytest.fixture
def only_exporters(monkeypatch):
    """Load just this plugin through its entry point (others may be mid-change)."""
    monkeypatch.setenv(plugins.ALLOW_LIST_ENV, "exporters")
    plugins.get_plugin_manager.cache_clear()
    yield
    plugins.get_plugin_manager.cache_clear()


def test_exporters_are_registered(only_exporters):
    available = plugins.exporters()
    assert {"jsonl", "csv", "parquet", "kpis-csv", "kpis-parquet"} <= set(available)
    for exporter in available.values():
        assert exporter.extension.startswith(".") and exporter.description


def test_jsonl_has_every_field_and_every_signal_grouped_by_kind(analysed_store, records, tmp_path, project_of):
    out = tmp_path / "out.jsonl"
    assert JsonlExporter().export(project_of(analysed_store), out) == 4
    documents = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    by_id = {d["id"]: d for d in documents}
    billing = by_id[records[0].id]
    assert billing["scores"] == {"nps": 2, "csat": 1, "ces": 2}
    assert billing["segments"] == {"plan": "Essential", "region": "North"}
    assert billing["metadata"] == {"wave": 3, "tags": ["migration"]}
    assert set(billing["signals"]) == {"language", "sentiment", "theme", "effort", "effort_score", "emotion", "toxicity_span"}
    assert [s["label"] for s in billing["signals"]["theme"]] == ["billing_error", "billing_error", "hold_time"]
    assert billing["signals"]["sentiment"][0]["data"]["probs"]["negative"] == 0.93
    assert billing["signals"]["effort"][0]["data"]["evidence"] == "waited 40 minutes on hold"
    assert billing["signals"]["emotion"][0] | {"analyzer": "emotions"} == billing["signals"]["emotion"][0]
    assert [s["text"] for s in billing["sentences"]] == ["Billed twice, again", "I waited 40 minutes on hold"]
    french = by_id[records[3].id]
    assert set(french["signals"]) == {"language"} and french["role"] == "participant"
    assert by_id[records[1].id]["text"] == records[1].text  # quotes and markup kept as data


def test_jsonl_without_sentences(analysed_store, tmp_path, project_of):
    out = tmp_path / "out.jsonl"
    JsonlExporter().export(project_of(analysed_store), out, sentences=False)
    assert all("sentences" not in json.loads(line) for line in out.read_text().splitlines())


def test_csv_flattens_fields_and_record_level_signals(analysed_store, records, tmp_path, project_of):
    out = tmp_path / "out.csv"
    assert CsvExporter().export(project_of(analysed_store), out) == 4
    frame = pd.read_csv(out, encoding="utf-8-sig", keep_default_na=False).set_index("id")
    for column in ("segment_plan", "segment_region", "score_nps", "score_rating", "engagement_likes",
                   "engagement_helpful_votes", "meta_title", "language_label", "sentiment_label", "sentiment_score",
                   "theme_labels", "theme_scores", "effort_score", "effort_score_label", "effort_labels", "effort_count"):
        assert column in frame.columns, column
    billing = frame.loc[records[0].id]
    assert billing["theme_labels"] == "billing_error;hold_time"
    assert billing["theme_scores"] == "0.91;0.77"
    assert (billing["sentiment_label"], float(billing["sentiment_score"])) == ("negative", -0.9)
    assert (billing["effort_score_label"], float(billing["effort_score"])) == ("high_effort", 1.8)
    assert (billing["effort_labels"], int(billing["effort_count"])) == ("waiting;repeat_contact", 2)
    assert billing["meta_tags"] == '["migration"]'
    assert frame.loc[records[1].id]["text"] == records[1].text  # commas, quotes, markup survive
    french = frame.loc[records[3].id]
    assert (french["language_label"], french["sentiment_label"], int(french["effort_count"])) == ("fr", "", 0)
    assert list(frame.columns)[-1] == "text"


def test_csv_picks_up_a_signal_kind_no_plugin_knows(analysed_store, records, tmp_path, project_of):
    out = tmp_path / "out.csv"
    CsvExporter().export(project_of(analysed_store), out)
    frame = pd.read_csv(out, encoding="utf-8-sig", keep_default_na=False).set_index("id")
    assert (frame.loc[records[0].id, "emotion_label"], float(frame.loc[records[0].id, "emotion_score"])) == ("anger", 0.7)
    assert frame.loc[records[0].id, "toxicity_span_labels"] == "insult"
    assert frame.loc[records[1].id, "emotion_label"] == ""


def test_parquet_has_the_csv_columns_with_types(analysed_store, records, tmp_path, project_of):
    CsvExporter().export(project_of(analysed_store), tmp_path / "out.csv")
    assert ParquetExporter().export(project_of(analysed_store), tmp_path / "out.parquet") == 4
    table = pq.read_table(tmp_path / "out.parquet")
    csv_columns = list(pd.read_csv(tmp_path / "out.csv", encoding="utf-8-sig", nrows=0).columns)
    assert table.column_names == csv_columns
    types = {field.name: str(field.type) for field in table.schema}
    assert types["score_nps"] == "double" and types["engagement_likes"] == "int64"
    assert types["sentiment_score"] == "double" and types["effort_count"] == "int64"
    frame = table.to_pandas().set_index("id")
    assert frame.loc[records[2].id, "engagement_likes"] == 12
    assert frame.loc[records[0].id, "theme_labels"] == "billing_error;hold_time"


@pytest.mark.parametrize("exporter", [JsonlExporter(), CsvExporter(), ParquetExporter()], ids=lambda e: e.format)
def test_chunked_streaming_gives_the_same_file(analysed_store, tmp_path, exporter, project_of):
    whole, chunked = tmp_path / f"a{exporter.extension}", tmp_path / f"b{exporter.extension}"
    exporter.export(project_of(analysed_store), whole)
    exporter.export(project_of(analysed_store), chunked, chunk_size=1)
    if exporter.format == "parquet":
        assert pq.read_table(whole).equals(pq.read_table(chunked))
    else:
        assert whole.read_bytes() == chunked.read_bytes()


@pytest.mark.parametrize("exporter", [JsonlExporter(), CsvExporter(), ParquetExporter()], ids=lambda e: e.format)
def test_empty_store_exports_an_empty_file(store, tmp_path, exporter, project_of):
    out = tmp_path / f"empty{exporter.extension}"
    assert exporter.export(project_of(store), out) == 0
    assert out.exists()
    assert not list(tmp_path.glob(".*.partial"))


def test_cli_export(analysed_store, tmp_path, only_exporters):
    from cxtext.cli import cli

    out = tmp_path / "cli.csv"
    result = CliRunner().invoke(cli, ["export", "--db", str(analysed_store.path), "--format", "csv", "--out", str(out)])
    assert result.exit_code == 0, result.output
    assert "Wrote 4 rows" in result.output
    assert len(pd.read_csv(out, encoding="utf-8-sig")) == 4
