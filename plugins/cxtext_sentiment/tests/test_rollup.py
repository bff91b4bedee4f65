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
