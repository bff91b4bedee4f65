"""Rolling sentence sentiment up to the record."""

from __future__ import annotations

import numpy as np
import pytest

from cxtext_sentiment.rollup import is_mixed, rollup_probs


def test_rollup_is_length_weighted():
    probs = np.array([[0.0, 0.0, 1.0], [1.0, 0.0, 0.0]])
    assert rollup_probs(probs, [10, 30]) == pytest.approx([0.75, 0.0, 0.25])
    assert rollup_probs(probs, [0, 0]) == pytest.approx([0.5, 0.0, 0.5])


def test_mixed_needs_a_clear_positive_and_a_clear_negative():
    clear_pos, clear_neg, mild_neg = [0.05, 0.1, 0.85], [0.9, 0.05, 0.05], [0.45, 0.2, 0.35]
    assert is_mixed(np.array([clear_pos, clear_neg]), ["positive", "negative"])
    assert not is_mixed(np.array([clear_pos, mild_neg]), ["positive", "negative"])
    assert not is_mixed(np.array([clear_pos, clear_pos]), ["positive", "positive"])


def test_record_label_of_a_balanced_mixed_record_is_neutral_under_a_margin():
    from cxtext_sentiment.rollup import record_label

    sentences = np.array([[0.05, 0.1, 0.85], [0.9, 0.05, 0.05]])
    rolled = rollup_probs(sentences, [20, 22])
    assert record_label(sentences, rolled, mixed_margin=0.0) == "negative"  # no margin: the larger side
    assert record_label(sentences, rolled, mixed_margin=0.3) == "neutral"
    one_sided = np.array([[0.9, 0.05, 0.05], [0.8, 0.1, 0.1]])
    assert record_label(one_sided, rollup_probs(one_sided, [10, 10]), mixed_margin=0.3) == "negative"
    single = np.array([[0.4, 0.2, 0.4]])
    assert record_label(single, single[0], mixed_margin=0.3) in ("negative", "positive")  # never a mixed rule


def test_a_clear_short_verdict_outweighs_a_long_unsure_sentence_under_confidence_weighting():
    from cxtext_sentiment.rollup import CONFIDENCE_POWER, record_label

    # "Sorted my porting issue in one call." read as mildly negative, then "Excellent."
    sentences = np.array([[0.55, 0.2, 0.25], [0.01, 0.01, 0.98]])
    lengths = [38, 10]
    length_only = rollup_probs(sentences, lengths, confidence_power=0.0)
    weighted = rollup_probs(sentences, lengths, confidence_power=2.0)
    assert record_label(sentences, length_only, mixed_margin=0.0) == "negative"
    assert record_label(sentences, weighted, mixed_margin=0.0) == "positive"
    assert CONFIDENCE_POWER == 2.0  # the setting chosen on validation (results/sentiment_rollup.json)
    assert np.allclose(rollup_probs(sentences, lengths), weighted)
    # One sentence: weights do not matter.
    assert np.allclose(rollup_probs(sentences[:1], [5], confidence_power=2.0), sentences[0])


def test_a_multi_sentence_record_blends_in_its_whole_text_reading():
    from cxtext_sentiment.rollup import WHOLE_TEXT_WEIGHT, blend_whole

    rolled, whole = np.array([0.6, 0.2, 0.2]), np.array([0.1, 0.1, 0.8])
    assert WHOLE_TEXT_WEIGHT == 0.5  # chosen on validation (results/sentiment_rollup.json)
    assert np.allclose(blend_whole(rolled, whole, sentences=3), [0.35, 0.15, 0.5])
    assert np.allclose(blend_whole(rolled, whole, sentences=1), rolled)  # one sentence: it is the whole text
    assert np.allclose(blend_whole(rolled, None, sentences=3), rolled)
    assert np.allclose(blend_whole(rolled, whole, sentences=3, weight=0.0), rolled)
