"""Durations in customer text are parsed to minutes."""

import pytest

from cxtext_effort.durations import find_durations, parse_duration


@pytest.mark.parametrize(
    ("text", "minutes"),
    [
        ("on hold for 45 minutes", 45),
        ("45 mins", 45),
        ("45mins on the phone", 45),
        ("2 hrs", 120),
        ("2hrs", 120),
        ("an hour and a half", 90),
        ("half an hour", 30),
        ("2.5 hours", 150),
        ("1hr30", 90),
        ("three weeks", 3 * 7 * 24 * 60),
        ("3 weeks and still no router", 3 * 7 * 24 * 60),
        ("6 and half weeks", 6.5 * 7 * 24 * 60),
        ("a couple of days", 2 * 24 * 60),
        ("a month", 30 * 24 * 60),
        ("6-8 weeks", 6 * 7 * 24 * 60),  # ranges count as their lower bound
        ("waited in all day", 480),
    ],
)
def test_parses_duration(text, minutes):
    assert parse_duration(text) == pytest.approx(minutes)


@pytest.mark.parametrize("text", ["one call", "since 1st December", "I am a man", "24/7 support", "the 4th time", ""])
def test_no_duration(text):
    assert parse_duration(text) is None


def test_longest_duration_wins_and_offsets_point_at_text():
    text = "20 minutes on hold, then 2 hours more"
    found = find_durations(text)
    assert [text[start:end] for start, end, _ in found] == ["20 minutes", "2 hours"]
    assert parse_duration(text) == 120
