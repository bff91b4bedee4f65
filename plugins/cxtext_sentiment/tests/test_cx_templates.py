"""The project's contrast sentences: the same topics in all three classes, deterministic, never evaluated on."""

from __future__ import annotations

import csv
from collections import Counter
from pathlib import Path

from cxtext_sentiment import cx_templates
from cxtext_sentiment.training import comparable

SUITE = Path(__file__).resolve().parents[3] / "benchmarks" / "sentiment"


def test_balanced_deterministic_and_unique():
    examples = cx_templates.examples(300, seed=0)
    assert Counter(e.label for e in examples) == {"positive": 300, "negative": 300, "neutral": 300}
    assert examples == cx_templates.examples(300, seed=0)
    assert len({e.text for e in examples}) == len(examples)
    assert all(e.domain == cx_templates.DOMAIN and e.text[0].isupper() for e in examples)


def test_topic_words_appear_in_every_class():
    examples = cx_templates.examples(800, seed=0)
    for word in ("bill", "booking", "engineer"):
        assert {e.label for e in examples if word in e.text.lower()} == {"positive", "negative", "neutral"}, word


def test_base_forms_read_as_english():
    assert cx_templates.base_form("paid my bill") == "pay my bill"
    assert all(cx_templates.base_form(task) for task in cx_templates.TASKS)


def test_the_training_recipe_leaves_the_sanity_suite_out():
    """Exact overlaps with the sanity suite are possible ("Paid my bill in seconds."): training drops them."""
    import importlib.util

    path = Path(__file__).resolve().parents[3] / "benchmarks" / "train_sentiment.py"
    spec = importlib.util.spec_from_file_location("train_sentiment", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    excluded = module.evaluation_texts()
    with (SUITE / "cx_sanity.csv").open(encoding="utf-8", newline="") as handle:
        suite = {comparable(row["text"]) for row in csv.DictReader(handle)}
    assert suite <= excluded
