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
    assert 0.17 < splits["test"] / 5000 < 0.23 and 0.08 < splits["validation"] / 5000 < 0.12
    assert corpora.split_of(Example("a tweet", "neutral", "tweets", source_split="validation")) == "validation"


def test_balanced_sample_evens_classes_and_fills_shortfall():
    examples = ([Example(f"n{i}", "negative", "d") for i in range(100)]
                + [Example(f"u{i}", "neutral", "d") for i in range(5)]
                + [Example(f"p{i}", "positive", "d") for i in range(40)])
    sample = corpora.balanced_sample(examples, 60, seed=0)
    counts = Counter(e.label for e in sample)
    assert len(sample) == 60 and counts["neutral"] == 5 and counts["positive"] >= 20 and counts["negative"] >= 20
    assert sample == corpora.balanced_sample(examples, 60, seed=0)
    assert sample != corpora.balanced_sample(examples, 60, seed=1)


def test_balanced_sample_shares_only_among_classes_present():
    binary = [Example(f"n{i}", "negative", "uci") for i in range(50)] + [Example(f"p{i}", "positive", "uci")
                                                                           for i in range(50)]
    assert Counter(e.label for e in corpora.balanced_sample(binary, 40, seed=0)) == {"negative": 20, "positive": 20}


def test_score_labels_that_the_text_contradicts_are_dropped():
    examples = [Example("Absolutely wonderful, love it, perfect", "negative", "clothing", score=1.0),
                Example("Terrible, awful, broke in a day, hate it", "positive", "yelp", score=5.0),
                Example("It was okay I suppose", "negative", "nps", score=7.0),  # a passive: dropped
                Example("Terrible service, never again", "negative", "nps", score=2.0),
                Example("Great fit and lovely colour", "positive", "clothing", score=5.0)]
    kept = corpora.agrees_with_text(examples)
    assert [e.text for e in kept] == ["Terrible service, never again", "Great fit and lovely colour"]


def test_phrasebank_tokenisation_is_undone():
    assert corpora._SPACE_BEFORE_PUNCT.sub(r"\1", "the company 's sales rose 5 % .") == "the company's sales rose 5%."


def test_user_labels(tmp_path):
    from cxtext.errors import InputError

    path = tmp_path / "labels.csv"
    path.write_text("comment,label\n" + "".join(f"text {i},{('neg', 'Neutral', '1')[i % 3]}\n" for i in range(40)))
    examples = corpora.load_user_labels(path, text_column="comment")
    assert len(examples) == 40 and Counter(e.label for e in examples) == {"negative": 14, "neutral": 13,
                                                                            "positive": 13}
    path.write_text("text,label\n" + "".join(f"t{i},positive\n" for i in range(40)) + "oops,great\n")
    with pytest.raises(InputError, match="row 42.*'great' is not a sentiment"):
        corpora.load_user_labels(path)
    with pytest.raises(InputError, match="no column 'comment'"):
        corpora.load_user_labels(path, text_column="comment")


def test_load_domains_from_fake_corpora(fake_corpora):
    airline = corpora.load_domain(fake_corpora, "airline")
    assert len(airline) == 36 and airline[0].text.startswith("@user lost my bag")
    clothing = corpora.load_domain(fake_corpora, "clothing")
    assert len(clothing) == 36  # the row without review text is skipped
    assert clothing[0] == Example("Review 0. Cheap fabric, returned it", "negative", "clothing", score=1.0)
    nps = corpora.load_domain(fake_corpora, "nps")
    assert Counter(e.label for e in nps) == {"negative": 12, "neutral": 12, "positive": 12}
    train = corpora.load_split(fake_corpora, "nps", "train")
    validation = corpora.load_split(fake_corpora, "nps", "validation")
    test = corpora.load_split(fake_corpora, "nps", "test")
    assert len(train) + len(validation) + len(test) == 36 and not {e.text for e in train} & {e.text for e in test}
    assert corpora.available_domains(fake_corpora) == ("airline", "clothing", "nps")
    with pytest.raises(ValueError):
        corpora.load_domain(fake_corpora, "movies")


@pytest.mark.shared
def test_real_splits_are_stable_and_disjoint(shared_corpora):
    sizes = {"airline": (14640, 2954), "clothing": (22641, 4468), "nps": (2353, 488), "tweets": (61751, 12277),
             "sst": (11826, 2208), "phrasebank": (4835, 951), "uci": (2927, 598), "nhs": (5323, 1015),
             "yelp": (9988, 2028), "amazon": (10713, 2149), "uber": (7405, 1513)}
    assert set(sizes) == set(corpora.DOMAINS)
    for domain, (total, test_size) in sizes.items():
        examples = corpora.load_domain(shared_corpora, domain)
        test = [e for e in examples if corpora.split_of(e) == "test"]
        assert (len(examples), len(test)) == (total, test_size)
        train_texts = {e.text for e in examples if corpora.split_of(e) == "train"}
        assert not train_texts & {e.text for e in test}
