"""Contrast sentences written by the project: the same CX topic words in praise, complaint and plain fact.

The public corpora teach that "bill", "payment", "called" or "engineer" mean a
complaint, because that is what they usually are in tweets to airlines and in
detractors' comments. Then "Paid my bill in seconds" reads as negative. These
templates put the same tasks and topics into all three classes, so that what
decides the label is what the sentence says about them: done quickly or easily
(positive), slow, repeated, failed or broken (negative), or merely stated (neutral).

They are training data only, generated deterministically (:func:`examples`), licensed
with the project (Apache-2.0). They never appear in any evaluation; a test checks
that none of them equals a sentence of the CX sanity suite.
"""

from __future__ import annotations

import itertools
import random

from cxtext_sentiment.corpora import Example

DOMAIN = "cx_templates"

TASKS = [
    "paid my bill", "updated my address", "changed my tariff", "booked an appointment", "renewed my policy",
    "topped up my phone", "ordered a replacement card", "set up a direct debit", "returned the parcel",
    "checked in for my flight", "reset my password", "cancelled the order", "moved my booking",
    "added a second user to our account", "claimed back the deposit", "transferred the money",
    "upgraded my broadband", "booked a GP appointment", "renewed the car insurance", "changed my seat",
    "ported my number", "downloaded the invoice", "updated the payment card", "exchanged the jacket",
    "arranged the meter reading", "added a roaming pass", "registered the warranty", "changed the delivery slot",
    "switched my energy supplier", "opened a savings account", "requested a new PIN", "logged a repair",
]
CHANNELS = ["", " in the app", " online", " on the website", " over chat", " by phone", " in store"]
QUICK = ["in seconds", "in a minute", "in about two minutes", "in under five minutes", "in no time",
         "in a couple of clicks", "in one call", "in one go", "first time", "without any hassle"]
SLOW = ["it took three weeks to", "it took four phone calls to", "it took over an hour to",
        "I tried five times to", "I spent all afternoon trying to", "it took a month and two complaints to"]
GOOD_ENDINGS = ["", " Easy.", " Simple.", " No fuss at all.", " Really straightforward.", " Brilliant.",
                " Couldn't have been easier.", " Very smooth.", " Great."]
BAD_ENDINGS = ["", " Ridiculous.", " What a faff.", " Not good enough.", " So frustrating.",
               " Never again.", " Shocking."]
WHEN = ["on Monday", "last week", "yesterday", "this morning", "in March", "on the 3rd", "two days ago",
        "after work", "before my holiday", "at the weekend"]
STAFF = ["the engineer", "the agent", "the nurse", "the driver", "the advisor", "the receptionist",
         "the cabin crew", "the technician", "the pharmacist", "the support team", "the store assistant"]
GOOD_STAFF = ["was friendly and quick", "sorted it on the spot", "fixed it first time", "explained everything clearly",
              "went out of their way to help", "was patient and kind", "resolved it the same day",
              "called back exactly when promised"]
BAD_STAFF = ["never turned up", "hung up on me", "was rude and unhelpful", "gave me the wrong information",
             "kept transferring me", "promised a call back that never came", "did not fix the fault",
             "ignored my emails"]
THINGS = ["the router", "my refund", "the replacement card", "the parcel", "the engineer", "my new SIM",
          "the invoice", "my prescription", "the repair", "the compensation", "my passport", "the sofa"]
ARRIVED_GOOD = ["arrived a day early", "arrived the next morning", "came exactly when they said",
                "was delivered within the hour", "turned up on time"]
ARRIVED_BAD = ["still hasn't arrived after three weeks", "arrived broken", "never came", "was a week late",
               "arrived with parts missing", "has been delayed four times"]
FACTS = [
    "I have a question about my {noun}.", "My {noun} is due {when}.", "I asked about my {noun} {when}.",
    "The {noun} was sent {when}.", "Is it possible to change my {noun} online?", "We received the {noun} {when}.",
    "My {noun} number starts with 44.", "I need a copy of my {noun} for my records.",
    "Can I pay for the {noun} by card?", "The {noun} covers the next twelve months.",
]
NOUNS = ["bill", "contract", "booking", "order", "policy", "invoice", "appointment", "payment", "delivery",
         "account", "tariff", "flight", "prescription", "statement", "subscription", "claim"]


BASE_FORMS = {"paid": "pay", "updated": "update", "changed": "change", "booked": "book", "renewed": "renew",
              "topped": "top", "ordered": "order", "set": "set", "returned": "return", "checked": "check",
              "reset": "reset", "cancelled": "cancel", "moved": "move", "added": "add", "claimed": "claim",
              "transferred": "transfer", "upgraded": "upgrade", "ported": "port", "downloaded": "download",
              "exchanged": "exchange", "arranged": "arrange", "registered": "register", "switched": "switch",
              "opened": "open", "requested": "request", "logged": "log"}


def base_form(task: str) -> str:
    """"paid my bill" -> "pay my bill"."""
    verb, rest = task.split(" ", 1)
    return f"{BASE_FORMS[verb]} {rest}"


# Negation (CheckList's NEG capability, Ribeiro et al. 2020): a negated complaint is praise, a
# negated praise a complaint, and a negated plain fact stays neutral.
NEGATED_COMPLAINT = ["Not a single problem with {x}.", "Never had an issue with {x}.", "No problems at all with {x}.",
                     "Nothing went wrong with {x}.", "I can't fault {x}.", "I have no complaints about {x}.",
                     "{X} has never let me down.", "There was nothing wrong with {x}.", "Not one issue with {x} so far.",
                     "I wouldn't change anything about {x}."]
NEGATED_PRAISE = ["Not happy with {x}.", "{X} was not good at all.", "{X} didn't work.", "I'm not impressed with {x}.",
                  "{X} was not worth the money.", "Nobody could help me with {x}.", "{X} never worked properly.",
                  "I would not recommend {x}.", "{X} was not fixed.", "No one replied about {x}."]
NEGATED_FACT = ["I didn't use {x} this month.", "I haven't looked at {x} yet.", "I don't need {x} any more.",
                "I haven't changed {x} since last year.", "We didn't order {x} this time."]
NEGATION_TOPICS = ["the delivery", "my broadband", "the booking", "the app", "the billing", "the repair",
                   "the new phone", "the service", "the insurance claim", "the installation", "the checkout",
                   "the appointment", "my account", "the hotel room", "the mortgage application"]


def _negations() -> dict[str, list[str]]:
    def fill(patterns: list[str]) -> list[str]:
        return [p.format(x=topic, X=topic[0].upper() + topic[1:]) for p in patterns for topic in NEGATION_TOPICS]

    return {"positive": fill(NEGATED_COMPLAINT), "negative": fill(NEGATED_PRAISE), "neutral": fill(NEGATED_FACT)}


def _sentence(text: str) -> str:
    text = text.strip()
    return text[0].upper() + text[1:]


def _positive() -> list[str]:
    out = [_sentence(f"{task}{channel} {quick}.{end}") for task, channel, quick, end in
           itertools.product(TASKS, CHANNELS, QUICK, GOOD_ENDINGS)]
    out += [_sentence(f"{staff} {good}.") for staff, good in itertools.product(STAFF, GOOD_STAFF)]
    out += [_sentence(f"{thing} {good}.") for thing, good in itertools.product(THINGS, ARRIVED_GOOD)]
    return out


def _negative() -> list[str]:
    out = [_sentence(f"{slow} {base_form(task)}{channel}.{end}")
           for slow, task, channel, end in itertools.product(SLOW, TASKS, CHANNELS, BAD_ENDINGS)]
    out += [_sentence(f"{staff} {bad}.") for staff, bad in itertools.product(STAFF, BAD_STAFF)]
    out += [_sentence(f"{thing} {bad}.") for thing, bad in itertools.product(THINGS, ARRIVED_BAD)]
    return out


def _neutral() -> list[str]:
    out = [_sentence(f"I {task}{channel} {when}.") for task, channel, when in itertools.product(TASKS, CHANNELS, WHEN)]
    out += [fact.format(noun=noun, when=when) for fact, noun, when in itertools.product(FACTS, NOUNS, WHEN)]
    out += [_sentence(f"I spoke to {staff} {when}.") for staff, when in itertools.product(STAFF, WHEN)]
    out += [_sentence(f"{thing} is booked {when}.") for thing, when in itertools.product(THINGS, WHEN)]
    return out


NEGATION_SHARE = 0.2  # of each class's sentences, drawn from the negation group


def examples(per_class: int = 800, seed: int = 0) -> list[Example]:
    """``per_class`` deterministic sentences of each class (seeded sample of every combination),
    a fifth of them from the negation group."""
    rng = random.Random(seed)
    negations = _negations()
    result = []
    for label, pool in (("positive", _positive()), ("negative", _negative()), ("neutral", _neutral())):
        negated = sorted(set(negations[label]))
        rng.shuffle(negated)
        negated = negated[: int(per_class * NEGATION_SHARE)]
        pool = sorted(set(pool) - set(negated))
        rng.shuffle(pool)
        result += [Example(text, label, DOMAIN) for text in negated + pool[: per_class - len(negated)]]
    return result
