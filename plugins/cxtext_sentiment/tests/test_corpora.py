"""Loading the labelled corpora and their fixed, hash-based train/test splits."""

from __future__ import annotations

from collections import Counter

import pytest

from cxtext_sentiment import corpora
from cxtext_sentiment.corpora import Example


def test_normalise_text_hides_mentions_and_links():
    assert corpora.normalise_text("@united  lost my bag\nhttps://t.co/x1 again") == "@user lost my bag http again"
    assert corpora.normalise_text("mail me at a@b.com") == "mail me at a@b.com"


def test_label_rules():
    assert [corpora.rating_label(r) for r in (1, 2, 3, 4, 5)] == ["negative"] * 2 + ["neutral"] + ["positive"] * 2
    assert [corpora.nps_label(s) for s in (0, 6, 7, 8, 9, 10)] == ["negative"] * 2 + ["neutral"] * 2 + ["positive"] * 2


def test_split_depends_only_on_domain_and_text():
    example = Example("the crew was lovely", "positive", "airline")
    assert corpora.split_of(example) == corpora.split_of(Example("the crew was lovely", "negative", "airline"))
    splits = Counter(corpora.split_of(Example(f"text {i}", "neutral", "nps")) for i in range(5000))
    assert 0.17 < splits["test"] / 5000 < 0.23


def test_balanced_sample_evens_classes_and_fills_shortfall():
    examples = ([Example(f"n{i}", "negative", "d") for i in range(100)]
                + [Example(f"u{i}", "neutral", "d") for i in range(5)]
                + [Example(f"p{i}", "positive", "d") for i in range(40)])
    sample = corpora.balanced_sample(examples, 60, seed=0)
    counts = Counter(e.label for e in sample)
    assert len(sample) == 60 and counts["neutral"] == 5 and counts["positive"] >= 20 and counts["negative"] >= 20
    assert sample == corpora.balanced_sample(examples, 60, seed=0)
    assert sample != corpora.balanced_sample(examples, 60, seed=1)


def test_load_domains_from_fake_corpora(fake_corpora):
    airline = corpora.load_domain(fake_corpora, "airline")
    assert len(airline) == 36 and airline[0].text.startswith("@user lost my bag")
    clothing = corpora.load_domain(fake_corpora, "clothing")
    assert len(clothing) == 36  # the row without review text is skipped
    assert clothing[0] == Example("Review 0. Cheap fabric, returned it", "negative", "clothing")
    nps = corpora.load_domain(fake_corpora, "nps")
    assert Counter(e.label for e in nps) == {"negative": 12, "neutral": 12, "positive": 12}
    train = corpora.load_split(fake_corpora, "nps", "train")
    test = corpora.load_split(fake_corpora, "nps", "test")
    assert len(train) + len(test) == 36 and not {e.text for e in train} & {e.text for e in test}
    with pytest.raises(ValueError):
        corpora.load_domain(fake_corpora, "movies")


@pytest.mark.shared
def test_real_splits_are_stable_and_disjoint(shared_corpora):
    for domain, (total, test_size) in {"airline": (14640, 2954), "clothing": (22641, 4468), "nps": (2353, 488)}.items():
        examples = corpora.load_domain(shared_corpora, domain)
        test = [e for e in examples if corpora.split_of(e) == "test"]
        assert (len(examples), len(test)) == (total, test_size)
        train_texts = {e.text for e in examples if corpora.split_of(e) == "train"}
        assert not train_texts & {e.text for e in test}
