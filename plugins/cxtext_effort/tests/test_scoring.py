"""The record-level effort score formula."""

import pytest

from cxtext_effort.scoring import SpanSummary, duration_weight, effort_score


def span(driver, polarity="high", minutes=None):
    return SpanSummary(driver, polarity, minutes)


def test_no_evidence():
    assert effort_score([]) == (None, "no_evidence")


def test_one_high_driver_is_high_effort():
    assert effort_score([span("transfer")]) == (3.0, "high_effort")


def test_one_low_span_is_low_effort():
    assert effort_score([span("low_effort", "low")]) == (5.0, "low_effort")
    assert effort_score([span("low_effort", "low")] * 2) == (5.5, "low_effort")
    assert effort_score([span("low_effort", "low")] * 9) == (6.0, "low_effort")  # low is capped at +2


def test_repeats_of_a_driver_add_a_little():
    assert effort_score([span("chasing")] * 2)[0] == 2.75
    assert effort_score([span("chasing")] * 5)[0] == 2.5  # at most +0.5 per driver


def test_long_waits_weigh_more():
    short, _ = effort_score([span("waiting", minutes=20)])
    hold, _ = effort_score([span("waiting", minutes=120)])
    weeks, _ = effort_score([span("waiting", minutes=3 * 7 * 1440)])
    assert 1 <= weeks < hold < short < 4
    assert weeks == pytest.approx(4 - 0.75 - 1.0)


def test_duration_weight():
    assert duration_weight(None) == 0 and duration_weight(10) == 0
    assert duration_weight(10_000) == pytest.approx(1.0)
    assert 0.3 < duration_weight(120) < 0.4


def test_mixed_evidence_is_neutral_and_score_is_clipped():
    assert effort_score([span("low_effort", "low"), span("waiting", minutes=60)])[1] == "neutral"
    drivers = ["repeat_contact", "transfer", "waiting", "chasing", "multiple_visits"]
    assert effort_score([span(d, minutes=40_000) for d in drivers]) == (1.0, "high_effort")
