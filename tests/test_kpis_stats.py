"""The statistics helpers in cxtext.metrics against textbook values."""

from __future__ import annotations

import numpy as np
import pytest
from scipy import stats

from cxtext.metrics import (
    benjamini_hochberg,
    bootstrap_interval,
    mean_interval,
    net_difference_z,
    net_interval,
    two_proportion_z,
    welch_t,
    wilson_interval,
)


def test_wilson_interval_textbook_value():
    low, high = wilson_interval(5, 10)  # Wilson (1927); also Newcombe (1998) table: 0.2366-0.7634
    assert (low, high) == pytest.approx((0.2366, 0.7634), abs=1e-4)
    assert wilson_interval(0, 10)[0] == 0.0 and wilson_interval(10, 10)[1] == pytest.approx(1.0)
    assert wilson_interval(0, 0) == (None, None)


def test_mean_interval_is_the_t_interval():
    values = np.array([1.0, 2.0, 3.0, 4.0, 5.0])
    mean, low, high = mean_interval(values)
    expected = stats.t.interval(0.95, 4, loc=3.0, scale=stats.sem(values))
    assert mean == 3.0 and (low, high) == pytest.approx(expected)
    assert mean_interval(np.array([4.0]))[1:] == (None, None)


def test_net_interval_matches_the_plain_trinomial_interval_at_large_n():
    net, low, high = net_interval(500, 300, 1000, pseudo=0)
    half = 1.959963984540054 * np.sqrt((0.5 + 0.3 - 0.2**2) / 1000) * 100
    assert net == pytest.approx(20.0) and (low, high) == pytest.approx((20 - half, 20 + half))
    adjusted = net_interval(500, 300, 1000)
    assert adjusted[1] == pytest.approx(low, abs=0.1) and adjusted[2] == pytest.approx(high, abs=0.1)


def test_two_proportion_z_textbook_value():
    z, p = two_proportion_z(40, 100, 60, 100)  # pooled p = 0.5, se = sqrt(0.5 * 0.5 * 0.02) = 0.0707
    assert z == pytest.approx(0.2 / np.sqrt(0.005))
    assert p == pytest.approx(2 * stats.norm.sf(abs(z)))


def test_welch_t_matches_scipy_on_raw_data():
    rng = np.random.default_rng(0)
    a, b = rng.normal(3, 1, 40), rng.normal(3.5, 2, 60)
    t, p = welch_t(a.mean(), a.std(ddof=1), 40, b.mean(), b.std(ddof=1), 60)
    expected = stats.ttest_ind(b, a, equal_var=False)
    assert (t, p) == pytest.approx((expected.statistic, expected.pvalue))


def test_net_difference_z_is_sane_for_tiny_one_class_groups():
    everyone_detractor = {"p_pos": 0.0, "p_neg": 1.0, "n": 1}
    everyone_promoter = {"p_pos": 1.0, "p_neg": 0.0, "n": 2}
    z, p = net_difference_z(everyone_detractor, everyone_promoter)
    assert p > 0.05  # 1 vs 2 responses prove nothing
    big_before = {"p_pos": 0.2, "p_neg": 0.5, "n": 500}
    big_after = {"p_pos": 0.5, "p_neg": 0.2, "n": 500}
    z, p = net_difference_z(big_before, big_after)
    assert z > 0 and p < 1e-10


def test_bootstrap_is_seeded():
    values = np.arange(100, dtype=float)
    assert bootstrap_interval(values) == bootstrap_interval(values)
    low, high = bootstrap_interval(values)
    assert low < np.median(values) < high


def test_benjamini_hochberg():
    assert benjamini_hochberg([0.01, None, 0.04, 0.03]) == pytest.approx([0.03, None, 0.04, 0.04])
