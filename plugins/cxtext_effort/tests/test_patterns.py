"""Each effort driver: sentences that show it, sentences that do not (negation included)."""

import pytest

from cxtext_effort.patterns import EffortMatcher, expand_pattern


@pytest.fixture(scope="module")
def matcher():
    return EffortMatcher()


def drivers(matcher, text):
    return {e.driver for e in matcher.find([text])[0]}


POSITIVE = [
    ("repeat_contact", "I called three times about the same fault."),
    ("repeat_contact", "This is the 4th time I've contacted you."),
    ("repeat_contact", "I had to ring back the next day."),
    ("repeat_contact", "Numerous phone calls and nothing done."),
    ("transfer", "I was passed from pillar to post."),
    ("transfer", "Got transferred to 3 departments before anyone helped."),
    ("transfer", "It took ages to get to the right person."),
    ("waiting", "I was on hold for 45 minutes."),
    ("waiting", "We waited 2 hours for an answer."),
    ("waiting", "3 weeks and still no router."),
    ("waiting", "It took 7 weeks to get connected."),
    ("multiple_visits", "The third engineer finally fixed it."),
    ("multiple_visits", "Two visits and it still doesn't work."),
    ("multiple_visits", "The engineer didn't turn up."),
    ("chasing", "I was promised a call back that never came."),
    ("chasing", "I had to chase them for a week."),
    ("chasing", "Two weeks on, nobody ever calls me back."),
    ("chasing", "Nobody ever got back to me about it since March."),
    ("repeat_explaining", "I had to repeat my story to everyone."),
    ("repeat_explaining", "I had to give my details every time."),
    ("channel_switch", "The chat told me to ring the helpline."),
    ("channel_switch", "I went into the store because the app kept failing."),
    ("failed_self_service", "The app wouldn't let me change my plan."),
    ("failed_self_service", "The website kept crashing."),
    ("failed_self_service", "I can't log in to my account."),
    ("difficulty", "Setting it up was a nightmare."),
    ("difficulty", "It was not easy to cancel."),
    ("low_effort", "Easy and quick."),
    ("low_effort", "Totally hassle-free."),
    ("low_effort", "Sorted first time."),
    ("low_effort", "It took two minutes."),
    ("low_effort", "Everything was done in one call."),
    ("low_effort", "I didn't have to chase anyone."),
    ("low_effort", "Couldn't have been easier."),
]

NEGATIVE = [
    ("repeat_contact", "The first call was helpful."),
    ("repeat_contact", "I want to keep my phone number."),
    ("transfer", "I want to transfer my number to you."),
    ("transfer", "The billing department was helpful."),
    ("waiting", "On hold for 2 minutes, fine."),
    ("waiting", "I've been a customer for 10 years."),
    ("multiple_visits", "The engineer was excellent."),
    ("chasing", "They chased me for years to switch."),
    ("chasing", "I never had to chase anything."),
    ("repeat_explaining", "The agent explained everything clearly."),
    ("channel_switch", "Ordered online, very easy."),
    ("failed_self_service", "All done online without trouble."),
    ("difficulty", "Not difficult at all."),
    ("difficulty", "No hassle whatsoever."),
    ("low_effort", "It was not easy."),
    ("low_effort", "It wasn't quick."),
    ("low_effort", "The broadband is very fast."),
    ("low_effort", "Fast broadband, shame about the price."),
    ("low_effort", "It could have been easier."),
    ("low_effort", "I only placed the order 10 days ago."),
    ("low_effort", "It took 7 weeks."),
]


@pytest.mark.parametrize(("driver", "text"), POSITIVE)
def test_finds_driver(matcher, driver, text):
    assert driver in drivers(matcher, text)


@pytest.mark.parametrize(("driver", "text"), NEGATIVE)
def test_does_not_find_driver(matcher, driver, text):
    assert driver not in drivers(matcher, text)


def test_negated_ease_flips_to_difficulty_and_back(matcher):
    (not_easy,) = matcher.find(["It wasn't easy."])[0]
    assert (not_easy.driver, not_easy.polarity, not_easy.text) == ("difficulty", "high", "n't easy")
    (never_smooth,) = matcher.find(["It was never smooth."])[0]  # flipped by the negation rule
    assert (never_smooth.driver, never_smooth.polarity, never_smooth.negated) == ("difficulty", "high", True)
    assert matcher.find(["It was never one call."])[0] == []  # non-ease low-effort spans are dropped
    (no_hassle,) = matcher.find(["No hassle at all."])[0]
    assert (no_hassle.driver, no_hassle.polarity) == ("low_effort", "low")


def test_span_offsets_and_duration(matcher):
    text = "Honestly I was on hold for an hour and a half today."
    (span,) = matcher.find([text])[0]
    assert text[span.start : span.end] == span.text == "on hold for an hour and a half"
    assert span.duration_minutes == 90


def test_overlapping_matches_of_a_driver_merge(matcher):
    (span,) = matcher.find(["I was passed from pillar to post."])[0]
    assert span.text == "passed from pillar to post"


def test_pattern_language_expands_macros_and_repeats():
    macros = {"N": ["one|two", "/\\d+/"], "DUR": ["N weeks", "a week"]}
    compiled = expand_pattern("waited ANY{0,2} DUR !ago|later?", macros)
    assert len(compiled) == 3  # N has two alternatives inside DUR, plus "a week"
    assert compiled[0][0] == {"LOWER": {"IN": ["waited"]}}
    assert compiled[0][1] == {"OP": "{0,2}"}
    assert compiled[0][-1] == {"LOWER": {"NOT_IN": ["ago", "later"]}, "OP": "?"}
    assert {"LOWER": {"REGEX": "^(?:\\d+)$"}} in [seq[2] for seq in compiled]


def test_unknown_macro_is_an_error():
    with pytest.raises(ValueError, match="unknown macro NOPE"):
        expand_pattern("waited NOPE", {})
