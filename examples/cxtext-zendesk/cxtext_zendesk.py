"""A cxtext source for Zendesk ticket exports (JSON), written as a third-party plugin.

This whole plugin is this one file plus ``pyproject.toml`` (which registers it in the
``cxtext`` entry-point group) and its test. See docs/plugin-authors.md.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

from cxtext.errors import InputError
from cxtext.hookspecs import hookimpl
from cxtext.records import Record
from cxtext.sourcing import ReadContext, open_text, parse_datetime, sniff_sample

SATISFACTION = {"good": 1.0, "bad": 0.0}  # Zendesk's CSAT is thumbs up / thumbs down


class ZendeskSource:
    name = "zendesk"
    kind = "ticket"  # a kind of its own: source kinds are open (cxtext.records.SOURCE_KINDS lists the known ones)
    description = "Zendesk ticket exports (JSON with a 'tickets' list)"

    def sniff(self, path: Path) -> float:
        if path.suffix.lower() != ".json":
            return 0.0
        return 0.9 if '"tickets"' in sniff_sample(path) else 0.0

    def read(self, path: Path, context: ReadContext) -> Iterator[Record]:
        with open_text(path, context.encoding) as handle:
            try:
                data = json.load(handle)
            except json.JSONDecodeError as exc:
                raise InputError(f"not valid JSON ({exc.msg}).", path=path, row=exc.lineno,
                                 expected="a Zendesk export: {\"tickets\": [...]}") from None
        tickets = data.get("tickets") if isinstance(data, dict) else None
        if not isinstance(tickets, list):
            raise InputError("no 'tickets' list found.", path=path, expected="a Zendesk export: {\"tickets\": [...]}")
        for number, ticket in enumerate(tickets, start=1):
            text = (ticket.get("description") or "").strip()
            if not text:
                continue
            rating = (ticket.get("satisfaction_rating") or {}).get("score")
            scores = {"satisfied": SATISFACTION[rating]} if rating in SATISFACTION else {}
            yield Record(
                source_kind=self.kind,
                text=text,
                dataset=context.dataset_for(path),
                source_id=str(ticket["id"]) if ticket.get("id") is not None else None,
                source_row=number,
                channel=(ticket.get("via") or {}).get("channel") or context.channel,
                customer_id=str(ticket.get("requester_id") or "") or None,
                created_at=parse_datetime(ticket.get("created_at")),
                segments={"priority": ticket["priority"]} if ticket.get("priority") else {},
                scores=scores,
                metadata={"subject": ticket.get("subject"), "tags": ticket.get("tags", []),
                          "status": ticket.get("status")},
            )


@hookimpl
def register_sources():
    return [ZendeskSource()]
