"""A small analysed store: every source kind, every signal kind, plus one kind no plugin knows."""

from __future__ import annotations

import pytest

from cxtext.records import Record
from cxtext.signals import Sentence, Signal


def _sentences(record: Record) -> list[Sentence]:
    sentences, start = [], 0
    for index, part in enumerate(record.text.split(". ")):
        begin = record.text.index(part, start)
        sentences.append(Sentence(f"{record.id}:{index}", record.id, index, part, begin, begin + len(part)))
        start = begin + len(part)
    return sentences


@pytest.fixture
def records() -> list[Record]:
    return [
        Record("survey", "Billed twice, again. I waited 40 minutes on hold", "nps", source_id="1",
               created_at="2026-09-14T10:00:00", touchpoint="Billing", segments={"plan": "Essential", "region": "North"},
               scores={"nps": 2, "csat": 1, "ces": 2}, metadata={"wave": 3, "tags": ["migration"]}),
        Record("review", 'Great app "5 stars" <b>bold</b>. Sorted it in two minutes', "appstore", source_id="r9",
               created_at="2026-10-02", touchpoint="App", scores={"rating": 5}, engagement={"helpful_votes": 4},
               metadata={"title": "Love it"}),
        Record("social", "@LumenMobile no signal since Tuesday", "tweets", source_id="t1", channel="twitter",
               engagement={"likes": 12, "retweets": 3}),
        Record("transcript", "Je voudrais changer de forfait", "interviews", conversation_id="c1", speaker="P1",
               role="participant", turn_index=2),
    ]


@pytest.fixture
def analysed_store(store, records):
    """The four records ingested and analysed (the French one gets a language flag only)."""
    for record in records:
        store.ingest([record], path=f"{record.dataset}.csv", source=record.source_kind,
                     dataset=record.dataset, file_sha256=record.dataset)
    billing, review, social, french = records
    sentences = [s for r in records for s in _sentences(r)]
    store.save_analysis("sentences", "1", [r.id for r in records],
                        [Signal(r.id, "language", "fr" if r is french else "en", 0.98) for r in records],
                        sentences=sentences)
    english = [billing, review, social]
    store.save_analysis("sentiment", "1", [r.id for r in english], [
        Signal(billing.id, "sentiment", "negative", -0.9, data={"probs": {"negative": 0.93, "neutral": 0.04, "positive": 0.03}}),
        Signal(billing.id, "sentiment", "negative", -0.8, sentence_id=f"{billing.id}:0"),
        Signal(review.id, "sentiment", "positive", 0.95, data={"probs": {"negative": 0.01, "neutral": 0.03, "positive": 0.96}}),
        Signal(social.id, "sentiment", "negative", -0.6, data={"probs": {"negative": 0.7, "neutral": 0.2, "positive": 0.1}}),
    ])
    store.save_analysis("themes", "1", [r.id for r in english], [
        Signal(billing.id, "theme", "billing_error", 0.91, sentence_id=f"{billing.id}:0",
               data={"theme_label": "Billing error", "parent": "Billing", "codebook": "demo", "method": "nli"}),
        Signal(billing.id, "theme", "billing_error", 0.91, data={"theme_label": "Billing error"}),
        Signal(billing.id, "theme", "hold_time", 0.77, data={"theme_label": "Hold time"}),
        Signal(review.id, "theme", "app_ease", 0.88, data={"theme_label": "App is easy"}),
    ])
    store.save_analysis("effort", "1", [billing.id, review.id], [
        Signal(billing.id, "effort", "waiting", 0.85, sentence_id=f"{billing.id}:1",
               data={"start": 21, "end": 48, "evidence": "waited 40 minutes on hold", "polarity": "high", "duration_minutes": 40.0}),
        Signal(billing.id, "effort", "repeat_contact", 0.6, sentence_id=f"{billing.id}:0",
               data={"start": 0, "end": 19, "evidence": "Billed twice, again", "polarity": "high", "duration_minutes": None}),
        Signal(billing.id, "effort_score", "high_effort", 1.8, data={"drivers": ["waiting", "repeat_contact"]}),
        Signal(review.id, "effort", "low_effort", 0.9, sentence_id=f"{review.id}:1",
               data={"start": 38, "end": 62, "evidence": "Sorted it in two minutes", "polarity": "low", "duration_minutes": 2.0}),
        Signal(review.id, "effort_score", "low_effort", 6.5, data={"drivers": ["low_effort"]}),
    ])
    # A kind no first-party plugin writes: exports must pick it up without changes.
    store.save_analysis("emotions", "0.1", [billing.id], [
        Signal(billing.id, "emotion", "anger", 0.7),
        Signal(billing.id, "toxicity_span", "insult", 0.4, sentence_id=f"{billing.id}:0"),
    ])
    return store


@pytest.fixture
def project_of():
    """``project_of(store, config=None)``: the :class:`cxtext.Project` exporters receive, over a test store."""
    from cxtext import Project

    opened = []

    def make(store, config=None):
        project = Project(store.path, config)
        opened.append(project)
        return project

    yield make
    for project in opened:
        project.close()
