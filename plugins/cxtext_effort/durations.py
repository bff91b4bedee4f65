"""Durations in customer text, parsed to minutes.

"on hold for 45 mins", "an hour and a half", "2hrs", "6 and half weeks", "three weeks",
"a couple of days". Calendar units use fixed lengths (a month is 30 days), which is
plenty for weighing how long someone waited.
"""

from __future__ import annotations

import re

MINUTES_PER_UNIT = {
    "second": 1 / 60, "minute": 1.0, "hour": 60.0, "day": 1440.0, "week": 10080.0,
    "fortnight": 20160.0, "month": 43200.0, "year": 525600.0,
}

_UNIT_ALIASES = {
    "s": "second", "sec": "second", "secs": "second", "second": "second", "seconds": "second",
    "m": "minute", "min": "minute", "mins": "minute", "minute": "minute", "minutes": "minute",
    "h": "hour", "hr": "hour", "hrs": "hour", "hour": "hour", "hours": "hour",
    "day": "day", "days": "day",
    "wk": "week", "wks": "week", "week": "week", "weeks": "week",
    "fortnight": "fortnight", "fortnights": "fortnight",
    "month": "month", "months": "month", "mth": "month", "mths": "month",
    "yr": "year", "yrs": "year", "year": "year", "years": "year",
}

#: "all day" is a working day in for an engineer, not 24 hours.
ALL_OF_MINUTES = {"day": 480.0, "morning": 240.0, "afternoon": 240.0, "evening": 240.0, "weekend": 2880.0}

NUMBER_WORDS = {
    "a": 1, "an": 1, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7,
    "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13, "fourteen": 14,
    "fifteen": 15, "sixteen": 16, "seventeen": 17, "eighteen": 18, "nineteen": 19, "twenty": 20,
    "thirty": 30, "forty": 40, "fifty": 50, "sixty": 60, "ninety": 90, "hundred": 100,
    "couple": 2, "few": 3, "several": 3,
}

_NUMBER = r"\d+(?:\.\d+)?|" + "|".join(sorted(NUMBER_WORDS, key=len, reverse=True))
_UNIT = "|".join(sorted(_UNIT_ALIASES, key=len, reverse=True))

# One regex, tried left to right; named groups say which form matched.
_DURATION = re.compile(
    rf"""
    \b(?:
        half\s+(?:an?\s+)?(?P<half_unit>{_UNIT})                                # half an hour
      | all\s+(?P<all_of>day|morning|afternoon|evening|weekend)\b              # waited in all day
      | (?P<num>{_NUMBER})                                                     # 45, three, an
        (?:\s*(?:-|to|/|or)\s*(?P<num_to>{_NUMBER}))?                          # 6-8, 3/4, 2 or 3
        (?P<and_half_before>\s+and\s+(?:a\s+)?half)?                           # 6 and a half
        (?:\s+of)?\s*(?P<unit>{_UNIT})(?:\b|(?=\d))                              # (couple of) weeks, 45mins
        (?:\s*(?P<tail_minutes>\d{{1,2}})(?!\s*(?:{_UNIT})\b)(?=\D|$))?         # 1hr30
        (?P<and_half_after>\s+and\s+a\s+half)?                                 # an hour and a half
    )
    """,
    re.IGNORECASE | re.VERBOSE,
)


def _number(word: str) -> float:
    word = word.lower()
    return float(NUMBER_WORDS[word]) if word in NUMBER_WORDS else float(word)


def find_durations(text: str) -> list[tuple[int, int, float]]:
    """Every duration in ``text`` as (start, end, minutes), in order.

    Ranges ("6-8 weeks", "3/4 months") count as their lower bound, so a stated wait is
    never overstated.
    """
    found = []
    for match in _DURATION.finditer(text):
        if match.group("all_of"):
            minutes = ALL_OF_MINUTES[match.group("all_of").lower()]
        elif match.group("half_unit"):
            minutes = 0.5 * MINUTES_PER_UNIT[_UNIT_ALIASES[match.group("half_unit").lower()]]
        else:
            unit = _UNIT_ALIASES[match.group("unit").lower()]
            amount = _number(match.group("num"))
            if match.group("num_to"):
                amount = min(amount, _number(match.group("num_to")))
            if match.group("and_half_before") or match.group("and_half_after"):
                amount += 0.5
            minutes = amount * MINUTES_PER_UNIT[unit]
            if match.group("tail_minutes") and unit == "hour":
                minutes += float(match.group("tail_minutes"))
        # "a" and "an" alone before a unit-like word ("a m") are noise; need a real unit word.
        if match.group("num") and match.group("num").lower() in ("a", "an") and len(match.group("unit")) < 3:
            continue
        found.append((match.start(), match.end(), round(minutes, 2)))
    return found


def parse_duration(text: str) -> float | None:
    """The longest duration mentioned in ``text``, in minutes; None when there is none.

    >>> parse_duration("on hold for an hour and a half")
    90.0
    >>> parse_duration("3 weeks and still no router")
    30240.0
    """
    durations = find_durations(text)
    return max(minutes for _, _, minutes in durations) if durations else None
