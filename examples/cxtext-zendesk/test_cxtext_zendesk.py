"""Tests for the example Zendesk source: it reads tickets and reports bad files clearly."""

import json

import pytest

from cxtext.errors import InputError
from cxtext.sourcing import ReadContext
from cxtext_zendesk import ZendeskSource

TICKETS = {
    "tickets": [
        {"id": 35436, "subject": "Router dead", "description": "My router died and nobody called back.",
         "created_at": "2026-07-20T22:55:29Z", "requester_id": 20978392, "via": {"channel": "web"},
         "satisfaction_rating": {"score": "bad"}, "priority": "high", "tags": ["router"]},
        {"id": 35437, "description": "", "subject": "empty"},
    ]
}


def test_reads_tickets(tmp_path):
    path = tmp_path / "tickets.json"
    path.write_text(json.dumps(TICKETS))
    source = ZendeskSource()
    assert source.sniff(path) > 0.5
    records = list(source.read(path, ReadContext()))
    assert len(records) == 1  # the ticket without a description is skipped
    record = records[0]
    assert record.scores == {"satisfied": 0.0}
    assert record.channel == "web"
    assert record.segments == {"priority": "high"}
    assert record.id == list(source.read(path, ReadContext()))[0].id  # stable


def test_bad_json_names_the_line(tmp_path):
    path = tmp_path / "tickets.json"
    path.write_text('{"tickets": [\n{"id": 1,}\n]}')
    with pytest.raises(InputError, match=r"tickets.json, row 2: not valid JSON"):
        list(ZendeskSource().read(path, ReadContext()))
