"""A small store whose KPIs are computed by hand in the tests.

Survey (10 responses, 11 records: response 1 answered two open-text questions):

====  ===  ====  ===  ==========  =========  =======  =====================
resp  NPS  CSAT  CES  touchpoint  plan       month    themes
====  ===  ====  ===  ==========  =========  =======  =====================
1     10   5     7    App         Prepaid    2026-09  -
2     10   5     6    App         Unlimited  2026-09  -
3     9    4     6    Support     Prepaid    2026-09  -
4     9    4     5    Support     Unlimited  2026-10  -
5     9    4     5    App         Prepaid    2026-10  -
6     8    3     4    Support     Unlimited  2026-10  -
7     7    3     3    Billing     Prepaid    2026-10  -
8     6    2     2    Billing     Unlimited  2026-11  billing_error
9     3    1     1    Billing     Prepaid    2026-11  billing_error
10    0    1     1    Billing     Unlimited  2026-11  billing_error, hold_time
====  ===  ====  ===  ==========  =========  =======  =====================

Reviews: ratings 5, 4, 4, 3, 1. Social: engagement by c1 (3 likes + 1 share, 2 likes),
c2 (4 retweets), and an author-less post (5 likes + 1 comment).
"""

from __future__ import annotations

import pytest

from cxtext.records import Record
from cxtext.signals import Sentence, Signal

RESPONSES = [
    (1, 10, 5, 7, "App", "Prepaid", "2026-09-03", []),
    (2, 10, 5, 6, "App", "Unlimited", "2026-09-10", []),
    (3, 9, 4, 6, "Support", "Prepaid", "2026-09-15", []),
    (4, 9, 4, 5, "Support", "Unlimited", "2026-10-02", []),
    (5, 9, 4, 5, "App", "Prepaid", "2026-10-09", []),
    (6, 8, 3, 4, "Support", "Unlimited", "2026-10-12", []),
    (7, 7, 3, 3, "Billing", "Prepaid", "2026-10-20", []),
    (8, 6, 2, 2, "Billing", "Unlimited", "2026-11-02", ["billing_error"]),
    (9, 3, 1, 1, "Billing", "Prepaid", "2026-11-05", ["billing_error"]),
    (10, 0, 1, 1, "Billing", "Unlimited", "2026-11-08", ["billing_error", "hold_time"]),
]
THEME_LABELS = {"billing_error": "Billing error", "hold_time": "Hold time"}


def survey_records() -> list[Record]:
    records = []
    for number, nps, csat, ces, touchpoint, plan, date, _ in RESPONSES:
        texts = ["Great app, sorted it in two minutes.", "Would recommend."] if number == 1 else [
            "I was double charged and waited an hour on hold." if nps <= 6 else "It was fine overall."
        ]
        for answer, text in enumerate(texts):
            records.append(Record(
                source_kind="survey", text=text, dataset="survey", source_id=f"{number}:{answer}",
                created_at=f"{date}T10:00:00+00:00", touchpoint=touchpoint, customer_id=f"cust{number}",
                segments={"plan": plan}, scores={"nps": nps, "csat": csat, "ces": ces},
                conversation_id=str(number),
            ))
    return records


def review_records() -> list[Record]:
    return [
        Record(source_kind="review", text=f"Review {i}", dataset="reviews", source_id=str(i),
               created_at="2026-10-01", scores={"rating": rating}, segments={"plan": "Essential"})
        for i, rating in enumerate([5, 4, 4, 3, 1])
    ]


def social_records() -> list[Record]:
    return [
        Record(source_kind="social", text="Love it", dataset="social", source_id="p1", customer_id="c1",
               engagement={"likes": 3, "shares": 1}, created_at="2026-10-01"),
        Record(source_kind="social", text="Still love it", dataset="social", source_id="p2", customer_id="c1",
               engagement={"likes": 2}, created_at="2026-10-02"),
        Record(source_kind="social", text="Meh", dataset="social", source_id="p3", customer_id="c2",
               engagement={"likes": 0, "retweets": 4}, created_at="2026-10-03"),
        Record(source_kind="social", text="Anon", dataset="social", source_id="p4",
               engagement={"likes": 5, "comments": 1}, created_at="2026-10-04"),
    ]


def ingest(store, records: list[Record], dataset: str) -> None:
    store.ingest(records, path=f"{dataset}.csv", source="test", dataset=dataset, file_sha256=dataset)


def add_text_signals(store, records: list[Record]) -> None:
    """One sentence per record; sentiment negative for detractors, themes as in RESPONSES."""
    themes_by_response = {str(r[0]): r[7] for r in RESPONSES}
    sentences, sentiment, themes = [], [], []
    for record in records:
        sentence = Sentence(id=f"{record.id}:0", record_id=record.id, index=0, text=record.text,
                            start=0, end=len(record.text))
        sentences.append(sentence)
        negative = record.scores.get("nps", 10) <= 6
        label, score = ("negative", -0.8) if negative else ("positive", 0.7)
        for sentence_id in (sentence.id, None):
            sentiment.append(Signal(record.id, "sentiment", label, score, sentence_id=sentence_id))
        for theme in themes_by_response.get(record.conversation_id or "", []):
            data = {"theme_label": THEME_LABELS[theme]}
            themes.append(Signal(record.id, "theme", theme, 0.9, sentence_id=sentence.id, data=data))
            themes.append(Signal(record.id, "theme", theme, 0.9, data=data))
    ids = [r.id for r in records]
    store.save_analysis("sentences", "1", ids, [], sentences=sentences)
    store.save_analysis("sentiment", "1", ids, sentiment)
    store.save_analysis("themes", "1", ids, themes)


@pytest.fixture
def kpi_store(store):
    """The hand-computed store: surveys (with sentiment and themes), reviews and social posts."""
    surveys = survey_records()
    ingest(store, surveys, "survey")
    ingest(store, review_records(), "reviews")
    ingest(store, social_records(), "social")
    add_text_signals(store, surveys)
    return store
