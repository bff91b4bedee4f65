"""Keyword patterns: whole words, plurals, phrases, wildcards and regular expressions."""

from __future__ import annotations

import pytest

from cxtext_themes.keywords import KeywordMatcher, compile_keyword


@pytest.mark.parametrize(
    ("pattern", "text", "matches"),
    [
        ("bill", "My Bill was wrong", True),
        ("bill", "two bills this month", True),
        ("bill", "the billing team", False),  # whole words only
        ("bill", "Billy called", False),
        ("charg*", "they charged me twice", True),
        ("charg*", "recharging the phone", False),
        ("double charged", "I was double  charged", True),
        ("double charged", "I was double-charged", True),
        ("double charged", "charged double", False),
        ("on hold", "ON HOLD for an hour", True),
        ("can't", "I can’t log in", True),  # curly apostrophe in the text
        ("re:\\b\\d+ (min|hour)s?\\b", "waited 40 mins", True),
        ("re:\\b\\d+ (min|hour)s?\\b", "waited forty minutes", False),
    ],
)
def test_keyword_patterns(pattern, text, matches):
    from cxtext_themes.keywords import normalise

    assert bool(compile_keyword(pattern).search(normalise(text))) is matches


def test_matcher_reports_hits_per_item():
    matcher = KeywordMatcher([["bill", "invoice"], [], ["app", "log* in"]])
    assert matcher.matches("The app would not let me log in to see my bill") == {0: ["bill"], 2: ["app", "log in"]}
    assert matcher.matches("nothing here") == {}


@pytest.mark.parametrize("pattern", ["", "  ", "*", "re:", "re:(oops"])
def test_bad_patterns_raise(pattern):
    with pytest.raises(Exception):
        compile_keyword(pattern)
