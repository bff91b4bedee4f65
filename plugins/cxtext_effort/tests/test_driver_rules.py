"""The driver rules of docs/effort.md ("What counts"), one case per rule and per does-not-count case.

They run the whole analyzer without the embedding classifier: patterns, the duration rules
and the dependency parse that tells whose contact it was.
"""

import pytest

from cxtext.signals import Doc, Sentence
from cxtext_effort import EffortAnalyzer

RULE_DRIVERS = {"repeat_contact", "transfer", "waiting", "multiple_visits", "chasing", "repeat_explaining",
                "channel_switch", "failed_self_service", "paperwork"}


@pytest.fixture(scope="module")
def analyzer():
    analyzer = EffortAnalyzer({"classifier": False})
    analyzer.load()
    return analyzer


def drivers(analyzer, text: str) -> set[str]:
    doc = Doc(record_id="r", text=text, language="en", source_kind="survey",
              sentences=[Sentence(id="r:0", record_id="r", index=0, start=0, end=len(text), text=text)])
    return {s.label for s in analyzer.process([doc]) if s.kind == "effort"}


HIGH = [
    ("repeat_contact", "I have called them three times about the same charge."),
    ("repeat_contact", "This is the fourth time I have contacted you about this."),
    ("repeat_contact", "I've sent several messages and nobody responds."),
    ("repeat_contact", "I contacted the bank by phone and email."),  # two channels, same organisation
    ("transfer", "I was transferred to three different departments."),
    ("transfer", "The bank referred me to the credit bureau, which sent me back to the bank."),
    ("waiting", "I was on hold for 45 minutes."),
    ("waiting", "I have been waiting since 3 March for the refund."),
    ("multiple_visits", "I had to go back to the branch a third time."),
    ("chasing", "They promised to call me back but never did."),
    ("chasing", "I opened a dispute on 11/20 and have not heard back."),
    ("repeat_explaining", "I had to explain the whole story again to every agent."),
    ("channel_switch", "The chat told me to ring the helpline instead."),
    ("failed_self_service", "I couldn't log in to the website to make the payment."),
    ("paperwork", "They made me resubmit the same documents three times."),
]


@pytest.mark.parametrize(("driver", "text"), HIGH)
def test_each_driver_is_high_effort(analyzer, driver, text):
    assert driver in drivers(analyzer, text)


def test_low_effort_is_an_explicit_ease_statement(analyzer):
    assert drivers(analyzer, "It was quick and easy, sorted first time.") == {"low_effort"}


NOT_EFFORT = [
    ("contacts the company or a collector makes to the customer", "The collector calls me every day."),
    ("contacts the company makes to the customer", "They called me three times to confirm the order."),
    ("contacts received", "I received numerous calls from the debt collector."),
    ("the present complaint itself", "I am writing to complain about my account."),
    ("one earlier contact followed by this complaint", "I called them once last week and now I am filing this complaint."),
    ("several organisations once each", "I contacted Equifax, Experian and TransUnion about the error."),
    ("asking for a supervisor without a transfer", "I asked to speak to a supervisor."),
    ("have not heard back with no duration", "I have not heard back from them."),
    ("still waiting with no duration", "Still waiting for my refund."),
]


@pytest.mark.parametrize(("rule", "text"), NOT_EFFORT, ids=[rule for rule, _ in NOT_EFFORT])
def test_does_not_count(analyzer, rule, text):
    assert not drivers(analyzer, text) & RULE_DRIVERS, rule


def test_the_customer_calling_counts_but_the_collector_calling_does_not(analyzer):
    assert "repeat_contact" in drivers(analyzer, "I call them every day about this.")
    assert "repeat_contact" not in drivers(analyzer, "They call me every day about this.")


def test_a_transfer_after_asking_for_a_supervisor_counts(analyzer):
    assert "transfer" in drivers(analyzer, "I asked for a supervisor and was transferred to another agent.")


def test_negated_driver_is_not_effort(analyzer):
    assert not drivers(analyzer, "I never had to chase them.") & RULE_DRIVERS


def test_long_narrative_finds_drivers_in_any_paragraph(analyzer):
    paragraphs = ["I opened a checking account in 2016 and everything was fine for a year."] * 6
    paragraphs.insert(3, "Since then I have called them five times about the same fee.")
    text = "\n\n".join(paragraphs)
    from cxtext.text import split_sentences

    sentences = split_sentences([text], ["r"])[0]
    doc = Doc(record_id="r", text=text, language="en", sentences=sentences, source_kind="survey")
    found = [s for s in analyzer.process([doc]) if s.kind == "effort"]
    assert {s.label for s in found} == {"repeat_contact"}
    span = found[0].data
    assert text[span["start"]:span["end"]] == span["evidence"]


COMPLAINT_NARRATIVE = [
    ("repeat_contact", "I have disputed this charge with them on several occasions."),
    ("repeat_contact", "I am calling for the third time about the same error."),
    ("transfer", "The servicer told me to contact the credit bureau instead."),
]


@pytest.mark.parametrize(("driver", "text"), COMPLAINT_NARRATIVE)
def test_complaint_narrative_phrasing(analyzer, driver, text):
    assert driver in drivers(analyzer, text)


def test_letters_received_from_a_collector_are_not_repeat_contact(analyzer):
    assert "repeat_contact" not in drivers(analyzer, "I received several letters from the collection agency.")
