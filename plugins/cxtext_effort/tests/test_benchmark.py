"""The hand-labelled effort benchmark file and the metric code of benchmarks/eval_effort.py."""

import importlib.util
from pathlib import Path

import pandas as pd
import pytest

ROOT = Path(__file__).resolve().parents[3]
LABELS = ROOT / "benchmarks" / "effort" / "nps_effort_labels.csv"
KNOWN = {"repeat_contact", "transfer", "waiting", "multiple_visits", "chasing", "repeat_explaining",
         "channel_switch", "failed_self_service", "difficulty", "other_high", "low_effort"}


def load_eval():
    spec = importlib.util.spec_from_file_location("eval_effort", ROOT / "benchmarks" / "eval_effort.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_labels_file_is_well_formed():
    labels = pd.read_csv(LABELS)
    assert list(labels.columns) == ["row", "sample", "high_effort", "low_effort", "drivers"]
    assert len(labels) >= 200 and labels["row"].is_unique
    assert set(labels["sample"]) == {"systematic", "enriched"}
    for row in labels.itertuples():
        drivers = set(row.drivers.split(";")) if isinstance(row.drivers, str) else set()
        assert drivers <= KNOWN, row
        assert row.high_effort == int(bool(drivers - {"low_effort"}))
        assert row.low_effort == int("low_effort" in drivers)
    assert "text" not in " ".join(labels.columns)  # never the corpus text


@pytest.mark.shared
def test_labelled_rows_exist_in_the_corpus(shared_corpora):
    corpus = pd.read_csv(shared_corpora / "nps_verbatims_textsummary" / "nps_verbatim.csv")
    labels = pd.read_csv(LABELS)
    assert labels["row"].between(0, len(corpus) - 1).all()
    assert set(labels.loc[labels["sample"] == "systematic", "row"]) == set(range(0, len(corpus), 12))


def test_labelled_metrics_counts():
    evaluate = load_eval()
    labels = pd.DataFrame({"row": [0, 1, 2, 3], "sample": ["systematic"] * 4, "high_effort": [1, 1, 0, 0],
                           "low_effort": [0, 0, 1, 0], "drivers": ["waiting", "waiting;transfer", "low_effort", None]})
    predicted = {0: {"waiting"}, 1: {"chasing"}, 2: {"low_effort"}, 3: {"waiting"}}
    rows = {r["metric"]: r for r in evaluate.labelled_metrics(labels, predicted, "m") if r["dataset"].endswith("[all]")}
    assert (rows["driver:waiting"]["tp"], rows["driver:waiting"]["fp"], rows["driver:waiting"]["fn"]) == (1, 1, 1)
    assert rows["any_high_effort"]["precision"] == round(2 / 3, 3) and rows["any_high_effort"]["recall"] == 1.0
    assert rows["low_effort_record"]["f1"] == 1.0
    assert rows["driver:transfer"]["recall"] == 0.0 and rows["driver:transfer"]["precision"] is None


INDEPENDENT = ROOT / "benchmarks" / "effort" / "independent_labels.csv"
RULE_DRIVERS = {"repeat_contact", "transfer", "waiting", "multiple_visits", "chasing", "repeat_explaining",
                "channel_switch", "failed_self_service", "paperwork", "low_effort"}


def test_independent_labels_are_ids_and_labels_only():
    labels = pd.read_csv(INDEPENDENT, dtype={"id": str})
    assert list(labels.columns) == ["source", "id", "stratum", "high_effort", "low_effort", "drivers"]
    assert len(labels) >= 300 and not labels.duplicated(["source", "id"]).any()
    assert set(labels["source"]) == {"twcs", "complaints", "interviews"}
    for row in labels.itertuples():
        drivers = set(row.drivers.split(";")) if isinstance(row.drivers, str) else set()
        assert drivers <= RULE_DRIVERS, row
        assert row.high_effort == int(bool(drivers - {"low_effort"}))


def test_independent_split_is_stable_and_balanced():
    evaluate = load_eval()
    labels = pd.read_csv(INDEPENDENT, dtype={"id": str})
    splits = labels["id"].map(evaluate.independent_split)
    assert set(splits) == {"dev", "test"} and 0.4 < (splits == "dev").mean() < 0.6
    assert evaluate.independent_split("123") == evaluate.independent_split("123")


@pytest.mark.shared
def test_independent_benchmark_scores_above_floor(shared_corpora):
    """Runs the scorer end to end (patterns + parse, no embeddings) on the independent set."""
    from cxtext_effort import EffortAnalyzer

    evaluate = load_eval()
    labels = pd.read_csv(INDEPENDENT, dtype={"id": str})
    docs = evaluate._docs(evaluate.independent_texts(shared_corpora, labels), "ind")
    analyzer = EffortAnalyzer({"classifier": False})
    results = evaluate._run(analyzer, docs)
    rows = evaluate.independent_metrics(labels, [results[d.record_id]["drivers"] for d in docs], "patterns")
    high = next(r for r in rows if r["dataset"] == "independent[all]" and r["metric"] == "any_high_effort")
    assert high["tp"] + high["fn"] == int(labels["high_effort"].sum())
    assert high["precision"] >= 0.8 and high["recall"] >= 0.7, high
