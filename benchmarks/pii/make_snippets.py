"""Write benchmarks/pii/snippets.jsonl: PII snippets in the style of CX verbatims, written by us.

Every value below was made up for this test set (example.com/.org domains, the
Ofcom drama ranges 020 7946 0xxx / 07700 900xxx, the US 555 range, test card
numbers, the IBAN examples of the ECBS, invalid-for-issue SSN-shaped numbers). The
templates and values are crossed deterministically; even-numbered snippets form the
dev split (used to choose settings), odd ones the test split (reported).

    python benchmarks/pii/make_snippets.py
"""

from __future__ import annotations

import itertools
import json
from pathlib import Path

OUT = Path(__file__).with_name("snippets.jsonl")

VALUES = {
    "email": ["jane.doe@example.com", "m.okafor@example.co.uk", "sam+orders@example.org", "li_wei88@example.net",
              "o'brien.kate@example.ie", "priya.patel@mail.example.com", "ANDERS.N@EXAMPLE.SE", "tom-h@example.io"],
    "phone": ["020 7946 0958", "07700 900123", "+44 7700 900456", "+44 20 7946 0321", "(555) 123-4567",
              "555-987-6543", "+1 555 234 5678", "555.876.5432", "0161 496 0735", "+1 (555) 345-6789"],
    "card": ["4111 1111 1111 1111", "5500-0000-0000-0004", "4012888888881881", "3782 822463 10005",
             "6011 1111 1111 1117", "5105-1051-0510-5100", "4222 2222 2222 2", "3530 1113 3330 0000"],
    "ssn": ["123-45-6789", "219-09-9999", "078-05-1120", "536-22-8726", "412 33 5821"],
    "iban": ["GB29 NWBK 6016 1331 9268 19", "DE89370400440532013000", "FR14 2004 1010 0505 0001 3M02 606",
             "NL91ABNA0417164300", "ES91 2100 0418 4502 0005 1332", "IE29 AIBK 9311 5212 3456 78"],
    "name": ["John Smith", "Priya Patel", "Maria Garcia", "David Okafor", "Sarah O'Connor", "Chen Wei",
             "Ahmed Hassan", "Emily Johnson", "Lukas Schmidt", "Fatima Khan"],
    "address": ["221B Baker Street", "10 Downing Street", "42 Elm Road", "7 Station Road", "1600 Pennsylvania Avenue",
                "15 Mill Lane", "350 Fifth Avenue", "SW1A 1AA", "M1 1AE", "EH1 1YZ"],
}

TEMPLATES = {
    "email": ["Please email me at {} about the refund.", "my email is {} , nobody replied",
              "Sent three complaints to support from {} and heard nothing back!!",
              "Contact: {}", "Can someone from billing reach me on {}? Thanks"],
    "phone": ["Call me back on {} please, I waited 40 minutes on hold.", "my number is {}",
              "Nobody rang {} like the agent promised.", "Tel {} (evenings only)",
              "I gave my mobile {} twice and still no text code"],
    "card": ["They charged my card {} twice for one order.", "card number {} was declined at checkout",
             "Refund to {} never arrived", "Used card {} exp 04/27, still waiting",
             "why is {} stored on my account??"],
    "ssn": ["They asked for my SSN {} on the phone, which felt unsafe.", "SSN: {}",
            "I had to read out {} to verify, ridiculous"],
    "iban": ["Please refund to my IBAN {} instead.", "IBAN {} - the transfer bounced",
             "Bank details: {}", "I sent my account {} to the agent twice"],
    "name": ["{} on the help desk sorted it in five minutes.", "Ask for {}, she was lovely.",
             "The driver, {}, left the parcel in the rain.", "Thanks to {} for the quick fix!",
             "My complaint is about {} in the Leeds branch"],
    "address": ["Deliver to {} not the old address.", "The parcel went to {} by mistake.",
                "I live at {} and the engineer never came.", "Return label shows {} which is wrong"],
}


def snippets() -> list[dict]:
    rows = []
    for kind, templates in TEMPLATES.items():
        for template, value in zip(itertools.cycle(templates), VALUES[kind] * 4):
            rows.append({"text": template.format(value), "pii": [{"kind": kind, "value": value}]})
    # Snippets with several kinds at once, as real verbatims have.
    mixed = [
        ("Hi, {} here. Email {} or phone {} about the charge on {}.", ["name", "email", "phone", "card"]),
        ("Refund {} to {} please, my SSN is {} if needed.", ["card", "iban", "ssn"]),
        ("{} at {} keeps calling me from {}", ["name", "address", "phone"]),
        ("Send it to {}, email {}", ["address", "email"]),
    ]
    for index in range(40):
        template, kinds = mixed[index % len(mixed)]
        values = [VALUES[k][(index * 3 + j) % len(VALUES[k])] for j, k in enumerate(kinds)]
        rows.append({"text": template.format(*values), "pii": [{"kind": k, "value": v} for k, v in zip(kinds, values)]})
    for number, row in enumerate(rows):
        row["id"] = number
        row["split"] = "dev" if number % 2 == 0 else "test"
    return rows


#: CX sentences without PII: anything redacted in them is a false positive.
CLEAN = [
    "The London store was slow and the app crashed twice.", "Order 1234567890123 arrived late.",
    "I waited 45 minutes on hold and got cut off.", "Great service, five stars!",
    "The refund took 14 days, which is too long.", "Checkout failed on version 3.2.1 of the app.",
    "Delivery was due on 12/03/2024 but came a week later.", "Price went up by 20% with no warning.",
    "Tracking number 1Z999AA10123456784 never updated.", "The agent fixed my broadband in 10 minutes.",
    "Amazing staff at the Manchester branch.", "I called three times before anyone helped.",
    "Water bill doubled this quarter.", "The chatbot kept looping back to the menu.",
    "Flight BA 283 was delayed by 3 hours.", "Room 412 was not cleaned.",
    "My plan is the 30GB SIM only deal.", "The new update made the app much faster.",
    "Support ticket 558812 is still open.", "They promised a callback within 24 hours.",
]


def main() -> None:
    rows = snippets()
    with open(OUT, "w", encoding="utf-8") as handle:
        for row in rows:
            handle.write(json.dumps(row, ensure_ascii=False) + "\n")
        for number, text in enumerate(CLEAN, start=len(rows)):
            handle.write(json.dumps({"id": number, "split": "dev" if number % 2 == 0 else "test", "text": text,
                                     "pii": []}) + "\n")
    print(f"{len(rows)} PII snippets and {len(CLEAN)} clean sentences -> {OUT}")


if __name__ == "__main__":
    main()
