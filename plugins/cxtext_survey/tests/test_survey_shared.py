"""The public NPS verbatims corpus, ingested exactly as docs/sources-survey-reviews.md says."""

from __future__ import annotations

from collections import Counter

import pytest

pytestmark = pytest.mark.shared


def test_nps_verbatims(ingest, shared_corpora):
    path = shared_corpora / "nps_verbatims_textsummary" / "nps_verbatim.csv"
    first = ingest(path, "--source", "survey", "--dataset", "nps")
    assert first.exit_code == 0, first.output
    assert (first.summary["rows_read"], first.summary["records_new"], first.summary["issues"]) == (2385, 2385, [])
    assert "nps score column: 'NPS_SCORE' (auto-detected)" in first.summary["notes"]
    assert "dates in 'CUSTOMER_RESPONSE_DATE' read day-first" in first.summary["notes"]

    records = ingest.records()
    record = records[0]
    assert record.created_at == "2018-04-11T20:09:00"  # 11/04/2018 is 11 April
    assert record.touchpoint == "Order" and record.scores == {"nps": 7.0}
    assert record.metadata == {"NPS_RATING": "Passive", "Qtr": "other", "question": "text"}
    assert Counter(r.touchpoint for r in records) == {
        "First Payment": 1150, "Order": 971, "Equipment Received": 234, "Service in Use": 30
    }
    scores = [r.scores["nps"] for r in records if "nps" in r.scores]
    assert len(scores) == 2353  # 32 responses have no score
    nps = 100 * (sum(s >= 9 for s in scores) - sum(s <= 6 for s in scores)) / len(scores)
    assert round(nps, 1) == -24.7  # the README's "about -24"
    assert len({r.conversation_id for r in records}) == 2385
    assert records[0].conversation_id == "nps:2"

    again = ingest(path, "--source", "survey", "--dataset", "nps")
    assert (again.summary["records_new"], again.summary["records_unchanged"]) == (0, 2385)
